package mac

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// SubPDU is one MAC subPDU: a MAC SDU, a MAC CE or padding. For a PDU the
// RNTI type says has no subheaders (BCCH, PCCH, RAR, MsgB) it is the whole
// PDU, with LCID -1.
type SubPDU struct {
	LCID   int    // the subheader's 6-bit LCID; -1 when the PDU has no subheaders
	ELCID  int    // the eLCID codepoint (one- or two-octet); -1 when absent
	Offset int    // byte offset of the subheader (or of Data when LCID is -1) in the MAC PDU
	Data   []byte // the SDU, CE body or padding: a sub-slice of the PDU
	// Padding is set for padding (LCID 63) and for a zero-filled block:
	// when every byte left from a subheader on is zero, the rest is
	// padding, not a run of empty CCCH SDUs (OpenAirInterface --opt writes
	// such blocks, which Wireshark shows as malformed RRCResumeRequest1).
	Padding  bool
	ZeroFill bool // the padding is a zero-filled block
	CE       bool // a MAC CE
	// Channel is set when Data is an RRC PDU as is: UL CCCH/CCCH1, DL CCCH,
	// BCCH-BCH (no RNTI), BCCH-DL-SCH (SI-RNTI), PCCH (P-RNTI).
	Channel rrc.Channel
	Name    string // "SRB1", "LCID 4", "CCCH (48 bits)", "Short BSR", "Padding", "RAR"
}

// LogicalChannel returns the logical channel of an SDU: its LCID (0..32),
// or 320 + eLCID for a two-octet eLCID; -1 for a CE, padding, or a PDU
// with no subheaders.
func (s SubPDU) LogicalChannel() int {
	switch {
	case s.CE || s.Padding || s.LCID < 0:
		return -1
	case s.LCID == 33:
		return 320 + s.ELCID
	}
	return s.LCID
}

// SubPDUs splits a MAC PDU into its subPDUs, by the context's RNTI type
// and direction (the UL and DL LCID tables differ). It returns the subPDUs
// read before an error along with the error.
func SubPDUs(ctx Context, pdu []byte) ([]SubPDU, error) {
	return AppendSubPDUs(nil, ctx, pdu)
}

// AppendSubPDUs is SubPDUs appending to dst, so that a caller can reuse
// one slice across PDUs and allocate nothing.
func AppendSubPDUs(dst []SubPDU, ctx Context, pdu []byte) ([]SubPDU, error) {
	whole := func(name string, ch rrc.Channel) []SubPDU {
		return append(dst, SubPDU{LCID: -1, ELCID: -1, Data: pdu, Channel: ch, Name: name})
	}
	switch ctx.RNTIType {
	case RARNTI:
		return whole("RAR", rrc.ChannelUnknown), nil
	case MSGBRNTI:
		return whole("MsgB", rrc.ChannelUnknown), nil
	case SIRNTI, PRNTI, NoRNTI:
		if ctx.Uplink {
			return dst, &Error{Field: "framing: rntiType", Err: errors.New("uplink with rnti type " + strconv.Itoa(int(ctx.RNTIType)))}
		}
		if len(pdu) == 0 {
			return dst, &Error{Field: "pdu", Err: ErrTruncated}
		}
		switch ctx.RNTIType {
		case SIRNTI:
			return whole("BCCH-DL-SCH", rrc.BCCHDLSCH), nil
		case PRNTI:
			return whole("PCCH", rrc.PCCH), nil
		}
		return whole("BCCH-BCH", rrc.BCCHBCH), nil
	}
	table := &dlLCID
	elcids := dlELCID
	if ctx.Uplink {
		table, elcids = &ulLCID, ulELCID
	}
	// Bytes from lastNonZero+1 on are zero: a subheader there starts a
	// zero-filled block.
	lastNonZero := len(pdu) - 1
	for lastNonZero >= 0 && pdu[lastNonZero] == 0 {
		lastNonZero--
	}
	off := 0
	for n := 0; off < len(pdu); n++ {
		if off > lastNonZero {
			return append(dst, SubPDU{LCID: 0, ELCID: -1, Offset: off, Data: pdu[off:], Padding: true, ZeroFill: true, Name: "zero fill"}), nil
		}
		b0 := pdu[off]
		lcid := int(b0 & 0x3f)
		e := table[lcid]
		elcid, hdr := -1, 1
		field := func() string {
			s := "subpdu " + strconv.Itoa(n) + " lcid " + strconv.Itoa(lcid)
			if elcid >= 0 {
				s += " elcid " + strconv.Itoa(elcid)
			}
			return s + " (" + e.name + ")"
		}
		switch e.format {
		case fELCID1:
			if off+2 > len(pdu) {
				return dst, &Error{Offset: off + 1, Field: field(), Err: ErrTruncated}
			}
			elcid, hdr = int(pdu[off+1]), 2
			var ok bool
			if e, ok = elcids[elcid]; !ok {
				e = unknownSize("reserved")
			}
		case fELCID2:
			if off+3 > len(pdu) {
				return dst, &Error{Offset: off + 1, Field: field(), Err: ErrTruncated}
			}
			elcid, hdr = int(be16(pdu[off+1:])), 3
			e = sdu("LCID " + strconv.Itoa(320+elcid))
		}
		var size int
		switch e.format {
		case fPadding:
			return append(dst, SubPDU{LCID: lcid, ELCID: -1, Offset: off, Data: pdu[off+1:], Padding: true, Name: e.name}), nil
		case fUnknown:
			return dst, &Error{Offset: off, Field: field(), Err: ErrUnknownSize}
		case fFixed:
			size = e.size
		default: // fSDU, fVariable: R/F/LCID/(eLCID)/L
			if b0&0x40 != 0 {
				if off+hdr+2 > len(pdu) {
					return dst, &Error{Offset: off + hdr, Field: field() + ": L", Err: ErrTruncated}
				}
				size = int(be16(pdu[off+hdr:]))
				hdr += 2
			} else {
				if off+hdr+1 > len(pdu) {
					return dst, &Error{Offset: off + hdr, Field: field() + ": L", Err: ErrTruncated}
				}
				size = int(pdu[off+hdr])
				hdr++
			}
		}
		start := off + hdr
		if start+size > len(pdu) {
			err := fmt.Errorf("%w: %d bytes, %d left", ErrBeyondPDU, size, len(pdu)-start)
			if off == 0 && !ctx.Uplink && b0&0x80 != 0 {
				// R set in the first subheader: likely a random access
				// response framed with rnti type C-RNTI (OpenAirInterface).
				err = fmt.Errorf("%w (reserved bit set: a random access response framed as C-RNTI?)", err)
			}
			return dst, &Error{Offset: off, Field: field(), Err: err}
		}
		dst = append(dst, SubPDU{
			LCID:    lcid,
			ELCID:   elcid,
			Offset:  off,
			Data:    pdu[start : start+size : start+size],
			CE:      e.format == fVariable || (e.format == fFixed && e.ch == rrc.ChannelUnknown),
			Channel: e.ch,
			Name:    e.name,
		})
		off = start + size
	}
	return dst, nil
}

func itoa(v int) string { return strconv.Itoa(v) }
