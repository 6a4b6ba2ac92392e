package rrc

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// The schema files of the messages: the channel PDUs, every message and
// the IEs they use outside the RadioBearerConfig/MeasConfig trees.
var msgFiles = []string{"messages.asn", "ies.asn"}

// msgOwnedElsewhere lists the types messages.asn and ies.asn refer to
// without describing (undefined, or declared UNMODELLED at the end of
// ies.asn), with the tree they belong to. A reference to anything
// else that no asn/*.asn file defines is an error. Decoding a value of one
// of them fails the vector and trace tests (see msgStubsReached).
var msgOwnedElsewhere = map[string]string{
	// CellGroupConfig tree (ServingCellConfig, BWPs, physical layer).
	"CellGroupConfig":                        "cell group config", // CONTAINING: kept as octets
	"ServingCellConfigCommonSIB":             "cell group config (SIB1 stops here)",
	"BWP":                                    "cell group config",
	"PDCCH-Config":                           "cell group config",
	"PDSCH-Config":                           "cell group config",
	"PUSCH-Config":                           "cell group config",
	"ConfiguredGrantConfigToAddModList-r16":  "cell group config",
	"ConfiguredGrantConfigToReleaseList-r16": "cell group config",
	"ConfiguredGrantConfigIndexMAC-r16":      "cell group config",
	"SRS-Resource":                           "cell group config",
	"SRS-PosResourceSet-r16":                 "cell group config",
	"SRS-PosResource-r16":                    "cell group config",
	// System information blocks other than SIB1 (SystemInformation stops
	// at sib-TypeAndInfo).
	"SIB2": "system information", "SIB3": "system information", "SIB4": "system information",
	"SIB5": "system information", "SIB6": "system information", "SIB7": "system information",
	"SIB8": "system information", "SIB9": "system information",
	"SIB10-r16": "system information", "SIB11-r16": "system information",
	"SIB12-r16": "system information", "SIB13-r16": "system information",
	"SIB14-r16": "system information", "SIB15-r17": "system information",
	"SIB16-r17": "system information", "SIB17-r17": "system information",
	"SIB18-r17": "system information", "SIB19-r17": "system information",
	"SIB20-r17": "system information", "SIB21-r17": "system information",
	// Sidelink (clause 6.3.5).
	"SL-ConfigDedicatedNR-r16":       "sidelink",
	"SL-DRX-ConfigUC-SemiStatic-r17": "sidelink",
}

// msgChannelTypes maps a vector channel to its PDU type.
var msgChannelTypes = map[string]string{
	"bcch-bch":    "BCCH-BCH-Message",
	"bcch-dl-sch": "BCCH-DL-SCH-Message",
	"dl-ccch":     "DL-CCCH-Message",
	"dl-dcch":     "DL-DCCH-Message",
	"pcch":        "PCCH-Message",
	"ul-ccch":     "UL-CCCH-Message",
	"ul-ccch1":    "UL-CCCH1-Message",
	"ul-dcch":     "UL-DCCH-Message",
}

// msgASNFiles reads every asn/*.asn file, in name order.
func msgASNFiles(t *testing.T) []per.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("asn", "*.asn"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var fs []per.File
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, per.File{Name: filepath.Base(n), Text: b})
	}
	for _, m := range msgFiles {
		if !slices.ContainsFunc(fs, func(f per.File) bool { return f.Name == m }) {
			t.Fatalf("asn/%s missing", m)
		}
	}
	return fs
}

var msgUndefinedRE = regexp.MustCompile(`undefined (type|value) ([A-Za-z][A-Za-z0-9-]*)`)

// msgCompile compiles files; each undefined type is recorded and stubbed
// as NULL (an undefined value makes it fail) and compilation retried, so
// that every missing type is found, not only the first.
func msgCompile(files []per.File) (s *per.Schema, undefType []string, err error) {
	var stub strings.Builder
	for range 1000 {
		all := append(slices.Clone(files), per.File{Name: "stub.asn", Text: []byte(stub.String())})
		s, err = per.Compile(all...)
		if err == nil {
			return s, undefType, nil
		}
		m := msgUndefinedRE.FindStringSubmatch(err.Error())
		if m == nil || m[1] != "type" || slices.Contains(undefType, m[2]) {
			return nil, undefType, err
		}
		undefType = append(undefType, m[2])
		fmt.Fprintf(&stub, "%s ::= NULL\n", m[2])
	}
	return nil, undefType, fmt.Errorf("too many undefined types")
}

// msgDefinedIn returns the names assigned at the start of a line in src,
// parameterized types (SetupRelease) left out.
func msgDefinedIn(src []byte) []string {
	re := regexp.MustCompile(`(?m)^([A-Za-z][A-Za-z0-9-]*)\s*(\{[^}]*\}\s*)?(?:INTEGER\s*)?::=`)
	var out []string
	for _, m := range re.FindAllSubmatch(src, -1) {
		if len(m[2]) > 0 {
			continue // parameterized: compiled where it is used
		}
		out = append(out, string(m[1]))
	}
	return out
}

// msgSchema compiles asn/*.asn with the undefined types stubbed, and
// returns the schema and the names of the types it does not describe: the
// stubbed ones and those declared UNMODELLED.
func msgSchema(t *testing.T) (*per.Schema, []string) {
	t.Helper()
	files := msgASNFiles(t)
	s, undefType, err := msgCompile(files)
	if err != nil {
		t.Fatalf("compiling asn/*.asn: %v", err)
	}
	for _, n := range msgUnmodelled(files, false) {
		if !slices.Contains(undefType, n) {
			undefType = append(undefType, n)
		}
	}
	return s, undefType
}

var msgUnmodelledRE = regexp.MustCompile(`(?m)^([A-Za-z][A-Za-z0-9-]*)\s*::=\s*UNMODELLED\b`)

// msgUnmodelled returns the types declared UNMODELLED in asn/*.asn (only in
// messages.asn and ies.asn when own).
func msgUnmodelled(files []per.File, own bool) []string {
	var out []string
	for _, f := range files {
		if own && !slices.Contains(msgFiles, f.Name) {
			continue
		}
		for _, m := range msgUnmodelledRE.FindAllSubmatch(f.Text, -1) {
			out = append(out, string(m[1]))
		}
	}
	return out
}

// msgUses reports whether messages.asn or ies.asn mention name as a word.
func msgUses(files []per.File, name string) bool {
	re := regexp.MustCompile(`(^|[^A-Za-z0-9-])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9-])`)
	for _, f := range files {
		if slices.Contains(msgFiles, f.Name) && re.Match(f.Text) {
			return true
		}
	}
	return false
}

// TestMessagesSchema compiles all asn/*.asn files, checks that every type
// messages.asn and ies.asn define compiles, and that they refer only to
// defined names or to the types of other trees listed in
// msgOwnedElsewhere.
func TestMessagesSchema(t *testing.T) {
	files := msgASNFiles(t)
	s, undefType := msgSchema(t)
	var defined int
	for _, f := range files {
		if !slices.Contains(msgFiles, f.Name) {
			continue
		}
		for _, n := range msgDefinedIn(f.Text) {
			defined++
			// Value assignments are evaluated where they are used (a
			// constant defined as another, ffsUpperLimit, may stay
			// unevaluated); types must all compile.
			if _, ok := s.Value(n); !ok && s.Type(n) == nil && !msgIsValueName(n) {
				t.Errorf("%s: %s defined but not compiled", f.Name, n)
			}
		}
	}
	t.Logf("%d types and values defined in %s", defined, strings.Join(msgFiles, ", "))
	for _, n := range undefType {
		if !msgUses(files, n) {
			continue // another tree's reference
		}
		if owner, ok := msgOwnedElsewhere[n]; ok {
			t.Logf("type %s left undefined (%s)", n, owner)
			continue
		}
		t.Errorf("type %s is referenced by %s and defined nowhere", n, strings.Join(msgFiles, "/"))
	}
	for _, n := range msgUnmodelled(files, true) {
		if owner, ok := msgOwnedElsewhere[n]; ok {
			t.Logf("type %s declared UNMODELLED (%s)", n, owner)
			continue
		}
		t.Errorf("type %s declared UNMODELLED in %s but not listed in msgOwnedElsewhere", n, strings.Join(msgFiles, "/"))
	}
	for _, name := range msgChannelTypes {
		if s.Type(name) == nil {
			t.Errorf("PDU type %s missing", name)
		}
	}
}

// msgIsValueName reports whether n is a value reference (lower-case first
// letter), not a type reference.
func msgIsValueName(n string) bool { return n != "" && n[0] >= 'a' && n[0] <= 'z' }

// msgStubsReached returns the stubbed (undefined) types a decoded value
// holds a value of, and the extension additions kept as octets because
// they hold an UNMODELLED one.
func msgStubsReached(v *per.Value, stubs []string) []string {
	var out []string
	var walk func(v *per.Value)
	walk = func(v *per.Value) {
		if v.Type != "" && slices.Contains(stubs, v.Type) && !slices.Contains(out, v.Type) {
			out = append(out, v.Type)
		}
		if v.Kind == per.Open && v.Err != nil && errors.Is(v.Err, per.ErrUnmodelled) {
			out = append(out, v.Name+" (UNMODELLED)")
		}
		for i := range v.Fields {
			walk(&v.Fields[i])
		}
		if v.Contained != nil {
			walk(v.Contained)
		}
	}
	walk(v)
	return out
}

// msgOpaqueContainers returns the names of the CONTAINING types the decoding
// kept as octets (undefined or opaque types).
func msgOpaqueContainers(v *per.Value) map[string]bool {
	out := map[string]bool{}
	var walk func(v *per.Value)
	walk = func(v *per.Value) {
		if v.Kind == per.OctetString && v.Container != "" && v.Contained == nil {
			out[v.Container] = true
		}
		for i := range v.Fields {
			walk(&v.Fields[i])
		}
		if v.Contained != nil {
			walk(v.Contained)
		}
	}
	walk(v)
	return out
}

// msgSharedDir finds the shared material: $NRLADDER_SHARED, or a directory
// named shared holding vectors/rrc-vectors.json beside the working
// directory or one of its parents.
func msgSharedDir() (string, bool) {
	has := func(d string) bool {
		_, err := os.Stat(filepath.Join(d, "vectors", "rrc-vectors.json"))
		return err == nil
	}
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		return d, has(d)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for range 8 {
		if d := filepath.Join(dir, "shared"); has(d) {
			return d, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}

type msgVector struct {
	Label   string          `json:"label"`
	RAT     string          `json:"rat"`
	Channel string          `json:"channel"`
	Hex     string          `json:"hex"`
	JER     json.RawMessage `json:"jer"`
}

func msgVectors(t *testing.T) []msgVector {
	t.Helper()
	dir, ok := msgSharedDir()
	if !ok {
		t.Skip("SKIPPED: shared/vectors/rrc-vectors.json not found beside the repository (set NRLADDER_SHARED); schema vector checks not run")
	}
	b, err := os.ReadFile(filepath.Join(dir, "vectors", "rrc-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []msgVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// msgJERDiff compares two JER documents and lists the differences by path.
// An object {"X": ...} in want where got holds a hex string and X is in
// opaque (a container the decoding kept as octets) is not compared.
func msgJERDiff(path string, want, got any, opaque map[string]bool, out *[]string) {
	if w, ok := want.(map[string]any); ok && len(w) == 1 {
		if s, ok := got.(string); ok {
			for k := range w {
				if opaque[k] {
					if _, err := hex.DecodeString(s); err == nil {
						return
					}
				}
			}
		}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: want object, got %v", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !wok:
				*out = append(*out, fmt.Sprintf("%s.%s: unexpected %v", path, k, gv))
			case !gok:
				*out = append(*out, fmt.Sprintf("%s.%s: missing (want %v)", path, k, wv))
			default:
				msgJERDiff(path+"."+k, wv, gv, opaque, out)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, want, got))
			return
		}
		for i := range w {
			msgJERDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], opaque, out)
		}
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
}

// TestMessagesVectors decodes every NR vector of shared/vectors as its
// channel's PDU type and compares the JER with the vector's.
func TestMessagesVectors(t *testing.T) {
	vs := msgVectors(t)
	s, stubs := msgSchema(t)
	var n int
	for _, v := range vs {
		if v.RAT != "nr" {
			continue
		}
		n++
		t.Run(v.Label, func(t *testing.T) {
			typ, ok := msgChannelTypes[v.Channel]
			if !ok {
				t.Fatalf("unknown channel %q", v.Channel)
			}
			pdu, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			val, err := s.Decode(typ, pdu, per.Options{})
			if err != nil {
				t.Fatalf("decoding %s %s: %v", typ, v.Hex, err)
			}
			if r := msgStubsReached(val, stubs); len(r) > 0 {
				t.Errorf("decoding reached undefined types %v", r)
			}
			gotJSON, err := json.Marshal(val)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			if err := json.Unmarshal(v.JER, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(gotJSON, &got); err != nil {
				t.Fatalf("engine JER is not JSON: %v\n%s", err, gotJSON)
			}
			opaque := msgOpaqueContainers(val)
			var diffs []string
			msgJERDiff("", want, got, opaque, &diffs)
			for _, d := range diffs {
				t.Error(d)
			}
			if len(opaque) > 0 {
				t.Logf("containers kept as octets, not compared: %v", opaque)
			}
			if len(diffs) > 0 {
				t.Logf("got JER %s", gotJSON)
			}
		})
	}
	if n == 0 {
		t.Fatal("no NR vectors")
	}
}

// msgTsharkOpts make tshark decode the srsRAN MAC-NR captures (user DLT
// 149 as UDP, then the mac_nr_udp heuristic).
var msgTsharkOpts = []string{
	"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`,
	"--enable-heuristic", "mac_nr_udp",
	"-Y", "nr-rrc",
}

// msgPDMLNode is an element of tshark's PDML with its position: pos and size
// in the packet's data source.
type msgPDMLNode struct {
	XMLName  xml.Name
	Name     string        `xml:"name,attr"`
	Showname string        `xml:"showname,attr"`
	Show     string        `xml:"show,attr"`
	Value    string        `xml:"value,attr"`
	Hide     string        `xml:"hide,attr"`
	Pos      int           `xml:"pos,attr"`
	Size     int           `xml:"size,attr"`
	Children []msgPDMLNode `xml:",any"`
}

// node converts n to the tsharktest form. The nameless "Item N" fields
// tshark wraps SEQUENCE OF elements in are replaced by their children, so
// that tsharktest.TsharkLeaves walks into the elements.
func (n *msgPDMLNode) node() tsharktest.Node {
	out := tsharktest.Node{XMLName: n.XMLName, Name: n.Name, Showname: n.Showname, Show: n.Show, Value: n.Value, Hide: n.Hide}
	for i := range n.Children {
		c := n.Children[i].node()
		if c.XMLName.Local == "field" && c.Name == "" && strings.HasPrefix(c.Show, "Item ") {
			out.Children = append(out.Children, c.Children...)
			continue
		}
		out.Children = append(out.Children, c)
	}
	return out
}

// flatten lists n's descendants in document order; after[i] is the
// index of the first node after the subtree of out[i].
func (n *msgPDMLNode) flatten(out []*msgPDMLNode, after []int) ([]*msgPDMLNode, []int) {
	for i := range n.Children {
		at := len(out)
		out = append(out, &n.Children[i])
		after = append(after, 0)
		out, after = n.Children[i].flatten(out, after)
		after[at] = len(out)
	}
	return out, after
}

// msgPDMLPackets runs tshark on a capture and returns the packets of its PDML.
func msgPDMLPackets(t *testing.T, tshark, path string) []msgPDMLNode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-n", "-r", path, "-T", "pdml"}, msgTsharkOpts...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var doc struct {
		Packets []msgPDMLNode `xml:"packet"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("parsing tshark PDML of %s: %v", path, err)
	}
	return doc.Packets
}

// msgTraceMessage is one NR RRC PDU tshark found in a capture.
type msgTraceMessage struct {
	file  string
	frame int
	typ   string // "UL-DCCH-Message"
	pdu   []byte
	node  tsharktest.Node // the nr-rrc proto item
}

// msgPDUBytes recovers the octets of the RRC PDU the nr-rrc proto item
// all[at] dissects. Neither the proto's size nor that of its message
// field is exact (tshark reports the rest of the buffer, or the octets the
// last decoded bit ends in), so the PDU is taken from the nearest field
// before it that encloses it and shows its octets (a MAC subheader and
// SDU, an RLC data field or reassembled payload, an F1AP RRCContainer),
// up to the item that follows the proto's subtree when that starts inside
// (the PDCP MAC-I, the next MAC subheader). Nearest, not smallest: a
// reassembled payload is a data source of its own, and the frame's fields
// at the same offsets (the UDP ports) must not be taken for it.
func msgPDUBytes(all []*msgPDMLNode, after []int, at int) ([]byte, bool) {
	p := all[at]
	var enc *msgPDMLNode
	for i := at - 1; i >= 0; i-- {
		f := all[i]
		if f.XMLName.Local != "field" || strings.HasPrefix(f.Name, "nr-rrc.") || len(f.Value) != 2*f.Size {
			continue
		}
		if f.Pos <= p.Pos && p.Pos < f.Pos+f.Size {
			enc = f
			break
		}
	}
	if enc == nil {
		return nil, false
	}
	end := enc.Pos + enc.Size
	if next := after[at]; next < len(all) && all[next].Pos > p.Pos && all[next].Pos < end {
		end = all[next].Pos
	}
	b, err := hex.DecodeString(enc.Value)
	if err != nil || end <= p.Pos {
		return nil, false
	}
	return b[p.Pos-enc.Pos : end-enc.Pos], true
}

// msgDecodingFlags reports whether tshark's expert items flag a decoding
// problem. Not counted: the zero UDP checksum of srsRAN's fake UDP header,
// PDCP MAC-I digests tshark cannot compute without keys, and repeated PDCP
// sequence numbers (RLC retransmissions of valid PDUs).
func msgDecodingFlags(experts []string) bool {
	for _, e := range experts {
		if strings.Contains(e, "Illegal checksum value") || strings.Contains(e, "MAC-I Digest wrong") ||
			strings.Contains(e, "PDCP SN (") && strings.Contains(e, ") repeated") {
			continue
		}
		return true
	}
	return false
}

// msgTraceMessages returns the RRC PDUs tshark decodes in a capture without a
// malformed or other decoding flag in their packet. In the F1AP captures (SRB
// containers are PDCP PDUs) the DCCH messages of a UE after its
// SecurityModeCommand are ciphered and left out.
func msgTraceMessages(t *testing.T, tshark, path string, s *per.Schema) (out []msgTraceMessage, flagged int) {
	t.Helper()
	ciphered := map[string]bool{} // F1AP UE id -> security started
	for _, pp := range msgPDMLPackets(t, tshark, path) {
		pkt := pp.node()
		if msgDecodingFlags(pkt.Experts(nil)) {
			flagged++
			continue
		}
		ue, f1ap := "", pkt.Find("f1ap.GNB_DU_UE_F1AP_ID") != nil
		if f1ap {
			ue = pkt.Find("f1ap.GNB_DU_UE_F1AP_ID").Show
		}
		all, after := pp.flatten(nil, nil)
		for i, p := range all {
			if p.XMLName.Local != "proto" || p.Name != "nr-rrc" || p.Hide == "yes" {
				continue
			}
			n := p.node()
			el := n.Element()
			if el == nil || el.Child("nr-rrc.message") == nil {
				continue
			}
			typ := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(el.Name, "nr-rrc."), "_element"), "_", "-")
			if s.Type(typ) == nil {
				continue // not a channel PDU
			}
			pdu, ok := msgPDUBytes(all, after, i)
			if !ok {
				t.Errorf("%s frame %d: no octets found for %s", filepath.Base(path), pkt.Frame(), typ)
				continue
			}
			if strings.Contains(typ, "DCCH") && f1ap && ciphered[ue] {
				continue
			}
			out = append(out, msgTraceMessage{filepath.Base(path), pkt.Frame(), typ, pdu, n})
			if n.Find("nr-rrc.securityModeCommand_element") != nil {
				ciphered[ue] = true
			}
		}
	}
	return out, flagged
}

// msgRLSChannels are the rrcChannel values of UERANSIM's RLS protocol
// (0 BCCH-BCH … 7 UL-DCCH): the exported-PDU dissector and the PDU type.
var msgRLSChannels = []struct{ dissector, typ string }{
	{"nr-rrc.bcch.bch", "BCCH-BCH-Message"},
	{"nr-rrc.bcch.dl.sch", "BCCH-DL-SCH-Message"},
	{"nr-rrc.dl.ccch", "DL-CCCH-Message"},
	{"nr-rrc.dl.dcch", "DL-DCCH-Message"},
	{"nr-rrc.pcch", "PCCH-Message"},
	{"nr-rrc.ul.ccch", "UL-CCCH-Message"},
	{"nr-rrc.ul.ccch1", "UL-CCCH1-Message"},
	{"nr-rrc.ul.dcch", "UL-DCCH-Message"},
}

// msgRLSMessages returns the RRC PDUs of a UERANSIM RLS capture (UDP port
// 4997), which stock tshark does not dissect: the PDUs are cut out of the
// RLS PDU-transmission messages, written to an exported-PDU capture with
// their channel's dissector, and dissected from there.
func msgRLSMessages(t *testing.T, tshark, path string) (out []msgTraceMessage, flagged int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, "-n", "-r", path, "-Y", "udp.port==4997", "-T", "fields", "-e", "frame.number", "-e", "udp.payload")
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark on %s: %v", path, err)
	}
	type rls struct {
		frame int
		ch    int
		pdu   []byte
	}
	var pdus []rls
	for _, line := range strings.Split(strings.TrimSpace(string(outb)), "\n") {
		var frame int
		var payload string
		if _, err := fmt.Sscan(line, &frame, &payload); err != nil {
			continue
		}
		b, err := hex.DecodeString(payload)
		// 0x03, version (3), message type 6 (PDU transmission), STI (8),
		// PDU type 1 (RRC), PDU id (4), RRC channel (4), length (4).
		if err != nil || len(b) < 26 || b[0] != 0x03 || b[4] != 6 || b[13] != 1 {
			continue
		}
		ch := int(b[18])<<24 | int(b[19])<<16 | int(b[20])<<8 | int(b[21])
		n := int(b[22])<<24 | int(b[23])<<16 | int(b[24])<<8 | int(b[25])
		if ch < 0 || ch >= len(msgRLSChannels) || n != len(b)-26 {
			t.Errorf("%s frame %d: RLS RRC channel %d, length %d of %d", filepath.Base(path), frame, ch, n, len(b)-26)
			continue
		}
		pdus = append(pdus, rls{frame, ch, b[26:]})
	}
	if len(pdus) == 0 {
		return nil, 0
	}
	file := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range pdus {
		file.Packets = append(file.Packets, capturetest.Packet{
			Time: t0.Add(time.Duration(i) * time.Millisecond),
			Data: capturetest.ExportedPDU(msgRLSChannels[p.ch].dissector, p.pdu),
		})
	}
	tmp := filepath.Join(t.TempDir(), "rls.pcap")
	if err := os.WriteFile(tmp, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pkts := msgPDMLPackets(t, tshark, tmp)
	if len(pkts) != len(pdus) {
		t.Fatalf("%s: tshark shows %d of the %d RRC PDUs", filepath.Base(path), len(pkts), len(pdus))
	}
	for i, pp := range pkts {
		pkt := pp.node()
		if msgDecodingFlags(pkt.Experts(nil)) {
			flagged++
			continue
		}
		all, _ := pp.flatten(nil, nil)
		for _, p := range all {
			if p.XMLName.Local == "proto" && p.Name == "nr-rrc" && p.Hide != "yes" {
				out = append(out, msgTraceMessage{filepath.Base(path), pdus[i].frame, msgRLSChannels[pdus[i].ch].typ, pdus[i].pdu, p.node()})
				break
			}
		}
	}
	return out, flagged
}

// msgAlternative returns the chain of alternatives below message:
// "c1.rrcSetupRequest".
func msgAlternative(v *per.Value) string {
	var path []string
	for c := v.Field("message"); c != nil && c.Kind == per.Choice; {
		c = c.Chosen()
		if c == nil {
			break
		}
		path = append(path, c.Name)
	}
	return strings.Join(path, ".")
}

// msgOctetsTsharkDecodes are OCTET STRINGs the schema keeps as octets, as
// 38.331 writes them (no CONTAINING), whose content tshark decodes
// (UE-CapabilityRequestFilterNR, UE-NR-Capability): compared as octets.
var msgOctetsTsharkDecodes = []string{"capabilityRequestFilter", "ue-CapabilityRAT-Container"}

// TestMessagesTraces decodes every plain NR RRC PDU of the public
// captures in shared/traces with the schema and compares its primitive
// values, in order, with tshark's.
func TestMessagesTraces(t *testing.T) {
	tshark := tsharktest.Path(t)
	dir, ok := msgSharedDir()
	if !ok {
		t.Skip("SKIPPED: shared/ not found beside the repository (set NRLADDER_SHARED); trace checks not run")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "traces", "*.pcap*"))
	if len(paths) == 0 {
		t.Skip("SKIPPED: no capture in shared/traces; trace checks not run")
	}
	s, stubs := msgSchema(t)
	var total, decoded, compared int
	alts := map[string]int{}
	for _, path := range paths {
		msgs, flagged := msgTraceMessages(t, tshark, path, s)
		if len(msgs) == 0 {
			msgs, flagged = msgRLSMessages(t, tshark, path)
		}
		if len(msgs) == 0 {
			continue
		}
		t.Logf("%s: %d plain RRC PDUs (%d packets with tshark flags left out)", filepath.Base(path), len(msgs), flagged)
		for _, m := range msgs {
			total++
			where := fmt.Sprintf("%s frame %d %s", m.file, m.frame, m.typ)
			v, err := s.Decode(m.typ, m.pdu, per.Options{})
			if sib1 := m.node.Find("nr-rrc.servingCellConfigCommon_element") != nil; sib1 && (err != nil || len(msgStubsReached(v, stubs)) > 0) {
				// SIB1 stops at ServingCellConfigCommonSIB, left undefined.
				t.Logf("%s: SIB1 with servingCellConfigCommon not decoded (%v)", where, err)
				continue
			}
			if err != nil && errors.Is(err, per.ErrUnmodelled) {
				t.Logf("%s: reaches a type not modelled (%v); values not compared", where, err)
				continue
			}
			if err != nil {
				t.Errorf("%s %x: %v", where, m.pdu, err)
				continue
			}
			decoded++
			if r := msgStubsReached(v, stubs); len(r) > 0 {
				t.Logf("%s: reaches undefined %v; values not compared", where, r)
				continue
			}
			alts[m.typ+" "+msgAlternative(v)]++
			opaque := tsharktest.OpaqueNames(v)
			for _, n := range msgOctetsTsharkDecodes {
				opaque[n] = true
			}
			want := tsharktest.TsharkLeaves(&m.node, "nr-rrc.", func(name string) bool { return opaque[name] })
			got := msgValueLeaves(v)
			msgNormalizeLeaves(want, got)
			if d := tsharktest.CompareLeaves(want, got); d != "" {
				t.Errorf("%s %x: %s", where, m.pdu, d)
				continue
			}
			compared++
		}
	}
	t.Logf("%d PDUs: %d decoded, %d agree with tshark leaf by leaf", total, decoded, compared)
	names := make([]string, 0, len(alts))
	for a := range alts {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		t.Logf("  %4d %s", alts[a], a)
	}
	if total == 0 {
		t.Fatal("no RRC PDU found in shared/traces")
	}
}

// msgAlternatives lists, per channel, the leading bits that select each
// message (the message CHOICE, then c1 or c2), spares left out.
func msgAlternatives() []struct {
	dissector, typ string
	bits           []int // leading bits, most significant first
} {
	type alt = struct {
		dissector, typ string
		bits           []int
	}
	var out []alt
	bitsOf := func(v, n int) []int {
		b := make([]int, n)
		for i := range n {
			b[i] = v >> (n - 1 - i) & 1
		}
		return b
	}
	add := func(dissector, typ string, prefix []int, n, count int) {
		for i := range count {
			out = append(out, alt{dissector, typ, append(slices.Clone(prefix), bitsOf(i, n)...)})
		}
	}
	add("nr-rrc.bcch.bch", "BCCH-BCH-Message", nil, 1, 1)
	add("nr-rrc.bcch.dl.sch", "BCCH-DL-SCH-Message", []int{0}, 1, 2)
	add("nr-rrc.dl.ccch", "DL-CCCH-Message", []int{0}, 2, 2)
	add("nr-rrc.dl.dcch", "DL-DCCH-Message", []int{0}, 4, 13)
	add("nr-rrc.pcch", "PCCH-Message", []int{0}, 1, 1)
	add("nr-rrc.ul.ccch", "UL-CCCH-Message", []int{0}, 2, 4)
	add("nr-rrc.ul.ccch1", "UL-CCCH1-Message", []int{0}, 2, 1)
	add("nr-rrc.ul.dcch", "UL-DCCH-Message", []int{0}, 4, 16)
	add("nr-rrc.ul.dcch", "UL-DCCH-Message", []int{1, 0}, 4, 10)
	return out
}

// msgValueLeaves is tsharktest.ValueLeaves with an empty SEQUENCE OF as
// the leaf tshark shows for it (its count, 0).
func msgValueLeaves(v *per.Value) []tsharktest.Leaf {
	var out []tsharktest.Leaf
	var walk func(v *per.Value, name string, item bool)
	walk = func(v *per.Value, name string, item bool) {
		switch v.Kind {
		case per.Sequence:
			if len(v.Fields) == 0 && name != "" {
				out = append(out, tsharktest.Leaf{Name: name, Value: "null", Item: item})
			}
			for i := range v.Fields {
				walk(&v.Fields[i], v.Fields[i].Name, false)
			}
		case per.SequenceOf:
			if len(v.Fields) == 0 {
				out = append(out, tsharktest.Leaf{Name: name, Value: "0", Item: item})
			}
			for i := range v.Fields {
				walk(&v.Fields[i], name, true)
			}
		case per.Choice:
			for i := range v.Fields {
				walk(&v.Fields[i], v.Fields[i].Name, false)
			}
		case per.OctetString:
			if v.Contained != nil {
				walk(v.Contained, name, item)
				return
			}
			out = append(out, tsharktest.Leaf{Name: name, Value: hex.EncodeToString(v.Octets), Item: item})
		default:
			out = append(out, tsharktest.ValueLeaves(v)...)
			if n := len(out) - 1; n >= 0 {
				out[n].Name, out[n].Item = name, item
			}
		}
	}
	walk(v, "", false)
	return out
}

// msgStubComponents returns the identifiers of the components and
// alternatives whose type is one of the stubbed types, in asn/*.asn.
func msgStubComponents(files []per.File, stubs []string) map[string]bool {
	out := map[string]bool{}
	for _, st := range stubs {
		out[st] = true // tshark names a typed value after its type too
		re := regexp.MustCompile(`(?m)^\s+([a-z][A-Za-z0-9-]*)\s+(?:SetupRelease\s*\{\s*)?` + regexp.QuoteMeta(st) + `\b`)
		for _, f := range files {
			for _, m := range re.FindAllSubmatch(f.Text, -1) {
				out[string(m[1])] = true
			}
		}
	}
	return out
}

// msgTsharkReaches reports whether tshark's dissection shows a value of
// one of the named components or types (those the schema leaves
// undefined).
func msgTsharkReaches(n *tsharktest.Node, names map[string]bool) bool {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local == "field" && strings.HasPrefix(c.Name, "nr-rrc.") && names[msgIdent(c.Name)] {
			return true
		}
		if msgTsharkReaches(c, names) {
			return true
		}
	}
	return false
}

// msgHasOpen reports whether v holds an extension the schema does not
// know: an alternative of a CHOICE, additions of a SEQUENCE, a value of
// an ENUMERATED.
func msgHasOpen(v *per.Value) bool {
	if v.Kind == per.Open || v.Skipped > 0 || v.Kind == per.Enumerated && v.Ident == "" {
		return true
	}
	for i := range v.Fields {
		if msgHasOpen(&v.Fields[i]) {
			return true
		}
	}
	return v.Contained != nil && msgHasOpen(v.Contained)
}

// msgIdent turns a PDML field name into the ASN.1 identifier:
// "nr-rrc.measQuantityResults.sinr" gives "sinr",
// "nr-rrc.criticalExtensions_01" gives "criticalExtensions".
func msgIdent(name string) string {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "nr-rrc."), "_element")
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.LastIndex(name, "_"); i >= 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	return strings.ReplaceAll(name, "_", "-")
}

// msgOctetNames returns the names of the OCTET STRING values v holds as
// octets: those without CONTAINING, whose content tshark may still
// dissect (NAS, LTE RRC, LPP, UE capabilities), and undecoded containers.
func msgOctetNames(v *per.Value) map[string]bool {
	out := map[string]bool{}
	var walk func(v *per.Value)
	walk = func(v *per.Value) {
		if v.Kind == per.OctetString && v.Contained == nil {
			out[v.Name] = true
		}
		for i := range v.Fields {
			walk(&v.Fields[i])
		}
		if v.Contained != nil {
			walk(v.Contained)
		}
	}
	walk(v)
	return out
}

// msgOwnFlags returns tshark's expert items about its NR RRC decoding of
// a PDU: those inside the fields the schema keeps as octets and inside
// other protocols (NAS, LTE RRC, LPP) are left out.
func msgOwnFlags(n *tsharktest.Node, octets map[string]bool) []string {
	var out []string
	for i := range n.Children {
		c := &n.Children[i]
		switch {
		case c.Name == "_ws.expert" || c.Name == "_ws.malformed":
			out = append(out, c.Showname)
			continue
		case c.XMLName.Local == "proto" && c.Name != "nr-rrc":
			continue
		case strings.HasPrefix(c.Name, "nr-rrc.") && octets[msgIdent(c.Name)]:
			continue
		}
		out = append(out, msgOwnFlags(c, octets)...)
	}
	return out
}

// msgNotes reports whether tshark's flags are only notes that it met an
// extension it does not know (a CHOICE alternative or SEQUENCE addition).
func msgNotes(experts []string) bool {
	for _, e := range experts {
		if !strings.Contains(e, "Note/Undecoded") {
			return false
		}
	}
	return true
}

// msgWithUnit matches a number tshark shows in its unit ("7.5dB",
// "84900ms") rather than as the encoded integer.
var msgWithUnit = regexp.MustCompile(`^-?[0-9.]+[A-Za-z%]+$`)

// msgNormalizeLeaves aligns how the two sides name and show values:
// tshark's identifiers lose the type prefix it adds to tell same-named
// components apart ("measQuantityResults.sinr"); an ENUMERATED extension
// value neither schema knows, "Unknown" in tshark, and an INTEGER tshark
// shows in its unit take the number per.Value shows.
func msgNormalizeLeaves(tshark, ours []tsharktest.Leaf) {
	for i := range tshark {
		if j := strings.LastIndex(tshark[i].Name, "."); j >= 0 {
			tshark[i].Name = tshark[i].Name[j+1:]
		}
	}
	for i := range min(len(tshark), len(ours)) {
		if _, err := strconv.Atoi(ours[i].Value); err != nil {
			continue
		}
		if tshark[i].Value == "Unknown" || msgWithUnit.MatchString(tshark[i].Value) {
			tshark[i].Value = ours[i].Value
		}
	}
}

// TestMessagesRandomTshark is a differential test of the message
// definitions against tshark: for every message of every channel it
// writes PDUs whose bits after the message selector are random (half of
// them chosen among those the schema decodes), cut after the last octet
// the schema reads, and compares the primitive values the schema decodes
// with those tshark shows. Random bits select optional
// components, extensions and choices at random, so the test covers the
// structure of messages no capture holds. PDUs tshark flags (malformed,
// constraint violations) must fail to decode here too.
func TestMessagesRandomTshark(t *testing.T) {
	tshark := tsharktest.Path(t)
	if testing.Short() {
		t.Skip("SKIPPED in -short: random differential test against tshark")
	}
	s, stubs := msgSchema(t)
	stubNames := msgStubComponents(msgASNFiles(t), stubs)
	const perAlt = 200
	rng := rand.New(rand.NewPCG(38331, 17))
	type sample struct {
		typ string
		pdu []byte
		val *per.Value
		err error
	}
	var samples []sample
	file := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range msgAlternatives() {
		// Half the PDUs are random; the other half are random PDUs the
		// schema decodes, searched for, so that messages whose random
		// encodings are mostly invalid (SIB1, with its MCC digits) are
		// compared too.
		decodable := 0
		for try := 0; try < 50*perAlt && decodable < perAlt/2; try++ {
			raw := try < perAlt/2
			pdu := make([]byte, 8+rng.IntN(120))
			for i := range pdu {
				pdu[i] = byte(rng.Uint32())
			}
			for i, b := range a.bits {
				mask := byte(0x80) >> (i % 8)
				if b == 1 {
					pdu[i/8] |= mask
				} else {
					pdu[i/8] &^= mask
				}
			}
			v, err := s.Decode(a.typ, pdu, per.Options{})
			var pe *per.Error
			if errors.As(err, &pe) && errors.Is(err, per.ErrTrailing) {
				// Cut the octets the encoding does not use.
				pdu = pdu[:(pe.Bit+7)/8]
				v, err = s.Decode(a.typ, pdu, per.Options{})
			}
			if !raw {
				if err != nil {
					continue
				}
				decodable++
			}
			samples = append(samples, sample{a.typ, pdu, v, err})
			file.Packets = append(file.Packets, capturetest.Packet{
				Time: t0.Add(time.Duration(len(file.Packets)) * time.Millisecond),
				Data: capturetest.ExportedPDU(a.dissector, pdu),
			})
		}
	}
	tmp := filepath.Join(t.TempDir(), "random.pcap")
	if err := os.WriteFile(tmp, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pkts := msgPDMLPackets(t, tshark, tmp)
	if len(pkts) != len(samples) {
		t.Fatalf("tshark shows %d of %d packets", len(pkts), len(samples))
	}
	var agree, bothReject, stubbed, lenient, notCompared int
	perAltAgree := map[string]int{}
	for i, pp := range pkts {
		sm := samples[i]
		var node *tsharktest.Node
		all, _ := pp.flatten(nil, nil)
		for _, p := range all {
			if p.XMLName.Local == "proto" && p.Name == "nr-rrc" && p.Hide != "yes" {
				n := p.node()
				node = &n
				break
			}
		}
		where := fmt.Sprintf("frame %d %s %x", i+1, sm.typ, sm.pdu)
		if node == nil {
			t.Errorf("%s: no nr-rrc item", where)
			continue
		}
		octets := map[string]bool{}
		if sm.val != nil {
			octets = msgOctetNames(sm.val)
		}
		for _, n := range msgOctetsTsharkDecodes {
			octets[n] = true
		}
		octets["absoluteTimeInfo-r16"] = true // tshark adds a formatted time below the bits
		octets["absoluteTimeStamp-r16"] = true
		own := msgOwnFlags(node, octets)
		allFlags := msgOwnFlags(node, nil)
		// An exception ends the packet with a malformed item beside the
		// nr-rrc proto, wherever it happened (also inside a container the
		// schema keeps as octets, whose content tshark dissects).
		stopped := false
		top := pp.node()
		for i := range top.Children {
			if top.Children[i].Name == "_ws.malformed" {
				stopped = true
			}
		}
		ownFlagged := len(own) > 0 && !msgNotes(own) || stopped && sm.err != nil
		switch {
		case msgTsharkReaches(node, stubNames) || sm.val != nil && len(msgStubsReached(sm.val, stubs)) > 0 ||
			sm.err != nil && errors.Is(sm.err, per.ErrUnmodelled):
			stubbed++
			continue
		case sm.err != nil && ownFlagged:
			bothReject++
			continue
		case sm.err != nil && (errors.Is(sm.err, per.ErrTruncated) || errors.Is(sm.err, per.ErrRange) || errors.Is(sm.err, per.ErrUnsupported)):
			// tshark does not flag every broken encoding: a length past the
			// end of the PDU, an impossible fragment count, a CHOICE index
			// beyond the root, an extension index of dozens of octets.
			if lenient++; lenient <= 5 {
				t.Logf("%s: the schema fails (%v), tshark flags nothing", where, sm.err)
			}
			continue
		case sm.err != nil:
			t.Errorf("%s: tshark decodes it without a flag, the schema fails: %v", where, sm.err)
			continue
		case stopped && !ownFlagged:
			// Where tshark stopped, the values before must agree.
			want := tsharktest.TsharkLeaves(node, "nr-rrc.", func(name string) bool { return octets[name] })
			got := msgValueLeaves(sm.val)
			msgNormalizeLeaves(want, got)
			n := max(len(want)-1, 0) // the last value tshark shows may be the one it failed in
			if len(got) < n {
				t.Errorf("%s: tshark stops (malformed) after %d values, the schema decodes %d", where, len(want), len(got))
				continue
			}
			if d := tsharktest.CompareLeaves(want[:n], got[:n]); d != "" {
				t.Errorf("%s: before tshark stops: %s", where, d)
				continue
			}
			notCompared++
			continue
		case ownFlagged && msgHasOpen(sm.val):
			notCompared++ // an absurd extension index tshark gives up on
			continue
		case ownFlagged:
			t.Errorf("%s: the schema decodes it, tshark flags %q", where, own)
			continue
		case len(allFlags) > 0:
			// tshark notes an extension it does not know, or fails inside a
			// container the schema keeps as octets (and may stop there).
			notCompared++
			continue
		}
		want := tsharktest.TsharkLeaves(node, "nr-rrc.", func(name string) bool { return octets[name] })
		got := msgValueLeaves(sm.val)
		msgNormalizeLeaves(want, got)
		if len(got) > len(want) && len(want) > 0 && octets[want[len(want)-1].Name] &&
			tsharktest.CompareLeaves(want, got[:len(want)]) == "" {
			// tshark dissects the content of an octet container the schema
			// keeps as octets and, failing there, shows nothing after it.
			notCompared++
			continue
		}
		if d := tsharktest.CompareLeaves(want, got); d != "" {
			t.Errorf("%s: %s", where, d)
			continue
		}
		agree++
		perAltAgree[sm.typ+" "+msgAlternative(sm.val)]++
	}
	t.Logf("%d random PDUs: %d agree with tshark leaf by leaf, %d rejected by both, %d broken encodings tshark lets pass, %d reach undefined types, %d not compared (tshark notes an unknown extension or fails inside an octet container)",
		len(samples), agree, bothReject, lenient, stubbed, notCompared)
	names := make([]string, 0, len(perAltAgree))
	for a := range perAltAgree {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		t.Logf("  %4d %s", perAltAgree[a], a)
	}
}
