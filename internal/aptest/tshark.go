package aptest

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/capturetest"
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
		ie := TsharkIE{ID: -1, Value: n.Child(p + "value_element")}
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
