package ngap_test

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
)

// view is what the differential tests compare: the fields a ladder uses,
// as strings so that tshark's and ours print alike.
type view struct {
	aptest.Envelope
	RAN, AMF string // decimal, "" when absent
	NAS      string // hex of every NAS PDU, in order
	Cause    string // "radioNetwork: user-inactivity"
	Security string // the four algorithm maps in hex
}

var fields = []string{"procedure", "message", "ies", "ran-id", "amf-id", "nas", "cause", "security"}

func (v view) Field(name string) string {
	if s, ok := v.Get(name); ok {
		return s
	}
	switch name {
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
	v := view{Envelope: aptest.NGDecoder.Envelope(m), RAN: aptest.Decimal(m.RANUEID), AMF: aptest.Decimal(m.AMFUEID), Cause: m.Cause}
	var nas []string
	for _, p := range m.NASPDUs {
		nas = append(nas, hex.EncodeToString(p))
	}
	if c := m.UESecurityCapabilities; c != nil {
		v.Security = fmt.Sprintf("%04x %04x %04x %04x", c.NREncryption, c.NRIntegrity, c.EUTRAEncryption, c.EUTRAIntegrity)
	}
	v.NAS = strings.Join(nas, " ")
	return v
}

func theirs(p aptest.TsharkPDU) view {
	var v view
	var ies []aptest.TsharkIE
	v.Envelope, ies = aptest.TsharkEnvelope(p, "ngap")
	for _, ie := range ies {
		switch ie.ID {
		case 85:
			v.RAN = ie.Show("RAN_UE_NGAP_ID")
		case 10:
			v.AMF = ie.Show("AMF_UE_NGAP_ID")
		case 114:
			v.AMF, v.RAN = ie.Show("AMF_UE_NGAP_ID"), ie.Show("RAN_UE_NGAP_ID")
		case 15:
			v.Cause = aptest.TsharkCause(ie.Value, "ngap")
		case 119:
			var maps []string
			for _, n := range []string{"nRencryptionAlgorithms", "nRintegrityProtectionAlgorithms", "eUTRAencryptionAlgorithms", "eUTRAintegrityProtectionAlgorithms"} {
				maps = append(maps, ie.Show(n))
			}
			v.Security = strings.ReplaceAll(strings.Join(maps, " "), ":", "")
		}
	}
	var nas []string
	for _, n := range aptest.FindAll(p.PDU, "ngap.NAS_PDU", "ngap.pDUSessionNAS_PDU", "ngap.nAS_PDU") {
		nas = append(nas, n.Value)
	}
	v.NAS = strings.Join(nas, " ")
	return v
}

// comparison compares our views with tshark's.
var comparison = aptest.Comparison[ngap.Message]{
	Fields:        fields,
	Ours:          func(m *ngap.Message) aptest.View { return ours(m) },
	Theirs:        func(p aptest.TsharkPDU) aptest.View { return theirs(p) },
	Unmatched:     func(seed string) bool { return strings.HasPrefix(seed, "unknown and unmodelled") },
	CountTrailing: true,
}

// Our decoding of the builders' PDUs agrees with tshark's on every field.
func TestTsharkBuilt(t *testing.T) { aptest.NGDecoder.CompareBuilt(t, comparison, seeds()) }

// TestTsharkTraces decodes every NGAP PDU of the shared captures (SCTP
// PPID 60, and the raw NGAP records of link type 152) and compares it with
// tshark's dissection; the counts and every difference go to
// testdata/tshark-traces.golden (rewrite with -update).
func TestTsharkTraces(t *testing.T) {
	aptest.NGDecoder.CompareTraces(t, comparison, `# NGAP: our decoding of every NGAP PDU of the shared traces against tshark 4.0.17.
# field: agreeing PDUs / PDUs where either side shows the field; tree: PDUs whose every
# primitive value agrees with tshark's, among those with no IE kept as octets but names.
#
# Notes:
# - PDUs with trailing octets: the MobiWatch AMF hands SCTP a buffer longer than the PDU
#   (zeros or stale bytes). tshark decodes the PDU and ignores the rest; so do we
#   (Message.Trailing).
# - IEs kept as octets: AMFName and RANNodeName (character strings, UNMODELLED), and in
#   SamsungA22 a PDUSessionResourceReleaseResponse whose
#   pDUSessionResourceReleaseResponseTransfer is empty (malformed: tshark shows
#   <MISSING>).
`, *update)
}
