package rlc

import (
	"bytes"
	"errors"
	"strconv"
)

// Prefix starts every rlc-nr framed UDP payload.
const Prefix = "rlc-nr"

// Bearer types of the rlc-nr framing (Wireshark packet-rlc-nr.h).
const (
	BearerCCCH      = 1
	BearerBCCHBCH   = 2
	BearerPCCH      = 3
	BearerSRB       = 4
	BearerDRB       = 5
	BearerBCCHDLSCH = 6
)

// Tags of the rlc-nr framing; none has a length field.
const (
	tagPayload    = 0x01 // the RLC PDU follows, to the end
	tagDirection  = 0x02 // 1 octet: 0 uplink, 1 downlink
	tagUEID       = 0x03 // 2 octets, big endian
	tagBearerType = 0x04 // 1 octet
	tagBearerID   = 0x05 // 1 octet
)

// Context is what the rlc-nr framing says about one RLC PDU.
type Context struct {
	Mode          Mode
	SNBits        int   // sequenceNumberLength: 0 (TM), 6, 12, 18
	Direction     uint8 // 0 uplink, 1 downlink (0 when absent, as Wireshark assumes)
	Uplink        bool
	UEID          uint16
	BearerType    uint8 // BearerCCCH ... BearerBCCHDLSCH
	BearerID      uint8 // SRB or DRB identity
	HasDirection  bool
	HasUEID       bool
	HasBearerType bool
	HasBearerID   bool
}

// ParseFraming reads the rlc-nr framing of a UDP payload: "rlc-nr",
// rlcMode, sequenceNumberLength, then tags without length fields up to the
// payload tag. It returns the context and the RLC PDU (a sub-slice of b).
func ParseFraming(b []byte) (Context, []byte, error) {
	var c Context
	if !bytes.HasPrefix(b, []byte(Prefix)) {
		return c, nil, errText(0, "framing", `no "rlc-nr" prefix`)
	}
	off := len(Prefix)
	if len(b) < off+2 {
		return c, nil, errAt(off, "framing: rlcMode", ErrTruncated)
	}
	c.Mode = Mode(b[off])
	c.SNBits = int(b[off+1])
	if c.Mode != TM && c.Mode != UM && c.Mode != AM {
		return c, nil, errText(off, "framing: rlcMode", "unknown mode "+strconv.Itoa(int(c.Mode)))
	}
	if !ValidSNBits(c.Mode, c.SNBits) {
		return c, nil, &Error{Offset: off + 1, Field: "framing: sequenceNumberLength", Err: ErrBadSNLength}
	}
	off += 2
	for {
		if off >= len(b) {
			return c, nil, errText(off, "framing", "no payload tag")
		}
		tag := b[off]
		off++
		size := 0
		switch tag {
		case tagPayload:
			if c.Direction > 1 {
				return c, nil, errText(off, "framing: direction", "unknown direction "+strconv.Itoa(int(c.Direction)))
			}
			c.Uplink = c.Direction == 0
			return c, b[off:], nil
		case tagDirection, tagBearerType, tagBearerID:
			size = 1
		case tagUEID:
			size = 2
		default:
			return c, nil, &Error{Offset: off - 1, Field: "framing", Err: errors.New("unknown tag 0x" + strconv.FormatUint(uint64(tag), 16))}
		}
		if off+size > len(b) {
			return c, nil, errAt(off, "framing: tag 0x0"+strconv.Itoa(int(tag)), ErrTruncated)
		}
		switch tag {
		case tagDirection:
			c.Direction, c.HasDirection = b[off], true
		case tagBearerType:
			c.BearerType, c.HasBearerType = b[off], true
		case tagBearerID:
			c.BearerID, c.HasBearerID = b[off], true
		case tagUEID:
			c.UEID, c.HasUEID = uint16(b[off])<<8|uint16(b[off+1]), true
		}
		off += size
	}
}
