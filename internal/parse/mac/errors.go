package mac

import (
	"errors"
	"strconv"
)

// Sentinel errors, reported wrapped in *Error.
var (
	ErrTruncated   = errors.New("truncated")
	ErrNoPrefix    = errors.New(`no "mac-nr" prefix`)
	ErrUnknownTag  = errors.New("unknown tag")
	ErrNoPayload   = errors.New("no payload tag")
	ErrBeyondPDU   = errors.New("length beyond end of pdu")
	ErrUnknownSize = errors.New("size unknown: rest of pdu not read")
)

// Error is a failure to read a MAC PDU or its framing.
type Error struct {
	Offset int    // byte offset in the input (framing) or in the MAC PDU
	Field  string // "framing: rnti", "subpdu 2 lcid 1 (SRB1)"
	Err    error
}

func (e *Error) Error() string {
	s := "mac: byte " + strconv.Itoa(e.Offset) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
