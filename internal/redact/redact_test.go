package redact

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/parse/uper"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// secret is an identity a test capture carries, in one of its forms.
type secret struct {
	name string
	text string // as text: in the JSON, the trees
	bits string // as octets (hex), at any bit offset of a PDU
	rnti bool   // masked only with Options.RNTI
}

func secrets() []secret {
	return []secret{
		{name: "MSIN", text: msin, bits: hex.EncodeToString(nastest.BCD(msin))},
		{name: "IMEISV", text: imeisv, bits: hex.EncodeToString(nastest.IMEISV(imeisv)[1:])},
		{name: "5G-TMSI", text: tmsiDec, bits: tmsiHex},
		{name: "5G-TMSI hex", text: "0x" + tmsiHex},
		{name: "full I-RNTI", bits: "9876543210"},
		{name: "MaskedIMEISV", bits: "35349006ffff3019"},
		{name: "short I-RNTI", bits: "abcdef"},
		{name: "C-RNTI", text: "17921 (0x4601)", rnti: true},
		{name: "C-RNTI in F1AP", text: "17921", rnti: true},
	}
}

// haystack is everything of a message a reader could see: its JSON, its
// trees, its NAS PDUs; and its PDUs as hex at every bit offset.
func haystack(t *testing.T, m ladder.Message, d ladder.Detail) (text, bits string) {
	t.Helper()
	var b strings.Builder
	for _, v := range []any{m, m.Lines, d} {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
	}
	pdus := [][]byte{m.PDU}
	for _, n := range m.NAS {
		b.WriteString(hex.EncodeToString(n.PDU))
		if n.Decoded != nil {
			j, _ := json.Marshal(n.Decoded)
			b.Write(j)
		}
		j, _ := json.Marshal(n.Identities)
		b.Write(j)
		pdus = append(pdus, n.PDU)
	}
	var h strings.Builder
	for _, p := range pdus {
		for shift := range 8 {
			h.WriteString(hex.EncodeToString(shiftLeft(p, shift)))
			h.WriteByte(' ')
		}
	}
	return strings.ToLower(b.String()), h.String()
}

// shiftLeft returns b shifted left by n bits (0..7).
func shiftLeft(b []byte, n int) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = b[i] << n
		if n > 0 && i+1 < len(b) {
			out[i] |= b[i+1] >> (8 - n)
		}
	}
	return out
}

// checkMasked redacts every message of a trace with and without
// Options.RNTI and checks that no identity the original shows survives,
// except the C-RNTI without Options.RNTI, which must. want names the
// secrets the trace must show.
func checkMasked(t *testing.T, tr *ladder.Trace, want ...string) {
	t.Helper()
	found := map[string]bool{}
	for _, opts := range []Options{{}, {RNTI: true}} {
		for _, m := range tr.Messages {
			d := m.Detail()
			out, err := Message(m, &d, opts)
			if err != nil {
				t.Fatalf("frame %d %s: %v", m.Frame, m.Message, err)
			}
			origText, origBits := haystack(t, m, m.Detail())
			text, bits := haystack(t, out, d)
			for _, s := range secrets() {
				for _, form := range []struct{ in, orig, out string }{{s.text, origText, text}, {s.bits, origBits, bits}} {
					if form.in == "" || !strings.Contains(form.orig, form.in) {
						continue
					}
					found[s.name] = true
					kept := strings.Contains(form.out, form.in)
					switch {
					case kept && (!s.rnti || opts.RNTI):
						t.Errorf("frame %d %s, %+v: %s %q still shows", m.Frame, m.Message, opts, s.name, form.in)
					case !kept && s.rnti && !opts.RNTI:
						t.Errorf("frame %d %s, %+v: %s %q masked without Options.RNTI", m.Frame, m.Message, opts, s.name, form.in)
					}
				}
			}
		}
	}
	for _, name := range want {
		if !found[name] {
			t.Errorf("%s: not in the test capture", name)
		}
	}
}

func TestMessageRRC(t *testing.T) {
	tr := build(t, tracetest.Pcap(rrcSteps()))
	checkMasked(t, tr, "MSIN", "IMEISV", "5G-TMSI", "5G-TMSI hex", "full I-RNTI", "short I-RNTI", "C-RNTI")
}

func TestMessageF1APNGAP(t *testing.T) {
	tr := build(t, apCapture(apSteps()))
	checkMasked(t, tr, "MSIN", "5G-TMSI", "5G-TMSI hex", "full I-RNTI", "MaskedIMEISV", "C-RNTI in F1AP")
}

// TestMessageKeepsNetwork checks what must stay: the PLMN, routing
// indicator, scheme ids and AMF ids, in the trees and in the bytes.
func TestMessageKeepsNetwork(t *testing.T) {
	tr := build(t, tracetest.Pcap(rrcSteps()))
	out, err := Message(message(t, tr, "RRCSetupComplete"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"5GS mobile identity":                "SUCI suci-0-001-01-0000-0-0-" + strings.Repeat(Mask, len(msin)),
		"Mobile Country Code (MCC)":          "001",
		"Mobile Network Code (MNC)":          "01",
		"Routing indicator":                  "0000",
		"Protection scheme Id":               "NULL scheme (0)",
		"Home network public key identifier": "0",
		"MSIN":                               strings.Repeat(Mask, len(msin)),
	}
	got := map[string]string{}
	for _, l := range out.NAS[0].Lines {
		if _, ok := want[l.Name]; ok {
			got[l.Name] = l.Value
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SUCI lines (-want +got):\n%s", diff)
	}
	id := out.NAS[0].Identities[0]
	if id.MCC != "001" || id.MNC != "01" || id.RoutingIndicator != "0000" || id.Digits != "0000000000" {
		t.Errorf("decoded SUCI of the masked PDU = %+v, want PLMN 001-01, routing 0000, MSIN 0000000000", id)
	}

	out, err = Message(carrying(t, tr, "Registration accept"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var guti *struct{ set, pointer, region int }
	for _, n := range out.NAS {
		for _, id := range n.Identities {
			guti = &struct{ set, pointer, region int }{id.AMFSetID, id.AMFPointer, id.AMFRegionID}
			if id.TMSI != 0 || id.MCC != "001" || id.MNC != "01" {
				t.Errorf("masked 5G-GUTI = %+v, want 5G-TMSI 0 in PLMN 001-01", id)
			}
		}
	}
	if guti == nil || guti.set != amfSetID || guti.pointer != amfPointer || guti.region != 0xca {
		t.Errorf("masked 5G-GUTI AMF ids = %+v, want region 0xca, set %#x, pointer %d", guti, amfSetID, amfPointer)
	}

	// The RRC 5G-S-TMSI keeps its AMF set ID and pointer bits.
	for _, c := range []struct {
		name, field string
		len         int
	}{
		{"RRCSetupRequest", "message.c1.rrcSetupRequest.rrcSetupRequest.ue-Identity.ng-5G-S-TMSI-Part1", 39},
		{"Paging", "message.c1.paging.pagingRecordList.0.ue-Identity.ng-5G-S-TMSI", 48},
	} {
		m := message(t, tr, c.name)
		out, err := Message(m, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		v := decodeRRC(t, out)
		f := v.Get(c.field)
		if f == nil || f.Len != c.len {
			t.Fatalf("%s: no %d-bit %s in the masked PDU", c.name, c.len, c.field)
		}
		got := bitsValue(f)
		want := sTMSI &^ (1<<32 - 1) & (1<<c.len - 1)
		if got != want {
			t.Errorf("%s: masked %s = %#x, want %#x (AMF set ID and pointer kept, 5G-TMSI 0)", c.name, c.field, got, want)
		}
	}
}

func bitsValue(v *per.Value) uint64 {
	var x uint64
	for i := range v.Len {
		x = x<<1 | uint64(v.Bits[i/8]>>(7-i%8)&1)
	}
	return x
}

func decodeRRC(t *testing.T, m ladder.Message) *per.Value {
	t.Helper()
	ch, ok := rrc.ChannelFromName(m.Channel)
	if !ok {
		t.Fatalf("channel %q", m.Channel)
	}
	v, err := rrc.Decode(ch, m.PDU)
	if err != nil {
		t.Fatalf("frame %d %s: the masked pdu does not decode: %v", m.Frame, m.Message, err)
	}
	return v
}

// TestMessageRedecodes checks that each masked PDU decodes to the tree of
// the original with only the masked lines changed, and that its JER is
// that of the masked PDU.
func TestMessageRedecodes(t *testing.T) {
	for _, c := range []struct {
		name string
		tr   *ladder.Trace
	}{
		{"rrc", build(t, tracetest.Pcap(rrcSteps()))},
		{"f1ap-ngap", build(t, apCapture(apSteps()))},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, m := range c.tr.Messages {
				out, err := Message(m, nil, Options{RNTI: true})
				if err != nil {
					t.Fatal(err)
				}
				var asn1 []byte
				switch m.Protocol {
				case "NR-RRC":
					asn1 = decodeRRC(t, out).AppendJER(nil)
				case "F1AP":
					d, err := f1ap.Decode(out.PDU)
					if err != nil {
						t.Fatalf("frame %d %s: %v", m.Frame, m.Message, err)
					}
					asn1 = d.ASN1
				case "NGAP":
					d, err := ngap.Decode(out.PDU)
					if err != nil {
						t.Fatalf("frame %d %s: %v", m.Frame, m.Message, err)
					}
					asn1 = d.ASN1
				}
				if string(asn1) != string(out.ASN1) {
					t.Errorf("frame %d %s: asn1 is not the JER of the masked pdu:\n%s\n%s", m.Frame, m.Message, out.ASN1, asn1)
				}
				if len(out.Lines) != len(m.Lines) {
					t.Fatalf("frame %d %s: %d lines, want %d", m.Frame, m.Message, len(out.Lines), len(m.Lines))
				}
				nmasked := 0
				for i, l := range out.Lines {
					o := m.Lines[i]
					if strings.HasSuffix(l.Note, "masked") {
						nmasked++
						o.Value, o.Note = l.Value, l.Note
					}
					if l != o {
						t.Errorf("frame %d %s: line %d = %+v, want %+v", m.Frame, m.Message, i, l, o)
					}
				}
				if unchanged := string(out.PDU) == string(m.PDU); unchanged != (nmasked == 0) {
					t.Errorf("frame %d %s: pdu unchanged %v, %d lines masked", m.Frame, m.Message, unchanged, nmasked)
				}
			}
		})
	}
}

// TestMessageNothingToMask checks that a message without identities is
// returned as it was.
func TestMessageNothingToMask(t *testing.T) {
	tr := build(t, tracetest.Pcap(rrcSteps()))
	for _, name := range []string{"SecurityModeCommand", "RRCSetup"} {
		m := message(t, tr, name)
		d := m.Detail()
		out, err := Message(m, &d, Options{RNTI: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(m, out); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(m.Detail(), d); diff != "" {
			t.Errorf("%s detail (-want +got):\n%s", name, diff)
		}
	}
}

// TestMessageRNTI checks the C-RNTI of an RRCReestablishmentRequest and
// of F1AP: kept by default, 0 with Options.RNTI.
func TestMessageRNTI(t *testing.T) {
	m := message(t, build(t, tracetest.Pcap(rrcSteps())), "RRCReestablishmentRequest")
	for _, c := range []struct {
		opts Options
		want int64
	}{{Options{}, crnti}, {Options{RNTI: true}, 0}} {
		out, err := Message(m, nil, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		f := decodeRRC(t, out).Get("message.c1.rrcReestablishmentRequest.rrcReestablishmentRequest.ue-Identity.c-RNTI")
		if f == nil || f.Int != c.want {
			t.Errorf("%+v: c-RNTI = %v, want %d", c.opts, f, c.want)
		}
	}
	f := message(t, build(t, apCapture(apSteps())), "InitialULRRCMessageTransfer")
	for _, c := range []struct {
		opts Options
		want uint16
	}{{Options{}, crnti}, {Options{RNTI: true}, 0}} {
		out, err := Message(f, nil, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		d, err := f1ap.Decode(out.PDU)
		if err != nil || d.CRNTI == nil || *d.CRNTI != c.want {
			t.Errorf("%+v: F1AP C-RNTI = %v (%v), want %d", c.opts, d.CRNTI, err, c.want)
		}
	}
}

// TestMessageStored checks a message as the store gives it back (its JSON
// without trees and NAS PDUs, the details apart) against the one the
// ladder built.
func TestMessageStored(t *testing.T) {
	for _, tr := range []*ladder.Trace{build(t, tracetest.Pcap(rrcSteps())), build(t, apCapture(apSteps()))} {
		for _, m := range tr.Messages {
			d := m.Detail()
			want, err := Message(m, &d, Options{RNTI: true})
			if err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var stored ladder.Message
			if err := json.Unmarshal(body, &stored); err != nil {
				t.Fatal(err)
			}
			sd := m.Detail()
			got, err := Message(stored, &sd, Options{RNTI: true})
			if err != nil {
				t.Fatal(err)
			}
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if diff := cmp.Diff(string(wj), string(gj)); diff != "" {
				t.Errorf("frame %d %s: JSON (-built +stored):\n%s", m.Frame, m.Message, diff)
			}
			if diff := cmp.Diff(d, sd); diff != "" {
				t.Errorf("frame %d %s: detail (-built +stored):\n%s", m.Frame, m.Message, diff)
			}
		}
	}
}

// TestMessageWithheld checks the PDUs that cannot be searched: dropped,
// with an error that says so, the message still safe to show.
func TestMessageWithheld(t *testing.T) {
	register := nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", msin), 0xe0, 0xe0)
	full := rrctest.RRCSetupComplete(0, register)
	tr := build(t, tracetest.Pcap([]tracetest.Step{
		{Channel: rrc.ULDCCH, PDU: full[:len(full)-10]},
		{At: ms(1), Channel: rrc.BCCHDLSCH, PDU: []byte{0x7f, 0xff}},
	}))
	m := tr.Messages[0]
	if m.DecodeError == "" {
		t.Fatalf("the cut RRCSetupComplete decodes")
	}
	out, err := Message(m, nil, Options{})
	var e *Error
	if !errors.Is(err, ErrWithheld) || !errors.As(err, &e) || e.Frame != m.Frame || e.Part != "pdu, asn1 and tree" {
		t.Fatalf("error = %v, want an *Error withholding the pdu of frame %d", err, m.Frame)
	}
	if out.PDU != nil || out.ASN1 != nil || out.Lines != nil {
		t.Errorf("withheld message keeps pdu %x, asn1 %s, %d lines", out.PDU, out.ASN1, len(out.Lines))
	}
	if out.Message != "RRCSetupComplete" {
		t.Errorf("withheld message is named %q", out.Message)
	}

	// Broadcast RRC carries no UE identity: kept as it is.
	b := tr.Messages[1]
	if out, err := Message(b, nil, Options{}); err != nil || string(out.PDU) != string(b.PDU) {
		t.Errorf("undecodable BCCH message: pdu %x, error %v; want it kept", out.PDU, err)
	}

	// A ciphered message shows no identity: kept as it is.
	c := ladder.Message{Protocol: "NR-RRC", Channel: "UL-DCCH", Ciphered: true, Cipher: "nea2", PDU: []byte{1, 2, 3, 4}}
	if out, err := Message(c, nil, Options{}); err != nil || string(out.PDU) != string(c.PDU) {
		t.Errorf("ciphered message: pdu %x, error %v; want it kept", out.PDU, err)
	}

	// A protocol nrladder does not know cannot be searched.
	u := ladder.Message{Frame: 9, Protocol: "S1AP", Message: "InitialUEMessage", PDU: []byte{1, 2, 3}, ASN1: json.RawMessage(`{}`)}
	if out, err := Message(u, nil, Options{}); !errors.Is(err, ErrWithheld) || out.PDU != nil || out.ASN1 != nil {
		t.Errorf("unknown protocol: pdu %x, asn1 %s, error %v; want them withheld", out.PDU, out.ASN1, err)
	}
}

func TestErrorText(t *testing.T) {
	err := error(&Error{Frame: 12, Message: "RRCSetupComplete", Part: "pdu", Err: errors.New("rrc: UL-DCCH: bit 37: truncated input")})
	want := "redact: frame 12: RRCSetupComplete: pdu withheld: rrc: UL-DCCH: bit 37: truncated input"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// TestMessageDoesNotModifyInput checks that the original message, its
// PDUs and trees are left as they were.
func TestMessageDoesNotModifyInput(t *testing.T) {
	tr := build(t, apCapture(apSteps()))
	before, _ := json.Marshal(tr.Messages)
	var nasBefore, linesBefore []string
	for _, m := range tr.Messages {
		linesBefore = append(linesBefore, linesText(m.Lines))
		for _, n := range m.NAS {
			nasBefore = append(nasBefore, hex.EncodeToString(n.PDU)+linesText(n.Lines))
		}
	}
	for _, m := range tr.Messages {
		d := m.Detail()
		if _, err := Message(m, &d, Options{RNTI: true}); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := json.Marshal(tr.Messages)
	var nasAfter, linesAfter []string
	for _, m := range tr.Messages {
		linesAfter = append(linesAfter, linesText(m.Lines))
		for _, n := range m.NAS {
			nasAfter = append(nasAfter, hex.EncodeToString(n.PDU)+linesText(n.Lines))
		}
	}
	if string(before) != string(after) || !cmp.Equal(nasBefore, nasAfter) || !cmp.Equal(linesBefore, linesAfter) {
		t.Errorf("Message modified its input")
	}
}

func linesText(ls []parse.Line) string {
	j, _ := json.Marshal(ls)
	return string(j)
}

func BenchmarkMessage(b *testing.B) {
	tr := build(b, tracetest.Pcap(rrcSteps()))
	m := message(b, tr, "RRCSetupComplete")
	b.ReportAllocs()
	for b.Loop() {
		d := m.Detail()
		if _, err := Message(m, &d, Options{RNTI: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMessageDropsUnknownExtensions checks a masked PDU whose original
// carries an extension addition the schema does not know: it cannot be
// searched nor written back, so it is dropped, and the tree says so.
func TestMessageDropsUnknownExtensions(t *testing.T) {
	var w uper.Writer
	w.Choice(0, 2, false)   // message: c1
	w.Choice(0, 2, false)   // c1: paging
	w.Bool(true)            // pagingRecordList
	w.Bits(0, 2)            // lateNonCriticalExtension, nonCriticalExtension
	w.Constrained(1, 1, 32) // one PagingRecord
	w.Bool(true)            // PagingRecord: extension additions present
	w.Bool(false)           // accessType
	w.Choice(0, 2, true)    // PagingUE-Identity: ng-5G-S-TMSI
	w.Bits(sTMSI, 48)
	w.Bits(0, 7) // one extension addition
	w.Bool(true) // present
	w.Length(1)
	w.Octets([]byte{0x80})
	tr := build(t, tracetest.Pcap([]tracetest.Step{{Channel: rrc.PCCH, PDU: w.Bytes()}}))
	m := tr.Messages[0]
	if !strings.Contains(m.Lines[len(m.Lines)-3].Note, "1 unknown extension skipped") {
		t.Fatalf("the test PDU has no unknown extension: %+v", m.Lines)
	}
	out, err := Message(m, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := decodeRRC(t, out)
	if f := v.Get("message.c1.paging.pagingRecordList.0.ue-Identity.ng-5G-S-TMSI"); f == nil || bitsValue(f) != sTMSI&^(1<<32-1) {
		t.Errorf("masked ng-5G-S-TMSI = %v", f)
	}
	if want := "redacted: 1 extension addition nrladder does not model dropped"; out.Lines[0].Note != want {
		t.Errorf("top line note %q, want %q", out.Lines[0].Note, want)
	}
	for _, l := range out.Lines {
		if strings.Contains(l.Note, "skipped") {
			t.Errorf("line %+v: the masked PDU still has the extension", l)
		}
	}
}

func TestDetail(t *testing.T) {
	m := message(t, build(t, tracetest.Pcap(rrcSteps())), "RRCSetupComplete")
	want := m.Detail()
	if _, err := Message(m, &want, Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := Detail(m, m.Detail(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Detail (-Message's +Detail's):\n%s", diff)
	}
}
