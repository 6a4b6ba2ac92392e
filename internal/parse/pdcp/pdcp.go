// Package pdcp reads NR PDCP data PDUs of signalling radio bearers (TS
// 38.323 §6.2.2.1): the 2-octet header with its 12-bit SN, the payload
// (the RRC PDU, or ciphered bytes once AS security is on), and the 4-octet
// MAC-I. It does not decipher or check integrity: whether the payload is
// readable is for the caller, who tracks the security state.
//
// It imports nothing from the project.
package pdcp

import (
	"errors"
	"strconv"
)

// Sentinel errors, reported wrapped in *Error.
var (
	ErrTruncated = errors.New("truncated")
	ErrReserved  = errors.New("reserved bits set: not an srb data pdu")
)

// Error is a failure to read a PDCP PDU.
type Error struct {
	Offset int // byte offset in the PDU
	Field  string
	Err    error
}

func (e *Error) Error() string {
	s := "pdcp: byte " + strconv.Itoa(e.Offset) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Sizes of an SRB data PDU's fixed parts.
const (
	HeaderLen = 2
	MACILen   = 4
)

// SRBPDU is an SRB data PDU. Payload and MACI are sub-slices of the input.
type SRBPDU struct {
	SN      int    // PDCP SN, 12 bits
	Payload []byte // the RRC PDU, or its ciphered form
	MACI    []byte // 4 octets; all zero before integrity protection starts
}

// ParseSRB reads an SRB data PDU: R R R R SN(12), payload, MAC-I. SRBs
// carry no control PDUs, so reserved bits set (the first bit of a DRB
// control PDU's header is D/C = 0, of a data PDU 1) reject the PDU, as does
// a PDU with no payload.
func ParseSRB(b []byte) (SRBPDU, error) {
	if len(b) < HeaderLen {
		return SRBPDU{}, &Error{Offset: len(b), Field: "header", Err: ErrTruncated}
	}
	if r := b[0] >> 4; r != 0 {
		return SRBPDU{}, &Error{Offset: 0, Field: "header", Err: ErrReserved}
	}
	if len(b) < HeaderLen+MACILen+1 {
		return SRBPDU{}, &Error{Offset: len(b), Field: "payload and mac-i", Err: errors.New("truncated: " + strconv.Itoa(len(b)) + " bytes, need at least 7")}
	}
	n := len(b) - MACILen
	return SRBPDU{
		SN:      int(b[0]&0x0f)<<8 | int(b[1]),
		Payload: b[HeaderLen:n:n],
		MACI:    b[n:len(b):len(b)],
	}, nil
}
