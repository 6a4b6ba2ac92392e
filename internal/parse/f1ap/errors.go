package f1ap

import (
	"errors"

	"github.com/nrladder/nrladder/internal/parse/ap"
)

// Sentinel errors, reported wrapped in *Error.
var (
	// ErrUnknownProcedure: a procedure code (or an outcome of a known
	// procedure) that TS 38.473 does not define.
	ErrUnknownProcedure = errors.New("unknown procedure")
	// ErrUnknownIE: an IE id that TS 38.473 does not assign.
	ErrUnknownIE = errors.New("unknown ie")
)

// Error is a failure to decode a PDU, a message or an IE value.
type Error struct {
	// Path says where: the message, then the IEs from the message down to
	// the value that failed, each with its id and, for an IE of the
	// message, the byte offset of its value in the PDU:
	// "UEContextSetupRequest: ie 50 RRCContainer at byte 30". Empty when
	// the envelope failed.
	Path string
	// Err is a *per.Error (with its own path and bit offset, counted from
	// the start of the value that failed), ErrUnknownProcedure,
	// ErrUnknownIE or per.ErrUnmodelled.
	Err error
}

func (e *Error) Error() string { return ap.ErrorText("f1ap", e.Path, e.Err) }

func (e *Error) Unwrap() error { return e.Err }
