// Package uper reads and writes the bits of ASN.1 unaligned PER encodings
// (ITU-T X.691, UNALIGNED variant), the encoding of 3GPP RRC messages.
//
// It holds a bit Reader with a sticky error (the first failure is kept with
// its bit offset and every later read returns zero, so decoding code checks
// once per structure) and a Writer that produces the same encodings for
// tests. Both work on whole values only: constrained whole numbers, choice
// and enumeration indexes, length determinants, fixed-size bit and octet
// strings. Types are the caller's business.
//
// It imports nothing from the project.
package uper

import (
	"errors"
	"math/bits"
	"strconv"
)

// Sentinel errors. Reader and Writer report them wrapped in *Error, which
// adds the bit offset; test for them with errors.Is.
var (
	// ErrTruncated: the input ends before the value being read.
	ErrTruncated = errors.New("truncated input")
	// ErrRange: a value lies outside its constraint, or a choice or
	// enumeration index beyond its root alternatives.
	ErrRange = errors.New("value out of range")
	// ErrUnsupported: a fragmented length determinant (16K items or more).
	ErrUnsupported = errors.New("unsupported encoding")
	// ErrInvalid: a caller mistake, such as a width above 64 bits or a
	// constraint whose upper bound is below its lower bound.
	ErrInvalid = errors.New("invalid argument")
)

// Error is a failure at a bit offset of the input (Reader) or of the
// output (Writer).
type Error struct {
	Bit    int    // offset of the value that failed, in bits from the start
	Err    error  // one of the sentinels
	Detail string // e.g. "need 4 bits, 2 left"; may be empty
}

func (e *Error) Error() string {
	s := "uper: bit " + strconv.Itoa(e.Bit) + ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// widthOf returns the number of bits of a constrained whole number whose
// range holds span+1 values: ceil(log2(span+1)), 0 when span is 0.
func widthOf(span uint64) int { return bits.Len64(span) }

// rangeOf checks lo <= hi and returns hi-lo without overflow.
func rangeOf(lo, hi int64) (uint64, bool) {
	if hi < lo {
		return 0, false
	}
	return uint64(hi) - uint64(lo), true
}

func need(n, left int) string {
	return "need " + strconv.Itoa(n) + " bits, " + strconv.Itoa(left) + " left"
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
