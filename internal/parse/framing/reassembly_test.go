package framing

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	ft "github.com/nrladder/nrladder/internal/framingtest"
)

// bigF1AP is an F1AP message of about 1.2 kB: it needs IP or SCTP
// fragmentation on a small MTU.
var bigF1AP = ft.F1APDLRRCMessageTransfer(1, 2, 1, ft.PDCP(3, bytes.Repeat([]byte{0x5a}, 1200)))

func pick[T any](all []T, order ...int) []T {
	out := make([]T, len(order))
	for i, o := range order {
		out[i] = all[o]
	}
	return out
}

func rawPackets(link uint32, datas ...[]byte) []ft.Packet {
	var out []ft.Packet
	for _, d := range datas {
		out = append(out, ft.Packet{LinkType: link, Data: d})
	}
	return out
}

func TestIPReassembly(t *testing.T) {
	seg4 := ft.SCTP(cu, du, 7, ft.Whole(10, 1, 0, ft.PPIDF1AP, bigF1AP).Chunk())
	frags4 := ft.IPv4Fragments(ft.CU, ft.DU, ft.ProtoSCTP, 0x1234, seg4, 400) // 4 fragments
	seg6 := ft.SCTP(cu6, du6, 7, ft.Whole(10, 1, 0, ft.PPIDF1AP, bigF1AP).Chunk())
	frags6 := ft.IPv6Fragments(ft.CU6, ft.DU6, ft.ProtoSCTP, 0xabcdef, seg6, 400)
	udpSeg := ft.UDP(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), ft.MACNR(ft.Downlink, ft.CRNTI, 0x4601, 1, bytes.Repeat([]byte{0x3f}, 300)))
	udpFrags := ft.IPv4Fragments(ft.DU, ft.CU, ft.ProtoUDP, 99, udpSeg, 128)
	other := f1apPacket(du, cu) // an unrelated whole packet, and more of them
	var others [][]byte
	for i := range 3 {
		others = append(others, ft.SCTPPacket(du, cu, 7, ft.Whole(uint32(2+i), 1, 0, ft.PPIDF1AP, f1ap).Chunk()))
	}

	unit4 := func(frame, first int) unitView {
		return unitView{Frame: frame, FirstFrame: first, Transport: "sctp", Src: cu.String(), Dst: du.String(), PPID: 62, Stream: 1, Protocol: "f1ap", IPFragments: 4, Payload: bigF1AP}
	}
	unit6 := func(frame, first int) unitView {
		return unitView{Frame: frame, FirstFrame: first, Transport: "sctp", Src: cu6.String(), Dst: du6.String(), PPID: 62, Stream: 1, Protocol: "f1ap", IPFragments: 4, Payload: bigF1AP}
	}
	otherUnit := func(frame int) unitView {
		return unitView{Frame: frame, FirstFrame: frame, Transport: "sctp", Src: du.String(), Dst: cu.String(), PPID: 62, Stream: 1, Protocol: "f1ap", Payload: f1ap}
	}
	tests := []struct {
		name      string
		opts      Options
		pkts      []ft.Packet
		want      []unitView
		warnings  []string
		reasm     int
		dropped   int
		fragments int
	}{
		{"ipv4 in order", Options{}, rawPackets(228, frags4...), []unitView{unit4(4, 1)}, nil, 1, 0, 4},
		{"ipv4 out of order", Options{}, rawPackets(228, pick(frags4, 2, 0, 3, 1)...), []unitView{unit4(4, 1)}, nil, 1, 0, 4},
		{"ipv4 last first", Options{}, rawPackets(228, pick(frags4, 3, 2, 1, 0)...), []unitView{unit4(4, 1)}, nil, 1, 0, 4},
		{"ipv4 duplicate fragment", Options{}, rawPackets(228, pick(frags4, 0, 1, 1, 2, 3)...), []unitView{unit4(5, 1)}, nil, 1, 0, 5},
		{"ipv4 interleaved with a whole packet", Options{}, rawPackets(228, frags4[0], other, frags4[1], frags4[2], frags4[3]),
			[]unitView{otherUnit(2), unit4(5, 1)}, nil, 1, 0, 4},
		{"ipv4 behind ethernet", Options{}, []ft.Packet{
			{LinkType: 1, Data: ft.Ethernet(frags4[0])}, {LinkType: 1, Data: ft.Ethernet(frags4[1], 7)},
			{LinkType: 1, Data: ft.Ethernet(frags4[3])}, {LinkType: 1, Data: ft.Ethernet(frags4[2])},
		}, []unitView{unit4(4, 1)}, nil, 1, 0, 4},
		{"ipv4 udp mac-nr", Options{}, rawPackets(228, pick(udpFrags, 1, 0, 2)...), []unitView{{
			Frame: 3, FirstFrame: 1, Transport: "udp", Src: "10.10.1.2:48879", Dst: "10.10.1.1:57005", Protocol: "mac-nr", IPFragments: 3,
			Payload: ft.MACNR(ft.Downlink, ft.CRNTI, 0x4601, 1, bytes.Repeat([]byte{0x3f}, 300)),
		}}, nil, 1, 0, 3},
		{"ipv4 missing fragment expires", Options{Timeout: 3}, rawPackets(228, frags4[0], frags4[1], frags4[3], other, others[0], others[1], others[2]),
			[]unitView{otherUnit(4), otherUnit(5), otherUnit(6), otherUnit(7)},
			[]string{"framing: frame 1: ipv4: incomplete datagram (id 0x1234, 10.10.1.1 → 10.10.1.2, 868 of 1268 bytes in 3 fragments) dropped: no progress for 3 packets"}, 0, 1, 3},
		{"ipv4 missing fragment at the end of the capture", Options{}, rawPackets(228, frags4[0], frags4[2]), nil,
			[]string{"framing: frame 1: ipv4: incomplete datagram (id 0x1234, 10.10.1.1 → 10.10.1.2, 800 of ? bytes in 2 fragments) dropped: capture ended before its missing fragments"}, 0, 1, 2},
		{"ipv4 conflicting overlap", Options{}, rawPackets(228, frags4[0], edit(frags4[1], func(b []byte) { b[30] ^= 0xff }), frags4[1]), nil,
			[]string{"framing: frame 3: ipv4: byte 0: fragment at offset 400 overlaps earlier fragments with different bytes; datagram dropped"}, 0, 1, 3},
		{"ipv4 memory limit", Options{MaxPendingBytes: 1000}, rawPackets(228, frags4...), nil,
			// The buffer of a datagram reaches to its highest fragment:
			// the third fragment, then the last, cannot fit.
			[]string{
				"framing: frame 3: ipv4: byte 0: reassembly memory limit of 1000 bytes reached; datagram dropped",
				"framing: frame 4: ipv4: byte 0: reassembly memory limit of 1000 bytes reached; datagram dropped",
			}, 0, 2, 4},
		{"ipv6 in order", Options{}, rawPackets(229, frags6...), []unitView{unit6(4, 1)}, nil, 1, 0, 4},
		{"ipv6 out of order", Options{}, rawPackets(229, pick(frags6, 3, 1, 0, 2)...), []unitView{unit6(4, 1)}, nil, 1, 0, 4},
		{"ipv6 behind sll2", Options{}, []ft.Packet{
			{LinkType: 276, Data: ft.SLL2(frags6[2])}, {LinkType: 276, Data: ft.SLL2(frags6[0])},
			{LinkType: 276, Data: ft.SLL2(frags6[1])}, {LinkType: 276, Data: ft.SLL2(frags6[3])},
		}, []unitView{unit6(4, 1)}, nil, 1, 0, 4},
		{"ipv6 missing fragment", Options{}, rawPackets(229, frags6[1], frags6[2], frags6[3]), nil,
			[]string{"framing: frame 1: ipv6: incomplete datagram (id 0xabcdef, 2001:db8::1 → 2001:db8::2, 868 of 1268 bytes in 3 fragments) dropped: capture ended before its missing fragments"}, 0, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, warns, d := decodeAll(tt.opts, ft.Packets(tt.pkts...))
			if diff := cmp.Diff(tt.want, views(units)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, warningTexts(warns)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			s := d.Stats()
			if s.IPReassembled != tt.reasm || s.IPDropped != tt.dropped || s.IPFragments != tt.fragments {
				t.Errorf("stats %+v: want %d reassembled, %d dropped, %d fragments", s, tt.reasm, tt.dropped, tt.fragments)
			}
			if s.PendingBytes != 0 || len(d.frags) != 0 {
				t.Errorf("after Flush: %d bytes and %d datagrams pending", s.PendingBytes, len(d.frags))
			}
		})
	}
}

func TestSCTPReassembly(t *testing.T) {
	msg := ft.Whole(100, 3, 9, ft.PPIDF1AP, bigF1AP)
	fr := msg.Fragments(500) // 3 fragments, TSN 100–102
	chunk := func(d ft.Data) []byte { return ft.SCTPPacket(cu, du, 7, d.Chunk()) }
	packets := func(ds ...ft.Data) []ft.Packet {
		var out []ft.Packet
		for _, d := range ds {
			out = append(out, ft.Packet{LinkType: 228, Data: chunk(d)})
		}
		return out
	}
	wrap := msg
	wrap.TSN = 0xffffffff
	wrapFr := wrap.Fragments(500)
	idata := ft.IData{TSN: 50, Stream: 3, MID: 77, PPID: ft.PPIDF1AP, Begin: true, End: true, Payload: bigF1AP}
	idFr := idata.Fragments(500)
	unordered := msg
	unordered.Unordered = true
	unFr := unordered.Fragments(500)
	whole := func(frame, first, n int) unitView {
		return unitView{Frame: frame, FirstFrame: first, Transport: "sctp", Src: cu.String(), Dst: du.String(), PPID: 62, Stream: 3, Protocol: "f1ap", SCTPFragments: n, Payload: bigF1AP}
	}
	tests := []struct {
		name     string
		opts     Options
		pkts     []ft.Packet
		want     []unitView
		warnings []string
	}{
		{"in order", Options{}, packets(fr...), []unitView{whole(3, 1, 3)}, nil},
		{"out of order", Options{}, packets(fr[2], fr[0], fr[1]), []unitView{whole(3, 1, 3)}, nil},
		{"reversed", Options{}, packets(fr[2], fr[1], fr[0]), []unitView{whole(3, 1, 3)}, nil},
		{"all in one packet", Options{}, []ft.Packet{{LinkType: 228, Data: ft.SCTPPacket(cu, du, 7, fr[0].Chunk(), fr[1].Chunk(), fr[2].Chunk())}},
			[]unitView{whole(1, 1, 3)}, nil},
		{"retransmitted fragment", Options{}, packets(fr[0], fr[1], fr[1], fr[2]), []unitView{whole(4, 1, 3)}, nil},
		{"tsn wraps", Options{}, packets(wrapFr[1], wrapFr[2], wrapFr[0]), []unitView{whole(3, 1, 3)}, nil},
		{"unordered", Options{}, packets(unFr[0], unFr[2], unFr[1]), []unitView{whole(3, 1, 3)}, nil},
		{"interleaved with whole messages", Options{}, append(packets(fr[0]), append([]ft.Packet{{LinkType: 228, Data: ft.SCTPPacket(cu, du, 7, ft.Whole(1, 0, 0, ft.PPIDF1AP, f1ap).Chunk())}}, packets(fr[1], fr[2])...)...),
			[]unitView{{Frame: 2, FirstFrame: 2, Transport: "sctp", Src: cu.String(), Dst: du.String(), PPID: 62, Protocol: "f1ap", Payload: f1ap}, whole(4, 1, 3)}, nil},
		{"i-data", Options{}, []ft.Packet{
			{LinkType: 228, Data: ft.SCTPPacket(cu, du, 7, idFr[1].Chunk())},
			{LinkType: 228, Data: ft.SCTPPacket(cu, du, 7, idFr[0].Chunk())},
			{LinkType: 228, Data: ft.SCTPPacket(cu, du, 7, idFr[2].Chunk())},
		}, []unitView{whole(3, 1, 3)}, nil},
		{"missing fragment expires", Options{Timeout: 2}, append(packets(fr[0], fr[2]), ft.Packet{LinkType: 1, Data: make([]byte, 60)}, ft.Packet{LinkType: 1, Data: make([]byte, 60)}), nil,
			[]string{"framing: frame 1: sctp: 2 fragments of a user message on stream 3 (tsn 100 to 102, port 38472 → 38472) dropped: no progress for 2 packets"}},
		{"missing fragment at the end", Options{}, packets(fr[1], fr[2]), nil,
			[]string{"framing: frame 1: sctp: 2 fragments of a user message on stream 3 (tsn 101 to 102, port 38472 → 38472) dropped: capture ended before its other fragments"}},
		// A retransmitted TSN is skipped whatever it holds, as in tshark.
		{"conflicting retransmission", Options{}, packets(fr[0], ft.Data{TSN: 100, Stream: 3, SSN: 9, PPID: 62, Begin: true, Payload: []byte{1}}, fr[1], fr[2]),
			[]unitView{whole(4, 1, 3)}, nil},
		{"retransmission after completion", Options{}, packets(fr[0], fr[1], fr[2], fr[1]), []unitView{whole(3, 1, 3)}, nil},
		{"mixed streams", Options{}, packets(fr[0], ft.Data{TSN: 101, Stream: 4, SSN: 9, PPID: 62, End: true, Payload: []byte{1}}), nil,
			[]string{"framing: frame 2: sctp: byte 32: fragments tsn 100 to 101 mix streams or stream sequence numbers; dropped"}},
		{"message size limit", Options{MaxMessageSize: 1000}, packets(fr...), nil,
			[]string{"framing: frame 3: sctp: byte 32: user message of 1238 bytes in 3 fragments exceeds the 1000-byte limit; dropped"}},
		{"memory limit", Options{MaxPendingBytes: 700}, packets(fr...), nil,
			[]string{
				"framing: frame 1: sctp: 1 fragments of a user message on stream 3 (tsn 100 to 100, port 38472 → 38472) dropped: reassembly memory limit of 700 bytes reached",
				"framing: frame 2: sctp: 1 fragments of a user message on stream 3 (tsn 101 to 101, port 38472 → 38472) dropped: reassembly memory limit of 700 bytes reached",
				"framing: frame 3: sctp: 1 fragments of a user message on stream 3 (tsn 102 to 102, port 38472 → 38472) dropped: capture ended before its other fragments",
			}},
		{"fragment count limit", Options{MaxPendingChunks: 2}, packets(fr...), nil,
			[]string{
				"framing: frame 1: sctp: 2 fragments of a user message on stream 3 (tsn 100 to 101, port 38472 → 38472) dropped: more than 2 SCTP fragments pending",
				"framing: frame 3: sctp: 1 fragments of a user message on stream 3 (tsn 102 to 102, port 38472 → 38472) dropped: capture ended before its other fragments",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, warns, d := decodeAll(tt.opts, ft.Packets(tt.pkts...))
			if diff := cmp.Diff(tt.want, views(units)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, warningTexts(warns)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if s := d.Stats(); s.PendingBytes != 0 || len(d.chunks) != 0 {
				t.Errorf("after Flush: %d bytes and %d fragments pending", s.PendingBytes, len(d.chunks))
			}
		})
	}
}

// TestBoundedState feeds a long run of fragments that never complete: the
// state stays within the limits all along.
func TestBoundedState(t *testing.T) {
	opts := Options{MaxPendingBytes: 64 << 10, MaxPendingDatagrams: 16, MaxPendingChunks: 32, Timeout: 100}
	d := NewDecoder(opts)
	var pkts []ft.Packet
	for i := range 3000 {
		switch i % 3 {
		case 0: // a first IPv4 fragment whose rest never comes
			seg := ft.SCTP(cu, du, 7, ft.Whole(uint32(i), 1, 0, 62, bigF1AP).Chunk())
			pkts = append(pkts, ft.Packet{LinkType: 228, Data: ft.IPv4Fragments(ft.CU, ft.DU, ft.ProtoSCTP, uint16(i), seg, 512)[0]})
		case 1: // an SCTP first fragment whose rest never comes
			fr := ft.Whole(uint32(i)*10, uint16(i), 0, 62, bigF1AP).Fragments(400)
			pkts = append(pkts, ft.Packet{LinkType: 228, Data: ft.SCTPPacket(cu, du, uint32(i), fr[0].Chunk())})
		default: // an IPv6 last fragment
			seg := ft.SCTP(cu6, du6, 7, ft.Whole(uint32(i), 1, 0, 62, bigF1AP).Chunk())
			frs := ft.IPv6Fragments(ft.CU6, ft.DU6, ft.ProtoSCTP, uint32(i), seg, 512)
			pkts = append(pkts, ft.Packet{LinkType: 229, Data: frs[len(frs)-1]})
		}
	}
	warnings := 0
	for _, p := range ft.Packets(pkts...) {
		_, ws := d.Packet(p)
		warnings += len(ws)
		s := d.Stats()
		if s.PendingBytes > opts.MaxPendingBytes || len(d.frags) > opts.MaxPendingDatagrams || len(d.chunks) > opts.MaxPendingChunks {
			t.Fatalf("frame %d: %d bytes, %d datagrams, %d fragments pending: over the limits", p.Frame, s.PendingBytes, len(d.frags), len(d.chunks))
		}
	}
	warnings += len(d.Flush())
	s := d.Stats()
	if s.IPDropped != 2000 || s.SCTPDropped != 1000 || warnings != 3000 || s.PendingBytes != 0 {
		t.Errorf("%d IP and %d SCTP drops, %d warnings, %d bytes pending; want 2000, 1000, 3000, 0", s.IPDropped, s.SCTPDropped, warnings, s.PendingBytes)
	}
}

// TestTimeoutIsByPackets checks that an incomplete reassembly survives
// exactly Timeout-1 unrelated packets.
func TestTimeoutIsByPackets(t *testing.T) {
	seg := ft.SCTP(cu, du, 7, ft.Whole(1, 1, 0, 62, bigF1AP).Chunk())
	frags := ft.IPv4Fragments(ft.CU, ft.DU, ft.ProtoSCTP, 5, seg, 800)
	for _, gap := range []int{8, 9, 10} {
		t.Run(fmt.Sprint(gap), func(t *testing.T) {
			pkts := []ft.Packet{{LinkType: 228, Data: frags[0]}}
			for range gap {
				pkts = append(pkts, ft.Packet{LinkType: 1, Data: make([]byte, 60)})
			}
			pkts = append(pkts, ft.Packet{LinkType: 228, Data: frags[1]})
			units, warns, _ := decodeAll(Options{Timeout: 10}, ft.Packets(pkts...))
			complete := len(units) == 1
			if complete != (gap < 10) {
				t.Errorf("gap %d: %d units, warnings %q", gap, len(units), warningTexts(warns))
			}
		})
	}
}

// TestRetransmissions skips DATA chunks whose TSN was seen in the same
// association direction, and only those.
func TestRetransmissions(t *testing.T) {
	chunk := func(vtag, tsn uint32, src, dst netip.AddrPort) ft.Packet {
		return ft.Packet{LinkType: 228, Data: ft.SCTPPacket(src, dst, vtag, ft.Whole(tsn, 1, 0, ft.PPIDF1AP, f1ap).Chunk())}
	}
	tests := []struct {
		name   string
		pkts   []ft.Packet
		frames []int
	}{
		{"repeat", []ft.Packet{chunk(7, 1, du, cu), chunk(7, 1, du, cu)}, []int{1}},
		{"other direction", []ft.Packet{chunk(7, 1, du, cu), chunk(8, 1, cu, du)}, []int{1, 2}},
		{"other association", []ft.Packet{chunk(7, 1, du, cu), chunk(9, 1, du, cu)}, []int{1, 2}},
		{"out of order then repeat", []ft.Packet{chunk(7, 5, du, cu), chunk(7, 3, du, cu), chunk(7, 4, du, cu), chunk(7, 3, du, cu), chunk(7, 5, du, cu)}, []int{1, 2, 3}},
		{"window slides", []ft.Packet{chunk(7, 1, du, cu), chunk(7, 200, du, cu), chunk(7, 1, du, cu), chunk(7, 400, du, cu), chunk(7, 1, du, cu), chunk(7, 200, du, cu)}, []int{1, 2, 4, 5}},
		{"tsn wraps", []ft.Packet{chunk(7, 0xfffffffe, du, cu), chunk(7, 1, du, cu), chunk(7, 0xfffffffe, du, cu), chunk(7, 0xffffffff, du, cu), chunk(7, 1, du, cu)}, []int{1, 2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, _, d := decodeAll(Options{}, ft.Packets(tt.pkts...))
			var frames []int
			for _, u := range units {
				frames = append(frames, u.Frame)
			}
			if diff := cmp.Diff(tt.frames, frames); diff != "" {
				t.Errorf("frames with a unit (-want +got):\n%s", diff)
			}
			if got, want := d.Stats().SCTPRetransmissions, len(tt.pkts)-len(tt.frames); got != want {
				t.Errorf("%d retransmissions counted, want %d", got, want)
			}
		})
	}
	// The association table is bounded.
	d := NewDecoder(Options{})
	for i := range 3 * maxAssociations {
		d.Packet(ft.Packets(chunk(uint32(i), 1, du, cu))[0])
	}
	if len(d.tsns) != maxAssociations {
		t.Errorf("%d associations remembered, want %d", len(d.tsns), maxAssociations)
	}
}
