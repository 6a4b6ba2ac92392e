package aptest

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// UserDLT152 is the tshark option that decodes link type 152 (srsRAN's
// NGAP pcap) as NGAP.
const UserDLT152 = `uat:user_dlts:"User 5 (DLT=152)","ngap","0","","0",""`

// TsharkPDU is one F1AP or NGAP PDU as tshark shows it.
type TsharkPDU struct {
	Frame int
	// Data is the PDU as far as tshark decoded it (the value of the
	// f1ap.F1AP_PDU or ngap.NGAP_PDU field).
	Data []byte
	// PDU is that field; its children are tshark's tree of the PDU.
	PDU *tsharktest.Node
	// Malformed is set when tshark flags the packet as malformed.
	Malformed bool
}

// TsharkPDUs runs tshark on a capture file and returns, in order, the PDUs
// of proto ("f1ap" or "ngap") it shows. The test is skipped, saying so,
// when tshark is not installed.
func TsharkPDUs(t testing.TB, path, proto string, opts ...string) []TsharkPDU {
	t.Helper()
	field := proto + "." + strings.ToUpper(proto) + "_PDU"
	var out []TsharkPDU
	for _, pkt := range tsharktest.PDMLFile(t, path, opts...) {
		frame := pkt.Frame()
		malformed := false
		for _, e := range pkt.Experts(nil) {
			if strings.Contains(e, "Malformed") {
				malformed = true
			}
		}
		walk(&pkt, func(n *tsharktest.Node) bool {
			if n.Name != field {
				return true
			}
			b, _ := hex.DecodeString(n.Value)
			out = append(out, TsharkPDU{Frame: frame, Data: b, PDU: n, Malformed: malformed})
			return false
		})
	}
	return out
}

// TsharkBuilt writes PDUs of proto ("f1ap" or "ngap") as Wireshark
// exported PDUs (one record each) and returns tshark's view of them.
func TsharkBuilt(t testing.TB, proto string, pdus ...[]byte) []TsharkPDU {
	t.Helper()
	f := capturetest.File{LinkType: capturetest.LinkTypeExportedPDU}
	for _, p := range pdus {
		f.Packets = append(f.Packets, capturetest.Packet{Data: capturetest.ExportedPDU(proto, p)})
	}
	path := filepath.Join(t.TempDir(), "built.pcap")
	if err := os.WriteFile(path, f.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return TsharkPDUs(t, path, proto)
}

func walk(n *tsharktest.Node, f func(*tsharktest.Node) bool) {
	for i := range n.Children {
		c := &n.Children[i]
		if f(c) {
			walk(c, f)
		}
	}
}

// FindAll returns the fields called by one of the names below n, in
// document order, without looking inside a match.
func FindAll(n *tsharktest.Node, names ...string) []*tsharktest.Node {
	var out []*tsharktest.Node
	walk(n, func(c *tsharktest.Node) bool {
		for _, name := range names {
			if c.Name == name {
				out = append(out, c)
				return false
			}
		}
		return true
	})
	return out
}

// TsharkIE is one IE field of a message as tshark shows it.
type TsharkIE struct {
	ID    int
	Value *tsharktest.Node // the value_element field
	proto string
}

// Show returns what tshark shows of the field name (without the protocol
// prefix: "GNB_CU_UE_F1AP_ID") in the IE's value, or "".
func (ie TsharkIE) Show(name string) string {
	if ie.Value == nil {
		return ""
	}
	if f := ie.Value.Find(ie.proto + "." + name); f != nil {
		return f.Show
	}
	return ""
}

// TsharkOutcome returns the alternative of the PDU ("initiatingMessage"),
// the procedure code, the message ("UEContextSetupRequest", from the
// message's element name) and the message's IE fields, in order.
func TsharkOutcome(pdu *tsharktest.Node, proto string) (outcome string, code int, msg string, ies []TsharkIE) {
	p := proto + "."
	outcome = tsharktest.ChoiceAlt(pdu)
	code = -1
	if c := pdu.Find(p + "procedureCode"); c != nil {
		code, _ = strconv.Atoi(c.Show)
	}
	value := pdu.Find(p + "value_element")
	if value == nil {
		return outcome, code, "", nil
	}
	el := value.Element()
	if el == nil {
		return outcome, code, "", nil
	}
	msg = strings.TrimSuffix(strings.TrimPrefix(el.Name, p), "_element")
	msg = strings.ReplaceAll(msg, "_", "-")
	list := el.Find(p + "protocolIEs")
	if list == nil {
		return outcome, code, msg, nil
	}
	walk(list, func(n *tsharktest.Node) bool {
		if n.Name != p+"ProtocolIE_Field_element" {
			return true
		}
		ie := TsharkIE{ID: -1, Value: n.Child(p + "value_element"), proto: proto}
		if id := n.Child(p + "id"); id != nil {
			ie.ID, _ = strconv.Atoi(id.Show)
		}
		ies = append(ies, ie)
		return false
	})
	return outcome, code, msg, ies
}

// EnumName returns the identifier of an enumerated field from its
// showname: "radioNetwork: normal-release (10)" gives "normal-release".
func EnumName(n *tsharktest.Node) string {
	return tsharktest.ChoiceAlt(n)
}

// TreeDiff compares every primitive value of tshark's dissection of a PDU
// with those of our decoded value, in order, by value only (tshark names a
// value after its type where we name it after its component), and
// describes the first difference, or returns "". IE ids and procedure
// codes are left out (tshark shows their names); a number tshark shows
// with a name ("packetDelayBudget: 0.5ms (1)") agrees with the name or the
// number; the fields tshark derives from a value are read back into it:
// the IP address of a TransportLayerAddress, the NR cell identity, the
// tracking area code and the 5G-TMSI as numbers, the named bits of a BIT
// STRING ("128-NEA1: Supported"). A character string (gNB-DU-Name,
// AMFName), which we keep as its encoding, agrees when its characters end
// the encoding.
func TreeDiff(p TsharkPDU, proto string, v *per.Value) string {
	theirs := tsharkLeaves(p.PDU, proto+".")
	ours := tsharktest.ValueLeaves(v)
	n := min(len(theirs), len(ours))
	for i := range n {
		a, b := theirs[i], ours[i]
		if b.Name == "id" || b.Name == "procedureCode" || a.value == b.Value || a.alt != "" && a.alt == b.Value {
			continue
		}
		if strings.HasSuffix(a.name, "Name") && a.value != "" && strings.HasSuffix(b.Value, hex.EncodeToString([]byte(a.value))) {
			continue
		}
		return fmt.Sprintf("leaf %d differs: tshark %s=%s, ours %s (after %s)", i, a.name, a.value, b, before(ours, i))
	}
	switch {
	case len(theirs) > n:
		return fmt.Sprintf("tshark shows %d more leaves from %s=%s (after %s)", len(theirs)-n, theirs[n].name, theirs[n].value, before(ours, n))
	case len(ours) > n:
		return fmt.Sprintf("ours has %d more leaves from %s (after %s)", len(ours)-n, ours[n], before(ours, n))
	}
	return ""
}

func before(l []tsharktest.Leaf, i int) string {
	var parts []string
	for j := max(0, i-3); j < i; j++ {
		parts = append(parts, l[j].String())
	}
	if len(parts) == 0 {
		return "the start"
	}
	return strings.Join(parts, ", ")
}

// leaf is one primitive value tshark shows: its value normalised, and the
// number it shows in parentheses after a name, if any.
type leaf struct{ name, value, alt string }

var (
	choiceShow = regexp.MustCompile(`^[^:]+: (.+) \((-?\d+)\)$`)
	numberAlt  = regexp.MustCompile(`\((-?\d+)\)$`)
)

// tsharkLeaves lists the primitive values of proto below n in document
// order, as tsharktest.TsharkLeaves does, with tshark's derived fields
// read back (see TreeDiff).
func tsharkLeaves(n *tsharktest.Node, prefix string) []leaf {
	var out []leaf
	var visit func(n *tsharktest.Node)
	visit = func(n *tsharktest.Node) {
		for i := 0; i < len(n.Children); i++ {
			c := &n.Children[i]
			if c.Hide == "yes" || !strings.HasPrefix(c.Name, prefix) && !(c.Name == "" && visible(c, prefix)) {
				continue
			}
			name := strings.ReplaceAll(strings.TrimPrefix(c.Name, prefix), "_", "-")
			if visible(c, prefix) && !derived(c, prefix) {
				visit(c)
				continue
			}
			out = append(out, normalise(leaf{name: name, value: value(c), alt: alt(c)}))
		}
	}
	visit(n)
	return out
}

func visible(n *tsharktest.Node, prefix string) bool {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Hide != "yes" && (strings.HasPrefix(c.Name, prefix) || c.Name == "" && visible(c, prefix)) {
			return true
		}
	}
	return false
}

// derived reports whether a field's visible children are values tshark
// derives from its own octets: the named bits of a BIT STRING
// ("ngap.NrencryptionAlgorithms.nea1"), an IP address, a cell identity as
// a number. The field is then a leaf.
func derived(n *tsharktest.Node, prefix string) bool {
	if n.Value == "" {
		return false
	}
	found := false
	for i := range n.Children {
		c := &n.Children[i]
		if c.Hide == "yes" {
			continue
		}
		name := strings.TrimPrefix(c.Name, prefix)
		if name == c.Name || !strings.Contains(name, ".") && !strings.HasPrefix(strings.ToLower(name), "transportlayeraddressipv") &&
			name != "NRCellIdentity" && name != "EUTRACellIdentity" {
			return false
		}
		found = true
	}
	return found
}

// value normalises what tshark shows of a primitive value: the identifier
// of an enumeration or a choice, the digits of a number, the hex of a
// string of bits or octets.
func value(c *tsharktest.Node) string {
	if m := choiceShow.FindStringSubmatch(c.Showname); m != nil && c.Show == m[2] {
		return m[1]
	}
	if strings.HasSuffix(c.Name, "CellIdentity") && strings.HasPrefix(c.Show, "0x") && c.Value != "" {
		return c.Value // NGAP shows a cell identity as a number
	}
	if strings.Contains(c.Show, ":") || c.Value != "" && strings.Contains(c.Showname, "[bit length") {
		return strings.ReplaceAll(c.Show, ":", "")
	}
	switch {
	case strings.HasSuffix(c.Showname, ": True"):
		return "true"
	case strings.HasSuffix(c.Showname, ": False"):
		return "false"
	case strings.HasSuffix(c.Name, "_element") && c.Show == "":
		return "null" // an empty SEQUENCE or a NULL
	}
	return c.Show
}

func alt(c *tsharktest.Node) string {
	if m := numberAlt.FindStringSubmatch(c.Showname); m != nil {
		return m[1]
	}
	return ""
}

func normalise(l leaf) leaf {
	if size := numbered[l.name]; size > 0 {
		// tshark shows these octet strings as numbers.
		if u, err := strconv.ParseUint(l.value, 10, 64); err == nil {
			b := make([]byte, size)
			for k := len(b) - 1; k >= 0; k, u = k-1, u>>8 {
				b[k] = byte(u)
			}
			l.value = hex.EncodeToString(b)
		}
	}
	return l
}

// numbered are the octet strings tshark shows as numbers, with their size.
var numbered = map[string]int{"tAC": 3, "fiveG-TMSI": 4, "fiveGS-TAC": 3, "configured-EPS-TAC": 2}
