package redact

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/tracetest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// exported writes the PDUs of the messages as Wireshark exported PDUs, one
// packet each, for the NR RRC dissector of their channel or the F1AP and
// NGAP dissectors.
func exported(t *testing.T, msgs []ladder.Message) []byte {
	t.Helper()
	f := capturetest.File{LinkType: capturetest.LinkTypeExportedPDU}
	for _, m := range msgs {
		dissector := map[string]string{"F1AP": "f1ap", "NGAP": "ngap"}[m.Protocol]
		if m.Protocol == "NR-RRC" {
			ch, ok := rrc.ChannelFromName(m.Channel)
			if !ok {
				t.Fatalf("channel %q", m.Channel)
			}
			dissector = ch.Dissector()
		}
		f.Packets = append(f.Packets, capturetest.Packet{Data: capturetest.ExportedPDU(dissector, m.PDU)})
	}
	return f.Bytes()
}

// tsharkFields returns, for each field name asked for, the values tshark
// shows in the capture, in order, and each packet's expert items.
func tsharkFields(t *testing.T, capture []byte, names []string) (map[string][]string, [][]string) {
	t.Helper()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	fields := map[string][]string{}
	var experts [][]string
	var walk func(n *tsharktest.Node)
	walk = func(n *tsharktest.Node) {
		if want[n.Name] {
			fields[n.Name] = append(fields[n.Name], n.Show)
		}
		for i := range n.Children {
			walk(&n.Children[i])
		}
	}
	for _, p := range tsharktest.PDML(t, capture) {
		walk(&p)
		experts = append(experts, p.Experts(nil))
	}
	return fields, experts
}

// TestTshark checks that Wireshark decodes the masked PDUs as it decodes
// the originals, without a malformed packet or a new expert item, and shows
// the masked values: zeros where the identity was, the network's ids kept.
func TestTshark(t *testing.T) {
	tsharktest.Path(t)
	cases := []struct {
		name string
		tr   *ladder.Trace
		want map[string][]string
	}{
		{
			name: "rrc",
			tr:   build(t, tracetest.Pcap(rrcSteps())),
			want: map[string][]string{
				"nr-rrc.ng_5G_S_TMSI_Part1":         {"82:00:00:00:00"}, // AMF set ID's last bit and pointer kept
				"nr-rrc.ng_5G_S_TMSI":               {"fc:41:00:00:00:00"},
				"nr-rrc.c_RNTI":                     {"0"},
				"nr-rrc.resumeIdentity":             {"00:00:00", "00:00:00:00:00"},
				"nas_5gs.mm.suci.msin":              {"0000000000"},
				"nas_5gs.mm.suci.routing_indicator": {"0000"},
				"nas_5gs.mm.imeisv":                 {"0000000000000000"},
				"nas_5gs.amf_set_id":                {"1009", "1009"},
				"nas_5gs.5g_tmsi":                   {"0", "0"},
			},
		},
		{
			name: "f1ap-ngap",
			tr:   build(t, apCapture(apSteps())),
			want: map[string][]string{
				"f1ap.C_RNTI":               {"0"},
				"nr-rrc.ng_5G_S_TMSI_Part1": {"82:00:00:00:00", "82:00:00:00:00"},
				"nas_5gs.mm.suci.msin":      {"0000000000", "0000000000", "0000000000"},
				"nas_5gs.5g_tmsi":           {"0", "0", "0"},
				"ngap.fiveG_TMSI":           {"0", "0"},
				"ngap.aMFSetID":             {"fc:40", "00:40", "fc:40"},
				"ngap.MaskedIMEISV":         {"00:00:00:00:00:00:00:00"},
				"f1ap.indexLength10":        {"00:00", "00:00"},
				"f1ap.fiveG_S_TMSI":         {"fc:41:00:00:00:00"},
				"f1ap.iRNTI":                {"00:00:00:00:00"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var masked []ladder.Message
			for _, m := range c.tr.Messages {
				out, err := Message(m, nil, Options{RNTI: true})
				if err != nil {
					t.Fatal(err)
				}
				masked = append(masked, out)
			}
			var names []string
			for n := range c.want {
				names = append(names, n)
			}
			_, origExperts := tsharkFields(t, exported(t, c.tr.Messages), names)
			got, experts := tsharkFields(t, exported(t, masked), names)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("tshark's fields of the masked PDUs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(origExperts, experts); diff != "" {
				t.Errorf("tshark's expert items, original and masked (-original +masked):\n%s", diff)
			}
		})
	}
}
