package rlc_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/rlc"
)

var update = flag.Bool("update", false, "rewrite the fuzz seed files in testdata/fuzz")

var fuzzLimits = rlc.Limits{MaxSDU: 4096, MaxPending: 4, MaxHistory: 8, MaxBearers: 8, MaxBytes: 32 << 10}

// record encodes one PDU for FuzzReassembler: a selector byte (bearer
// 1..4, uplink, mode), a 2-byte length, the PDU.
func record(sel byte, pdu []byte) []byte {
	return append([]byte{sel, byte(len(pdu) >> 8), byte(len(pdu))}, pdu...)
}

func streamSeeds() map[string][]byte {
	s := sdu(300)
	segs := mactest.AMSegments(5, 12, s, 100, 100)
	var inOrder, shuffled, retx []byte
	for _, p := range segs {
		inOrder = append(inOrder, record(0, p)...)
	}
	for _, i := range []int{2, 0, 1, 1} {
		shuffled = append(shuffled, record(0, segs[i])...)
	}
	full := mactest.AM(6, 12, mactest.Full, 0, true, s[:20])
	retx = append(record(0, full), record(0, full)...)
	retx = append(retx, record(0, mactest.AMStatus(7))...)
	return map[string][]byte{
		"in-order":       inOrder,
		"shuffled":       shuffled,
		"retransmission": retx,
		"am18":           record(0x20, mactest.AM(0x3ffff, 18, mactest.First, 0, false, s[:9])),
		"um6":            append(record(0x40, mactest.UM(3, 6, mactest.First, 0, s[:4])), record(0x40, mactest.UM(3, 6, mactest.Last, 4, s[4:9]))...),
		"um12":           record(0x60, mactest.UM(0, 12, mactest.Full, 0, s[:4])),
		"tm":             record(0x80, s[:6]),
		"keys":           append(record(0x01, segs[0]), record(0x07, segs[2])...),
	}
}

var modes = []struct {
	mode   rlc.Mode
	snBits int
}{{rlc.AM, 12}, {rlc.AM, 18}, {rlc.UM, 6}, {rlc.UM, 12}, {rlc.TM, 0}}

// FuzzReassembler pushes a stream of PDUs on a few bearers in any mode:
// no panic, memory within the limits, SDUs within MaxSDU, retransmissions
// without data, warnings formatted with frame and bearer.
func FuzzReassembler(f *testing.F) {
	for _, s := range streamSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := rlc.NewReassembler(fuzzLimits)
		frame := 0
		for len(b) >= 3 {
			frame++
			sel, n := b[0], int(b[1])<<8|int(b[2])
			b = b[3:]
			n = min(n, len(b))
			pdu := b[:n]
			b = b[n:]
			k := rlc.Key{UE: 0x4601, Bearer: int(sel&3) + 1, Uplink: sel&4 != 0}
			m := modes[int(sel>>5)%len(modes)]
			sdus, ws := r.Push(k, m.mode, m.snBits, frame, pdu)
			for _, s := range sdus {
				if s.Retransmission != (s.Data == nil) || len(s.Data) > fuzzLimits.MaxSDU || s.Frame != frame || s.FirstFrame > frame || s.ID == 0 {
					t.Fatalf("frame %d: SDU %+v", frame, s)
				}
				if s.Retransmission && m.mode != rlc.AM {
					t.Fatalf("frame %d: retransmission in %v", frame, m.mode)
				}
			}
			for _, w := range ws {
				if !strings.HasPrefix(w.Error(), fmt.Sprintf("rlc: frame %d: %v: ", frame, k)) {
					t.Fatalf("warning %q", w.Error())
				}
			}
			if r.Held() > fuzzLimits.MaxBytes || r.Held() < 0 {
				t.Fatalf("frame %d: holding %d bytes", frame, r.Held())
			}
		}
		r.Flush(frame)
		if r.Held() > fuzzLimits.MaxBytes {
			t.Fatalf("holding %d bytes after Flush", r.Held())
		}
	})
}

// FuzzReassembly cuts an SDU into AM segments at the given points, sends
// them in a shuffled order with some repeated, and must get the SDU back
// exactly once; a further copy of any segment is a retransmission.
func FuzzReassembly(f *testing.F) {
	f.Add(sdu(120), []byte{50, 40}, uint64(1))
	f.Add([]byte{1}, []byte{}, uint64(7))
	f.Add(sdu(700), []byte{255, 1, 3, 200}, uint64(99))
	f.Fuzz(func(t *testing.T, data, cuts []byte, seed uint64) {
		if len(data) == 0 || len(data) > 4000 {
			return
		}
		sizes := make([]int, len(cuts))
		for i, c := range cuts {
			sizes[i] = int(c) + 1
		}
		segs := mactest.AMSegments(77, 12, data, sizes...)
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		order := rng.Perm(len(segs))
		if len(segs) > 1 {
			order = append(order, order[rng.IntN(len(order)-1)]) // a repeat before completion
		}
		var r rlc.Reassembler
		var got []rlc.SDU
		for i, j := range order {
			sdus, ws := r.Push(srb1, rlc.AM, 12, i+1, segs[j])
			if len(ws) != 0 {
				t.Fatalf("warnings %v", ws)
			}
			got = append(got, sdus...)
		}
		var delivered, retx int
		for _, s := range got {
			if s.Retransmission {
				retx++
				continue
			}
			delivered++
			if !bytes.Equal(s.Data, data) || s.SN != 77 {
				t.Fatalf("SDU %x, want %x", s.Data, data)
			}
		}
		if delivered != 1 || delivered+retx > len(order) {
			t.Fatalf("%d SDUs, %d retransmissions from %d PDUs", delivered, retx, len(order))
		}
		sdus, _ := r.Push(srb1, rlc.AM, 12, 1000, segs[rng.IntN(len(segs))])
		if len(sdus) != 1 || !sdus[0].Retransmission {
			t.Fatalf("segment after delivery: %+v, want a retransmission", sdus)
		}
	})
}

// FuzzFraming: ParseFraming never panics; on success the PDU is the tail
// of the input and the mode and SN length agree.
func FuzzFraming(f *testing.F) {
	for name, s := range framingSeeds() {
		_ = name
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, pdu, err := rlc.ParseFraming(b)
		if err != nil {
			var re *rlc.Error
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "rlc: byte ") {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		if !rlc.ValidSNBits(c.Mode, c.SNBits) || !bytes.HasSuffix(b, pdu) || len(pdu) >= len(b) || c.Uplink != (c.Direction == 0) {
			t.Fatalf("context %+v pdu %x from %x", c, pdu, b)
		}
	})
}

func framingSeeds() map[string][]byte {
	return map[string][]byte{
		"srb1-am": mactest.RLCNR(mactest.RLCAM, 12, mactest.Downlink, 0x4601, mactest.BearerSRB, 1, mactest.AM(3, 12, mactest.Full, 0, false, []byte{0, 3, 1, 0, 0, 0, 0})),
		"ccch-tm": mactest.RLCNR(mactest.RLCTM, 0, mactest.Uplink, 7, mactest.BearerCCCH, 0, []byte{0x14, 1, 2, 3, 4, 5}),
		"drb-um":  mactest.RLCNR(mactest.RLCUM, 6, mactest.Uplink, 7, mactest.BearerDRB, 1, mactest.UM(1, 6, mactest.First, 0, []byte{1})),
	}
}

// TestFuzzSeedFiles keeps testdata/fuzz equal to the seeds built by
// mactest; run with -update to rewrite it.
func TestFuzzSeedFiles(t *testing.T) {
	stream := map[string]string{}
	for n, s := range streamSeeds() {
		stream[n] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
	}
	framing := map[string]string{}
	for n, s := range framingSeeds() {
		framing[n] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
	}
	checkSeedDir(t, "FuzzReassembler", stream)
	checkSeedDir(t, "FuzzFraming", framing)
}

func checkSeedDir(t *testing.T, target string, files map[string]string) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if *update {
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run go test -run TestFuzzSeedFiles -update", p)
		}
	}
}
