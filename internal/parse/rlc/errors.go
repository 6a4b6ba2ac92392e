package rlc

import (
	"errors"
	"strconv"
)

// Sentinel errors, reported wrapped in *Error or Warning.
var (
	ErrTruncated    = errors.New("truncated")
	ErrBeyondWindow = errors.New("beyond reassembly window")
	ErrIncomplete   = errors.New("incomplete sdu dropped")
	ErrConflict     = errors.New("conflicting bytes for an sn")
	ErrLimit        = errors.New("reassembly memory limit reached")
)

// Error is a failure to read an RLC PDU or its framing.
type Error struct {
	Offset int    // byte offset in the input
	Field  string // what was being read: "am header", "so", "tag 0x03"
	Err    error
}

func (e *Error) Error() string {
	s := "rlc: byte " + strconv.Itoa(e.Offset) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func errAt(off int, field string, err error) error {
	return &Error{Offset: off, Field: field, Err: err}
}

func errText(off int, field, text string) error {
	return &Error{Offset: off, Field: field, Err: errors.New(text)}
}
