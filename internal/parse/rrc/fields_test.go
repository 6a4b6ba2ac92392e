package rrc_test

import (
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/tracetest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// TestFieldsAgreeWithTshark decodes every valid PDU the project's own
// fixtures hold (the rrctest builders and the tracetest scenarios) and
// compares each leaf value with what tshark shows for the same bytes.
func TestFieldsAgreeWithTshark(t *testing.T) {
	tsharktest.Path(t)
	type pdu struct {
		label string
		ch    rrc.Channel
		b     []byte
	}
	var pdus []pdu
	for _, b := range builders() {
		pdus = append(pdus, pdu{"rrctest." + b.name, b.ch, b.pdu})
	}
	for _, s := range append(tracetest.SecurityModeFailure(), tracetest.Normal()...) {
		pdus = append(pdus, pdu{"tracetest", s.Channel, s.PDU})
	}
	f := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	for i, p := range pdus {
		f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start.Add(time.Duration(i) * time.Millisecond), Data: capturetest.ExportedPDU(p.ch.Dissector(), p.b)})
	}
	packets := tsharktest.PDML(t, f.Bytes())
	if len(packets) != len(pdus) {
		t.Fatalf("tshark shows %d frames, wrote %d", len(packets), len(pdus))
	}
	compared := 0
	for i, p := range pdus {
		v, err := rrc.Decode(p.ch, p.b)
		if err != nil {
			t.Errorf("frame %d %s: %v", i+1, p.label, err)
			continue
		}
		proto := findProto(&packets[i], "nr-rrc")
		if proto == nil {
			t.Errorf("frame %d %s: tshark shows no nr-rrc", i+1, p.label)
			continue
		}
		opaque := tsharktest.OpaqueNames(v)
		want := tsharktest.TsharkLeaves(proto, "nr-rrc.", func(name string) bool { return opaque[name] })
		got := tsharktest.ValueLeaves(v)
		if d := tsharktest.CompareLeaves(want, got); d != "" {
			t.Errorf("frame %d %s (% x): %s", i+1, p.label, p.b, d)
		}
		compared += len(got)
	}
	t.Logf("%d PDUs, %d leaf values agree with tshark", len(pdus), compared)
}

func findProto(n *tsharktest.Node, name string) *tsharktest.Node {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local == "proto" && c.Name == name && c.Hide != "yes" {
			return c
		}
		if f := findProto(c, name); f != nil {
			return f
		}
	}
	return nil
}
