package aptest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// Decoder is the decoder of package f1ap or ngap under test, with what the
// tests both packages share need of it; M is its Message type. F1Decoder
// and NGDecoder are the two.
type Decoder[M any] struct {
	// Proto is the package, also tshark's protocol: "f1ap", "ngap".
	Proto string
	// PPID is the SCTP payload protocol identifier of its PDUs.
	PPID uint32
	// TsharkOptions are the options tshark needs to show all its PDUs of
	// the shared captures.
	TsharkOptions []string
	// Protocol builds its PDUs.
	Protocol Protocol
	// Decode, Procedure, IEName and IEType are the package's.
	Decode         func([]byte) (*M, error)
	Procedure      func(code int, outcome string) (name, message string, ok bool)
	IEName, IEType func(id int) string
	// View returns what every Message holds.
	View func(*M) Decoded
	// IsError reports whether an error is (or wraps) the package's *Error.
	IsError func(error) bool
}

// isError reports whether err is or wraps an E.
func isError[E error](err error) bool {
	var e E
	return errors.As(err, &e)
}

// Decoded is what the Message of both packages holds.
type Decoded struct {
	Procedure, Name, Outcome string
	Code                     int
	ASN1                     []byte
	Lines                    []per.Line
	Undecoded                []error
	Trailing                 int
	Value                    *per.Value
}

// Seed is a PDU a test builds, named.
type Seed struct {
	Name string
	PDU  []byte
}

// Fuzz is the body of FuzzDecode: it seeds the corpus with the seeds and
// an empty input and feeds arbitrary bytes. Decode must not panic; an
// error must be the package's *Error with the package prefix; a message
// must be consistent: named as the procedure table names it, its JER
// valid JSON, its tree non-empty, every undecoded IE the package's *Error.
// check, unless nil, checks the package's own fields.
func (d *Decoder[M]) Fuzz(f *testing.F, seeds []Seed, check func(t *testing.T, m *M)) {
	for _, s := range seeds {
		f.Add(s.PDU)
	}
	f.Add([]byte{})
	// testdata/fuzz/FuzzDecode holds the seeds' PDUs as seed files.
	f.Fuzz(func(t *testing.T, pdu []byte) {
		m, err := d.Decode(pdu)
		if err != nil {
			if !d.IsError(err) || !strings.HasPrefix(err.Error(), d.Proto+": ") {
				t.Fatalf("error %v (%T) is not an *%s.Error", err, err, d.Proto)
			}
			if m == nil {
				return
			}
		}
		if m == nil {
			t.Fatal("nil message without error")
		}
		v := d.View(m)
		if v.Value == nil || len(v.Lines) == 0 || !json.Valid(v.ASN1) {
			t.Fatalf("message without value, tree or valid JER: %s", v.ASN1)
		}
		if err == nil {
			proc, name, ok := d.Procedure(v.Code, v.Outcome)
			if !ok || proc != v.Procedure || name != v.Name {
				t.Fatalf("message %s/%s of procedure %d %s", v.Procedure, v.Name, v.Code, v.Outcome)
			}
		}
		for _, e := range v.Undecoded {
			if !d.IsError(e) || !strings.HasPrefix(e.Error(), d.Proto+": "+v.Name+": ie ") {
				t.Fatalf("undecoded %v (%T)", e, e)
			}
		}
		if check != nil {
			check(t, m)
		}
	})
}

// CheckSeedFiles keeps testdata/fuzz/FuzzDecode equal to the seeds' PDUs
// (one seed file each), so that the corpus in the repository is built by
// the project's own code. With update it rewrites the files.
func (d *Decoder[M]) CheckSeedFiles(t *testing.T, seeds []Seed, update bool) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	want := map[string]string{}
	for _, s := range seeds {
		want["builder-"+slug(s.Name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s.PDU)
	}
	if update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, body := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	got := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seed files (-want +got), run with -update:\n%s", diff)
	}
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Bench decodes the PDUs in a loop.
func (d *Decoder[M]) Bench(b *testing.B, pdus [][]byte) {
	b.Helper()
	size := 0
	for _, p := range pdus {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pdus {
			if _, err := d.Decode(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchTrace decodes in a loop the PDUs of a capture of the shared traces.
func (d *Decoder[M]) BenchTrace(b *testing.B, name string) {
	b.Helper()
	var pdus [][]byte
	for _, p := range TracePDUs(b, name, d.PPID) {
		pdus = append(pdus, p.Data)
	}
	d.Bench(b, pdus)
}

// TracesDecode checks that every PDU of the protocol in the shared
// captures decodes, and that every IE id they hold, at any depth, is named
// (without tshark).
func (d *Decoder[M]) TracesDecode(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(SharedDir(t), "traces", "*.pcap*"))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, path := range files {
		for _, p := range TracePDUs(t, filepath.Base(path), d.PPID) {
			total++
			m, err := d.Decode(p.Data)
			if err != nil {
				t.Errorf("%s frame %d: %v", filepath.Base(path), p.Frame, err)
				continue
			}
			eachID(d.View(m).Value, func(id int) {
				if strings.HasPrefix(d.IEName(id), "ie ") {
					t.Errorf("%s frame %d: ie %d has no name", filepath.Base(path), p.Frame, id)
				}
			})
		}
	}
	name := strings.ToUpper(d.Proto)
	if total == 0 {
		t.Skip("no " + name + " PDU in the shared traces: SKIPPED")
	}
	t.Logf("%d %s PDUs", total, name)
}

// eachID calls f with the id of every IE field in v.
func eachID(v *per.Value, f func(int)) {
	if v == nil {
		return
	}
	switch v.Type {
	case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
		if id := v.Field("id"); id != nil && id.Kind == per.Integer {
			f(int(id.Int))
		}
	}
	for i := range v.Fields {
		eachID(&v.Fields[i], f)
	}
	eachID(v.Contained, f)
}

// CheckDecode decodes a PDU that must decode and compares what summarize
// takes of its message with want; the message must have its JER, tree
// and value.
func CheckDecode[M, S any](t *testing.T, d *Decoder[M], pdu []byte, want S, summarize func(*M) S) {
	t.Helper()
	m, err := d.Decode(pdu)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, summarize(m)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if v := d.View(m); len(v.ASN1) == 0 || len(v.Lines) == 0 || v.Value == nil {
		t.Errorf("no ASN1, Lines or Value")
	}
}

// CheckError checks what Decode returned for a PDU that must fail: an
// error that is is, the package's *Error, its text starting with text;
// unless message is "", a Message of that name.
func (d *Decoder[M]) CheckError(t *testing.T, m *M, err, is error, message, text string) {
	t.Helper()
	if !errors.Is(err, is) {
		t.Fatalf("error %v, want %v", err, is)
	}
	if !d.IsError(err) || !strings.HasPrefix(err.Error(), text) {
		t.Errorf("error %q, want prefix %q", err, text)
	}
	if message != "" && (m == nil || d.View(m).Name != message) {
		t.Errorf("message %+v, want %s", m, message)
	}
}

// TablesMatchSchema checks that every message of the procedure table and
// every IE value type is in the schema, that the table has the messages
// of the specification spec, that every IE id the table types is named,
// and that the IE ids of names have those names.
func (d *Decoder[M]) TablesMatchSchema(t *testing.T, messages int, spec string, names map[int]string) {
	s, err := d.Protocol.schema()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for code := range 256 {
		for _, o := range []string{"initiatingMessage", "successfulOutcome", "unsuccessfulOutcome"} {
			if _, msg, ok := d.Procedure(code, o); ok {
				n++
				if s.Type(msg) == nil {
					t.Errorf("procedure %d %s: no type %s", code, o, msg)
				}
			}
		}
	}
	if n != messages {
		t.Errorf("%d messages, want the %d of %s", n, messages, spec)
	}
	for id := range 1024 {
		typ := d.IEType(id)
		if typ == "" {
			continue
		}
		if s.Type(typ) == nil {
			t.Errorf("ie %d: no type %s", id, typ)
		}
		if strings.HasPrefix(d.IEName(id), "ie ") {
			t.Errorf("ie %d has a type but no name", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(names)) {
		if got := d.IEName(id); got != names[id] {
			t.Errorf("IEName(%d) = %q, want %q", id, got, names[id])
		}
	}
}

// ByteOffsets checks that the byte offset of an IE in an error is where
// its value starts in the PDU, also after a value of more than 127 octets
// (a 2-octet length). build returns a PDU with the extra IE fields last.
func (d *Decoder[M]) ByteOffsets(t *testing.T, build func(extra ...per.Value) []byte) {
	long := bytes.Repeat([]byte{0xa5}, 300)
	values := [][]byte{{1, 2, 3}, long, {4}}
	pdu := build(
		d.Protocol.RawIE(6001, "ignore", values[0]),
		d.Protocol.RawIE(6002, "ignore", values[1]),
		d.Protocol.RawIE(6003, "ignore", values[2]))
	m, err := d.Decode(pdu)
	if err != nil {
		t.Fatal(err)
	}
	undecoded := d.View(m).Undecoded
	if len(undecoded) != 3 {
		t.Fatalf("undecoded %v", undecoded)
	}
	for i, e := range undecoded {
		var off int
		s := e.Error()
		if _, err := fmt.Sscanf(s[strings.Index(s, " at byte ")+1:], "at byte %d", &off); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if !bytes.HasPrefix(pdu[off:], values[i]) {
			t.Errorf("%s: the PDU at byte %d is % x", s, off, pdu[off:min(off+4, len(pdu))])
		}
	}
}

// A View is a message's fields as the differential tests compare them:
// by name, as strings so that tshark's and ours print alike, "" when
// absent.
type View interface {
	Field(name string) string
}

// Envelope is what the views of both protocols hold of every message:
// the alternative of the PDU, the procedure code, the message and its IE
// ids.
type Envelope struct {
	Outcome, Message string
	Code             int
	IEs              string // the message's IE ids, in order
}

// Get returns the envelope's field name: "procedure" (the outcome and
// the code), "message" or "ies"; ok is false for another name.
func (e Envelope) Get(name string) (value string, ok bool) {
	switch name {
	case "procedure":
		return e.Outcome + " " + strconv.Itoa(e.Code), true
	case "message":
		return e.Message, true
	case "ies":
		return e.IEs, true
	}
	return "", false
}

// Envelope returns the envelope of our message.
func (d *Decoder[M]) Envelope(m *M) Envelope {
	v := d.View(m)
	e := Envelope{Outcome: v.Outcome, Message: v.Name, Code: v.Code}
	var ids []string
	if ies := v.Value.Get(v.Outcome + ".value.protocolIEs"); ies != nil {
		for i := range ies.Fields {
			ids = append(ids, strconv.FormatInt(ies.Fields[i].Field("id").Int, 10))
		}
	}
	e.IEs = strings.Join(ids, ",")
	return e
}

// TsharkEnvelope returns the envelope of a PDU of proto as tshark shows
// it, and the message's IE fields.
func TsharkEnvelope(p TsharkPDU, proto string) (Envelope, []TsharkIE) {
	var e Envelope
	var ies []TsharkIE
	e.Outcome, e.Code, e.Message, ies = TsharkOutcome(p.PDU, proto)
	var ids []string
	for _, ie := range ies {
		ids = append(ids, strconv.Itoa(ie.ID))
	}
	e.IEs = strings.Join(ids, ",")
	return e, ies
}

// Decimal is a UE id as the views show it: decimal, "" when absent.
func Decimal(id *uint64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatUint(*id, 10)
}

// Comparison says how a differential test compares our messages with
// tshark's.
type Comparison[M any] struct {
	// Fields names the fields compared, in the order of the golden file.
	Fields []string
	// Ours and Theirs view our message and tshark's PDU.
	Ours   func(*M) View
	Theirs func(TsharkPDU) View
	// Unmatched reports the seeds tshark cannot decode as we do (IEs we
	// keep as octets); they are not compared.
	Unmatched func(seed string) bool
	// CountTrailing counts, per capture, the PDUs with trailing octets.
	CountTrailing bool
}

// CompareBuilt checks that our decoding of the seeds' PDUs agrees with
// tshark's, field by field and leaf by leaf.
func (d *Decoder[M]) CompareBuilt(t *testing.T, c Comparison[M], seeds []Seed) {
	var pdus [][]byte
	for _, s := range seeds {
		pdus = append(pdus, s.PDU)
	}
	got := TsharkBuilt(t, d.Proto, pdus...)
	if len(got) != len(seeds) {
		t.Fatalf("tshark shows %d PDUs, want %d", len(got), len(seeds))
	}
	for i, s := range seeds {
		m, err := d.Decode(s.PDU)
		if err != nil {
			t.Fatal(err)
		}
		if c.Unmatched != nil && c.Unmatched(s.Name) {
			continue // tshark cannot decode what we keep as octets
		}
		if diff := cmp.Diff(c.Theirs(got[i]), c.Ours(m)); diff != "" {
			t.Errorf("%s: (-tshark +ours)\n%s", s.Name, diff)
		}
		if diff := TreeDiff(got[i], d.Proto, d.View(m).Value); diff != "" {
			t.Errorf("%s: tree: %s", s.Name, diff)
		}
	}
}

// agreement counts, per field, the PDUs where tshark and we agree among
// those where either shows the field.
type agreement struct {
	agree, compared map[string]int
	diffs           []string
}

// CompareTraces decodes every PDU of the protocol in the shared captures
// and compares it with tshark's dissection; the counts and every
// difference go, after header, to testdata/tshark-traces.golden (with
// update, rewritten).
func (d *Decoder[M]) CompareTraces(t *testing.T, c Comparison[M], header string, update bool) {
	shared := SharedDir(t)
	tsharktest.Path(t)
	files, err := filepath.Glob(filepath.Join(shared, "traces", "*.pcap*"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	var out strings.Builder
	out.WriteString(header)
	for _, path := range files {
		name := filepath.Base(path)
		mine := TracePDUs(t, name, d.PPID)
		if len(mine) == 0 {
			continue
		}
		their := TsharkPDUs(t, path, d.Proto, d.TsharkOptions...)
		a := agreement{agree: map[string]int{}, compared: map[string]int{}}
		decodeErrs, undecoded, trailing := 0, 0, 0
		if len(mine) != len(their) {
			t.Errorf("%s: %d %s PDUs, tshark shows %d", name, len(mine), strings.ToUpper(d.Proto), len(their))
		}
		for i := range min(len(mine), len(their)) {
			p, q := mine[i], their[i]
			if p.Frame != q.Frame || !bytes.HasPrefix(p.Data, q.Data) {
				t.Errorf("%s: PDU %d: frame %d vs tshark's %d, or other bytes", name, i, p.Frame, q.Frame)
				continue
			}
			m, err := d.Decode(p.Data)
			if err != nil {
				decodeErrs++
				a.diffs = append(a.diffs, fmt.Sprintf("frame %d: %v", p.Frame, err))
				continue
			}
			v := d.View(m)
			undecoded += len(v.Undecoded)
			if v.Trailing > 0 {
				trailing++
			}
			if onlyNames(v.Undecoded) {
				a.compared["tree"]++
				if diff := TreeDiff(q, d.Proto, v.Value); diff != "" {
					a.diffs = append(a.diffs, fmt.Sprintf("frame %d %s tree: %s%s", p.Frame, v.Name, diff, explain(v, q)))
				} else {
					a.agree["tree"]++
				}
			}
			o, th := c.Ours(m), c.Theirs(q)
			for _, f := range c.Fields {
				x, y := o.Field(f), th.Field(f)
				if x == "" && y == "" {
					continue
				}
				a.compared[f]++
				if x == y {
					a.agree[f]++
					continue
				}
				a.diffs = append(a.diffs, fmt.Sprintf("frame %d %s %s: ours %q, tshark %q%s",
					p.Frame, v.Name, f, x, y, explain(v, q)))
			}
		}
		fmt.Fprintf(&out, "\n%s: %d PDUs (tshark %d), %d decode errors, %d IEs kept as octets", name, len(mine), len(their), decodeErrs, undecoded)
		if c.CountTrailing {
			fmt.Fprintf(&out, ", %d PDUs with trailing octets", trailing)
		}
		out.WriteString("\n")
		for _, f := range append(slices.Clip(c.Fields), "tree") {
			fmt.Fprintf(&out, "  %-9s %4d/%d\n", f, a.agree[f], a.compared[f])
		}
		for _, diff := range a.diffs {
			fmt.Fprintf(&out, "  diff %s\n", diff)
		}
	}
	golden(t, filepath.Join("testdata", "tshark-traces.golden"), out.String(), update)
}

// onlyNames reports whether the IEs kept as octets are all character
// strings (names), which the schemas declare UNMODELLED.
func onlyNames(undecoded []error) bool {
	for _, e := range undecoded {
		if !strings.Contains(e.Error(), "Name: bit 0: type not modelled") {
			return false
		}
	}
	return true
}

// explain says why we differ, when we know.
func explain(v Decoded, q TsharkPDU) string {
	var why []string
	for _, e := range v.Undecoded {
		why = append(why, e.Error())
	}
	if q.Malformed {
		why = append(why, "tshark: malformed packet")
	}
	if len(why) == 0 {
		return ""
	}
	return " (" + strings.Join(why, "; ") + ")"
}

func golden(t *testing.T, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TsharkCause reads tshark's Cause of proto below n: "Cause: radioNetwork
// (0)" with the enumerated child "radioNetwork: normal-release (10)"
// gives "radioNetwork: normal-release"; "" when n shows none.
func TsharkCause(n *tsharktest.Node, proto string) string {
	if n == nil {
		return ""
	}
	c := n.Find(proto + ".Cause")
	if c == nil {
		return ""
	}
	group := tsharktest.ChoiceAlt(c)
	if e := c.Child(proto + "." + group); e != nil {
		return group + ": " + EnumName(e)
	}
	return group
}
