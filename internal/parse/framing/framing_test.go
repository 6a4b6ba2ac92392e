package framing

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	ft "github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/parse/capture"
)

var (
	du    = netip.AddrPortFrom(ft.DU, ft.PortF1AP)
	cu    = netip.AddrPortFrom(ft.CU, ft.PortF1AP)
	du6   = netip.AddrPortFrom(ft.DU6, ft.PortF1AP)
	cu6   = netip.AddrPortFrom(ft.CU6, ft.PortF1AP)
	gnbNG = netip.AddrPortFrom(ft.CU, 50000)
	amf   = netip.AddrPortFrom(ft.AMF, ft.PortNGAP)

	f1ap = ft.F1APULRRCMessageTransfer(1, 2, 1, ft.PDCP(0, ft.ULInformationTransfer))
	ngap = ft.NGAPDownlinkNASTransport(1, 2, ft.RegistrationReject)
	// macPDU is an uplink MAC PDU: LCID 52 (CCCH, 48 bits) and the
	// RRCSetupRequest.
	macPDU = append([]byte{0x34}, ft.RRCSetupRequest...)
)

func f1apPacket(src, dst netip.AddrPort) []byte {
	return ft.SCTPPacket(src, dst, 7, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk())
}

// TestLinkTypes decodes the same F1AP SCTP packet under every link type.
func TestLinkTypes(t *testing.T) {
	ip4, ip6 := f1apPacket(du, cu), f1apPacket(du6, cu6)
	want4 := []unitView{{Frame: 1, FirstFrame: 1, Transport: "sctp", Src: "10.10.1.2:38472", Dst: "10.10.1.1:38472", PPID: 62, Stream: 1, Protocol: "f1ap", Payload: f1ap}}
	want6 := []unitView{{Frame: 1, FirstFrame: 1, Transport: "sctp", Src: "[2001:db8::2]:38472", Dst: "[2001:db8::1]:38472", PPID: 62, Stream: 1, Protocol: "f1ap", Payload: f1ap}}
	tests := []struct {
		name string
		link uint32
		data []byte
		want []unitView
	}{
		{"ethernet ipv4", 1, ft.Ethernet(ip4), want4},
		{"ethernet ipv6", 1, ft.Ethernet(ip6), want6},
		{"ethernet 802.1Q", 1, ft.Ethernet(ip4, 100), want4},
		{"ethernet QinQ", 1, ft.Ethernet(ip4, 100, 200), want4},
		{"ethernet three tags", 1, ft.Ethernet(ip6, 1, 2, 3), want6},
		{"ethernet with padding and FCS", 1, append(ft.Ethernet(ip4), 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef), want4},
		{"linux sll ipv4", 113, ft.SLL(ip4), want4},
		{"linux sll ipv6", 113, ft.SLL(ip6), want6},
		{"linux sll2 ipv4", 276, ft.SLL2(ip4), want4},
		{"linux sll2 ipv6", 276, ft.SLL2(ip6), want6},
		{"bsd loopback little-endian", 0, ft.Loopback(ip4, false), want4},
		{"bsd loopback big-endian", 0, ft.Loopback(ip4, true), want4},
		{"bsd loopback ipv6", 0, ft.Loopback(ip6, false), want6},
		{"openbsd loop", 108, ft.Loopback(ip6, true), want6},
		{"raw ipv4", 228, ip4, want4},
		{"raw ipv6", 229, ip6, want6},
		{"raw ip v4", 101, ip4, want4},
		{"raw ip v6", 101, ip6, want6},
		{"ipv6 extension headers", 229, ft.IPv6WithDestOpts(ft.DU6, ft.CU6, ft.ProtoSCTP, ft.SCTP(du6, cu6, 7, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk())), want6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, warns, _ := decodeAll(Options{}, ft.Packets(ft.Packet{LinkType: tt.link, Data: tt.data}))
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warningTexts(warns))
			}
			if diff := cmp.Diff(tt.want, views(units)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCarriers decodes one packet of each carrier.
func TestCarriers(t *testing.T) {
	udp := func(src, dst netip.AddrPort, payload []byte) []byte { return ft.UDPPacket(src, dst, payload) }
	oai := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), ft.PortOAI)
	ue, gnb := netip.AddrPortFrom(ft.DU, 40000), netip.AddrPortFrom(ft.CU, ft.PortRLS)
	scat, gsmtap := netip.AddrPortFrom(ft.DU, 40001), netip.AddrPortFrom(ft.CU, ft.PortGSMTAP)
	qc := netip.AddrPortFrom(netip.IPv4Unspecified(), ft.PortQCSuper)
	mac := ft.MACNR(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU)
	rlc := ft.RLCNR(ft.RLCModeAM, ft.SNLength12, ft.Uplink, 1, ft.BearerSRB, 1, []byte{0xc0, 0x00, 0x00, 0x01})
	macFramed := ft.MACNRFramed(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU)
	sctpUnit := func(frame int, src, dst netip.AddrPort, ppid uint32, stream uint16, proto string, payload []byte) unitView {
		return unitView{Frame: frame, FirstFrame: frame, Transport: "sctp", Src: src.String(), Dst: dst.String(), PPID: ppid, Stream: stream, Protocol: proto, Payload: payload}
	}
	udpUnit := func(src, dst netip.AddrPort, proto, carrier string, payload []byte) unitView {
		return unitView{Frame: 1, FirstFrame: 1, Transport: "udp", Src: src.String(), Dst: dst.String(), Protocol: proto, Carrier: carrier, Payload: payload}
	}
	rawUnit := func(proto, carrier string, payload []byte) unitView {
		return unitView{Frame: 1, FirstFrame: 1, Transport: "raw", Protocol: proto, Carrier: carrier, Payload: payload}
	}
	e1ap := ft.APPDU(ft.InitiatingMessage, 3, ft.Reject, ft.IE(9, ft.Reject, []byte{0x00, 0x01}))
	tests := []struct {
		name string
		link uint32
		data []byte
		want []unitView
	}{
		{"sctp f1ap by ppid", 228, ft.SCTPPacket(netip.AddrPortFrom(ft.DU, 1000), netip.AddrPortFrom(ft.CU, 2000), 7, ft.Whole(1, 3, 0, ft.PPIDF1AP, f1ap).Chunk()),
			[]unitView{sctpUnit(1, netip.AddrPortFrom(ft.DU, 1000), netip.AddrPortFrom(ft.CU, 2000), 62, 3, "f1ap", f1ap)}},
		{"sctp ngap by port", 228, ft.SCTPPacket(gnbNG, amf, 7, ft.Whole(1, 0, 0, 0, ngap).Chunk()),
			[]unitView{sctpUnit(1, gnbNG, amf, 0, 0, "ngap", ngap)}},
		{"sctp e1ap named", 228, ft.SCTPPacket(netip.AddrPortFrom(ft.CU, ft.PortE1AP), cu, 7, ft.Whole(1, 0, 0, ft.PPIDE1AP, e1ap).Chunk()),
			[]unitView{sctpUnit(1, netip.AddrPortFrom(ft.CU, ft.PortE1AP), cu, 64, 0, "e1ap", e1ap)}},
		{"sctp bundle with control chunks", 1, ft.Ethernet(ft.SCTPPacket(du, cu, 7,
			ft.SACK(99), ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk(), ft.Heartbeat(), ft.Whole(2, 2, 0, ft.PPIDF1AP, ngap).Chunk())),
			[]unitView{sctpUnit(1, du, cu, 62, 1, "f1ap", f1ap), sctpUnit(1, du, cu, 62, 2, "f1ap", ngap)}},
		{"sctp control chunks only", 1, ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.SACK(99), ft.Heartbeat())), nil},
		{"sctp unknown ppid and ports", 228, ft.SCTPPacket(netip.AddrPortFrom(ft.DU, 1), netip.AddrPortFrom(ft.CU, 2), 7, ft.Whole(1, 0, 0, 46, []byte{1, 2, 3}).Chunk()), nil},
		{"udp mac-nr srsRAN ports", 228, udp(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), mac),
			[]unitView{udpUnit(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), "mac-nr", "", mac)}},
		{"udp mac-nr OAI port", 228, udp(oai, oai, mac), []unitView{udpUnit(oai, oai, "mac-nr", "", mac)}},
		{"udp rlc-nr", 1, ft.Ethernet(udp(netip.AddrPortFrom(ft.DU6, 5000), netip.AddrPortFrom(ft.CU6, 5001), rlc)),
			[]unitView{udpUnit(netip.AddrPortFrom(ft.DU6, 5000), netip.AddrPortFrom(ft.CU6, 5001), "rlc-nr", "", rlc)}},
		{"udp unknown", 228, udp(netip.AddrPortFrom(ft.DU, 53), netip.AddrPortFrom(ft.CU, 53), []byte{1, 2, 3, 4}), nil},
		{"gsmtap v3 nr rrc", 228, udp(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNRRRC, ft.GSMTAPULCCCH, ft.SCATMeta(632628, 500), ft.RRCSetupRequest)),
			[]unitView{udpUnit(scat, gsmtap, "nr-rrc.ul.ccch", "gsmtap", ft.RRCSetupRequest)}},
		{"gsmtap v3 nr rrc with end tag", 228, udp(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNRRRC, ft.GSMTAPBCCHBCH, []ft.Meta{{Tag: 0xfffe}}, ft.MIB)),
			[]unitView{udpUnit(scat, gsmtap, "nr-rrc.bcch.bch", "gsmtap", ft.MIB)}},
		{"gsmtap v3 nas-5gs", 228, udp(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNAS5GS, 0, nil, ft.RegistrationReject)),
			[]unitView{udpUnit(scat, gsmtap, "nas-5gs", "gsmtap", ft.RegistrationReject)}},
		{"qcsuper v9 ul-ccch", 228, udp(qc, qc, ft.QCSuper(9, 6, ft.RRCSetupRequest)),
			[]unitView{udpUnit(qc, qc, "nr-rrc.ul.ccch", "qcsuper", ft.RRCSetupRequest)}},
		{"qcsuper v14 ul-dcch", 228, udp(qc, qc, ft.QCSuper(14, 8, ft.ULInformationTransfer)),
			[]unitView{udpUnit(qc, qc, "nr-rrc.ul.dcch", "qcsuper", ft.ULInformationTransfer)}},
		{"qcsuper v17 bcch-bch", 228, udp(qc, qc, ft.QCSuper(17, 1, ft.MIB)),
			[]unitView{udpUnit(qc, qc, "nr-rrc.bcch.bch", "qcsuper", ft.MIB)}},
		{"qcsuper v20 ul-dcch moved to 9", 228, udp(qc, qc, ft.QCSuper(20, 9, ft.ULInformationTransfer)),
			[]unitView{udpUnit(qc, qc, "nr-rrc.ul.dcch", "qcsuper", ft.ULInformationTransfer)}},
		{"qcsuper v26 reconfiguration", 228, udp(qc, qc, ft.QCSuper(26, 11, []byte{0x08, 0x00})),
			[]unitView{udpUnit(qc, qc, "nr-rrc.rrc_reconf_msg", "qcsuper", []byte{0x08, 0x00})}},
		{"rls rrc ul-ccch", 1, ft.Ethernet(udp(ue, gnb, ft.RLS(0x1234, ft.RLSRRC, 0, ft.RLSULCCCH, ft.RRCSetupRequest))),
			[]unitView{udpUnit(ue, gnb, "nr-rrc.ul.ccch", "rls", ft.RRCSetupRequest)}},
		{"rls rrc bcch-bch from the gnb", 1, ft.Ethernet(udp(gnb, ue, ft.RLS(0x1234, ft.RLSRRC, 0, ft.RLSBCCHBCH, ft.MIB))),
			[]unitView{udpUnit(gnb, ue, "nr-rrc.bcch.bch", "rls", ft.MIB)}},
		{"rls heartbeat", 1, ft.Ethernet(udp(ue, gnb, ft.RLSHeartbeatMsg(0x1234))), nil},
		{"rls user data", 1, ft.Ethernet(udp(ue, gnb, ft.RLS(0x1234, ft.RLSData, 1, 1, []byte{0x45, 0}))), nil},
		{"exported f1ap", 252, capturetest.ExportedPDU("f1ap", f1ap), []unitView{rawUnit("f1ap", "exported-pdu", f1ap)}},
		{"exported ngap padded", 252, capturetest.ExportedPDUPadded("ngap", ngap), []unitView{rawUnit("ngap", "exported-pdu", ngap)}},
		{"exported nr-rrc", 252, capturetest.ExportedPDUPadded("nr-rrc.ul.dcch", ft.ULInformationTransfer), []unitView{rawUnit("nr-rrc.ul.dcch", "exported-pdu", ft.ULInformationTransfer)}},
		{"exported nr-rrc pdu level", 252, capturetest.ExportedPDU("nr-rrc.rrc_reconf_msg", []byte{0x08, 0x00}), []unitView{rawUnit("nr-rrc.rrc_reconf_msg", "exported-pdu", []byte{0x08, 0x00})}},
		{"exported nas-5gs", 252, capturetest.ExportedPDU("nas-5gs", ft.RegistrationReject), []unitView{rawUnit("nas-5gs", "exported-pdu", ft.RegistrationReject)}},
		{"exported mac-nr-framed", 252, capturetest.ExportedPDUPadded("mac-nr-framed", macFramed), []unitView{rawUnit("mac-nr-framed", "exported-pdu", macFramed)}},
		{"exported udp", 252, ft.ExportedUDP(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), mac),
			[]unitView{udpUnit(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), "mac-nr", "exported-pdu", mac)}},
		{"exported heuristic mac_nr_udp", 252, capturetest.ExportedPDUTags([]capturetest.Tag{{Type: 13, Value: []byte("mac_nr_udp")}}, mac),
			[]unitView{rawUnit("mac-nr", "exported-pdu", mac)}},
		{"user dlt 149 mac-nr", 149, ft.UserDLTUDP(ft.PortMACSrc, ft.PortMACDst, mac),
			[]unitView{{Frame: 1, FirstFrame: 1, Transport: "udp", Src: "invalid AddrPort", Dst: "invalid AddrPort", Protocol: "mac-nr", Carrier: "user-dlt", Payload: mac}}},
		{"user dlt 149 rlc-nr", 149, ft.UserDLTUDP(ft.PortMACSrc, ft.PortMACDst, rlc),
			[]unitView{{Frame: 1, FirstFrame: 1, Transport: "udp", Src: "invalid AddrPort", Dst: "invalid AddrPort", Protocol: "rlc-nr", Carrier: "user-dlt", Payload: rlc}}},
		{"user dlt 152 ngap", 152, ngap, []unitView{rawUnit("ngap", "user-dlt", ngap)}},
		{"user dlt 153 e1ap", 153, e1ap, []unitView{rawUnit("e1ap", "user-dlt", e1ap)}},
		{"user dlt 154 f1ap", 154, f1ap, []unitView{rawUnit("f1ap", "user-dlt", f1ap)}},
		{"user dlt 155 e2ap", 155, e1ap, []unitView{rawUnit("e2ap", "user-dlt", e1ap)}},
		{"user dlt 157 mac-nr-framed", 157, macFramed, []unitView{rawUnit("mac-nr-framed", "user-dlt", macFramed)}},
		{"user dlt 147 udp framing", 147, ft.UserDLTUDP(1, 2, mac),
			[]unitView{{Frame: 1, FirstFrame: 1, Transport: "udp", Src: "invalid AddrPort", Dst: "invalid AddrPort", Protocol: "mac-nr", Carrier: "user-dlt", Payload: mac}}},
		{"ethernet arp", 1, append(make([]byte, 12), 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1), nil},
		{"ipv4 tcp", 228, ft.IPv4(ft.DU, ft.CU, 6, make([]byte, 20)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, warns, _ := decodeAll(Options{}, ft.Packets(ft.Packet{LinkType: tt.link, Data: tt.data}))
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warningTexts(warns))
			}
			if diff := cmp.Diff(tt.want, views(units)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCarrierDetail checks the header fields each carrier reports.
func TestCarrierDetail(t *testing.T) {
	scat, gsmtap := netip.AddrPortFrom(ft.DU, 40001), netip.AddrPortFrom(ft.CU, ft.PortGSMTAP)
	qc := netip.AddrPortFrom(netip.IPv4Unspecified(), ft.PortQCSuper)
	ue, gnb := netip.AddrPortFrom(ft.DU, 40000), netip.AddrPortFrom(ft.CU, ft.PortRLS)
	orig := capturetest.ExportedPDUTags([]capturetest.Tag{
		{Type: 12, Value: []byte("nr-rrc.dl.dcch\x00\x00")},
		{Type: 30, Value: []byte{0, 0, 1, 2}},
		{Type: 35, Value: []byte{0, 0, 0, 1}},
	}, []byte{0x22})
	tests := []struct {
		name string
		link uint32
		data []byte
		want Detail
	}{
		{"gsmtap", 228, ft.UDPPacket(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNRRRC, ft.GSMTAPDLDCCH, ft.SCATMeta(632628, 500), []byte{0x22})),
			Detail{LinkType: 228, Carrier: CarrierGSMTAP, FirstFrame: 1, GSMTAP: GSMTAPDetail{Type: 0x0503, SubType: 4, ARFCN: 632628, HasARFCN: true, PCI: 500, HasPCI: true}}},
		{"qcsuper", 228, ft.UDPPacket(qc, qc, ft.QCSuper(19, 4, []byte{0x22})),
			Detail{LinkType: 228, Carrier: CarrierQCSuper, FirstFrame: 1, QCSuper: QCSuperDetail{LogVersion: 19, RRCRelease: 15, RRCVersion: 2, RadioBearer: 1, PCI: 500, NRARFCN: 632628, PDUNumber: 4}}},
		{"rls", 228, ft.UDPPacket(gnb, ue, ft.RLS(0x0102030405060708, ft.RLSRRC, 77, ft.RLSDLDCCH, []byte{0x22})),
			Detail{LinkType: 228, Carrier: CarrierRLS, FirstFrame: 1, RLS: RLSDetail{Version: [3]uint8{3, 2, 0}, MsgType: 6, STI: 0x0102030405060708, PDUType: 1, PDUID: 77, Channel: 3}}},
		{"exported", 252, orig,
			Detail{LinkType: 252, Carrier: CarrierExportedPDU, FirstFrame: 1, Exported: ExportedDetail{Dissector: "nr-rrc.dl.dcch", OrigFrame: 258, HasDirection: true, Direction: 1}}},
		{"sctp", 228, ft.SCTPPacket(du, cu, 0xcafe, ft.Data{TSN: 9, Stream: 2, SSN: 4, PPID: 62, Begin: true, End: true, Unordered: true, Payload: f1ap}.Chunk()),
			Detail{LinkType: 228, FirstFrame: 1, SCTP: SCTPDetail{VerificationTag: 0xcafe, TSN: 9, SSN: 4, Unordered: true}}},
		{"i-data", 228, ft.SCTPPacket(du, cu, 0xcafe, ft.IData{TSN: 9, Stream: 2, MID: 12, PPID: 62, Begin: true, End: true, Payload: f1ap}.Chunk()),
			Detail{LinkType: 228, FirstFrame: 1, SCTP: SCTPDetail{VerificationTag: 0xcafe, TSN: 9, MID: 12, IData: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, warns, _ := decodeAll(Options{}, ft.Packets(ft.Packet{LinkType: tt.link, Data: tt.data}))
			if len(warns) > 0 || len(units) != 1 {
				t.Fatalf("%d units, warnings %q", len(units), warningTexts(warns))
			}
			if diff := cmp.Diff(tt.want, units[0].Detail); diff != "" {
				t.Errorf("detail (-want +got):\n%s", diff)
			}
			if want := []byte{0x22}; tt.name != "sctp" && tt.name != "i-data" && !cmp.Equal(want, units[0].Payload) {
				t.Errorf("payload %x, want %x", units[0].Payload, want)
			}
		})
	}
}

// TestUnknown returns the unrecognised payloads when asked to.
func TestUnknown(t *testing.T) {
	pkts := ft.Packets(
		ft.Packet{LinkType: 228, Data: ft.UDPPacket(netip.AddrPortFrom(ft.DU, 53), netip.AddrPortFrom(ft.CU, 53), []byte{1, 2, 3})},
		ft.Packet{LinkType: 228, Data: ft.SCTPPacket(netip.AddrPortFrom(ft.DU, 1), netip.AddrPortFrom(ft.CU, 2), 7, ft.Whole(1, 0, 0, 46, []byte{4, 5}).Chunk())},
	)
	units, _, d := decodeAll(Options{}, pkts)
	if len(units) != 0 || d.Stats().Unknown != 2 {
		t.Errorf("default: %d units, %d unknown; want 0 and 2", len(units), d.Stats().Unknown)
	}
	units, _, _ = decodeAll(Options{Unknown: true}, pkts)
	want := []unitView{
		{Frame: 1, FirstFrame: 1, Transport: "udp", Src: "10.10.1.2:53", Dst: "10.10.1.1:53", Payload: []byte{1, 2, 3}},
		{Frame: 2, FirstFrame: 2, Transport: "sctp", Src: "10.10.1.2:1", Dst: "10.10.1.1:2", PPID: 46, Payload: []byte{4, 5}},
	}
	if diff := cmp.Diff(want, views(units)); diff != "" {
		t.Errorf("Unknown: units (-want +got):\n%s", diff)
	}
}

// TestPayloadOwned checks that a unit's payload does not alias the packet.
func TestPayloadOwned(t *testing.T) {
	data := ft.UDPPacket(netip.AddrPortFrom(ft.DU, 1), netip.AddrPortFrom(ft.CU, 2), ft.MACNR(0, 3, 1, 1, macPDU))
	units, _ := NewDecoder(Options{}).Packet(ft.Packets(ft.Packet{LinkType: 228, Data: data})[0])
	want := append([]byte(nil), units[0].Payload...)
	for i := range data {
		data[i] = 0xff
	}
	if !cmp.Equal(want, units[0].Payload) {
		t.Error("the unit's payload changed with the packet's data")
	}
}

// TestAllocs checks that a packet without units allocates nothing and that
// the units of a packet cost two allocations however many there are.
func TestAllocs(t *testing.T) {
	sack := ft.Packets(ft.Packet{LinkType: 1, Data: ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.SACK(1), ft.Heartbeat()))})[0]
	var tsn uint32
	bundle := func() capture.Packet {
		tsn += 3
		return ft.Packets(ft.Packet{LinkType: 1, Data: ft.Ethernet(ft.SCTPPacket(du, cu, 7,
			ft.Whole(tsn, 1, 0, 62, f1ap).Chunk(), ft.Whole(tsn+1, 1, 1, 62, f1ap).Chunk(), ft.Whole(tsn+2, 1, 2, 62, f1ap).Chunk()))})[0]
	}
	pkts := make([]capture.Packet, 200)
	for i := range pkts {
		pkts[i] = bundle()
	}
	d := NewDecoder(Options{})
	d.Packet(pkts[0]) // warm up the association table and arena
	if n := testing.AllocsPerRun(100, func() { d.Packet(sack) }); n != 0 {
		t.Errorf("a packet without units: %v allocations, want 0", n)
	}
	i := 1
	if n := testing.AllocsPerRun(100, func() { d.Packet(pkts[i]); i++ }); n != 2 {
		t.Errorf("a packet with three units: %v allocations, want 2", n)
	}
}

// TestReassembledOffsets: an error inside a reassembled datagram gives its
// offset in the reassembled payload.
func TestReassembledOffsets(t *testing.T) {
	bad := ft.UDP(netip.AddrPortFrom(ft.DU, 1), netip.AddrPortFrom(ft.CU, ft.PortGSMTAP), append([]byte{7}, make([]byte, 300)...))
	frags := ft.IPv4Fragments(ft.DU, ft.CU, ft.ProtoUDP, 3, bad, 160)
	_, warns, _ := decodeAll(Options{}, ft.Packets(ft.Packet{LinkType: 228, Data: frags[1]}, ft.Packet{LinkType: 228, Data: frags[0]}))
	want := []string{"framing: frame 2: gsmtap: byte 8 of the reassembled ipv4 payload: version 7 is neither 2 nor 3"}
	if diff := cmp.Diff(want, warningTexts(warns)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
