// Package exportpdu decodes the header of link type 252 records (Wireshark
// "upper PDU" export): a list of tag-length-value options ending with tag 0,
// followed by the PDU handed to the named dissector.
//
// It reads from a []byte in place; the returned PDU and strings refer to the
// input. It imports nothing from the project.
package exportpdu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Tags defined by Wireshark's epan/exported_pdu.h that the project uses.
const (
	TagEnd                = 0
	TagDissectorName      = 12
	TagHeuristicName      = 13
	TagDissectorTableName = 14
	TagIPv4Src            = 20
	TagIPv4Dst            = 21
	TagIPv6Src            = 22
	TagIPv6Dst            = 23
	TagPortType           = 24
	TagSrcPort            = 25
	TagDstPort            = 26
	TagOrigFrameNum       = 30
	TagP2PDirection       = 35
	TagColInfo            = 36
	TagDissectorTableU32  = 32
	TagCellID             = 38
)

// ErrTruncated is wrapped by every error caused by input that ends too early.
var ErrTruncated = errors.New("truncated input")

// Header is the decoded option list of one record.
type Header struct {
	Dissector      string // tag 12 (trailing NULs removed)
	Heuristic      string // tag 13
	DissectorTable string // tag 14
	OrigFrame      int    // tag 30, 0 when absent
	HasDirection   bool
	Direction      uint32 // tag 35: P2P direction (0 sent, 1 received)
	PDUOffset      int    // byte offset of the PDU in the record
}

// Error is a decoding error at a byte offset of the record.
type Error struct {
	Offset int
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("exportpdu: byte %d: %s", e.Offset, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Parse decodes the options of a link type 252 record and returns them with
// the PDU that follows them.
func Parse(b []byte) (Header, []byte, error) {
	var h Header
	off := 0
	for {
		if len(b)-off < 4 {
			return h, nil, &Error{Offset: off, Msg: fmt.Sprintf("truncated input: option header needs 4 bytes, %d left", len(b)-off), Err: ErrTruncated}
		}
		tag := binary.BigEndian.Uint16(b[off:])
		n := int(binary.BigEndian.Uint16(b[off+2:]))
		if tag == TagEnd {
			// The end-of-options tag normally has length 0; honour a
			// non-zero length the way Wireshark does (skip it).
			off += 4
			if len(b)-off < n {
				return h, nil, &Error{Offset: off, Msg: fmt.Sprintf("truncated input: end-of-options length %d, %d bytes left", n, len(b)-off), Err: ErrTruncated}
			}
			off += n
			h.PDUOffset = off
			return h, b[off:], nil
		}
		v := off + 4
		if len(b)-v < n {
			return h, nil, &Error{Offset: off, Msg: fmt.Sprintf("truncated input: tag %d length %d, %d bytes left", tag, n, len(b)-v), Err: ErrTruncated}
		}
		val := b[v : v+n]
		switch tag {
		case TagDissectorName:
			h.Dissector = trimNUL(val)
		case TagHeuristicName:
			h.Heuristic = trimNUL(val)
		case TagDissectorTableName:
			h.DissectorTable = trimNUL(val)
		case TagOrigFrameNum:
			if n == 4 {
				h.OrigFrame = int(binary.BigEndian.Uint32(val))
			}
		case TagP2PDirection:
			if n == 4 {
				h.HasDirection = true
				h.Direction = binary.BigEndian.Uint32(val)
			}
		}
		off = v + n
	}
}

func trimNUL(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// Append appends to dst a link type 252 record that hands pdu to the named
// dissector (tag 12, then the end-of-options tag), as Wireshark writes it.
func Append(dst []byte, dissector string, pdu []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, TagDissectorName)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(dissector)))
	dst = append(dst, dissector...)
	dst = binary.BigEndian.AppendUint16(dst, TagEnd)
	dst = binary.BigEndian.AppendUint16(dst, 0)
	return append(dst, pdu...)
}
