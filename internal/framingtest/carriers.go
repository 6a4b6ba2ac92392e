package framingtest

import (
	"encoding/binary"
	"net/netip"

	"github.com/nrladder/nrladder/internal/capturetest"
)

// Well-known ports and payload protocol identifiers.
const (
	PortF1AP    = 38472
	PortNGAP    = 38412
	PortE1AP    = 38462
	PortGSMTAP  = 4729
	PortRLS     = 4997
	PortQCSuper = 47928
	PortOAI     = 9999 // OpenAirInterface --opt
	PortMACSrc  = 0xbeef
	PortMACDst  = 0xdead

	PPIDNGAP = 60
	PPIDF1AP = 62
	PPIDE1AP = 64
)

// MAC-NR framing values (Wireshark's packet-mac-nr.h).
const (
	FDD        = 1
	TDD        = 2
	Uplink     = 0
	Downlink   = 1
	NoRNTI     = 0
	RARNTI     = 2
	CRNTI      = 3
	SIRNTI     = 4
	RLCModeAM  = 4
	BearerSRB  = 2 // rlc-nr bearer type: SRB
	BearerDRB  = 3
	SNLength12 = 12
)

// MACNR returns a "mac-nr" UDP framing (prefix included) for a MAC PDU:
// radio type TDD, the direction and RNTI type, tags RNTI and UEID, then the
// payload tag.
func MACNR(direction, rntiType uint8, rnti, ueid uint16, pdu []byte) []byte {
	return append([]byte("mac-nr"), MACNRFramed(direction, rntiType, rnti, ueid, pdu)...)
}

// MACNRFramed is MACNR without the "mac-nr" prefix (exported PDUs, user
// DLT 157).
func MACNRFramed(direction, rntiType uint8, rnti, ueid uint16, pdu []byte) []byte {
	b := []byte{TDD, direction, rntiType, 0x02}
	b = binary.BigEndian.AppendUint16(b, rnti)
	b = append(b, 0x03)
	b = binary.BigEndian.AppendUint16(b, ueid)
	b = append(b, 0x01)
	return append(b, pdu...)
}

// RLCNR returns an "rlc-nr" UDP framing (prefix included): RLC mode, SN
// length, then tags direction, UEID, bearer type and id, and the payload.
func RLCNR(mode, snLength, direction uint8, ueid uint16, bearerType, bearerID uint8, pdu []byte) []byte {
	b := append([]byte("rlc-nr"), mode, snLength, 0x02, direction, 0x03)
	b = binary.BigEndian.AppendUint16(b, ueid)
	b = append(b, 0x04, bearerType, 0x05, bearerID, 0x01)
	return append(b, pdu...)
}

// UserDLTUDP returns srsRAN's user-DLT 149 record: an 8-byte UDP header
// (length set, checksum zero) and the payload.
func UserDLTUDP(sport, dport uint16, payload []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(payload)))
	b = append(b, 0, 0)
	return append(b, payload...)
}

// Meta is one GSMTAP v3 metadata TLV.
type Meta struct {
	Tag   uint16
	Value []byte
}

// GSMTAP v3 types and NR RRC sub types (SCAT's gsmtapv3_types and
// gsmtapv3_nr_rrc_types).
const (
	GSMTAPNRRRC  = 0x0503
	GSMTAPNAS5GS = 0x0504
	GSMTAPLTERRC = 0x0403

	GSMTAPBCCHBCH   = 0x0001
	GSMTAPBCCHDLSCH = 0x0002
	GSMTAPDLCCCH    = 0x0003
	GSMTAPDLDCCH    = 0x0004
	GSMTAPPCCH      = 0x0006
	GSMTAPULCCCH    = 0x0007
	GSMTAPULCCCH1   = 0x0008
	GSMTAPULDCCH    = 0x0009
)

// GSMTAPv3 returns a GSMTAP version 3 packet as SCAT writes it: the 8-byte
// header, the metadata, zero padding to a 32-bit word, the payload.
func GSMTAPv3(typ, sub uint16, meta []Meta, payload []byte) []byte {
	b := []byte{3, 0, 0, 0}
	b = binary.BigEndian.AppendUint16(b, typ)
	b = binary.BigEndian.AppendUint16(b, sub)
	for _, m := range meta {
		b = binary.BigEndian.AppendUint16(b, m.Tag)
		b = binary.BigEndian.AppendUint16(b, uint16(len(m.Value)))
		b = append(b, m.Value...)
	}
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)/4))
	return append(b, payload...)
}

// SCATMeta is the metadata SCAT attaches to an NR RRC message: the
// channel number (ARFCN) and the PCI.
func SCATMeta(arfcn uint32, pci uint16) []Meta {
	return []Meta{
		{Tag: 0x0002, Value: binary.BigEndian.AppendUint32(nil, arfcn)},
		{Tag: 0x0005, Value: binary.BigEndian.AppendUint16(nil, pci)},
	}
}

// GSMTAPv2 returns a GSMTAP version 2 packet (16-byte header).
func GSMTAPv2(typ, sub uint8, payload []byte) []byte {
	b := []byte{2, 4, typ, 0, 0, 0, 0, 0, 0, 0, 0, 0, sub, 0, 0, 0}
	return append(b, payload...)
}

// QCSuper returns the UDP payload QCSuper writes for a Qualcomm NR RRC OTA
// log packet (0xB821) of the given log version (9, 12, 14, 17, 19, 20, 23
// or 26), PDU number and RRC message: RRC release 15.2, radio bearer 1,
// PCI 500, NR-ARFCN 632628.
func QCSuper(version uint32, pdu uint8, msg []byte) []byte {
	var header, pduOff, lenOff, arfcnOff int
	switch version {
	case 9:
		header, pduOff, lenOff, arfcnOff = 24, 17, 22, 9
	case 12, 14:
		header, pduOff, lenOff, arfcnOff = 23, 16, 21, 9
	case 17:
		header, pduOff, lenOff, arfcnOff = 31, 24, 29, 17
	case 19, 20:
		header, pduOff, lenOff, arfcnOff = 32, 24, 29, 17
	case 23, 26:
		header, pduOff, lenOff, arfcnOff = 35, 24, 29, 17
	default:
		panic("framingtest: QCSuper: unknown log version")
	}
	b := make([]byte, header, header+len(msg))
	binary.LittleEndian.PutUint32(b, version)
	b[4], b[5], b[6] = 15, 2, 1
	binary.LittleEndian.PutUint16(b[7:], 500)
	binary.LittleEndian.PutUint32(b[arfcnOff:], 632628)
	b[pduOff] = pdu
	binary.LittleEndian.PutUint16(b[lenOff:], uint16(len(msg)))
	return append(b, msg...)
}

// RLS message types and RRC channels (UERANSIM).
const (
	RLSHeartbeat    = 4
	RLSHeartbeatAck = 5
	RLSPDU          = 6
	RLSPDUAck       = 7

	RLSRRC  = 1
	RLSData = 2

	RLSBCCHBCH   = 0
	RLSBCCHDLSCH = 1
	RLSDLCCCH    = 2
	RLSDLDCCH    = 3
	RLSPCCH      = 4
	RLSULCCCH    = 5
	RLSULCCCH1   = 6
	RLSULDCCH    = 7
)

// RLS returns a UERANSIM 3.2.0 RLS PDU transmission.
func RLS(sti uint64, pduType uint8, pduID, channel uint32, pdu []byte) []byte {
	b := rlsHeader(RLSPDU, sti)
	b = append(b, pduType)
	b = binary.BigEndian.AppendUint32(b, pduID)
	b = binary.BigEndian.AppendUint32(b, channel)
	b = binary.BigEndian.AppendUint32(b, uint32(len(pdu)))
	return append(b, pdu...)
}

// RLSHeartbeatMsg returns a UERANSIM 3.2.0 RLS heartbeat (simulated
// position 0, 0, 0).
func RLSHeartbeatMsg(sti uint64) []byte {
	return append(rlsHeader(RLSHeartbeat, sti), make([]byte, 12)...)
}

func rlsHeader(msgType uint8, sti uint64) []byte {
	b := []byte{0x03, 3, 2, 0, msgType}
	return binary.BigEndian.AppendUint64(b, sti)
}

// ExportedUDP returns a link type 252 record for Wireshark's "udp"
// dissector: the addresses and ports as options, then a UDP header and
// the payload.
func ExportedUDP(src, dst netip.AddrPort, payload []byte) []byte {
	srcTag, dstTag := uint16(20), uint16(21)
	if src.Addr().Is6() {
		srcTag, dstTag = 22, 23
	}
	return capturetest.ExportedPDUTags([]capturetest.Tag{
		{Type: 12, Value: []byte("udp")},
		{Type: srcTag, Value: src.Addr().AsSlice()},
		{Type: dstTag, Value: dst.Addr().AsSlice()},
		{Type: 24, Value: []byte{0, 0, 0, 3}},
		{Type: 25, Value: binary.BigEndian.AppendUint32(nil, uint32(src.Port()))},
		{Type: 26, Value: binary.BigEndian.AppendUint32(nil, uint32(dst.Port()))},
	}, UserDLTUDP(src.Port(), dst.Port(), payload))
}
