package framing

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	ft "github.com/nrladder/nrladder/internal/framingtest"
)

// edit returns a copy of b with f applied.
func edit(b []byte, f func(b []byte)) []byte {
	c := append([]byte(nil), b...)
	f(c)
	return c
}

// TestWarnings feeds malformed and unsupported packets: each gives the
// warning, and nothing stops the next packet from being decoded.
func TestWarnings(t *testing.T) {
	ip4 := f1apPacket(du, cu)
	ip6 := f1apPacket(du6, cu6)
	udp := func(dport uint16, payload []byte) []byte {
		return ft.UDPPacket(netip.AddrPortFrom(ft.DU, 40000), netip.AddrPortFrom(ft.CU, dport), payload)
	}
	qc := func(payload []byte) []byte {
		a := netip.AddrPortFrom(netip.IPv4Unspecified(), ft.PortQCSuper)
		return ft.UDPPacket(a, a, payload)
	}
	sctp := func(chunks ...[]byte) []byte { return ft.SCTPPacket(du, cu, 7, chunks...) }
	tests := []struct {
		name  string
		link  uint32
		data  []byte
		want  string
		units int
	}{
		{"ethernet short", 1, make([]byte, 10), "ethernet: byte 0: header needs 14 bytes, 10 captured", 0},
		{"ipv4 header length", 1, edit(ft.Ethernet(ip4), func(b []byte) { b[14] = 0x41 }), "ipv4: byte 14: header length 4 is below 20", 0},
		{"ipv4 version", 228, edit(ip4, func(b []byte) { b[0] = 0x55 }), "ipv4: byte 0: version 5 is not 4", 0},
		{"ipv4 short", 228, ip4[:12], "ipv4: byte 0: header needs 20 bytes, 12 captured", 0},
		{"ipv4 snapped", 1, ft.Ethernet(ip4)[:50], "ipv4: byte 14: total length 92 exceeds the 36 bytes captured", 0},
		{"ipv4 total below header", 228, edit(ip4, func(b []byte) { binary.BigEndian.PutUint16(b[2:], 10) }), "ipv4: byte 0: total length 10 is below the header length 20", 0},
		{"ipv4 header past the end", 228, edit(ip4[:24], func(b []byte) { b[0] = 0x4f }), "ipv4: byte 0: header length 60 exceeds the 24 bytes captured", 0},
		{"ipv6 short", 229, ip6[:20], "ipv6: byte 0: header needs 40 bytes, 20 captured", 0},
		{"ipv6 version", 229, edit(ip6, func(b []byte) { b[0] = 0x40 }), "ipv6: byte 0: version 4 is not 6", 0},
		{"ipv6 payload length", 229, ip6[:60], "ipv6: byte 0: payload length 72 exceeds the 20 bytes captured after the header", 0},
		{"ipv6 jumbogram", 229, edit(ip6, func(b []byte) { b[4], b[5], b[6] = 0, 0, 0 }), "ipv6: byte 0: payload length 0 with a hop-by-hop header (jumbogram) is not supported", 0},
		{"ipv6 extension header length", 229, edit(ft.IPv6WithDestOpts(ft.DU6, ft.CU6, ft.ProtoSCTP, nil), func(b []byte) { b[41] = 9 }),
			"ipv6: byte 40: extension header 0 length 80 exceeds the 16 bytes left", 0},
		{"raw ip version", 101, []byte{0x10, 0, 0, 0}, "ip: byte 0: version 1 is neither 4 nor 6", 0},
		{"too many vlan tags", 1, ft.Ethernet(ip4, 1, 2, 3, 4, 5), "vlan: byte 30: more than 4 VLAN tags", 0},
		{"udp length", 228, edit(udp(53, []byte{1, 2, 3, 4}), func(b []byte) { binary.BigEndian.PutUint16(b[24:], 500) }),
			"udp: byte 20: length 500 exceeds the 12 bytes after the IP header", 0},
		{"udp short length", 228, edit(udp(53, []byte{1, 2, 3, 4}), func(b []byte) { binary.BigEndian.PutUint16(b[24:], 5) }),
			"udp: byte 20: length 5 is below 8", 0},
		{"sctp short", 228, ft.IPv4(ft.DU, ft.CU, ft.ProtoSCTP, make([]byte, 8)), "sctp: byte 20: common header needs 12 bytes, 8 left", 0},
		{"sctp chunk length below 4", 228, sctp([]byte{0, 3, 0, 2}), "sctp: byte 32: chunk type 0 length 2 is below 4", 0},
		{"sctp chunk past the end", 228, sctp(ft.Whole(1, 1, 0, 62, f1ap).Chunk(), []byte{0, 3, 0, 200, 0, 0, 0, 0}),
			"sctp: byte 92: chunk type 0 length 200 exceeds the 8 bytes left", 1},
		{"sctp data chunk short", 228, sctp(ft.Chunk(0, 3, make([]byte, 8))), "sctp: byte 32: DATA chunk length 12 is below 16", 0},
		{"sctp data chunk empty", 228, sctp(ft.Whole(5, 1, 0, 62, nil).Chunk()), "sctp: byte 32: DATA chunk tsn 5 carries no user data", 0},
		{"sctp i-data chunk short", 228, sctp(ft.Chunk(64, 3, make([]byte, 8))), "sctp: byte 32: I-DATA chunk length 12 is below 20", 0},
		{"gsmtap version", 228, udp(ft.PortGSMTAP, []byte{7, 0, 0, 2, 5, 3, 0, 1}), "gsmtap: byte 28: version 7 is neither 2 nor 3", 0},
		{"gsmtap header length", 228, udp(ft.PortGSMTAP, edit(ft.GSMTAPv3(ft.GSMTAPNRRRC, 4, nil, []byte{1}), func(b []byte) { b[3] = 9 })),
			"gsmtap: byte 30: header length 36 bytes exceeds the 9 bytes of the packet", 0},
		{"gsmtap short", 228, udp(ft.PortGSMTAP, []byte{3, 0, 0}), "gsmtap: byte 28: header needs 8 bytes, 3 left", 0},
		{"gsmtap v2", 228, udp(ft.PortGSMTAP, ft.GSMTAPv2(0x0d, 3, []byte{1})),
			"gsmtap: byte 28: GSMTAP v2 carries no NR RRC (reported once; later packets like it are skipped silently)", 0},
		{"gsmtap lte rrc", 228, udp(ft.PortGSMTAP, ft.GSMTAPv3(ft.GSMTAPLTERRC, 9, nil, []byte{1})),
			"gsmtap: byte 32: type 0x0403 is neither NR RRC (0x0503) nor NAS-5GS (0x0504) (reported once; later packets like it are skipped silently)", 0},
		{"gsmtap nr rrc pdu level", 228, udp(ft.PortGSMTAP, ft.GSMTAPv3(ft.GSMTAPNRRRC, 0x0201, nil, []byte{1})),
			"gsmtap: byte 34: NR RRC sub type 0x0201 is not a logical channel (reported once; later packets like it are skipped silently)", 0},
		{"gsmtap metadata length", 228, udp(ft.PortGSMTAP, edit(ft.GSMTAPv3(ft.GSMTAPNRRRC, 4, ft.SCATMeta(1, 2), []byte{1}), func(b []byte) { b[11] = 40 })),
			"gsmtap: byte 36: metadata tag 0x0002 length 40 exceeds the 12 bytes left in the header", 1},
		{"qcsuper version", 228, qc([]byte{99, 0, 0, 0}), "qcsuper: byte 28: NR RRC OTA log version 99 is not supported (reported once; later packets like it are skipped silently)", 0},
		{"qcsuper short header", 228, qc(ft.QCSuper(17, 4, nil)[:20]), "qcsuper: byte 28: log version 17 header needs 31 bytes, 20 left", 0},
		{"qcsuper message length", 228, qc(ft.QCSuper(9, 4, []byte{1, 2, 3})[:25]), "qcsuper: byte 50: message length 3 exceeds the 1 bytes after the 24-byte header", 0},
		{"qcsuper segment", 228, qc(edit(ft.QCSuper(23, 4, []byte{1}), func(b []byte) { b[34] = 2 })), "qcsuper: byte 62: segment 2 of a segmented RRC message is not reassembled", 0},
		{"qcsuper pdu number", 228, qc(ft.QCSuper(9, 25, []byte{1})),
			"qcsuper: byte 45: PDU number 25 of log version 9 is not an RRC message on a logical channel (reported once; later packets like it are skipped silently)", 0},
		{"rls magic", 228, udp(ft.PortRLS, edit(ft.RLS(1, 1, 0, 3, []byte{1}), func(b []byte) { b[0] = 2 })),
			"rls: byte 28: first byte 0x02 is not 0x03 (RLS of UERANSIM 3.1 or later) (reported once; later packets like it are skipped silently)", 0},
		{"rls short", 228, udp(ft.PortRLS, []byte{3, 3, 2}), "rls: byte 28: header needs 13 bytes, 3 left", 0},
		{"rls pdu header short", 228, udp(ft.PortRLS, ft.RLS(1, 1, 0, 3, nil)[:20]), "rls: byte 28: PDU transmission header needs 26 bytes, 20 left", 0},
		{"rls pdu length", 228, udp(ft.PortRLS, ft.RLS(1, 1, 0, 3, []byte{1, 2, 3})[:27]), "rls: byte 50: PDU length 3 exceeds the 1 bytes left", 0},
		{"rls channel", 228, udp(ft.PortRLS, ft.RLS(1, 1, 0, 9, []byte{1})),
			"rls: byte 46: RRC channel 9 is not one of UERANSIM's 0 (BCCH-BCH) to 7 (UL-DCCH) (reported once; later packets like it are skipped silently)", 0},
		{"exported truncated", 252, capturetest.ExportedPDU("nr-rrc.ul.dcch", []byte{1})[:10], "exported-pdu: byte 0: truncated input: tag 12 length 14, 6 bytes left", 0},
		{"exported dissector", 252, capturetest.ExportedPDU("lte-rrc.ul.dcch", []byte{1}),
			`exported-pdu: byte 23: PDU for dissector "lte-rrc.ul.dcch" is not supported (reported once; later packets like it are skipped silently)`, 0},
		{"exported udp short", 252, capturetest.ExportedPDU("udp", []byte{1, 2, 3}), "udp: byte 11: header needs 8 bytes, 3 left", 0},
		{"exported heuristic without prefix", 252, capturetest.ExportedPDUTags([]capturetest.Tag{{Type: 13, Value: []byte("mac_nr_udp")}}, []byte("mac-lte")),
			"exported-pdu: byte 18: PDU for heuristic dissector mac_nr_udp does not start with its framing prefix", 0},
		{"user dlt 152 not ngap", 152, ip4, "user-dlt: byte 0: link type 152 should carry NGAP: first byte 0x45 is not a PDU type (0x00, 0x20 or 0x40)", 0},
		{"user dlt 154 length", 154, f1ap[:len(f1ap)-1], "user-dlt: byte 3: link type 154 should carry F1AP: value length 39 does not match the 38 bytes that follow", 0},
		{"user dlt 154 criticality", 154, edit(f1ap, func(b []byte) { b[2] = 0xc0 }), "user-dlt: byte 2: link type 154 should carry F1AP: criticality byte 0xc0 is not 0x00, 0x40 or 0x80", 0},
		{"user dlt 157 radio type", 157, []byte{9, 0, 3, 1}, "user-dlt: byte 0: link type 157 should carry mac-nr-framed: radio type 9 is neither 1 (FDD) nor 2 (TDD)", 0},
		{"user dlt unknown", 160, []byte{1, 2, 3}, "user-dlt: byte 0: user DLT 13 (link type 160) holds neither a UDP header with mac-nr, rlc-nr or pdcp-nr framing nor anything else recognised (reported once; later packets like it are skipped silently)", 0},
		{"user dlt 149 bad udp length", 149, edit(ft.UserDLTUDP(1, 2, []byte("mac-nr")), func(b []byte) { b[5] = 99 }), "udp: byte 0: length 99 exceeds the 14 bytes after the start of the packet", 0},
		{"unsupported link type", 105, []byte{1, 2, 3}, "link: byte 0: link type 105 is not supported (reported once; later packets like it are skipped silently)", 0},
		{"ipv4 fragment past 65535", 228, edit(ft.IPv4(ft.DU, ft.CU, ft.ProtoUDP, make([]byte, 100)), func(b []byte) { binary.BigEndian.PutUint16(b[6:], 0x1fff) }),
			"ipv4: byte 0: fragment at offset 65528 with 100 bytes ends past byte 65535; datagram dropped", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The malformed packet, then a good one: the good one
			// still decodes.
			good := ft.Packet{LinkType: 228, Data: ft.SCTPPacket(du, cu, 99, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk())}
			units, warns, _ := decodeAll(Options{}, ft.Packets(ft.Packet{LinkType: tt.link, Data: tt.data}, good))
			want := []string{"framing: frame 1: " + tt.want}
			if diff := cmp.Diff(want, warningTexts(warns)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if len(units) != tt.units+1 || units[len(units)-1].Frame != 2 {
				t.Errorf("got %d units, want %d and then the good packet's", len(units), tt.units)
			}
			for _, w := range warns {
				if w.Frame != 1 || !strings.HasPrefix(w.Error, "framing: frame 1: "+w.Layer+": ") {
					t.Errorf("warning %+v: frame or layer do not match the text", w)
				}
			}
		})
	}
}

// TestWarnOnce reports an unsupported kind once and counts the rest.
func TestWarnOnce(t *testing.T) {
	v2 := ft.Packet{LinkType: 228, Data: ft.UDPPacket(netip.AddrPortFrom(ft.DU, 1), netip.AddrPortFrom(ft.CU, ft.PortGSMTAP), ft.GSMTAPv2(0x0d, 3, []byte{1}))}
	other := ft.Packet{LinkType: 105, Data: []byte{1}}
	_, warns, d := decodeAll(Options{}, ft.Packets(v2, v2, other, v2, other))
	if len(warns) != 2 || d.Stats().Suppressed != 3 {
		t.Errorf("warnings %q, suppressed %d; want 2 warnings and 3 suppressed", warningTexts(warns), d.Stats().Suppressed)
	}
	// Hostile input cannot grow the set of kinds without limit.
	var pkts []ft.Packet
	for i := range 2 * maxOnce {
		pkts = append(pkts, ft.Packet{LinkType: 252, Data: capturetest.ExportedPDU("x"+strings.Repeat("y", i), []byte{1})})
	}
	_, warns, d = decodeAll(Options{}, ft.Packets(pkts...))
	if len(warns) != maxOnce || len(d.once) != maxOnce || d.Stats().Suppressed != maxOnce {
		t.Errorf("%d warnings, %d kinds, %d suppressed; want %d each", len(warns), len(d.once), d.Stats().Suppressed, maxOnce)
	}
}
