package rlc_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/rlc"
)

// Segments are reassembled in any order; a PDU repeating an SN already
// delivered is reported as a retransmission, not delivered again.
func ExampleReassembler() {
	segs := mactest.AMSegments(1, 12, []byte("an rrc message in three parts"), 10, 10)
	var r rlc.Reassembler
	k := rlc.Key{UE: 0x4601, Bearer: 1}
	for i, pdu := range [][]byte{segs[2], segs[0], segs[1], segs[1]} {
		sdus, _ := r.Push(k, rlc.AM, 12, i+1, pdu)
		for _, s := range sdus {
			if s.Retransmission {
				fmt.Printf("frame %d: retransmission of sn %d delivered in frame %d\n", s.Frame, s.SN, s.OriginalFrame)
				continue
			}
			fmt.Printf("frame %d: sn %d from %d segments: %q\n", s.Frame, s.SN, s.Segments, s.Data)
		}
	}
	// Output:
	// frame 3: sn 1 from 3 segments: "an rrc message in three parts"
	// frame 4: retransmission of sn 1 delivered in frame 3
}
