package rlc_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/rlc"
)

func TestParseHeader(t *testing.T) {
	data := []byte{0xde, 0xad}
	tests := []struct {
		name   string
		mode   rlc.Mode
		snBits int
		pdu    []byte
		want   rlc.Header
		data   []byte
		err    string
	}{
		{"am12 full", rlc.AM, 12, mactest.AM(0x123, 12, mactest.Full, 0, true, data),
			rlc.Header{Mode: rlc.AM, Poll: true, SI: rlc.Full, SN: 0x123, Len: 2}, data, ""},
		{"am12 first", rlc.AM, 12, mactest.AM(7, 12, mactest.First, 0, false, data),
			rlc.Header{Mode: rlc.AM, SI: rlc.First, SN: 7, Len: 2}, data, ""},
		{"am12 last", rlc.AM, 12, mactest.AM(7, 12, mactest.Last, 0x1234, false, data),
			rlc.Header{Mode: rlc.AM, SI: rlc.Last, SN: 7, SO: 0x1234, Len: 4}, data, ""},
		{"am12 middle", rlc.AM, 12, mactest.AM(4095, 12, mactest.Middle, 50, false, data),
			rlc.Header{Mode: rlc.AM, SI: rlc.Middle, SN: 4095, SO: 50, Len: 4}, data, ""},
		{"am18 full", rlc.AM, 18, mactest.AM(0x3abcd, 18, mactest.Full, 0, false, data),
			rlc.Header{Mode: rlc.AM, SI: rlc.Full, SN: 0x3abcd, Len: 3}, data, ""},
		{"am18 last", rlc.AM, 18, mactest.AM(0x20000, 18, mactest.Last, 9, false, data),
			rlc.Header{Mode: rlc.AM, SI: rlc.Last, SN: 0x20000, SO: 9, Len: 5}, data, ""},
		{"am status", rlc.AM, 12, mactest.AMStatus(5),
			rlc.Header{Mode: rlc.AM, Control: true, SN: -1, Len: 1}, []byte{0x05, 0x00}, ""},
		{"um6 full", rlc.UM, 6, mactest.UM(0, 6, mactest.Full, 0, data),
			rlc.Header{Mode: rlc.UM, SI: rlc.Full, SN: -1, Len: 1}, data, ""},
		{"um6 first", rlc.UM, 6, mactest.UM(33, 6, mactest.First, 0, data),
			rlc.Header{Mode: rlc.UM, SI: rlc.First, SN: 33, Len: 1}, data, ""},
		{"um12 last", rlc.UM, 12, mactest.UM(0xabc, 12, mactest.Last, 300, data),
			rlc.Header{Mode: rlc.UM, SI: rlc.Last, SN: 0xabc, SO: 300, Len: 4}, data, ""},
		{"tm", rlc.TM, 0, data, rlc.Header{Mode: rlc.TM, SN: -1}, data, ""},
		{"am empty", rlc.AM, 12, nil, rlc.Header{Mode: rlc.AM, SN: -1}, nil, "rlc: byte 0: am header: truncated"},
		{"am12 short", rlc.AM, 12, []byte{0x80}, rlc.Header{}, nil, "rlc: byte 0: am header: truncated"},
		{"am so short", rlc.AM, 12, []byte{0xa0, 0x01, 0x00}, rlc.Header{}, nil, "rlc: byte 2: so: truncated"},
		{"am no data", rlc.AM, 12, []byte{0x80, 0x01}, rlc.Header{}, nil, "rlc: byte 2: data field: empty"},
		{"um12 short", rlc.UM, 12, []byte{0x40}, rlc.Header{}, nil, "rlc: byte 0: um header: truncated"},
		{"bad sn length", rlc.AM, 6, data, rlc.Header{}, nil, "rlc: byte 0: AM header: sn length 6 not allowed for AM"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, d, err := rlc.ParseHeader(tc.mode, tc.snBits, tc.pdu)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				var re *rlc.Error
				if !errors.As(err, &re) {
					t.Fatalf("error %T is not an *rlc.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, h); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if !bytes.Equal(d, tc.data) {
				t.Errorf("data %x, want %x", d, tc.data)
			}
		})
	}
}

func TestParseFraming(t *testing.T) {
	pdu := mactest.AM(3, 12, mactest.Full, 0, false, []byte{1, 2, 3})
	tests := []struct {
		name string
		in   []byte
		want rlc.Context
		pdu  []byte
		err  string
	}{
		{"srb1 dl", mactest.RLCNR(mactest.RLCAM, 12, 1, 0x4601, mactest.BearerSRB, 1, pdu),
			rlc.Context{Mode: rlc.AM, SNBits: 12, Direction: 1, UEID: 0x4601, BearerType: rlc.BearerSRB, BearerID: 1,
				HasDirection: true, HasUEID: true, HasBearerType: true, HasBearerID: true}, pdu, ""},
		{"ccch ul", mactest.RLCNR(mactest.RLCTM, 0, 0, 7, mactest.BearerCCCH, 0, []byte{9}),
			rlc.Context{Mode: rlc.TM, Uplink: true, UEID: 7, BearerType: rlc.BearerCCCH,
				HasDirection: true, HasUEID: true, HasBearerType: true, HasBearerID: true}, []byte{9}, ""},
		{"no tags", []byte("rlc-nr\x02\x06\x01x"), rlc.Context{Mode: rlc.UM, SNBits: 6, Uplink: true}, []byte("x"), ""},
		{"no prefix", []byte("mac-nr\x04\x0c\x01"), rlc.Context{}, nil, `rlc: byte 0: framing: no "rlc-nr" prefix`},
		{"bad mode", []byte("rlc-nr\x03\x0c\x01"), rlc.Context{}, nil, "rlc: byte 6: framing: rlcMode: unknown mode 3"},
		{"bad sn", []byte("rlc-nr\x04\x06\x01"), rlc.Context{}, nil, "rlc: byte 7: framing: sequenceNumberLength: sn length not allowed for mode"},
		{"unknown tag", []byte("rlc-nr\x04\x0c\x09\x01"), rlc.Context{}, nil, "rlc: byte 8: framing: unknown tag 0x9"},
		{"truncated tag", []byte("rlc-nr\x04\x0c\x03\x01"), rlc.Context{}, nil, "rlc: byte 9: framing: tag 0x03: truncated"},
		{"no payload", []byte("rlc-nr\x04\x0c\x02\x01"), rlc.Context{}, nil, "rlc: byte 10: framing: no payload tag"},
		{"short", []byte("rlc-nr\x04"), rlc.Context{}, nil, "rlc: byte 6: framing: rlcMode: truncated"},
		{"bad direction", []byte("rlc-nr\x04\x0c\x02\x05\x01"), rlc.Context{}, nil, "rlc: byte 11: framing: direction: unknown direction 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, p, err := rlc.ParseFraming(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c); diff != "" {
				t.Errorf("context (-want +got):\n%s", diff)
			}
			if !bytes.Equal(p, tc.pdu) {
				t.Errorf("pdu %x, want %x", p, tc.pdu)
			}
		})
	}
}

var srb1 = rlc.Key{UE: 0x4601, Bearer: 1}

// step is one PDU pushed and what it must give.
type step struct {
	pdu      []byte
	sdus     []rlc.SDU // ID left out of the comparison
	warnings []string
}

func run(t *testing.T, r *rlc.Reassembler, k rlc.Key, mode rlc.Mode, snBits int, steps []step) {
	t.Helper()
	for i, s := range steps {
		frame := i + 1
		sdus, ws := r.Push(k, mode, snBits, frame, s.pdu)
		for j := range sdus {
			sdus[j].ID = 0
		}
		if diff := cmp.Diff(s.sdus, sdus); diff != "" {
			t.Errorf("frame %d: SDUs (-want +got):\n%s", frame, diff)
		}
		var got []string
		for _, w := range ws {
			got = append(got, w.Error())
		}
		if diff := cmp.Diff(s.warnings, got); diff != "" {
			t.Errorf("frame %d: warnings (-want +got):\n%s", frame, diff)
		}
	}
}

func sdu(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 1)
	}
	return b
}

func TestReassembly(t *testing.T) {
	s := sdu(120)
	seg := mactest.AMSegments(5, 12, s, 50, 40)
	tests := []struct {
		name  string
		steps []step
	}{
		{"complete", []step{
			{pdu: mactest.AM(0, 12, mactest.Full, 0, false, s[:10]), sdus: []rlc.SDU{{Data: s[:10], Frame: 1, FirstFrame: 1, SN: 0, Segments: 1}}},
		}},
		{"in order", []step{
			{pdu: seg[0]},
			{pdu: seg[1]},
			{pdu: seg[2], sdus: []rlc.SDU{{Data: s, Frame: 3, FirstFrame: 1, SN: 5, Segments: 3}}},
		}},
		{"out of order", []step{
			{pdu: seg[2]},
			{pdu: seg[0]},
			{pdu: seg[1], sdus: []rlc.SDU{{Data: s, Frame: 3, FirstFrame: 1, SN: 5, Segments: 3}}},
		}},
		{"duplicate segment", []step{
			{pdu: seg[0]},
			{pdu: seg[0]},
			{pdu: seg[1]},
			{pdu: seg[2], sdus: []rlc.SDU{{Data: s, Frame: 4, FirstFrame: 1, SN: 5, Segments: 3, Repeats: 1, RepeatFrames: []int{2}}}},
		}},
		{"resegmented overlap", []step{
			{pdu: seg[0]},
			{pdu: mactest.AM(5, 12, mactest.Middle, 30, false, s[30:100])},
			{pdu: seg[2], sdus: []rlc.SDU{{Data: s, Frame: 3, FirstFrame: 1, SN: 5, Segments: 3}}},
		}},
		{"retransmission", []step{
			{pdu: mactest.AM(6, 12, mactest.Full, 0, true, s[:8]), sdus: []rlc.SDU{{Data: s[:8], Frame: 1, FirstFrame: 1, SN: 6, Segments: 1}}},
			{pdu: mactest.AM(6, 12, mactest.Full, 0, true, s[:8]), sdus: []rlc.SDU{{Frame: 2, FirstFrame: 2, SN: 6, Segments: 1, Retransmission: true, OriginalFrame: 1}}},
			{pdu: mactest.AM(6, 12, mactest.First, 0, true, s[:3]), sdus: []rlc.SDU{{Frame: 3, FirstFrame: 3, SN: 6, Segments: 1, Retransmission: true, OriginalFrame: 1}}},
			{pdu: mactest.AM(6, 12, mactest.Last, 3, true, s[3:8]), sdus: []rlc.SDU{{Frame: 4, FirstFrame: 4, SN: 6, Segments: 1, Retransmission: true, OriginalFrame: 1}}},
			{pdu: mactest.AMStatus(7)},
		}},
		{"retransmitted segment after delivery", []step{
			{pdu: seg[0]},
			{pdu: seg[1]},
			{pdu: seg[2], sdus: []rlc.SDU{{Data: s, Frame: 3, FirstFrame: 1, SN: 5, Segments: 3}}},
			{pdu: seg[1], sdus: []rlc.SDU{{Frame: 4, FirstFrame: 4, SN: 5, Segments: 1, Retransmission: true, OriginalFrame: 3}}},
		}},
		{"sn reused with other bytes", []step{
			{pdu: mactest.AM(0, 12, mactest.Full, 0, false, []byte{1, 2, 3}), sdus: []rlc.SDU{{Data: []byte{1, 2, 3}, Frame: 1, FirstFrame: 1, SN: 0, Segments: 1}}},
			{pdu: mactest.AM(0, 12, mactest.Full, 0, false, []byte{4, 5}),
				sdus:     []rlc.SDU{{Data: []byte{4, 5}, Frame: 2, FirstFrame: 2, SN: 0, Segments: 1}},
				warnings: []string{"rlc: frame 2: ue 0x4601 srb1 dl: sn 0: conflicting bytes for an sn: delivered in frame 1, now so=0 len=2 with other bytes (rlc re-established?): taken as a new sdu"}},
		}},
		{"conflicting segment", []step{
			{pdu: mactest.AM(9, 12, mactest.First, 0, false, []byte{1, 2, 3, 4})},
			{pdu: mactest.AM(9, 12, mactest.Last, 2, false, []byte{9, 9, 5}),
				warnings: []string{"rlc: frame 2: ue 0x4601 srb1 dl: sn 9: conflicting bytes for an sn: segment so=2 len=3 does not fit the segments held (bytes 0-3): reassembly restarted"}},
			{pdu: mactest.AM(9, 12, mactest.First, 0, false, []byte{1, 2}), sdus: []rlc.SDU{{Data: []byte{1, 2, 9, 9, 5}, Frame: 3, FirstFrame: 2, SN: 9, Segments: 2}}},
		}},
		{"segment beyond window", []step{
			{pdu: mactest.AM(1, 12, mactest.Last, 9200, false, sdu(100)),
				warnings: []string{"rlc: frame 1: ue 0x4601 srb1 dl: sn 1: segment so=9200 len=100 beyond reassembly window (max sdu 9216 bytes)"}},
		}},
		{"full pdu completes held segments", []step{
			{pdu: mactest.AM(2, 12, mactest.First, 0, false, s[:5])},
			{pdu: mactest.AM(2, 12, mactest.Full, 0, false, s[:9]), sdus: []rlc.SDU{{Data: s[:9], Frame: 2, FirstFrame: 2, SN: 2, Segments: 2}}},
		}},
		{"bad header", []step{
			{pdu: []byte{0x80}, warnings: []string{"rlc: frame 1: ue 0x4601 srb1 dl: byte 0: am header: truncated"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r rlc.Reassembler
			run(t, &r, srb1, rlc.AM, 12, tc.steps)
		})
	}
}

func TestReassemblyKeysApart(t *testing.T) {
	var r rlc.Reassembler
	a := mactest.AMSegments(0, 12, []byte("abcdef"), 3)
	b := mactest.AMSegments(0, 12, []byte("ghijkl"), 3)
	ul := rlc.Key{UE: 0x4601, Bearer: 1, Uplink: true}
	ue2 := rlc.Key{UE: 0x4602, Bearer: 1}
	srb2 := rlc.Key{UE: 0x4601, Bearer: 2}
	for _, k := range []rlc.Key{srb1, ul, ue2, srb2} {
		if sdus, ws := r.Push(k, rlc.AM, 12, 1, a[0]); len(sdus)+len(ws) != 0 {
			t.Fatalf("%v: %v %v", k, sdus, ws)
		}
	}
	for _, k := range []rlc.Key{srb1, ul, ue2, srb2} {
		sdus, ws := r.Push(k, rlc.AM, 12, 2, b[1])
		if len(ws) != 0 || len(sdus) != 1 || string(sdus[0].Data) != "abcjkl" {
			t.Fatalf("%v: %+v %v, want abcjkl", k, sdus, ws)
		}
	}
}

func TestReassemblyBounded(t *testing.T) {
	r := rlc.NewReassembler(rlc.Limits{MaxPending: 3, MaxHistory: 2})
	// Five first segments that never complete: only three are held.
	var warnings []string
	for sn := range 5 {
		_, ws := r.Push(srb1, rlc.AM, 12, sn+1, mactest.AM(sn, 12, mactest.First, 0, false, []byte{byte(sn), 0}))
		for _, w := range ws {
			warnings = append(warnings, w.Error())
		}
	}
	want := []string{
		"rlc: frame 4: ue 0x4601 srb1 dl: sn 0: incomplete sdu dropped: 3 sdus under reassembly: oldest dropped (first frame 1, held bytes 0-1)",
		"rlc: frame 5: ue 0x4601 srb1 dl: sn 1: incomplete sdu dropped: 3 sdus under reassembly: oldest dropped (first frame 2, held bytes 0-1)",
	}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	var flushed []string
	for _, w := range r.Flush(99) {
		flushed = append(flushed, w.Error())
		if !errors.Is(w, rlc.ErrIncomplete) {
			t.Errorf("%v is not ErrIncomplete", w)
		}
	}
	want = []string{
		"rlc: frame 99: ue 0x4601 srb1 dl: sn 2: incomplete sdu dropped at end of capture: first frame 3, held bytes 0-1",
		"rlc: frame 99: ue 0x4601 srb1 dl: sn 3: incomplete sdu dropped at end of capture: first frame 4, held bytes 0-1",
		"rlc: frame 99: ue 0x4601 srb1 dl: sn 4: incomplete sdu dropped at end of capture: first frame 5, held bytes 0-1",
	}
	if diff := cmp.Diff(want, flushed); diff != "" {
		t.Errorf("flush (-want +got):\n%s", diff)
	}
	if r.Held() != 0 {
		t.Errorf("Held() = %d after Flush and no history, want 0", r.Held())
	}

	// History keeps the last two SNs: a repeat of the third-last is new.
	for sn := range 3 {
		r.Push(srb1, rlc.AM, 12, 10+sn, mactest.AM(sn, 12, mactest.Full, 0, false, []byte{byte(sn)}))
	}
	sdus, _ := r.Push(srb1, rlc.AM, 12, 20, mactest.AM(0, 12, mactest.Full, 0, false, []byte{0}))
	if len(sdus) != 1 || sdus[0].Retransmission {
		t.Errorf("sn 0 beyond history: %+v, want a new SDU", sdus)
	}
	sdus, _ = r.Push(srb1, rlc.AM, 12, 21, mactest.AM(2, 12, mactest.Full, 0, false, []byte{2}))
	if len(sdus) != 1 || !sdus[0].Retransmission {
		t.Errorf("sn 2 in history: %+v, want a retransmission", sdus)
	}
}

func TestReassemblyMemoryLimit(t *testing.T) {
	r := rlc.NewReassembler(rlc.Limits{MaxBytes: 1000, MaxPending: 100})
	var limited int
	for sn := range 40 {
		_, ws := r.Push(srb1, rlc.AM, 12, sn+1, mactest.AM(sn, 12, mactest.Last, 90, false, sdu(10)))
		for _, w := range ws {
			if !errors.Is(w, rlc.ErrLimit) {
				t.Fatalf("unexpected warning %v", w)
			}
			limited++
		}
		if r.Held() > 1000 {
			t.Fatalf("Held() = %d beyond MaxBytes 1000", r.Held())
		}
	}
	if limited == 0 {
		t.Error("no memory limit warning")
	}
}

func TestReassemblyBearersBounded(t *testing.T) {
	r := rlc.NewReassembler(rlc.Limits{MaxBearers: 4})
	for ue := range 10 {
		r.Push(rlc.Key{UE: uint16(ue), Bearer: 1}, rlc.AM, 12, ue+1, mactest.AM(0, 12, mactest.First, 0, false, []byte{1}))
	}
	if n := len(r.Flush(11)); n != 4 {
		t.Errorf("%d partial SDUs after 10 bearers with MaxBearers 4, want 4", n)
	}
}

func TestReset(t *testing.T) {
	var r rlc.Reassembler
	r.Push(srb1, rlc.AM, 12, 1, mactest.AM(0, 12, mactest.Full, 0, false, []byte{7}))
	r.Push(srb1, rlc.AM, 12, 2, mactest.AM(1, 12, mactest.First, 0, false, []byte{7}))
	r.Reset(srb1.UE)
	sdus, ws := r.Push(srb1, rlc.AM, 12, 3, mactest.AM(0, 12, mactest.Full, 0, false, []byte{7}))
	if len(ws) != 0 || len(sdus) != 1 || sdus[0].Retransmission {
		t.Errorf("after Reset: %+v %v, want a new SDU", sdus, ws)
	}
	if ws := r.Flush(4); len(ws) != 0 {
		t.Errorf("Flush after Reset: %v", ws)
	}
}

func TestUMAndTM(t *testing.T) {
	var r rlc.Reassembler
	k := rlc.Key{UE: 1, Bearer: 4}
	run(t, &r, k, rlc.UM, 6, []step{
		{pdu: mactest.UM(0, 6, mactest.Full, 0, []byte("ab")), sdus: []rlc.SDU{{Data: []byte("ab"), Frame: 1, FirstFrame: 1, SN: -1, Segments: 1}}},
		{pdu: mactest.UM(3, 6, mactest.First, 0, []byte("cd"))},
		{pdu: mactest.UM(3, 6, mactest.Last, 2, []byte("ef")), sdus: []rlc.SDU{{Data: []byte("cdef"), Frame: 3, FirstFrame: 2, SN: 3, Segments: 2}}},
		// UM has no retransmissions: the same SN again is a new SDU.
		{pdu: mactest.UM(3, 6, mactest.First, 0, []byte("cd"))},
		{pdu: mactest.UM(3, 6, mactest.Last, 2, []byte("ef")), sdus: []rlc.SDU{{Data: []byte("cdef"), Frame: 5, FirstFrame: 4, SN: 3, Segments: 2}}},
	})
	run(t, &r, rlc.Key{UE: 1}, rlc.TM, 0, []step{
		{pdu: []byte{1, 2, 3}, sdus: []rlc.SDU{{Data: []byte{1, 2, 3}, Frame: 1, FirstFrame: 1, SN: -1, Segments: 1}}},
	})
}

// TestSNWrap delivers 5000 SDUs on one bearer: SNs wrap at 4096 and none
// is taken for a retransmission.
func TestSNWrap(t *testing.T) {
	var r rlc.Reassembler
	for i := range 5000 {
		sn := i % 4096
		sdus, ws := r.Push(srb1, rlc.AM, 12, i+1, mactest.AM(sn, 12, mactest.Full, 0, false, []byte(fmt.Sprint(i))))
		if len(ws) != 0 || len(sdus) != 1 || sdus[0].Retransmission {
			t.Fatalf("pdu %d (sn %d): %+v %v", i, sn, sdus, ws)
		}
	}
	if h := r.Held(); h > 64*5 {
		t.Errorf("Held() = %d, want at most the history of 64 SDUs", h)
	}
}

func TestKeyString(t *testing.T) {
	for k, want := range map[rlc.Key]string{
		{UE: 0x4601, Bearer: 1}:               "ue 0x4601 srb1 dl",
		{UE: 0x34f4, Bearer: 2, Uplink: true}: "ue 0x34f4 srb2 ul",
		{UE: 1, Bearer: 5}:                    "ue 0x0001 lcid 5 dl",
	} {
		if got := k.String(); got != want {
			t.Errorf("%#v: %q, want %q", k, got, want)
		}
	}
	if !strings.HasPrefix(rlc.Mode(9).String(), "mode(9)") || rlc.AM.String() != "AM" || rlc.Last.String() != "last" {
		t.Error("Mode/SI String")
	}
}
