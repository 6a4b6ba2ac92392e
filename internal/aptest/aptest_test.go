package aptest

import (
	"bytes"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/ngap"
)

// Every builder's PDU decodes as the message it names, with no IE left
// undecoded.
func TestBuildersDecode(t *testing.T) {
	ue := F1UE{CU: 1, DU: 2}
	cell := F1NRCGI(PLMN("001", "01"), 0x12345678)
	f1 := map[string][]byte{
		"InitialULRRCMessageTransfer": F1InitialULRRCMessageTransfer(2, cell, 0x4601, []byte{1, 2, 3, 4, 5, 6}, []byte{0x5c}),
		"DLRRCMessageTransfer":        F1DLRRCMessageTransfer(ue, 1, PDCP(0, []byte{0x20})),
		"ULRRCMessageTransfer":        F1ULRRCMessageTransfer(ue, 1, PDCP(0, []byte{0x20})),
		"UEContextSetupRequest":       F1UEContextSetupRequest(ue, cell, []byte{1}, PDCP(1, []byte{0x2a})),
		"UEContextSetupResponse":      F1UEContextSetupResponse(ue, []byte{0x5c}, 0x4601),
		"UEContextReleaseCommand":     F1UEContextReleaseCommand(ue, F1Cause("radioNetwork", "normal-release"), 1, PDCP(2, []byte{0x30})),
		"UEContextReleaseComplete":    F1UEContextReleaseComplete(ue),
		"UEContextReleaseRequest":     F1UEContextReleaseRequest(ue, F1Cause("radioNetwork", "rl-failure-rlc")),
	}
	for name, pdu := range f1 {
		m, err := f1ap.Decode(pdu)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m.Name != name || len(m.Undecoded) > 0 || m.Trailing != 0 {
			t.Errorf("%s: decoded as %s, undecoded %v", name, m.Name, m.Undecoded)
		}
	}
	ng := NGUE{AMF: 1 << 39, RAN: 7}
	loc := NGUserLocationNR(PLMN("001", "01"), 0x12345678, []byte{0, 0, 1})
	key := bytes.Repeat([]byte{0xab}, 32)
	n := map[string][]byte{
		"InitialUEMessage":               NGInitialUEMessage(7, []byte{0x7e, 0, 0x41}, loc, "mo-Signalling"),
		"DownlinkNASTransport":           NGDownlinkNASTransport(ng, []byte{0x7e, 0, 0x56}),
		"UplinkNASTransport":             NGUplinkNASTransport(ng, []byte{0x7e, 0, 0x57}, loc),
		"InitialContextSetupRequest":     NGInitialContextSetupRequest(ng, PLMN("001", "01"), NGSecurityCapabilities(0xe000, 0xe000, 0xe000, 0xe000), key, []byte{0x7e, 2}),
		"PDUSessionResourceSetupRequest": NGPDUSessionResourceSetupRequest(ng, 1, []byte{0x7e, 0, 0x68}),
		"UEContextReleaseRequest":        NGUEContextReleaseRequest(ng, NGCause("radioNetwork", "user-inactivity")),
		"UEContextReleaseCommand":        NGUEContextReleaseCommand(ng, true, NGCause("nas", "normal-release")),
		"UEContextReleaseComplete":       NGUEContextReleaseComplete(ng, 1),
	}
	for name, pdu := range n {
		m, err := ngap.Decode(pdu)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m.Name != name || m.Trailing != 0 {
			t.Errorf("%s: decoded as %s", name, m.Name)
		}
		for _, e := range m.Undecoded {
			t.Errorf("%s: %v", name, e)
		}
	}
}

func TestPLMN(t *testing.T) {
	if got := PLMN("208", "93"); !bytes.Equal(got, []byte{0x02, 0xf8, 0x39}) {
		t.Errorf("PLMN(208, 93) = % x", got)
	}
	if got := PLMN("310", "410"); !bytes.Equal(got, []byte{0x13, 0x00, 0x14}) {
		t.Errorf("PLMN(310, 410) = % x", got)
	}
}
