package server

import (
	"os"
	"strconv"
)

func readDir(p string) ([]os.DirEntry, error) { return os.ReadDir(p) }

func itoa(n int) string { return strconv.Itoa(n) }
