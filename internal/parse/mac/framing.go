package mac

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Prefix starts the UDP form of the framing; the "mac-nr-framed" form (an
// exported-PDU dissector name, or DLT 157) has no prefix.
const Prefix = "mac-nr"

// Radio types.
const (
	RadioFDD = 1
	RadioTDD = 2
)

// Directions.
const (
	DirectionUplink   = 0
	DirectionDownlink = 1
)

// RNTI types.
const (
	NoRNTI   = 0 // downlink: BCH (MIB)
	PRNTI    = 1 // PCH: paging
	RARNTI   = 2 // random access response
	CRNTI    = 3 // DL-SCH / UL-SCH
	SIRNTI   = 4 // DL-SCH carrying BCCH (SIB1, SI messages)
	CSRNTI   = 5 // configured scheduling: DL-SCH / UL-SCH
	MSGBRNTI = 6 // 2-step random access MsgB
)

// Tags of the framing (Wireshark packet-mac-nr.h). None has a length
// field: each tag has a fixed size, and the payload tag ends the list.
const (
	tagPayload           = 0x01 // MAC PDU follows, to the end
	tagRNTI              = 0x02 // 2 octets
	tagUEID              = 0x03 // 2 octets
	tagFrameSubframe     = 0x04 // 2 octets (deprecated by Wireshark)
	tagPHRType2OtherCell = 0x05 // 1 octet
	tagHARQID            = 0x06 // 1 octet
	tagFrameSlot         = 0x07 // 4 octets: SFN, slot
)

var tagNames = [...]string{
	tagRNTI:              "rnti",
	tagUEID:              "ueid",
	tagFrameSubframe:     "frame/subframe",
	tagPHRType2OtherCell: "phr type2 othercell",
	tagHARQID:            "harq id",
	tagFrameSlot:         "frame/slot",
}

var tagSizes = [...]int{
	tagRNTI:              2,
	tagUEID:              2,
	tagFrameSubframe:     2,
	tagPHRType2OtherCell: 1,
	tagHARQID:            1,
	tagFrameSlot:         4,
}

// Context is what the mac-nr framing says about one MAC PDU.
type Context struct {
	RadioType uint8 // RadioFDD, RadioTDD
	Direction uint8 // DirectionUplink, DirectionDownlink
	RNTIType  uint8 // NoRNTI ... MSGBRNTI
	RNTI      uint16
	UEID      uint16
	HasRNTI   bool
	HasUEID   bool

	HARQID               uint8
	HasHARQID            bool
	PHRType2OtherCell    uint8
	HasPHRType2OtherCell bool
	FrameSubframe        uint16 // deprecated tag 0x04, kept as is
	HasFrameSubframe     bool
	SFN, Slot            uint16 // tag 0x07
	HasFrameSlot         bool

	Uplink bool // Direction == DirectionUplink
}

// UE returns the identity a capture gives the UE: the RNTI when present,
// else the UE id, else 0.
func (c Context) UE() uint16 {
	if c.HasRNTI {
		return c.RNTI
	}
	return c.UEID
}

// ParseFraming reads the mac-nr framing: the "mac-nr" prefix when
// withPrefix (the UDP form), radioType, direction, rntiType, then tags up
// to the payload tag. It returns the context and the MAC PDU, a sub-slice
// of b. Offsets in errors count from the start of b.
func ParseFraming(b []byte, withPrefix bool) (Context, []byte, error) {
	var c Context
	off := 0
	if withPrefix {
		if !bytes.HasPrefix(b, []byte(Prefix)) {
			return c, nil, &Error{Offset: 0, Field: "framing", Err: ErrNoPrefix}
		}
		off = len(Prefix)
	}
	if len(b) < off+3 {
		return c, nil, &Error{Offset: len(b), Field: "framing: radioType, direction, rntiType", Err: ErrTruncated}
	}
	c.RadioType, c.Direction, c.RNTIType = b[off], b[off+1], b[off+2]
	if c.Direction > DirectionDownlink {
		return c, nil, &Error{Offset: off + 1, Field: "framing: direction", Err: errors.New("unknown direction " + strconv.Itoa(int(c.Direction)))}
	}
	if c.RNTIType > MSGBRNTI {
		return c, nil, &Error{Offset: off + 2, Field: "framing: rntiType", Err: errors.New("unknown rnti type " + strconv.Itoa(int(c.RNTIType)))}
	}
	c.Uplink = c.Direction == DirectionUplink
	off += 3
	for {
		if off >= len(b) {
			return c, nil, &Error{Offset: off, Field: "framing", Err: ErrNoPayload}
		}
		tag := b[off]
		if tag == tagPayload {
			return c, b[off+1:], nil
		}
		if int(tag) >= len(tagSizes) || tagSizes[tag] == 0 {
			return c, nil, &Error{Offset: off, Field: "framing", Err: fmt.Errorf("%w 0x%02x", ErrUnknownTag, tag)}
		}
		off++
		n := tagSizes[tag]
		if off+n > len(b) {
			return c, nil, &Error{Offset: off, Field: "framing: " + tagNames[tag], Err: ErrTruncated}
		}
		v := b[off : off+n]
		switch tag {
		case tagRNTI:
			c.RNTI, c.HasRNTI = be16(v), true
		case tagUEID:
			c.UEID, c.HasUEID = be16(v), true
		case tagFrameSubframe:
			c.FrameSubframe, c.HasFrameSubframe = be16(v), true
		case tagPHRType2OtherCell:
			c.PHRType2OtherCell, c.HasPHRType2OtherCell = v[0], true
		case tagHARQID:
			c.HARQID, c.HasHARQID = v[0], true
		case tagFrameSlot:
			c.SFN, c.Slot, c.HasFrameSlot = be16(v), be16(v[2:]), true
		}
		off += n
	}
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
