package rrc_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// frame is one packet of the differential capture.
type frame struct {
	label string
	ch    rrc.Channel
	pdu   []byte
	valid bool // a complete, valid encoding: tshark must flag nothing
}

func differentialFrames(t *testing.T) []frame {
	var fs []frame
	for _, ch := range rrc.Channels() {
		for i, p := range rrctest.Paths(ch) {
			// A few body bytes; the first two bits give a varying transaction id.
			tail := []byte{byte(i%4)<<6 | 0x2a, 0x5a, 0x00, 0x00, 0x00, 0x00}
			fs = append(fs, frame{label: fmt.Sprintf("header %v %v", ch, p), ch: ch, pdu: rrctest.Header(ch, p, tail)})
		}
	}
	for _, b := range builders() {
		fs = append(fs, frame{label: "rrctest." + b.name, ch: b.ch, pdu: b.pdu, valid: true})
	}
	if _, ok := rrctest.SharedDir(); ok {
		for _, v := range rrctest.Vectors(t) {
			if v.RAT != "nr" {
				continue
			}
			ch, _ := rrc.ChannelFromName(v.Channel)
			pdu, err := v.PDU()
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, frame{label: "vector " + v.Label, ch: ch, pdu: pdu, valid: true})
		}
	} else {
		t.Log("shared vectors not found: differential test runs without them")
	}
	return fs
}

// TestDifferentialTshark writes one link-type-252 frame per alternative of
// every channel and per rrctest builder (and shared vector), lets tshark
// dissect them, and compares tshark's alternative and
// rrc-TransactionIdentifier with Classify's. Builders and vectors must
// dissect without malformed or expert items.
func TestDifferentialTshark(t *testing.T) {
	tshark := tsharktest.Path(t)
	frames := differentialFrames(t)
	file := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range frames {
		file.Packets = append(file.Packets, capturetest.Packet{
			Time: t0.Add(time.Duration(i) * time.Millisecond),
			Data: capturetest.ExportedPDU(f.ch.Dissector(), f.pdu),
		})
	}
	packets := tsharktest.PDML(t, file.Bytes())
	if len(packets) != len(frames) {
		t.Fatalf("tshark shows %d frames, wrote %d", len(packets), len(frames))
	}

	for i, f := range frames {
		views, err := tsharktest.RRC(&packets[i])
		if err == nil && len(views) != 1 {
			err = fmt.Errorf("%d NR RRC messages, want 1", len(views))
		}
		if err != nil {
			t.Errorf("frame %d %s (% x): tshark: %v", i+1, f.label, f.pdu, err)
			continue
		}
		tv := views[0]
		m, err := rrc.Classify(f.ch, f.pdu)
		if err != nil {
			t.Errorf("frame %d %s: %v", i+1, f.label, err)
			continue
		}
		type id struct {
			Path string
			TxID int
		}
		if diff := cmp.Diff(id{tv.Path, tv.TxID}, id{m.Path, m.TxID}); diff != "" {
			t.Errorf("frame %d %s (% x): tshark (-) vs Classify (+):\n%s", i+1, f.label, f.pdu, diff)
		}
		if f.valid && len(tv.Experts) > 0 {
			t.Errorf("frame %d %s (% x): tshark flags %q", i+1, f.label, f.pdu, tv.Experts)
		}
	}
	t.Logf("%d frames compared with %s", len(frames), tshark)
}
