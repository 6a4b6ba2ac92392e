package rrc

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// The schema files of the measurement and radio bearer trees.
var measFiles = []string{"radiobearer-meas.asn", "measresults.asn"}

// ownedElsewhere lists the types and values the measurement and radio
// bearer files refer to without defining: small shared IEs, multiplicity
// constants and the big IEs of other trees. A reference to anything else
// that no asn/*.asn file defines is an error.
var ownedElsewhere = map[string]string{
	// ies.asn: shared small IEs.
	"PhysCellId":             "ies.asn",
	"ARFCN-ValueNR":          "ies.asn",
	"SubcarrierSpacing":      "ies.asn",
	"ServCellIndex":          "ies.asn",
	"CellGroupId":            "ies.asn",
	"LogicalChannelIdentity": "ies.asn",
	"SSB-Index":              "ies.asn",
	"BWP-Id":                 "ies.asn",
	"TCI-StateId":            "ies.asn",
	"PLMN-Identity":          "ies.asn",
	"TrackingAreaCode":       "ies.asn",
	"RAN-AreaCode":           "ies.asn",
	// SIB1 and cell access IEs, used by CGI-InfoNR.
	"PLMN-IdentityInfoList":    "ies.asn",
	"MultiFrequencyBandListNR": "ies.asn",
	"PDCCH-ConfigSIB1":         "ies.asn",
	"NPN-IdentityInfoList-r16": "ies.asn",
	// UE capability IE, used by CGI-InfoEUTRA.
	"FreqBandIndicatorEUTRA": "ies.asn",
	// SRS-Config tree (ServingCellConfig), used by MeasObjectCLI-r16 and
	// MeasResultCLI-r16.
	"SRS-Resource":   "cell group config",
	"SRS-ResourceId": "cell group config",
}

// measConstants are the multiplicity constants (clause 6.4) the
// measurement and radio bearer files use; ies.asn defines them.
var measConstants = []string{
	"maxDRB", "maxMRB-r17", "maxNrofQFIs", "maxQFI", "maxPLMN",
	"maxNrofObjectId", "maxNrofMeasId", "maxReportConfigId", "maxNrofCellMeas",
	"maxNrofPCI-Ranges", "maxNrofPCIsPerSMTC", "maxNrofSS-BlocksToAverage",
	"maxNrofCSI-RS-ResourcesToAverage", "maxNrofQuantityConfig",
	"maxNrofCSI-RS-CellsRRM", "maxNrofCSI-RS-ResourcesRRM", "maxNrofGapId-r17",
	"maxNrofPreConfigPosGapId-r17", "maxNrOfGapPri-r17", "maxCellMeasEUTRA",
	"maxEARFCN", "maxCellMeasUTRA-FDD-r16", "maxNrofSL-PoolToMeasureNR-r16",
	"maxNrofPoolID-r16", "maxNrofCLI-SRS-Resources-r16", "maxNrofCLI-RSSI-Resources-r16",
	"maxNrofCLI-RSSI-Resources-1-r16",
	"maxNrofPhysicalResourceBlocksPlus1", "maxCellSFTD", "maxCellReport",
	"maxNrofIndexesToReport", "maxNrofIndexesToReport2", "maxCLI-Report-r16",
	"maxBT-Name-r16", "maxWLAN-Name-r16", "maxNrofServingCells",
	"maxNrofServingCellsEUTRA", "maxMultiBands", "maxFreq", "maxBT-IdReport-r16",
	"maxWLAN-Id-Report-r16",
}

// asnFiles reads every asn/*.asn file.
func asnFiles(t *testing.T) []per.File {
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
	for _, m := range measFiles {
		if !slices.ContainsFunc(fs, func(f per.File) bool { return f.Name == m }) {
			t.Fatalf("asn/%s missing", m)
		}
	}
	return fs
}

var (
	undefinedRE = regexp.MustCompile(`undefined (type|value) ([A-Za-z][A-Za-z0-9-]*)`)
	notParamRE  = regexp.MustCompile(`([A-Za-z][A-Za-z0-9-]*) is not parameterized`)
)

// measFallback holds test-only definitions, as 38.331 v17.4.0 writes
// them, of the shared IEs and constants the measurement files use and
// other files own: while a name is missing from asn/*.asn its fallback is
// compiled in its place, so that decoding tests run before every file
// exists. A name defined in asn/*.asn is never replaced.
var measFallback = map[string]string{
	"PhysCellId":               "PhysCellId ::= INTEGER (0..1007)",
	"ARFCN-ValueNR":            "ARFCN-ValueNR ::= INTEGER (0..maxNARFCN)",
	"ARFCN-ValueEUTRA":         "ARFCN-ValueEUTRA ::= INTEGER (0..maxEARFCN)",
	"ARFCN-ValueUTRA-FDD-r16":  "ARFCN-ValueUTRA-FDD-r16 ::= INTEGER (0..16383)",
	"SubcarrierSpacing":        "SubcarrierSpacing ::= ENUMERATED {kHz15, kHz30, kHz60, kHz120, kHz240, kHz480-v1700, kHz960-v1700, spare1}",
	"ServCellIndex":            "ServCellIndex ::= INTEGER (0..maxNrofServingCells-1)",
	"CellGroupId":              "CellGroupId ::= INTEGER (0.. maxSecondaryCellGroups)",
	"LogicalChannelIdentity":   "LogicalChannelIdentity ::= INTEGER (1..maxLC-ID)",
	"SSB-Index":                "SSB-Index ::= INTEGER (0..maxNrofSSBs-1)",
	"BWP-Id":                   "BWP-Id ::= INTEGER (0..maxNrofBWPs)",
	"TCI-StateId":              "TCI-StateId ::= INTEGER (0..maxNrofTCI-States-1)",
	"SRS-ResourceId":           "SRS-ResourceId ::= INTEGER (0..maxNrofSRS-Resources-1)",
	"RAN-AreaCode":             "RAN-AreaCode ::= INTEGER (0..255)",
	"TrackingAreaCode":         "TrackingAreaCode ::= BIT STRING (SIZE (24))",
	"FreqBandIndicatorNR":      "FreqBandIndicatorNR ::= INTEGER (1..1024)",
	"FreqBandIndicatorEUTRA":   "FreqBandIndicatorEUTRA ::= INTEGER (1..maxBandsEUTRA)",
	"MultiFrequencyBandListNR": "MultiFrequencyBandListNR ::= SEQUENCE (SIZE (1..maxNrofMultiBands)) OF FreqBandIndicatorNR",
	"PDCCH-ConfigSIB1":         "PDCCH-ConfigSIB1 ::= SEQUENCE { controlResourceSetZero INTEGER (0..15), searchSpaceZero INTEGER (0..15) }",
	"PLMN-Identity":            "PLMN-Identity ::= SEQUENCE { mcc MCC OPTIONAL, mnc MNC }",
	"MCC":                      "MCC ::= SEQUENCE (SIZE (3)) OF MCC-MNC-Digit",
	"MNC":                      "MNC ::= SEQUENCE (SIZE (2..3)) OF MCC-MNC-Digit",
	"MCC-MNC-Digit":            "MCC-MNC-Digit ::= INTEGER (0..9)",
	"SetupRelease":             "SetupRelease { ElementTypeParam } ::= CHOICE { release NULL, setup ElementTypeParam }",
}

// measFallbackValues are the clause 6.4 constants, for measFallback.
var measFallbackValues = map[string]int64{
	"maxDRB": 29, "maxMRB-r17": 32, "maxNrofQFIs": 64, "maxQFI": 63, "maxPLMN": 12,
	"maxNrofObjectId": 64, "maxNrofMeasId": 64, "maxReportConfigId": 64, "maxNrofCellMeas": 32,
	"maxNrofPCI-Ranges": 8, "maxNrofPCIsPerSMTC": 64, "maxNrofSS-BlocksToAverage": 16,
	"maxNrofCSI-RS-ResourcesToAverage": 16, "maxNrofQuantityConfig": 2,
	"maxNrofCSI-RS-CellsRRM": 96, "maxNrofCSI-RS-ResourcesRRM": 96, "maxNrofGapId-r17": 8,
	"maxNrofPreConfigPosGapId-r17": 16, "maxNrOfGapPri-r17": 16, "maxCellMeasEUTRA": 32,
	"maxEARFCN": 262143, "maxNARFCN": 3279165, "maxCellMeasUTRA-FDD-r16": 32,
	"maxNrofSL-PoolToMeasureNR-r16": 8, "maxNrofPoolID-r16": 16,
	"maxNrofCLI-SRS-Resources-r16": 32, "maxNrofCLI-RSSI-Resources-r16": 64,
	"maxNrofCLI-RSSI-Resources-1-r16": 63, "maxNrofPhysicalResourceBlocksPlus1": 276,
	"maxCellSFTD": 3, "maxCellReport": 8, "maxNrofIndexesToReport": 32, "maxNrofIndexesToReport2": 64,
	"maxCLI-Report-r16": 8, "maxBT-Name-r16": 4, "maxWLAN-Name-r16": 4, "maxNrofServingCells": 32,
	"maxNrofServingCellsEUTRA": 32, "maxMultiBands": 8, "maxFreq": 8, "maxBT-IdReport-r16": 32,
	"maxWLAN-Id-Report-r16": 32, "maxNrofSSBs": 64, "maxSecondaryCellGroups": 3, "maxLC-ID": 32,
	"maxNrofTCI-States": 128, "maxNrofSRS-Resources": 64, "maxNrofBWPs": 4, "maxBandsEUTRA": 256,
	"maxNrofMultiBands": 8,
}

// compiled is the result of compileWithFallbacks.
type compiled struct {
	schema     *per.Schema
	undefType  []string // referenced types no file defines
	undefValue []string // referenced values no file defines
	stubbed    []string // of undefType, those compiled as NULL (no fallback)
}

// compileWithFallbacks compiles files; each undefined type or value is
// recorded and replaced (by its measFallback or measFallbackValues
// definition, else a type by NULL and a value by 64) and compilation
// retried, so that every missing name is found, not only the first.
func compileWithFallbacks(files []per.File) (*compiled, error) {
	c := &compiled{}
	var stub strings.Builder
	for range 1000 {
		all := append(slices.Clone(files), per.File{Name: "stub.asn", Text: []byte(stub.String())})
		s, err := per.Compile(all...)
		if err == nil {
			c.schema = s
			return c, nil
		}
		var se *per.SyntaxError
		if !errors.As(err, &se) {
			return nil, err
		}
		if m := notParamRE.FindStringSubmatch(err.Error()); m != nil && slices.Contains(c.stubbed, m[1]) {
			// A parameterized type stubbed as NULL: give it one parameter.
			old := m[1] + " ::= NULL\n"
			stubbed := strings.Replace(stub.String(), old, m[1]+" { T } ::= CHOICE { release NULL, setup T }\n", 1)
			if stubbed == stub.String() {
				return nil, err
			}
			stub.Reset()
			stub.WriteString(stubbed)
			continue
		}
		m := undefinedRE.FindStringSubmatch(err.Error())
		if m == nil {
			return nil, err
		}
		name := m[2]
		if m[1] == "type" {
			if slices.Contains(c.undefType, name) {
				return nil, err
			}
			c.undefType = append(c.undefType, name)
			if def, ok := measFallback[name]; ok {
				stub.WriteString(def + "\n")
			} else {
				c.stubbed = append(c.stubbed, name)
				fmt.Fprintf(&stub, "%s ::= NULL\n", name)
			}
			continue
		}
		if slices.Contains(c.undefValue, name) {
			return nil, err
		}
		c.undefValue = append(c.undefValue, name)
		v, ok := measFallbackValues[name]
		if !ok {
			v = 64
		}
		fmt.Fprintf(&stub, "%s INTEGER ::= %d\n", name, v)
	}
	return nil, errors.New("too many undefined names")
}

// definedIn returns the names assigned at the start of a line in src.
func definedIn(src []byte) []string {
	re := regexp.MustCompile(`(?m)^([A-Za-z][A-Za-z0-9-]*)\s*(?:INTEGER\s*)?::=`)
	var out []string
	for _, m := range re.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// TestMeasSchema compiles all asn/*.asn files and checks that the
// measurement and radio bearer trees refer only to names defined in some
// file or owned by another file (ownedElsewhere, measConstants).
func TestMeasSchema(t *testing.T) {
	files := asnFiles(t)
	c, err := compileWithFallbacks(files)
	if err != nil {
		t.Fatalf("compiling asn/*.asn: %v", err)
	}
	s, undefType, undefValue := c.schema, c.undefType, c.undefValue
	var mine []string
	for _, f := range files {
		if slices.Contains(measFiles, f.Name) {
			mine = append(mine, definedIn(f.Text)...)
		}
	}
	t.Logf("%d types and values defined in %s", len(mine), strings.Join(measFiles, ", "))
	for _, n := range mine {
		if s.Type(n) == nil {
			if _, ok := s.Value(n); !ok {
				t.Errorf("%s defined but not compiled", n)
			}
		}
	}
	for _, n := range undefType {
		if owner, ok := ownedElsewhere[n]; ok {
			t.Logf("type %s not defined yet (owned by %s)", n, owner)
			continue
		}
		if !measUses(files, n) {
			continue // another tree's reference
		}
		t.Errorf("type %s is referenced by the measurement files and defined nowhere", n)
	}
	for _, n := range undefValue {
		if slices.Contains(measConstants, n) {
			t.Logf("constant %s not defined yet (owned by ies.asn)", n)
			continue
		}
		if !measUses(files, n) {
			continue
		}
		t.Errorf("value %s is referenced by the measurement files and defined nowhere", n)
	}
}

// measUses reports whether one of the measurement files mentions name as
// a whole word.
func measUses(files []per.File, name string) bool {
	re := regexp.MustCompile(`(^|[^A-Za-z0-9-])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9-])`)
	for _, f := range files {
		if slices.Contains(measFiles, f.Name) && re.Match(f.Text) {
			return true
		}
	}
	return false
}

var (
	measOnce     sync.Once
	measCompiled *compiled
	measErr      error
)

// measSchema compiles asn/*.asn once for the decoding tests.
func measSchema(t *testing.T) *compiled {
	t.Helper()
	files := asnFiles(t)
	measOnce.Do(func() { measCompiled, measErr = compileWithFallbacks(files) })
	if measErr != nil {
		t.Fatalf("compiling asn/*.asn: %v", measErr)
	}
	return measCompiled
}

// measSharedDir returns the shared material directory ($NRLADDER_SHARED,
// or a directory named shared beside the package directory or one of its
// parents), or skips the test saying so.
func measSharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for range 8 {
		d := filepath.Join(dir, "shared")
		if _, err := os.Stat(filepath.Join(d, "vectors", "rrc-vectors.json")); err == nil {
			return d
		}
		dir = filepath.Dir(dir)
	}
	t.Skip("shared/ not found (set NRLADDER_SHARED): test against shared vectors and traces SKIPPED")
	return ""
}

// measVector is one entry of shared/vectors/rrc-vectors.json.
type measVector struct {
	Label   string          `json:"label"`
	RAT     string          `json:"rat"`
	Channel string          `json:"channel"`
	Hex     string          `json:"hex"`
	JER     json.RawMessage `json:"jer"`
}

// channelTypes maps a vector channel to its message type.
var channelTypes = map[string]string{
	"dl-dcch": "DL-DCCH-Message", "ul-dcch": "UL-DCCH-Message",
	"dl-ccch": "DL-CCCH-Message", "ul-ccch": "UL-CCCH-Message",
}

// jerAt follows a path of object keys through a JER document, skipping
// the name of a single-alternative object when the key is not found (so
// "message.rrcSetup" needs no "c1").
func jerAt(doc any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		next, ok := m[k]
		for !ok && len(m) == 1 {
			for _, v := range m {
				if m, ok = v.(map[string]any); !ok {
					return nil
				}
			}
			next, ok = m[k]
		}
		if !ok {
			return nil
		}
		doc = next
	}
	return doc
}

// measSubtrees are the parts of a message the measurement and radio
// bearer files define, as JER paths.
var measSubtrees = []string{"radioBearerConfig", "measConfig", "measResults"}

// TestMeasVectors decodes the shared vectors that carry a RadioBearerConfig,
// MeasConfig or MeasResults and compares those subtrees with the vector's
// JER.
func TestMeasVectors(t *testing.T) {
	dir := measSharedDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "vectors", "rrc-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []measVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	c := measSchema(t)
	checked := 0
	for _, v := range vs {
		if v.RAT != "nr" {
			continue
		}
		var want any
		if err := json.Unmarshal(v.JER, &want); err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, msg := range []string{"rrcSetup", "rrcReconfiguration", "measurementReport", "rrcResume"} {
			for _, sub := range measSubtrees {
				p := "message." + msg + ".criticalExtensions." + msg + "." + sub
				if jerAt(want, p) != nil {
					paths = append(paths, p)
				}
			}
		}
		if len(paths) == 0 {
			continue
		}
		t.Run(v.Label, func(t *testing.T) {
			pdu, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			val, err := c.schema.Decode(channelTypes[v.Channel], pdu, per.Options{})
			if err != nil {
				t.Fatalf("Decode(%s, %s): %v", channelTypes[v.Channel], v.Hex, err)
			}
			js, err := json.Marshal(val)
			if err != nil {
				t.Fatal(err)
			}
			var got any
			if err := json.Unmarshal(js, &got); err != nil {
				t.Fatalf("JER %s: %v", js, err)
			}
			for _, p := range paths {
				if diff := cmp.Diff(jerAt(want, p), jerAt(got, p)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", p, diff)
				}
			}
		})
		checked++
	}
	if checked == 0 {
		t.Fatal("no vector carries a RadioBearerConfig, MeasConfig or MeasResults")
	}
}

// pdmlNode is an element of tshark's PDML output with the attributes the
// comparison needs.
type pdmlNode struct {
	Name     string     `xml:"name,attr"`
	Showname string     `xml:"showname,attr"`
	Show     string     `xml:"show,attr"`
	Value    string     `xml:"value,attr"`
	Hide     string     `xml:"hide,attr"`
	Children []pdmlNode `xml:",any"`
}

// runPDML runs tshark -T pdml on a capture file with extra options.
func runPDML(t *testing.T, path string, opts ...string) []pdmlNode {
	t.Helper()
	tshark := tsharktest.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-n", "-r", path, "-T", "pdml"}, opts...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var doc struct {
		Packets []pdmlNode `xml:"packet"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("parsing tshark PDML: %v", err)
	}
	return doc.Packets
}

// runRRCRaw runs tshark -T json -x on a capture file and returns, per
// packet, the encodings of the NR RRC PDUs ("nr-rrc_raw": the whole PDU,
// which PDML does not give: its fields end at the last decoded bit).
func runRRCRaw(t *testing.T, path string, opts ...string) [][][]byte {
	t.Helper()
	tshark := tsharktest.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-n", "-r", path, "-T", "json", "-x"}, opts...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	// A token walk: the JSON repeats keys, so it does not unmarshal into
	// maps. Depth 1 is the array of packets.
	dec := json.NewDecoder(&stdout)
	type frame struct {
		object bool
		key    bool // object: the next string is a key
	}
	var stack []frame
	var out [][][]byte
	var lastKey string
	rawNext := 0 // 2: inside an "nr-rrc_raw" array, its first element comes
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("tshark JSON: %v", err)
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].key
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = !stack[len(stack)-1].key
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if len(stack) > 0 && stack[len(stack)-1].object {
					// a value: the next token of the parent is a key
				}
				if v == '[' && lastKey == "nr-rrc_raw" && !isKey {
					rawNext = 2
				}
				stack = append(stack, frame{object: v == '{', key: true})
				if len(stack) == 2 && v == '{' {
					out = append(out, nil)
				}
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
				rawNext = 0
			}
			lastKey = ""
		case string:
			if isKey {
				lastKey = v
				continue
			}
			if rawNext == 2 && len(out) > 0 {
				b, err := hex.DecodeString(v)
				if err == nil {
					p := &out[len(out)-1]
					if !slices.ContainsFunc(*p, func(x []byte) bool { return bytes.Equal(x, b) }) {
						*p = append(*p, b)
					}
				}
			}
			rawNext = 1
			lastKey = ""
		default:
			rawNext = 1
			lastKey = ""
		}
	}
	return out
}

// find calls f on n's descendants in document order; f returns whether to
// descend into the node.
func (n *pdmlNode) each(f func(*pdmlNode) bool) {
	for i := range n.Children {
		c := &n.Children[i]
		if f(c) {
			c.each(f)
		}
	}
}

// leaf is one value as both sides show it: the component name (with
// '_' for '-'), the value, and for an ENUMERATED value or a CHOICE the
// identifier chosen. Value is the index of a CHOICE alternative or an
// ENUMERATED value, the number of elements of a SEQUENCE OF, an INTEGER,
// 0 or 1 for a BOOLEAN, "NULL", "{}" for a SEQUENCE, or the hex of a BIT or
// OCTET STRING. Name "*" matches any name (an element of a SEQUENCE OF
// whose type is written inline).
type leaf struct{ Name, Value, Ident string }

func (l leaf) String() string {
	if l.Ident != "" {
		return l.Name + "=" + l.Ident + "(" + l.Value + ")"
	}
	return l.Name + "=" + l.Value
}

// identRE reads the identifier of an ENUMERATED value or CHOICE
// alternative in a tshark showname: "sdap-HeaderDL: absent (1)".
var identRE = regexp.MustCompile(`^[^:]*: ([A-Za-z][A-Za-z0-9-]*) \((\d+)\)$`)

// pdmlLeaves flattens tshark's view of the content of a subtree.
func pdmlLeaves(n *pdmlNode) []leaf {
	var out []leaf
	n.each(func(c *pdmlNode) bool {
		if c.Name == "" { // "Item 0"
			return true
		}
		if !strings.HasPrefix(c.Name, "nr-rrc.") {
			return false // per.*, the hidden nr-rrc proto item, expert items
		}
		name := c.Name[strings.LastIndexByte(c.Name, '.')+1:]
		if base, ok := strings.CutSuffix(name, "_element"); ok {
			if strings.HasSuffix(c.Showname, ": NULL") {
				out = append(out, leaf{Name: base, Value: "NULL"})
			} else {
				out = append(out, leaf{Name: base, Value: "{}"})
			}
			return true
		}
		l := leaf{Name: name, Value: c.Show}
		if m := identRE.FindStringSubmatch(c.Showname); m != nil && m[2] == c.Show {
			l.Ident = m[1]
		}
		if strings.Contains(c.Show, ":") {
			l.Value = strings.ReplaceAll(c.Show, ":", "") // BIT or OCTET STRING
		}
		out = append(out, l)
		return true
	})
	return out
}

// valueLeaves flattens the decoded view of the content of a subtree.
func valueLeaves(top *per.Value) []leaf {
	var out []leaf
	var walk func(v *per.Value, elem bool)
	walk = func(v *per.Value, elem bool) {
		if !elem && slices.Contains(tsharkUnknown, v.Name) {
			return
		}
		name := strings.ReplaceAll(v.Name, "-", "_")
		if elem {
			name = strings.ReplaceAll(v.Type, "-", "_")
			if name == "" {
				name = "*"
			}
		}
		switch v.Kind {
		case per.Sequence:
			out = append(out, leaf{Name: name, Value: "{}"})
			for i := range v.Fields {
				walk(&v.Fields[i], false)
			}
		case per.SequenceOf:
			out = append(out, leaf{Name: name, Value: strconv.Itoa(len(v.Fields))})
			for i := range v.Fields {
				walk(&v.Fields[i], true)
			}
		case per.Choice:
			l := leaf{Name: name, Value: strconv.FormatInt(v.Int, 10)}
			c := v.Chosen()
			if c != nil {
				l.Ident = c.Name
			}
			out = append(out, l)
			if c != nil {
				walk(c, false)
			}
		case per.Enumerated:
			out = append(out, leaf{Name: name, Value: strconv.FormatInt(v.Int, 10), Ident: v.Ident})
		case per.Integer:
			out = append(out, leaf{Name: name, Value: strconv.FormatInt(v.Int, 10)})
		case per.Boolean:
			b := "0"
			if v.Bool {
				b = "1"
			}
			out = append(out, leaf{Name: name, Value: b})
		case per.Null:
			out = append(out, leaf{Name: name, Value: "NULL"})
		case per.BitString:
			out = append(out, leaf{Name: name, Value: hex.EncodeToString(v.Bits)})
		case per.OctetString:
			out = append(out, leaf{Name: name, Value: hex.EncodeToString(v.Octets)})
			if v.Contained != nil {
				walk(v.Contained, true)
			}
		}
	}
	for i := range top.Fields {
		walk(&top.Fields[i], false)
	}
	return out
}

// tsharkUnknown are the v17.4.0 components tshark 4.0 (v17.1.0) does not
// know: it skips them as unknown extension additions, so the comparison
// leaves them (and what they hold) out of the decoded side.
var tsharkUnknown = []string{
	"associatedMeasGapSSB2-v1720", "associatedMeasGapCSIRS2-v1720",
	"cca-CellsToAddModList-r17", "cca-CellsToRemoveList-r17",
	"slotConfig-r17", "ref-BWPId-r17",
}

// subDissected are OCTET STRING components whose content tshark decodes
// with another dissector (LPP, PC5 RRC): random octets there make tshark
// flag the packet, so random values leave them out.
var subDissected = []string{
	"referenceLocation1-r17", "referenceLocation2-r17", "coarseLocationInfo-r17",
	"sl-MeasResultsCandRelay-r17", "sl-MeasResultServingRelay-r17",
	"gnss-TOD-msec-r16", "locationTimestamp-r16", "locationCoordinate-r16", "locationError-r16",
	"locationSource-r16", "velocityEstimate-r16",
	"sensor-MeasurementInformation-r16", "sensor-MotionInformation-r16",
}

// tsharkText are OCTET STRING components tshark shows as text, not hex:
// only their presence is compared.
var tsharkText = []string{"ssid_r16", "BT_Name_r16", "WLAN_Name_r16"}

// tsharkNames maps the names tshark 4.0 (38.331 v17.1.0) shows to those
// of v17.4.0 where the component was renamed.
var tsharkNames = map[string]string{
	"multicastHFN_AndRefSN_r17": "initialRX_DELIV_r17",
	"tci_StateId":               "tci_StateId_r17",
	"ref_ServCellId":            "ref_ServCellId_r17",
}

// compareLeaves returns a description of the first difference, or "".
// Decoded leaves with an identifier need tshark's to be the same.
func compareLeaves(want, got []leaf) string {
	for i := range max(len(want), len(got)) {
		if i < len(want) && i < len(got) {
			w, g := want[i], got[i]
			if n, ok := tsharkNames[w.Name]; ok {
				w.Name = n
			}
			if slices.Contains(tsharkText, w.Name) && w.Name == g.Name {
				continue
			}
			if (w.Name == g.Name || g.Name == "*") && w.Value == g.Value && (g.Ident == "" || w.Ident == g.Ident) {
				continue
			}
		}
		lo := max(0, i-5)
		return fmt.Sprintf("leaf %d differs (%d tshark, %d decoded)\n  tshark  %v\n  decoded %v",
			i, len(want), len(got), want[lo:min(len(want), i+3)], got[lo:min(len(got), i+3)])
	}
	return ""
}

// pdmlSubtrees returns the tshark fields of the measurement and radio
// bearer subtrees, in document order.
func pdmlSubtrees(n *pdmlNode) []*pdmlNode {
	var out []*pdmlNode
	n.each(func(c *pdmlNode) bool {
		for _, s := range measSubtrees {
			if c.Name == "nr-rrc."+s+"_element" {
				out = append(out, c)
				return false
			}
		}
		return true
	})
	return out
}

// decodeLenient decodes a PDU of a capture, whose last octets may belong
// to the layer below (MAC padding after a CCCH message): when whole
// octets are left over it decodes again without them.
func decodeLenient(s *per.Schema, typ string, pdu []byte) (*per.Value, error) {
	v, err := s.Decode(typ, pdu, per.Options{})
	var pe *per.Error
	if errors.Is(err, per.ErrTrailing) && errors.As(err, &pe) && pe.Bit > 0 {
		return s.Decode(typ, pdu[:(pe.Bit+7)/8], per.Options{})
	}
	return v, err
}

// valueSubtrees returns the decoded measurement and radio bearer
// subtrees, in document order.
func valueSubtrees(v *per.Value) []*per.Value {
	var out []*per.Value
	var walk func(v *per.Value)
	walk = func(v *per.Value) {
		if slices.Contains(measSubtrees, v.Name) && v.Kind == per.Sequence {
			out = append(out, v)
			return
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

// usesStub reports whether a decoded value reaches a type that was
// compiled as a NULL stub (its decoding is then meaningless).
func usesStub(v *per.Value, stubbed []string) bool {
	if v.Type != "" && slices.Contains(stubbed, v.Type) {
		return true
	}
	for i := range v.Fields {
		if usesStub(&v.Fields[i], stubbed) {
			return true
		}
	}
	return v.Contained != nil && usesStub(v.Contained, stubbed)
}

// rrcPDUs are the NR RRC messages tshark shows in a PDML packet: the
// message type, its encoding, and tshark's dissection of it.
type rrcPDU struct {
	typ   string
	pdu   []byte
	field *pdmlNode // the *_Message_element field
}

func pdmlRRC(pkt *pdmlNode) []rrcPDU {
	var out []rrcPDU
	pkt.each(func(c *pdmlNode) bool {
		base, ok := strings.CutSuffix(strings.TrimPrefix(c.Name, "nr-rrc."), "_Message_element")
		if !ok || !strings.HasPrefix(c.Name, "nr-rrc.") {
			return true
		}
		msg := c.Children
		for i := range msg {
			if msg[i].Name == "nr-rrc.message" {
				b, err := hex.DecodeString(msg[i].Value)
				if err == nil {
					out = append(out, rrcPDU{strings.ReplaceAll(base, "_", "-") + "-Message", b, c})
				}
			}
		}
		return false
	})
	return out
}

// frame returns the number of a PDML packet.
func (n *pdmlNode) frame() int {
	num := 0
	n.each(func(c *pdmlNode) bool {
		if c.Name == "frame.number" {
			num, _ = strconv.Atoi(c.Show)
		}
		return num == 0
	})
	return num
}

// malformed reports whether tshark flags a malformed item below n.
func (n *pdmlNode) malformed() bool {
	found := false
	n.each(func(c *pdmlNode) bool {
		found = found || c.Name == "_ws.malformed"
		return !found
	})
	return found
}

// traceOptions are the tshark options that decode the shared traces
// (shared/traces/PROVENANCE.md).
var traceOptions = []string{
	"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`,
	"--enable-heuristic", "mac_nr_udp",
}

// TestMeasTraces decodes every NR RRC message of the shared traces that
// carries a RadioBearerConfig, MeasConfig or MeasResults and compares
// those subtrees, value by value, with tshark's dissection.
func TestMeasTraces(t *testing.T) {
	dir := measSharedDir(t)
	tsharktest.Path(t)
	c := measSchema(t)
	files, _ := filepath.Glob(filepath.Join(dir, "traces", "*.pcap*"))
	if len(files) == 0 {
		t.Skip("no shared traces: SKIPPED")
	}
	// One capture holding every trace, so that tshark runs twice in all.
	capture := files[0]
	if len(files) > 1 {
		mergecap, err := exec.LookPath("mergecap")
		if err != nil {
			t.Skip("mergecap not installed: SKIPPED (it comes with tshark)")
		}
		capture = filepath.Join(t.TempDir(), "traces.pcapng")
		out, err := exec.Command(mergecap, append([]string{"-F", "pcapng", "-a", "-w", capture}, files...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("mergecap: %v\n%s", err, out)
		}
	}
	opts := append(slices.Clone(traceOptions), "-Y",
		"nr-rrc.radioBearerConfig_element or nr-rrc.measConfig_element or nr-rrc.measResults_element")
	pkts := runPDML(t, capture, opts...)
	raws := runRRCRaw(t, capture, opts...)
	if len(raws) != len(pkts) {
		t.Fatalf("%d packets in PDML, %d in JSON", len(pkts), len(raws))
	}
	var compared, skipped int
	{
		for pi, pkt := range pkts {
			for _, m := range pdmlRRC(&pkt) {
				// PDML's message field stops at the last decoded bit: take
				// the whole PDU it begins.
				for _, r := range raws[pi] {
					if len(r) >= len(m.pdu) && bytes.HasPrefix(r, m.pdu) {
						m.pdu = r
						break
					}
				}
				subs := pdmlSubtrees(m.field)
				if len(subs) == 0 {
					continue
				}
				where := fmt.Sprintf("frame %d of the merged traces: %s %x", pkt.frame(), m.typ, m.pdu)
				v, err := decodeLenient(c.schema, m.typ, m.pdu)
				malformed := pkt.malformed()
				switch {
				case err != nil && malformed:
					skipped++ // both reject it (a ciphered PDU)
					continue
				case err != nil:
					t.Errorf("%s: %v", where, err)
					continue
				case malformed:
					skipped++
					t.Logf("%s: tshark flags it malformed, decoded without error: not compared", where)
					continue
				}
				vsubs := valueSubtrees(v)
				if len(vsubs) != len(subs) {
					t.Errorf("%s: %d subtrees decoded, tshark shows %d", where, len(vsubs), len(subs))
					continue
				}
				for i := range subs {
					if usesStub(vsubs[i], c.stubbed) {
						skipped++
						continue
					}
					if d := compareLeaves(pdmlLeaves(subs[i]), valueLeaves(vsubs[i])); d != "" {
						t.Errorf("%s: %s: %s", where, vsubs[i].Name, d)
					}
					compared++
				}
			}
		}
	}
	t.Logf("%d subtrees compared with tshark, %d not compared", compared, skipped)
	if compared == 0 {
		t.Error("no subtree compared")
	}
}

// randomTarget is a type the random differential test draws values of,
// the dissector tshark reads its encoding with, and the prefix that
// wraps the value into what that dissector reads.
type randomTarget struct {
	gen       string // generated type
	typ       string // decoded type
	dissector string // exported-PDU dissector name
	prefix    []byte // octets before the value's encoding in the PDU
	pdml      string // tshark's field holding the value
	inner     string // the value inside the decoded type ("" for itself)
}

var randomTargets = []randomTarget{
	{gen: "MeasConfig", typ: "MeasConfig", dissector: "nr-rrc.measconfig_msg", pdml: "nr-rrc.MeasConfig_element"},
	{gen: "RadioBearerConfig", typ: "RadioBearerConfig", dissector: "nr-rrc.radiobearerconfig", pdml: "nr-rrc.RadioBearerConfig_element"},
	// UL-DCCH-Message: c1 (1 bit), measurementReport (4 bits),
	// criticalExtensions measurementReport (1 bit), no lateNonCriticalExtension
	// nor nonCriticalExtension (2 bits): one zero octet, then MeasResults.
	{gen: "MeasResults", typ: "UL-DCCH-Message", dissector: "nr-rrc.ul.dcch", prefix: []byte{0}, pdml: "nr-rrc.measResults_element",
		inner: "message.c1.measurementReport.criticalExtensions.measurementReport.measResults"},
}

// biasedBits fills b with bits that are 1 with probability p: low p keeps
// optional components, extensions and lengths small, so that random
// input often decodes.
func biasedBits(r *rand.Rand, b []byte, p float64) {
	for i := range b {
		var x byte
		for j := range 8 {
			if r.Float64() < p {
				x |= 0x80 >> j
			}
		}
		b[i] = x
	}
}

// js renders a value as JER, for messages.
func js(v *per.Value) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// componentRE finds the component and alternative names of ASN.1 text:
// a lower-case identifier first on its line, followed by a type.
var componentRE = regexp.MustCompile(`(?m)^\s+([a-z][A-Za-z0-9-]*)\s+[A-Z]`)

// hasUnknown reports whether a decoded value holds a part the schema does
// not model (an unknown extension alternative, value or addition): tshark
// shows those its own way, or not at all.
func hasUnknown(v *per.Value) bool {
	switch {
	case v.Kind == per.Open, v.Skipped > 0,
		v.Kind == per.Enumerated && v.Ident == "",
		v.Kind == per.Choice && (v.Chosen() == nil || v.Chosen().Name == ""):
		return true
	}
	for i := range v.Fields {
		if hasUnknown(&v.Fields[i]) {
			return true
		}
	}
	return v.Contained != nil && hasUnknown(v.Contained)
}

// componentNames collects the component and alternative names of a
// decoded value.
func componentNames(v *per.Value, seen map[string]bool) {
	if v.Name != "" {
		seen[v.Name] = true
	}
	for i := range v.Fields {
		componentNames(&v.Fields[i], seen)
	}
}

// TestMeasRandomTshark is a differential test on values no capture
// holds: random input is decoded as MeasConfig, RadioBearerConfig and
// MeasResults (rejected unless it decodes), re-encoded, given to tshark,
// and tshark's dissection compared value by value with the decoded one.
// A wrong OPTIONAL, DEFAULT, extension group, size or range in the schema
// shows as a difference. MEAS_RANDOM_N sets the number of values per type.
func TestMeasRandomTshark(t *testing.T) {
	tsharktest.Path(t)
	c := measSchema(t)
	n := 150
	if s := os.Getenv("MEAS_RANDOM_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	seed := int64(1)
	if s := os.Getenv("MEAS_RANDOM_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (MEAS_RANDOM_SEED to repeat)", seed)
	r := rand.New(rand.NewPCG(uint64(seed), 0))
	text := map[string]*asnType{}
	for _, f := range asnFiles(t) {
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Logf("%s: not read for the value builder: %v", f.Name, e)
				}
			}()
			parseASN(string(f.Text), text)
		}()
	}
	allSeen := map[string]bool{}
	defer func() {
		var missed []string
		for _, f := range asnFiles(t) {
			if !slices.Contains(measFiles, f.Name) {
				continue
			}
			for _, m := range componentRE.FindAllSubmatch(f.Text, -1) {
				if n := string(m[1]); !allSeen[n] && !slices.Contains(missed, n) {
					missed = append(missed, n)
				}
			}
		}
		t.Logf("component names of %s no random value holds (%d): %s", strings.Join(measFiles, ", "), len(missed), strings.Join(missed, " "))
	}()
	for _, tg := range randomTargets {
		t.Run(tg.typ, func(t *testing.T) {
			type sample struct {
				pdu   []byte
				value *per.Value
			}
			var samples []sample
			seen := map[string]bool{}
			add := func(in []byte) bool {
				v, err := decodeLenient(c.schema, tg.typ, in)
				if err != nil {
					return false
				}
				inner := v
				if tg.inner != "" {
					if inner = v.Get(tg.inner); inner == nil {
						return false
					}
				}
				if usesStub(inner, c.stubbed) || hasUnknown(v) {
					return false
				}
				names := map[string]bool{}
				componentNames(inner, names)
				for _, n := range subDissected {
					if names[n] {
						return false
					}
				}
				pdu, err := c.schema.Encode(tg.typ, v, per.Options{})
				if err != nil {
					t.Fatalf("Encode of a decoded %s: %v", tg.typ, err)
				}
				again, err := c.schema.Decode(tg.typ, pdu, per.Options{})
				if err != nil {
					t.Fatalf("Decode(Encode(v)) %x: %v", pdu, err)
				}
				if a, b := js(v), js(again); a != b {
					t.Fatalf("%x does not round-trip:\n%s\n%s", pdu, a, b)
				}
				componentNames(inner, seen)
				componentNames(inner, allSeen)
				samples = append(samples, sample{pdu, inner})
				return true
			}
			// Half the values are built from the schema text, half decoded
			// from random bits (which also tries encodings a builder would
			// not make).
			g := &gen{types: text, schema: c.schema, r: r, stub: c.stubbed}
			tries := 0
			for len(samples) < n/2 && tries < 50*n {
				tries++
				v, ok := g.try(asnComp{name: "", t: &asnType{kind: "REF", ref: tg.gen}})
				if !ok {
					continue
				}
				enc, err := c.schema.Encode(tg.gen, &v, per.Options{})
				if err != nil {
					t.Fatalf("Encode of a built %s: %v\n%s", tg.gen, err, js(&v))
				}
				if !add(append(slices.Clone(tg.prefix), enc...)) {
					t.Fatalf("built %s %x does not decode (or holds stubs)", tg.gen, enc)
				}
			}
			buf := make([]byte, 2048)
			for len(samples) < n && tries < 400*n {
				tries++
				biasedBits(r, buf, 0.05+0.3*r.Float64())
				add(append(slices.Clone(tg.prefix), buf...))
			}
			t.Logf("%d values from %d random inputs; %d distinct component names", len(samples), tries, len(seen))
			if len(samples) == 0 {
				t.Fatal("no random input decodes")
			}
			var pkts []capturetest.Packet
			for i, s := range samples {
				pkts = append(pkts, capturetest.Packet{
					Time: time.Unix(int64(i), 0),
					Data: capturetest.ExportedPDU(tg.dissector, s.pdu),
				})
			}
			capture := capturetest.File{LinkType: capturetest.LinkTypeExportedPDU, Packets: pkts}.Bytes()
			path := filepath.Join(t.TempDir(), "random.pcap")
			if err := os.WriteFile(path, capture, 0o644); err != nil {
				t.Fatal(err)
			}
			got := runPDML(t, path)
			if len(got) != len(samples) {
				t.Fatalf("tshark shows %d packets, wrote %d", len(got), len(samples))
			}
			fails := 0
			for i, pkt := range got {
				var field *pdmlNode
				pkt.each(func(c *pdmlNode) bool {
					if field == nil && c.Name == tg.pdml {
						field = c
					}
					return field == nil
				})
				where := fmt.Sprintf("%s %x", tg.typ, samples[i].pdu)
				switch {
				case field == nil:
					t.Errorf("%s: tshark shows no %s", where, tg.pdml)
				case pkt.malformed():
					t.Errorf("%s: tshark flags it malformed", where)
				default:
					if d := compareLeaves(pdmlLeaves(field), valueLeaves(samples[i].value)); d != "" {
						t.Errorf("%s: %s", where, d)
					} else {
						continue
					}
				}
				if fails++; fails >= 5 {
					t.Fatal("stopping after 5 differences")
				}
			}
		})
	}
}

// ---- A random value generator, from the ASN.1 text itself ----
//
// The per package exposes no type structure, so the random differential
// test reads the schema text again with this small parser (the subset
// 38.331 uses) and builds values from it; Encode then checks them against
// the compiled schema.

// asnType is a type as written in the text.
type asnType struct {
	kind     string // SEQUENCE CHOICE ENUMERATED INTEGER BIT OCTET BOOLEAN NULL SEQOF REF
	comps    []asnComp
	items    []string // ENUMERATED root, then extension values
	nroot    int      // ENUMERATED: number of root values
	lo, hi   string   // INTEGER range, or SIZE range of BIT/OCTET STRING and SEQUENCE OF
	sized    bool
	elem     *asnType
	ref      string
	arg      *asnType // SetupRelease { arg }
	contains string   // OCTET STRING (CONTAINING X)
}

type asnComp struct {
	name     string
	t        *asnType
	optional bool // OPTIONAL or DEFAULT
	ext      bool // an extension addition or alternative
}

var asnTokenRE = regexp.MustCompile(`\s+|--[^\n]*|(\[\[|\]\]|::=|\.\.\.|\.\.|[{}(),\[\]|]|-?\d+|[A-Za-z][A-Za-z0-9-]*)`)

type asnParser struct {
	toks []string
	i    int
}

func (p *asnParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *asnParser) next() string {
	s := p.peek()
	p.i++
	return s
}

// parseASN reads the type assignments of ASN.1 text; it panics on what it
// does not know (the caller recovers).
func parseASN(src string, types map[string]*asnType) {
	var toks []string
	for i := 0; i < len(src); {
		m := asnTokenRE.FindStringSubmatchIndex(src[i:])
		if m == nil || m[0] != 0 {
			panic(fmt.Sprintf("lex at %q", src[i:min(len(src), i+30)]))
		}
		if m[2] >= 0 {
			toks = append(toks, src[i+m[2]:i+m[3]])
		}
		i += m[1]
	}
	p := &asnParser{toks: toks}
	for p.peek() != "" {
		name := p.next()
		if p.peek() == "{" { // SetupRelease { ElementTypeParam }
			for p.next() != "}" {
			}
		}
		if p.peek() == "INTEGER" && name[0] >= 'a' && name[0] <= 'z' { // a value
			p.next()
			p.next() // ::=
			p.next()
			continue
		}
		if p.next() != "::=" {
			panic("expected ::= after " + name)
		}
		types[name] = p.typ()
	}
}

// constraint reads "( ... )" and returns its tokens.
func (p *asnParser) constraint() []string {
	p.next()
	var out []string
	for depth := 1; ; {
		t := p.next()
		switch t {
		case "(":
			depth++
		case ")":
			depth--
		case "":
			panic("unterminated constraint")
		}
		if depth == 0 {
			return out
		}
		out = append(out, t)
	}
}

// rangeOf reads "a..b", "a" or "SIZE (a..b)" from constraint tokens.
func rangeOf(c []string) (lo, hi string, size bool) {
	var ts []string
	for _, t := range c {
		if t == "SIZE" {
			size = true
			continue
		}
		if t != "(" && t != ")" {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return "", "", size
	}
	if i := slices.Index(ts, ".."); i >= 0 {
		return ts[0], ts[i+1], size
	}
	return ts[0], ts[0], size
}

func (p *asnParser) typ() *asnType {
	t := &asnType{}
	switch x := p.next(); x {
	case "SEQUENCE":
		if p.peek() == "{" {
			t.kind = "SEQUENCE"
			t.comps = p.components()
			return t
		}
		t.kind = "SEQOF"
		var c []string
		if p.peek() == "(" {
			c = p.constraint()
		} else if p.peek() == "SIZE" {
			p.next()
			c = append([]string{"SIZE"}, p.constraint()...)
		}
		t.lo, t.hi, t.sized = rangeOf(c)
		if p.next() != "OF" {
			panic("expected OF")
		}
		t.elem = p.typ()
		return t
	case "CHOICE":
		t.kind = "CHOICE"
		t.comps = p.components()
		return t
	case "ENUMERATED":
		t.kind = "ENUMERATED"
		p.next() // {
		ext := false
		for {
			s := p.next()
			if s == "}" {
				break
			}
			switch s {
			case ",":
			case "...":
				ext = true
			default:
				t.items = append(t.items, s)
				if !ext {
					t.nroot++
				}
			}
		}
		return t
	case "INTEGER":
		t.kind = "INTEGER"
	case "BIT":
		p.next()
		t.kind = "BIT"
	case "OCTET":
		p.next()
		t.kind = "OCTET"
	case "BOOLEAN", "NULL":
		t.kind = x
	default:
		t.kind = "REF"
		t.ref = x
		if p.peek() == "{" {
			p.next()
			t.arg = p.typ()
			p.next() // }
		}
	}
	for p.peek() == "(" {
		c := p.constraint()
		if len(c) > 0 && c[0] == "CONTAINING" {
			t.contains = c[1]
			continue
		}
		t.lo, t.hi, t.sized = rangeOf(c)
	}
	return t
}

func (p *asnParser) components() []asnComp {
	p.next() // {
	var out []asnComp
	ext := false
	for {
		switch s := p.peek(); s {
		case "}":
			p.next()
			return out
		case ",", "[[", "]]":
			p.next()
		case "...":
			p.next()
			ext = true
		case "":
			panic("unterminated component list")
		default:
			name := p.next()
			c := asnComp{name: name, t: p.typ(), ext: ext}
			switch p.peek() {
			case "OPTIONAL":
				p.next()
				c.optional = true
			case "DEFAULT":
				p.next()
				p.next()
				c.optional = true
			}
			out = append(out, c)
		}
	}
}

// gen builds random values of the text's types.
type gen struct {
	types  map[string]*asnType
	schema *per.Schema
	r      *rand.Rand
	depth  int
	stub   []string
}

// value resolves an integer bound: a number, a constant, or a constant
// minus a number as 38.331 writes it (maxNrofSSBs-1).
func (g *gen) bound(s string) int64 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if v, ok := g.schema.Value(s); ok {
		return v
	}
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		if n, err := strconv.ParseInt(s[i+1:], 10, 64); err == nil {
			return g.bound(s[:i]) - n
		}
	}
	panic("unknown bound " + s)
}

// size picks a length in [lo, hi], short ones first.
func (g *gen) size(t *asnType, dflt int64) int {
	lo, hi := int64(0), dflt
	if t.lo != "" {
		lo, hi = g.bound(t.lo), g.bound(t.hi)
	}
	if hi > lo+3 {
		hi = lo + int64(g.r.IntN(4))
	}
	return int(lo + g.r.Int64N(hi-lo+1))
}

// errGiveUp abandons a value that reaches a type the text does not
// define.
var errGiveUp = errors.New("type not generated")

func (g *gen) make(t *asnType, name string) per.Value {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 40 {
		panic(errGiveUp)
	}
	v := per.Value{Name: name}
	switch t.kind {
	case "REF":
		if t.arg != nil { // SetupRelease { X }
			v.Kind = per.Choice
			if g.r.IntN(4) == 0 {
				v.Fields = []per.Value{{Kind: per.Null, Name: "release"}}
				return v
			}
			v.Int = 1
			v.Fields = []per.Value{g.make(t.arg, "setup")}
			return v
		}
		def, ok := g.types[t.ref]
		if !ok || slices.Contains(g.stub, t.ref) {
			panic(errGiveUp)
		}
		v = g.make(def, name)
		v.Type = t.ref
		return v
	case "SEQUENCE":
		v.Kind = per.Sequence
		p := 0.7 / (1 + float64(g.depth)/6)
		for _, c := range t.comps {
			if c.optional && g.r.Float64() > p {
				continue
			}
			if slices.Contains(subDissected, c.name) {
				if c.optional {
					continue
				}
				panic(errGiveUp)
			}
			if c.ext && g.r.Float64() > 0.5 {
				continue
			}
			f, ok := g.try(c)
			if !ok {
				if c.optional || c.ext {
					continue
				}
				panic(errGiveUp)
			}
			v.Fields = append(v.Fields, f)
		}
	case "CHOICE":
		v.Kind = per.Choice
		order := g.r.Perm(len(t.comps))
		for _, i := range order {
			if slices.Contains(subDissected, t.comps[i].name) {
				continue
			}
			if f, ok := g.try(t.comps[i]); ok {
				v.Int = int64(i)
				v.Fields = []per.Value{f}
				return v
			}
		}
		panic(errGiveUp)
	case "SEQOF":
		v.Kind = per.SequenceOf
		n := g.size(t, 3)
		for range n {
			v.Fields = append(v.Fields, g.make(t.elem, ""))
		}
	case "ENUMERATED":
		v.Kind = per.Enumerated
		i := g.r.IntN(len(t.items))
		v.Int, v.Ident = int64(i), t.items[i]
	case "INTEGER":
		v.Kind = per.Integer
		lo, hi := g.bound(t.lo), g.bound(t.hi)
		v.Int = lo + g.r.Int64N(hi-lo+1)
	case "BOOLEAN":
		v.Kind = per.Boolean
		v.Bool = g.r.IntN(2) == 1
	case "NULL":
		v.Kind = per.Null
	case "BIT":
		v.Kind = per.BitString
		v.Len = g.size(t, 16)
		v.Bits = make([]byte, (v.Len+7)/8)
		for i := range v.Bits {
			v.Bits[i] = byte(g.r.IntN(256))
		}
		if v.Len%8 != 0 {
			v.Bits[len(v.Bits)-1] &= 0xff << (8 - v.Len%8)
		}
	case "OCTET":
		v.Kind = per.OctetString
		if t.contains != "" {
			panic(errGiveUp) // not needed below the measurement trees
		}
		v.Octets = make([]byte, g.size(t, 4))
		for i := range v.Octets {
			v.Octets[i] = byte(g.r.IntN(256))
		}
	default:
		panic("unknown kind " + t.kind)
	}
	return v
}

// try makes a component's value, reporting false when it cannot.
func (g *gen) try(c asnComp) (v per.Value, ok bool) {
	depth := g.depth
	defer func() {
		if r := recover(); r != nil {
			if r != errGiveUp {
				panic(r)
			}
			g.depth = depth
			ok = false
		}
	}()
	return g.make(c.t, c.name), true
}
