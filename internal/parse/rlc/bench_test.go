package rlc_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/rlc"
)

func BenchmarkParseHeader(b *testing.B) {
	pdu := mactest.AM(5, 12, mactest.Last, 100, false, sdu(50))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := rlc.ParseHeader(rlc.AM, 12, pdu); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReassembly reassembles a 1000-byte SDU from four segments,
// then sees one retransmitted segment.
func BenchmarkReassembly(b *testing.B) {
	segs := mactest.AMSegments(5, 12, sdu(1000), 250, 250, 250)
	b.ReportAllocs()
	b.SetBytes(1000)
	for b.Loop() {
		var r rlc.Reassembler
		for i, s := range segs {
			r.Push(srb1, rlc.AM, 12, i, s)
		}
		if sdus, _ := r.Push(srb1, rlc.AM, 12, 9, segs[1]); len(sdus) != 1 || !sdus[0].Retransmission {
			b.Fatal(sdus)
		}
	}
}

// BenchmarkSteadyState pushes complete AM PDUs on one bearer of a
// long-lived Reassembler.
func BenchmarkSteadyState(b *testing.B) {
	var pdus [][]byte
	for sn := range 4096 {
		pdus = append(pdus, mactest.AM(sn, 12, mactest.Full, 0, false, sdu(40)))
	}
	var r rlc.Reassembler
	b.ReportAllocs()
	b.SetBytes(40)
	i := 0
	for b.Loop() {
		r.Push(srb1, rlc.AM, 12, i, pdus[i%len(pdus)])
		i++
	}
}
