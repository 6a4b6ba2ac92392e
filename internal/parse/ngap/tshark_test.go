package ngap_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// view is what the differential tests compare: the fields a ladder uses,
// as strings so that tshark's and ours print alike.
type view struct {
	Outcome, Message string
	Code             int
	IEs              string // the message's IE ids, in order
	RAN, AMF         string // decimal, "" when absent
	NAS              string // hex of every NAS PDU, in order
	Cause            string // "radioNetwork: user-inactivity"
	Security         string // the four algorithm maps in hex
}

var fields = []string{"procedure", "message", "ies", "ran-id", "amf-id", "nas", "cause", "security"}

func (v view) field(name string) string {
	switch name {
	case "procedure":
		return v.Outcome + " " + strconv.Itoa(v.Code)
	case "message":
		return v.Message
	case "ies":
		return v.IEs
	case "ran-id":
		return v.RAN
	case "amf-id":
		return v.AMF
	case "nas":
		return v.NAS
	case "cause":
		return v.Cause
	case "security":
		return v.Security
	}
	return ""
}

func ours(m *ngap.Message) view {
	v := view{Outcome: m.Outcome, Message: m.Name, Code: m.ProcedureCode, Cause: m.Cause}
	num := func(p *uint64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatUint(*p, 10)
	}
	v.RAN, v.AMF = num(m.RANUEID), num(m.AMFUEID)
	var ids, nas []string
	if ies := m.Value.Get(m.Outcome + ".value.protocolIEs"); ies != nil {
		for i := range ies.Fields {
			ids = append(ids, strconv.FormatInt(ies.Fields[i].Field("id").Int, 10))
		}
	}
	for _, p := range m.NASPDUs {
		nas = append(nas, hex.EncodeToString(p))
	}
	if c := m.UESecurityCapabilities; c != nil {
		v.Security = fmt.Sprintf("%04x %04x %04x %04x", c.NREncryption, c.NRIntegrity, c.EUTRAEncryption, c.EUTRAIntegrity)
	}
	v.IEs, v.NAS = strings.Join(ids, ","), strings.Join(nas, " ")
	return v
}

func theirs(p aptest.TsharkPDU) view {
	var v view
	var ies []aptest.TsharkIE
	v.Outcome, v.Code, v.Message, ies = aptest.TsharkOutcome(p.PDU, "ngap")
	var ids, nas []string
	show := func(ie aptest.TsharkIE, name string) string {
		if ie.Value == nil {
			return ""
		}
		if f := ie.Value.Find("ngap." + name); f != nil {
			return f.Show
		}
		return ""
	}
	for _, ie := range ies {
		ids = append(ids, strconv.Itoa(ie.ID))
		switch ie.ID {
		case 85:
			v.RAN = show(ie, "RAN_UE_NGAP_ID")
		case 10:
			v.AMF = show(ie, "AMF_UE_NGAP_ID")
		case 114:
			v.AMF, v.RAN = show(ie, "AMF_UE_NGAP_ID"), show(ie, "RAN_UE_NGAP_ID")
		case 15:
			v.Cause = cause(ie.Value)
		case 119:
			var maps []string
			for _, n := range []string{"nRencryptionAlgorithms", "nRintegrityProtectionAlgorithms", "eUTRAencryptionAlgorithms", "eUTRAintegrityProtectionAlgorithms"} {
				maps = append(maps, show(ie, n))
			}
			v.Security = strings.ReplaceAll(strings.Join(maps, " "), ":", "")
		}
	}
	for _, n := range aptest.FindAll(p.PDU, "ngap.NAS_PDU", "ngap.pDUSessionNAS_PDU", "ngap.nAS_PDU") {
		nas = append(nas, n.Value)
	}
	v.IEs, v.NAS = strings.Join(ids, ","), strings.Join(nas, " ")
	return v
}

// cause reads tshark's Cause: "Cause: radioNetwork (0)" with the
// enumerated child "radioNetwork: user-inactivity (20)".
func cause(n *tsharktest.Node) string {
	if n == nil {
		return ""
	}
	c := n.Find("ngap.Cause")
	if c == nil {
		return ""
	}
	group := tsharktest.ChoiceAlt(c)
	if e := c.Child("ngap." + group); e != nil {
		return group + ": " + aptest.EnumName(e)
	}
	return group
}

// Our decoding of the builders' PDUs agrees with tshark's on every field.
func TestTsharkBuilt(t *testing.T) {
	bs := builders()
	var pdus [][]byte
	for _, b := range bs {
		pdus = append(pdus, b.pdu)
	}
	got := aptest.TsharkBuilt(t, "ngap", pdus...)
	if len(got) != len(bs) {
		t.Fatalf("tshark shows %d PDUs, want %d", len(got), len(bs))
	}
	for i, b := range bs {
		m, err := ngap.Decode(b.pdu)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(b.name, "unknown and unmodelled") {
			continue // tshark cannot decode what we keep as octets
		}
		if diff := cmp.Diff(theirs(got[i]), ours(m)); diff != "" {
			t.Errorf("%s: (-tshark +ours)\n%s", b.name, diff)
		}
		if d := aptest.TreeDiff(got[i], "ngap", m.Value); d != "" {
			t.Errorf("%s: tree: %s", b.name, d)
		}
	}
}

type agreement struct {
	agree, compared map[string]int
	diffs           []string
}

// TestTsharkTraces decodes every NGAP PDU of the shared captures (SCTP
// PPID 60, and the raw NGAP records of link type 152) and compares it with
// tshark's dissection; the counts and every difference go to
// testdata/tshark-traces.golden (rewrite with -update).
func TestTsharkTraces(t *testing.T) {
	shared := aptest.SharedDir(t)
	tsharktest.Path(t)
	files, err := filepath.Glob(filepath.Join(shared, "traces", "*.pcap*"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out strings.Builder
	out.WriteString("# NGAP: our decoding of every NGAP PDU of the shared traces against tshark 4.0.17.\n")
	out.WriteString("# field: agreeing PDUs / PDUs where either side shows the field; tree: PDUs whose every\n")
	out.WriteString("# primitive value agrees with tshark's, among those with no IE kept as octets but names.\n")
	out.WriteString(`#
# Notes:
# - PDUs with trailing octets: the MobiWatch AMF hands SCTP a buffer longer than the PDU
#   (zeros or stale bytes). tshark decodes the PDU and ignores the rest; so do we
#   (Message.Trailing).
# - IEs kept as octets: AMFName and RANNodeName (character strings, UNMODELLED), and in
#   SamsungA22 a PDUSessionResourceReleaseResponse whose
#   pDUSessionResourceReleaseResponseTransfer is empty (malformed: tshark shows
#   <MISSING>).
`)
	for _, path := range files {
		name := filepath.Base(path)
		mine := aptest.TracePDUs(t, name, aptest.PPIDNGAP)
		if len(mine) == 0 {
			continue
		}
		their := aptest.TsharkPDUs(t, path, "ngap", "-o", aptest.UserDLT152)
		a := agreement{agree: map[string]int{}, compared: map[string]int{}}
		decodeErrs, undecoded, trailing := 0, 0, 0
		if len(mine) != len(their) {
			t.Errorf("%s: %d NGAP PDUs, tshark shows %d", name, len(mine), len(their))
		}
		for i := range min(len(mine), len(their)) {
			p, q := mine[i], their[i]
			if p.Frame != q.Frame || !bytes.HasPrefix(p.Data, q.Data) {
				t.Errorf("%s: PDU %d: frame %d vs tshark's %d, or other bytes", name, i, p.Frame, q.Frame)
				continue
			}
			m, err := ngap.Decode(p.Data)
			if err != nil {
				decodeErrs++
				a.diffs = append(a.diffs, fmt.Sprintf("frame %d: %v", p.Frame, err))
				continue
			}
			undecoded += len(m.Undecoded)
			if m.Trailing > 0 {
				trailing++
			}
			if onlyNames(m.Undecoded) {
				a.compared["tree"]++
				if d := aptest.TreeDiff(q, "ngap", m.Value); d != "" {
					a.diffs = append(a.diffs, fmt.Sprintf("frame %d %s tree: %s%s", p.Frame, m.Name, d, explain(m, q)))
				} else {
					a.agree["tree"]++
				}
			}
			o, th := ours(m), theirs(q)
			for _, f := range fields {
				x, y := o.field(f), th.field(f)
				if x == "" && y == "" {
					continue
				}
				a.compared[f]++
				if x == y {
					a.agree[f]++
					continue
				}
				a.diffs = append(a.diffs, fmt.Sprintf("frame %d %s %s: ours %q, tshark %q%s",
					p.Frame, m.Name, f, x, y, explain(m, q)))
			}
		}
		fmt.Fprintf(&out, "\n%s: %d PDUs (tshark %d), %d decode errors, %d IEs kept as octets, %d PDUs with trailing octets\n",
			name, len(mine), len(their), decodeErrs, undecoded, trailing)
		for _, f := range append(fields, "tree") {
			fmt.Fprintf(&out, "  %-9s %4d/%d\n", f, a.agree[f], a.compared[f])
		}
		for _, d := range a.diffs {
			fmt.Fprintf(&out, "  diff %s\n", d)
		}
	}
	golden(t, filepath.Join("testdata", "tshark-traces.golden"), out.String())
}

// onlyNames reports whether the IEs kept as octets are all character
// strings (names), which the schema declares UNMODELLED.
func onlyNames(undecoded []error) bool {
	for _, e := range undecoded {
		if !strings.Contains(e.Error(), "Name: bit 0: type not modelled") {
			return false
		}
	}
	return true
}

func explain(m *ngap.Message, q aptest.TsharkPDU) string {
	var why []string
	for _, e := range m.Undecoded {
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

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
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
