package export

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzExports feeds the text exports what a capture or an upload controls —
// message names, lane names, the trace name — and checks that they do not
// fail, that the Mermaid stays one statement a line, and that the text
// ladder keeps its outer lifelines in their columns.
func FuzzExports(f *testing.F) {
	f.Add("SecurityModeFailure", "UE", "gNB", "trace.pcap", 2)
	f.Add("a;b#c:d%%{init}%%<e>&\"", "gNB-DU", "gNB-CU", "x\ny\tz", -1)
	f.Add(strings.Repeat("RRCReconfiguration·", 20), "AMF", "UE", "", 0)
	f.Add("…×·—", "", "", "`````", 7)
	f.Add("end", "end", "note", "rect", 1)
	f.Fuzz(func(t *testing.T, name, from, to, trace string, txid int) {
		fx := fourLanes()
		fx.meta.TraceName = trace
		fx.meta.Link = trace
		fx.meta.UE.Label = name
		m := fx.msgs[4]
		m.Message, m.From, m.To = name, from, to
		if txid >= 0 {
			m.TxID = &txid
		}
		fx.msgs = append(fx.msgs, m)
		for _, render := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return Text(b, fx.meta, fx.msgs) },
			func(b *bytes.Buffer) error { return Markdown(b, fx.meta, fx.msgs) },
			func(b *bytes.Buffer) error { return Mermaid(b, fx.meta, fx.msgs) },
		} {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := Mermaid(&b, fx.meta, fx.msgs); err != nil {
			t.Fatal(err)
		}
		if errs := checkMermaid(b.String()); len(errs) > 0 {
			t.Fatalf("%v\n%s", errs, b.String())
		}
		b.Reset()
		if err := Text(&b, fx.meta, fx.msgs); err != nil {
			t.Fatal(err)
		}
		lines := ladderLines(t, b.String())
		first := strings.IndexByte(lines[1], '|')
		last := strings.LastIndexByte(lines[1], '|')
		for _, l := range lines[1:] {
			r := []rune(l)
			if len(r) <= last || r[first] != '|' || r[last] != '|' {
				t.Fatalf("lifelines moved:\n%s\n%s", lines[1], l)
			}
		}
	})
}
