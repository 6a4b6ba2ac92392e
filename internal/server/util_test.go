package server

import "os"

func readDir(p string) ([]os.DirEntry, error) { return os.ReadDir(p) }
