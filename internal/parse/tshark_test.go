package parse

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// seen is one message as a frame shows it: its ASN.1 alternative and txid.
type seen struct {
	Alt  string
	TxID int
}

// TestDifferentialTshark parses captures the way a user's file is parsed
// (container, link type, exported-PDU tags, RRC) and compares the message
// list frame by frame with what tshark shows in the same file.
func TestDifferentialTshark(t *testing.T) {
	tsharktest.Path(t)
	// Every alternative of every channel, spares included, with padded and
	// unpadded dissector names, among other dissectors' records, on two
	// interfaces of a pcapng; then the product's main scenario.
	f := capturetest.File{Format: capturetest.Pcapng}
	i := 0
	for _, ch := range rrc.Channels() {
		for _, p := range rrctest.Paths(ch) {
			data := capturetest.ExportedPDU(ch.Dissector(), rrctest.Header(ch, p, []byte{byte(i%4)<<6 | 0x15, 0xa5, 0, 0, 0, 0}))
			if i%2 == 1 {
				data = capturetest.ExportedPDUPadded(ch.Dissector(), rrctest.Header(ch, p, []byte{byte(i%4)<<6 | 0x15, 0xa5, 0, 0, 0, 0}))
			}
			f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start, LinkType: 252, Data: data})
			if i%10 == 0 {
				f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start, LinkType: 1, Data: make([]byte, 60)})
			}
			i++
		}
	}
	f.Packets = append(f.Packets, mixed()...)
	for _, s := range tracetest.Normal() {
		f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start.Add(s.At), LinkType: 252, Data: capturetest.ExportedPDUPadded(s.Channel.Dissector(), s.PDU)})
	}
	for _, gz := range []bool{false, true} {
		file := f.Bytes()
		if gz {
			file = capturetest.Gzip(file)
		}
		res, err := Trace(bytes.NewReader(file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ours := map[int][]seen{}
		for _, e := range res.Events {
			if e.Error == "" {
				ours[e.Frame] = append(ours[e.Frame], seen{e.Alt, e.TxID})
			}
		}
		theirs := map[int][]seen{}
		for _, pkt := range tsharktest.PDML(t, file) {
			views, err := tsharktest.RRC(&pkt)
			if err != nil {
				t.Errorf("frame %d: tshark: %v", pkt.Frame(), err)
			}
			for _, v := range views {
				theirs[pkt.Frame()] = append(theirs[pkt.Frame()], seen{v.Path[strings.LastIndex(v.Path, ".")+1:], v.TxID})
			}
		}
		if diff := cmp.Diff(theirs, ours); diff != "" {
			t.Errorf("gzip=%v: messages by frame, tshark (-) vs ours (+):\n%s", gz, diff)
		}
		if len(ours) < 80 {
			t.Errorf("only %d frames compared", len(ours))
		}
		t.Logf("gzip=%v: %d frames with NR RRC agree with tshark", gz, len(ours))
	}
}
