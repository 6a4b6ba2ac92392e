package server

import (
	"encoding/hex"
	"os"
	"os/exec"
	"strconv"
)

func readDir(p string) ([]os.DirEntry, error) { return os.ReadDir(p) }

func itoa(n int) string { return strconv.Itoa(n) }

// lookTshark finds tshark; the tests that need it skip (or leave out that
// part), saying so.
func lookTshark() (string, error) { return exec.LookPath("tshark") }

func hexOf(b []byte) string { return hex.EncodeToString(b) }
