package rlc

import (
	"errors"
	"strconv"
)

// Mode is an RLC entity's transfer mode. The values are those of the
// rlc-nr framing's rlcMode octet.
type Mode uint8

const (
	TM Mode = 1 // transparent mode: the PDU is the SDU (SRB0, BCCH, PCCH)
	UM Mode = 2 // unacknowledged mode: 6- or 12-bit SN
	AM Mode = 4 // acknowledged mode: 12- or 18-bit SN (SRB1..3)
)

// String returns "TM", "UM", "AM" or "mode(N)".
func (m Mode) String() string {
	switch m {
	case TM:
		return "TM"
	case UM:
		return "UM"
	case AM:
		return "AM"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// SI is the segmentation info field of UM and AM data PDUs.
type SI uint8

const (
	Full   SI = 0 // 00: a complete SDU
	First  SI = 1 // 01: the first segment
	Last   SI = 2 // 10: the last segment
	Middle SI = 3 // 11: neither first nor last
)

// String returns "full", "first", "last" or "middle".
func (s SI) String() string {
	return [...]string{"full", "first", "last", "middle"}[s&3]
}

// Header is an RLC PDU header.
type Header struct {
	Mode    Mode
	Control bool // AM with D/C = 0: a control (STATUS) PDU; only CPT is read
	CPT     int  // control PDU type (0 = STATUS)
	Poll    bool // AM poll bit
	SI      SI
	SN      int // -1 when the PDU carries none (TM, UM complete SDU, control)
	SO      int // segment offset: 0 for a full or first segment
	Len     int // header length in bytes
}

// ErrBadSNLength reports an SN length the mode does not allow.
var ErrBadSNLength = errors.New("sn length not allowed for mode")

// ValidSNBits reports whether snBits is an SN length mode allows: 0 for
// TM, 6 or 12 for UM, 12 or 18 for AM.
func ValidSNBits(mode Mode, snBits int) bool {
	switch mode {
	case TM:
		return true
	case UM:
		return snBits == 6 || snBits == 12
	case AM:
		return snBits == 12 || snBits == 18
	}
	return false
}

// ParseHeader reads the header of an RLC PDU of the given mode and SN
// length (TS 38.322 §6.2.2) and returns it with the data field, a
// sub-slice of pdu. A TM PDU has no header. A control PDU returns its
// header and the rest of the PDU undecoded. A data PDU with an empty data
// field is an error.
func ParseHeader(mode Mode, snBits int, pdu []byte) (Header, []byte, error) {
	h := Header{Mode: mode, SN: -1}
	if !ValidSNBits(mode, snBits) {
		return h, nil, &Error{Field: mode.String() + " header", Err: errors.New("sn length " + strconv.Itoa(snBits) + " not allowed for " + mode.String())}
	}
	switch mode {
	case TM:
		return h, pdu, nil
	case AM:
		if len(pdu) == 0 {
			return h, nil, errAt(0, "am header", ErrTruncated)
		}
		b0 := pdu[0]
		if b0&0x80 == 0 {
			h.Control = true
			h.CPT = int(b0>>4) & 7
			h.Len = 1
			return h, pdu[1:], nil
		}
		h.Poll = b0&0x40 != 0
		h.SI = SI(b0>>4) & 3
		if snBits == 12 {
			if len(pdu) < 2 {
				return h, nil, errAt(0, "am header", ErrTruncated)
			}
			h.SN = int(b0&0x0f)<<8 | int(pdu[1])
			h.Len = 2
		} else {
			if len(pdu) < 3 {
				return h, nil, errAt(0, "am header", ErrTruncated)
			}
			h.SN = int(b0&0x03)<<16 | int(pdu[1])<<8 | int(pdu[2])
			h.Len = 3
		}
	case UM:
		if len(pdu) == 0 {
			return h, nil, errAt(0, "um header", ErrTruncated)
		}
		b0 := pdu[0]
		h.SI = SI(b0>>6) & 3
		h.Len = 1
		if h.SI != Full {
			if snBits == 6 {
				h.SN = int(b0 & 0x3f)
			} else {
				if len(pdu) < 2 {
					return h, nil, errAt(0, "um header", ErrTruncated)
				}
				h.SN = int(b0&0x0f)<<8 | int(pdu[1])
				h.Len = 2
			}
		}
	default:
		return h, nil, &Error{Field: "header", Err: errors.New("unknown mode " + mode.String())}
	}
	if h.SI == Last || h.SI == Middle {
		if len(pdu) < h.Len+2 {
			return h, nil, errAt(h.Len, "so", ErrTruncated)
		}
		h.SO = int(pdu[h.Len])<<8 | int(pdu[h.Len+1])
		h.Len += 2
	}
	if len(pdu) == h.Len {
		return h, nil, errText(h.Len, "data field", "empty")
	}
	return h, pdu[h.Len:], nil
}
