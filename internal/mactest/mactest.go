// Package mactest builds NR layer-2 PDUs for tests, from TS 38.321, 38.322
// and 38.323 rather than from the parsers under test: MAC subPDUs (SDUs,
// fixed and variable-size CEs, eLCIDs, UL CCCH, padding) and PDUs, the
// mac-nr and rlc-nr framings, RLC AM and UM PDUs (segments, STATUS) and
// PDCP SRB PDUs, and the outer layers captures wrap them in (the fake UDP
// header of srsRAN's DLT 149, IPv4/UDP of OpenAirInterface --opt).
//
// It also finds the shared real captures (../shared/traces) and reads
// classic pcap files, so that tests can compare the parsers with tshark on
// them.
//
// It imports nothing from the project. Builders panic on values their
// fields cannot hold: they are for tests.
package mactest

import (
	"encoding/binary"
	"fmt"
)

func u16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func check(ok bool, format string, args ...any) {
	if !ok {
		panic("mactest: " + fmt.Sprintf(format, args...))
	}
}

// --- MAC subPDUs (TS 38.321 §6.1.2) ---

// SDU is a subPDU with an L field, R/F/LCID/L: a MAC SDU or a
// variable-size CE. L takes one octet when it fits, else two.
func SDU(lcid int, data []byte) []byte {
	if len(data) < 256 {
		return withL(lcid, nil, data, false)
	}
	return withL(lcid, nil, data, true)
}

// SDULong is SDU with a two-octet L field even for short data.
func SDULong(lcid int, data []byte) []byte { return withL(lcid, nil, data, true) }

func withL(lcid int, ext []byte, data []byte, long bool) []byte {
	check(lcid >= 0 && lcid < 64, "lcid %d", lcid)
	h := []byte{byte(lcid)}
	h = append(h, ext...)
	if long {
		check(len(data) < 1<<16, "L %d", len(data))
		h[0] |= 0x40
		h = append(h, u16(len(data))...)
	} else {
		check(len(data) < 256, "L %d needs two octets", len(data))
		h = append(h, byte(len(data)))
	}
	return cat(h, data)
}

// Fixed is a subPDU without L field, R/R/LCID: a fixed-size CE or an UL
// CCCH SDU.
func Fixed(lcid int, body []byte) []byte {
	check(lcid >= 0 && lcid < 64, "lcid %d", lcid)
	return cat([]byte{byte(lcid)}, body)
}

// ELCID1Fixed is a fixed-size CE with a one-octet eLCID (LCID 34).
func ELCID1Fixed(elcid int, body []byte) []byte {
	check(elcid >= 0 && elcid < 256, "elcid %d", elcid)
	return cat([]byte{34, byte(elcid)}, body)
}

// ELCID1Variable is a variable-size CE with a one-octet eLCID (LCID 34)
// and an L field.
func ELCID1Variable(elcid int, body []byte) []byte {
	check(elcid >= 0 && elcid < 256, "elcid %d", elcid)
	return withL(34, []byte{byte(elcid)}, body, len(body) >= 256)
}

// ELCID2SDU is a MAC SDU of logical channel 320+elcid, with a two-octet
// eLCID (LCID 33) and an L field.
func ELCID2SDU(elcid int, data []byte) []byte {
	check(elcid >= 0 && elcid < 1<<16, "elcid %d", elcid)
	return withL(33, u16(elcid), data, len(data) >= 256)
}

// ULCCCH is an UL-CCCH SDU (48 bits, LCID 52).
func ULCCCH(rrc []byte) []byte {
	check(len(rrc) == 6, "UL-CCCH SDU of %d bytes, want 6", len(rrc))
	return Fixed(52, rrc)
}

// ULCCCH1 is an UL-CCCH1 SDU (64 bits, LCID 0).
func ULCCCH1(rrc []byte) []byte {
	check(len(rrc) == 8, "UL-CCCH1 SDU of %d bytes, want 8", len(rrc))
	return Fixed(0, rrc)
}

// DLCCCH is a DL-CCCH SDU (LCID 0, with L).
func DLCCCH(rrc []byte) []byte { return SDU(0, rrc) }

// Padding is a padding subPDU of n bytes in all (n >= 1): the LCID 63
// subheader and n-1 bytes of fill.
func Padding(n int) []byte {
	check(n >= 1, "padding of %d bytes", n)
	p := make([]byte, n)
	p[0] = 63
	return p
}

// PDU concatenates subPDUs.
func PDU(subs ...[]byte) []byte { return cat(subs...) }

// Common MAC CEs.

// ShortBSR is an UL Short BSR (LCID 61): LCG id (3 bits), buffer size
// index (5 bits).
func ShortBSR(lcg, bs int) []byte { return Fixed(61, []byte{byte(lcg<<5 | bs&31)}) }

// SingleEntryPHR is an UL Single Entry PHR (LCID 57).
func SingleEntryPHR(ph, pcmax int) []byte { return Fixed(57, []byte{byte(ph & 63), byte(pcmax & 63)}) }

// CRNTI is an UL C-RNTI CE (LCID 58).
func CRNTI(rnti uint16) []byte { return Fixed(58, u16(int(rnti))) }

// LongBSR is an UL Long BSR (LCID 62): the LCG bitmap and one buffer size
// octet per LCG set.
func LongBSR(lcgs byte, sizes ...byte) []byte { return SDU(62, cat([]byte{lcgs}, sizes)) }

// TimingAdvance is a DL Timing Advance Command (LCID 61).
func TimingAdvance(tag, ta int) []byte { return Fixed(61, []byte{byte(tag<<6 | ta&63)}) }

// ContentionResolution is a DL UE Contention Resolution Identity (LCID
// 62): the first 48 bits of the UL CCCH SDU.
func ContentionResolution(ccch []byte) []byte {
	check(len(ccch) >= 6, "contention resolution identity from %d bytes", len(ccch))
	return Fixed(62, ccch[:6])
}

// --- mac-nr framing ---

// Framing fields.
const (
	FDD = 1
	TDD = 2

	Uplink   = 0
	Downlink = 1

	RNTINone = 0
	RNTIP    = 1
	RNTIRA   = 2
	RNTIC    = 3
	RNTISI   = 4
	RNTICS   = 5
	RNTIMsgB = 6
)

// Tags of the mac-nr framing.
func TagRNTI(v uint16) []byte              { return cat([]byte{0x02}, u16(int(v))) }
func TagUEID(v uint16) []byte              { return cat([]byte{0x03}, u16(int(v))) }
func TagFrameSubframe(v uint16) []byte     { return cat([]byte{0x04}, u16(int(v))) }
func TagPHRType2OtherCell(v byte) []byte   { return []byte{0x05, v} }
func TagHARQID(v byte) []byte              { return []byte{0x06, v} }
func TagFrameSlot(sfn, slot uint16) []byte { return cat([]byte{0x07}, u16(int(sfn)), u16(int(slot))) }

// MACNR frames a MAC PDU: "mac-nr" when prefix, radioType, direction,
// rntiType, the tags, the payload tag 0x01, the PDU.
func MACNR(prefix bool, radio, direction, rntiType byte, tags [][]byte, pdu []byte) []byte {
	var b []byte
	if prefix {
		b = append(b, "mac-nr"...)
	}
	b = append(b, radio, direction, rntiType)
	for _, t := range tags {
		b = append(b, t...)
	}
	b = append(b, 0x01)
	return append(b, pdu...)
}

// MACNRC frames a C-RNTI MAC PDU the way srsRAN does: prefix, FDD, RNTI,
// UE id, HARQ id, frame/slot.
func MACNRC(direction byte, rnti uint16, pdu []byte) []byte {
	return MACNR(true, FDD, direction, RNTIC, [][]byte{TagRNTI(rnti), TagUEID(rnti), TagHARQID(0), TagFrameSlot(100, 3)}, pdu)
}

// --- RLC (TS 38.322 §6.2.2) ---

// RLC segmentation info.
const (
	Full   = 0
	First  = 1
	Last   = 2
	Middle = 3
)

// AM is an AMD PDU: D/C=1, P, SI, SN (12 or 18 bits), SO for last and
// middle segments, data.
func AM(sn, snBits, si, so int, poll bool, data []byte) []byte {
	var h []byte
	b0 := byte(0x80 | si<<4)
	if poll {
		b0 |= 0x40
	}
	switch snBits {
	case 12:
		check(sn >= 0 && sn < 1<<12, "sn %d", sn)
		h = []byte{b0 | byte(sn>>8), byte(sn)}
	case 18:
		check(sn >= 0 && sn < 1<<18, "sn %d", sn)
		h = []byte{b0 | byte(sn>>16), byte(sn >> 8), byte(sn)}
	default:
		panic("mactest: AM sn length " + fmt.Sprint(snBits))
	}
	if si == Last || si == Middle {
		h = append(h, u16(so)...)
	}
	return cat(h, data)
}

// AMSegments splits an SDU into AMD PDUs carrying sizes[i] bytes each (the
// last takes what is left), with segmentation info and SO set; a single
// size (or none) gives one complete PDU.
func AMSegments(sn, snBits int, sdu []byte, sizes ...int) [][]byte {
	var out [][]byte
	so := 0
	for i := 0; so < len(sdu) || i == 0; i++ {
		n := len(sdu) - so
		if i < len(sizes) && sizes[i] < n {
			n = sizes[i]
		}
		si := Middle
		switch {
		case so == 0 && so+n == len(sdu):
			si = Full
		case so == 0:
			si = First
		case so+n == len(sdu):
			si = Last
		}
		out = append(out, AM(sn, snBits, si, so, false, sdu[so:so+n]))
		so += n
	}
	return out
}

// AMStatus is an AM STATUS PDU acknowledging up to ackSN (12-bit SN), no
// NACKs.
func AMStatus(ackSN int) []byte {
	return []byte{byte(ackSN >> 8 & 0x0f), byte(ackSN), 0x00}
}

// UM is a UMD PDU: a complete SDU (SI full, no SN) or a segment with SN
// (6 or 12 bits) and, for last and middle segments, SO.
func UM(sn, snBits, si, so int, data []byte) []byte {
	if si == Full {
		return cat([]byte{0}, data)
	}
	var h []byte
	switch snBits {
	case 6:
		h = []byte{byte(si<<6 | sn&63)}
	case 12:
		h = []byte{byte(si<<6 | sn>>8&15), byte(sn)}
	default:
		panic("mactest: UM sn length " + fmt.Sprint(snBits))
	}
	if si == Last || si == Middle {
		h = append(h, u16(so)...)
	}
	return cat(h, data)
}

// rlc-nr framing values.
const (
	RLCTM = 1
	RLCUM = 2
	RLCAM = 4

	BearerCCCH      = 1
	BearerBCCHBCH   = 2
	BearerPCCH      = 3
	BearerSRB       = 4
	BearerDRB       = 5
	BearerBCCHDLSCH = 6
)

// RLCNR frames an RLC PDU: "rlc-nr", rlcMode, sequenceNumberLength, then
// direction, UE id, bearer type and id tags, the payload tag, the PDU.
func RLCNR(mode, snBits, direction byte, ueid uint16, bearerType, bearerID byte, pdu []byte) []byte {
	b := []byte("rlc-nr")
	b = append(b, mode, snBits, 0x02, direction, 0x03, byte(ueid>>8), byte(ueid), 0x04, bearerType, 0x05, bearerID, 0x01)
	return append(b, pdu...)
}

// --- PDCP (TS 38.323 §6.2.2.1) ---

// PDCPSRB is an SRB data PDU: R R R R SN(12), payload, MAC-I (zero when
// maci is nil).
func PDCPSRB(sn int, payload, maci []byte) []byte {
	check(sn >= 0 && sn < 1<<12, "pdcp sn %d", sn)
	if maci == nil {
		maci = make([]byte, 4)
	}
	check(len(maci) == 4, "mac-i of %d bytes", len(maci))
	return cat([]byte{byte(sn >> 8), byte(sn)}, payload, maci)
}

// --- Outer layers ---

// UDP8 is srsRAN's DLT 149 record: an 8-byte UDP header (ports 0xbeef to
// 0xdead, no checksum) and the payload.
func UDP8(payload []byte) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h[0:], 0xbeef)
	binary.BigEndian.PutUint16(h[2:], 0xdead)
	binary.BigEndian.PutUint16(h[4:], uint16(8+len(payload)))
	return cat(h, payload)
}

// IPv4UDP is a raw IPv4 packet (link type 228) holding a UDP datagram
// from 127.0.0.1:port to 127.0.0.1:port, as OpenAirInterface --opt writes
// (port 9999).
func IPv4UDP(port uint16, payload []byte) []byte {
	ip := make([]byte, 20)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(28+len(payload)))
	ip[8], ip[9] = 64, 17
	copy(ip[12:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	udp := make([]byte, 8)
	binary.BigEndian.PutUint16(udp[0:], port)
	binary.BigEndian.PutUint16(udp[2:], port)
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	return cat(ip, udp, payload)
}
