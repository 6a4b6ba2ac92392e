package redact

import (
	"bytes"
	"slices"
	"testing"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// FuzzMessage feeds arbitrary PDUs on every RRC channel through the parser
// and the ladder, then redacts the message: it must never panic; a PDU
// that decodes must give a masked PDU that decodes to a tree of the same
// shape (unless extension additions nrladder does not model were
// dropped), and masking that again must change nothing.
func FuzzMessage(f *testing.F) {
	channels := rrc.Channels()
	index := func(ch rrc.Channel) byte { return byte(slices.Index(channels, ch)) }
	for _, s := range rrcSteps() {
		f.Add(index(s.Channel), s.PDU)
	}
	for _, pdu := range nasSeeds() {
		f.Add(index(rrc.ULDCCH), rrctest.ULInformationTransfer(pdu))
		f.Add(index(rrc.DLDCCH), rrctest.DLInformationTransfer(2, pdu))
	}
	f.Fuzz(func(t *testing.T, chIndex byte, pdu []byte) {
		ch := channels[int(chIndex)%len(channels)]
		res, err := parse.Trace(bytes.NewReader(tracetest.Pcap([]tracetest.Step{{Channel: ch, PDU: pdu}})), parse.Options{})
		if err != nil {
			return
		}
		opts := Options{RNTI: true}
		for _, m := range ladder.Build(res, ladder.Options{}).Messages {
			d := m.Detail()
			out, err := Message(m, &d, opts)
			v, decErr := rrc.Decode(ch, m.PDU)
			if decErr != nil {
				continue
			}
			if err != nil {
				t.Fatalf("%v %x decodes, but: %v", ch, m.PDU, err)
			}
			v2, err := rrc.Decode(ch, out.PDU)
			if err != nil {
				t.Fatalf("%v %x: the masked pdu %x does not decode: %v", ch, m.PDU, out.PDU, err)
			}
			if a, b := shape(v.Tree()), shape(v2.Tree()); dropUnwritable(v) == 0 && !slices.Equal(a, b) {
				t.Fatalf("%v %x: the masked pdu %x decodes to another tree:\n%v\n%v", ch, m.PDU, out.PDU, a, b)
			}
			again, err := Message(out, nil, opts)
			if err != nil || !bytes.Equal(again.PDU, out.PDU) {
				t.Fatalf("%v %x: masking the masked pdu %x again gives %x (%v)", ch, m.PDU, out.PDU, again.PDU, err)
			}
		}
	})
}

// shape is a tree without its values: the depth and name of each line.
func shape(tree []per.Line) []string {
	out := make([]string, len(tree))
	for i, l := range tree {
		out[i] = string(rune('0'+l.Depth%64)) + l.Name
	}
	return out
}

// FuzzMaskNAS feeds arbitrary NAS PDUs to maskNAS: it must never panic,
// keep the length, leave a PDU it cannot read as it is, and change
// nothing when run on its own output.
func FuzzMaskNAS(f *testing.F) {
	for _, pdu := range nasSeeds() {
		f.Add(pdu)
	}
	f.Fuzz(func(t *testing.T, pdu []byte) {
		in := bytes.Clone(pdu)
		out, changed := maskNAS(pdu)
		if !bytes.Equal(in, pdu) {
			t.Fatalf("maskNAS modified its input")
		}
		if len(out) != len(pdu) || changed == bytes.Equal(out, pdu) {
			t.Fatalf("%x: masked %x (changed %v)", pdu, out, changed)
		}
		if again, changed := maskNAS(out); changed {
			t.Fatalf("%x: masked %x, then %x", pdu, out, again)
		}
	})
}
