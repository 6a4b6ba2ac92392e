package ngap_test

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden and testdata/fuzz/FuzzDecode")

var (
	ue       = aptest.NGUE{AMF: 0xfe_dcba_9876, RAN: 4}
	plmn     = aptest.PLMN("001", "01")
	location = aptest.NGUserLocationNR(plmn, 0x00bc614e, []byte{0, 0, 1})
	cellText = "PLMN 001-01 NCI 0x000BC614E"

	suci       = []byte{0x01, 0x00, 0xf1, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x32, 0x54}
	regRequest = nastest.RegistrationRequest(suci, 0xf0, 0xf0)
	authReq    = nastest.AuthenticationRequest(0, [16]byte{1}, [16]byte{2})
	authResp   = nastest.AuthenticationResponse([16]byte{3})
	regAccept  = nastest.RegistrationAccept([]byte{0xf2, 0x00, 0xf1, 0x10, 0x01, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01})
	estAccept  = nastest.DLNASTransport(1, []byte{0x2e, 0x01, 0x01, 0xc2})
	key        = bytes.Repeat([]byte{0x5a}, 32)
)

type builder struct {
	name string
	pdu  []byte
	want summary
}

// summary is what a ladder takes from a message.
type summary struct {
	Procedure, Name, Outcome string
	Code                     int
	RAN, AMF                 *uint64
	NAS                      [][]byte
	Security                 *ngap.SecurityCapabilities
	NRCGI, Cause             string
	Undecoded                []string
}

func summarize(m *ngap.Message) summary {
	s := summary{
		Procedure: m.Procedure, Name: m.Name, Outcome: m.Outcome, Code: m.ProcedureCode,
		RAN: m.RANUEID, AMF: m.AMFUEID, NAS: m.NASPDUs, Security: m.UESecurityCapabilities,
		NRCGI: m.NRCGI, Cause: m.Cause,
	}
	for _, e := range m.Undecoded {
		s.Undecoded = append(s.Undecoded, e.Error())
	}
	return s
}

func u64(v uint64) *uint64 { return &v }

func builders() []builder {
	ran, amf := u64(uint64(ue.RAN)), u64(ue.AMF)
	return []builder{
		{"InitialUEMessage", aptest.NGInitialUEMessage(ue.RAN, regRequest, location, "mo-Signalling"), summary{
			Procedure: "InitialUEMessage", Name: "InitialUEMessage", Outcome: "initiatingMessage", Code: 15,
			RAN: ran, NAS: [][]byte{regRequest}, NRCGI: cellText,
		}},
		{"InitialUEMessage with 5G-S-TMSI and allowed NSSAI", aptest.NGInitialUEMessage(ue.RAN, regRequest, location, "mo-Data",
			aptest.NGAP.IE(26, "reject", "FiveG-S-TMSI", aptest.Seq("", aptest.Bits("aMFSetID", []byte{0, 0x40}, 10),
				aptest.Bits("aMFPointer", []byte{0}, 6), aptest.Octets("fiveG-TMSI", []byte{0xc0, 0, 0x07, 0x42}))),
			aptest.NGAP.IE(0, "reject", "AllowedNSSAI", aptest.SeqOf("", aptest.Seq("", aptest.NGSNSSAI("s-NSSAI", 1, []byte{1, 2, 3}))))), summary{
			Procedure: "InitialUEMessage", Name: "InitialUEMessage", Outcome: "initiatingMessage", Code: 15,
			RAN: ran, NAS: [][]byte{regRequest}, NRCGI: cellText,
		}},
		{"DownlinkNASTransport", aptest.NGDownlinkNASTransport(ue, authReq), summary{
			Procedure: "DownlinkNASTransport", Name: "DownlinkNASTransport", Outcome: "initiatingMessage", Code: 4,
			RAN: ran, AMF: amf, NAS: [][]byte{authReq},
		}},
		{"UplinkNASTransport", aptest.NGUplinkNASTransport(ue, authResp, location), summary{
			Procedure: "UplinkNASTransport", Name: "UplinkNASTransport", Outcome: "initiatingMessage", Code: 46,
			RAN: ran, AMF: amf, NAS: [][]byte{authResp}, NRCGI: cellText,
		}},
		{"InitialContextSetupRequest", aptest.NGInitialContextSetupRequest(ue, plmn,
			aptest.NGSecurityCapabilities(0xe000, 0x6000, 0xc000, 0x4000), key, regAccept), summary{
			Procedure: "InitialContextSetup", Name: "InitialContextSetupRequest", Outcome: "initiatingMessage", Code: 14,
			RAN: ran, AMF: amf, NAS: [][]byte{regAccept},
			Security: &ngap.SecurityCapabilities{NREncryption: 0xe000, NRIntegrity: 0x6000, EUTRAEncryption: 0xc000, EUTRAIntegrity: 0x4000},
		}},
		{"PDUSessionResourceSetupRequest", aptest.NGPDUSessionResourceSetupRequest(ue, 1, estAccept), summary{
			Procedure: "PDUSessionResourceSetup", Name: "PDUSessionResourceSetupRequest", Outcome: "initiatingMessage", Code: 29,
			RAN: ran, AMF: amf, NAS: [][]byte{estAccept},
		}},
		{"UEContextReleaseRequest", aptest.NGUEContextReleaseRequest(ue, aptest.NGCause("radioNetwork", "user-inactivity")), summary{
			Procedure: "UEContextReleaseRequest", Name: "UEContextReleaseRequest", Outcome: "initiatingMessage", Code: 42,
			RAN: ran, AMF: amf, Cause: "radioNetwork: user-inactivity",
		}},
		{"UEContextReleaseCommand ID pair", aptest.NGUEContextReleaseCommand(ue, true, aptest.NGCause("nas", "normal-release")), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseCommand", Outcome: "initiatingMessage", Code: 41,
			RAN: ran, AMF: amf, Cause: "nas: normal-release",
		}},
		{"UEContextReleaseCommand AMF-UE-NGAP-ID", aptest.NGUEContextReleaseCommand(ue, false, aptest.NGCause("radioNetwork", "release-due-to-pre-emption")), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseCommand", Outcome: "initiatingMessage", Code: 41,
			AMF: amf, Cause: "radioNetwork: release-due-to-pre-emption",
		}},
		{"UEContextReleaseComplete", aptest.NGUEContextReleaseComplete(ue, 1, 2), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseComplete", Outcome: "successfulOutcome", Code: 41,
			RAN: ran, AMF: amf,
		}},
		{"unknown and unmodelled IEs kept as octets", aptest.NGDownlinkNASTransport(ue, authReq,
			aptest.NGAP.RawIE(5000, "ignore", []byte{9}),
			aptest.NGAP.RawIE(36, "ignore", []byte{0}),
			aptest.NGAP.RawIE(82, "ignore", []byte{0, 0x41})), summary{
			Procedure: "DownlinkNASTransport", Name: "DownlinkNASTransport", Outcome: "initiatingMessage", Code: 4,
			RAN: ran, AMF: amf, NAS: [][]byte{authReq},
			Undecoded: []string{
				"ngap: DownlinkNASTransport: ie 5000 ie 5000 at byte 74: unknown ie",
				"ngap: DownlinkNASTransport: ie 36 MobilityRestrictionList at byte 79: per: MobilityRestrictionList: bit 0: type not modelled (MobilityRestrictionList)",
				"ngap: DownlinkNASTransport: ie 82 RANNodeName at byte 84: per: RANNodeName: bit 0: type not modelled (RANNodeName)",
			},
		}},
	}
}

func TestDecode(t *testing.T) {
	for _, b := range builders() {
		t.Run(b.name, func(t *testing.T) { aptest.CheckDecode(t, aptest.NGDecoder, b.pdu, b.want, summarize) })
	}
}

func TestSecurityCapabilities(t *testing.T) {
	c := ngap.SecurityCapabilities{NREncryption: 0x4000, NRIntegrity: 0xe000}
	for _, tt := range []struct {
		got, want bool
		what      string
	}{
		{c.NEA(0), true, "NEA0"}, {c.NEA(1), false, "NEA1"}, {c.NEA(2), true, "NEA2"}, {c.NEA(3), false, "NEA3"},
		{c.NIA(1), true, "NIA1"}, {c.NIA(3), true, "NIA3"}, {c.NIA(4), false, "NIA4"}, {c.EEA(1), false, "EEA1"},
		{c.EIA(0), true, "EIA0"}, {c.NEA(17), false, "NEA17"}, {c.NEA(-1), false, "NEA-1"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %v", tt.what, tt.got)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		pdu     []byte
		is      error
		message string
		text    string
	}{
		{"empty", nil, per.ErrTruncated, "", "ngap: per: NGAP-PDU: bit 0: truncated input"},
		{"truncated", aptest.NGDownlinkNASTransport(ue, authReq)[:9], per.ErrTruncated, "", "ngap: per: NGAP-PDU.initiatingMessage.value: bit 32: truncated input"},
		{"unknown procedure", aptest.NGAP.Encode("NGAP-PDU", aptest.Choice("", aptest.Seq("initiatingMessage",
			aptest.Int("procedureCode", 200), aptest.Enum("criticality", "ignore"), aptest.Octets("value", []byte{0})))),
			ngap.ErrUnknownProcedure, "", "ngap: procedure 200 initiatingMessage: unknown procedure"},
		{"malformed message", aptest.NGAP.Encode("NGAP-PDU", aptest.Choice("", aptest.Seq("successfulOutcome",
			aptest.Int("procedureCode", 41), aptest.Enum("criticality", "reject"), aptest.Octets("value", []byte{0x80})))),
			per.ErrTruncated, "UEContextReleaseComplete", "ngap: UEContextReleaseComplete at byte 4: per: UEContextReleaseComplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ngap.Decode(tt.pdu)
			aptest.NGDecoder.CheckError(t, m, err, tt.is, tt.message, tt.text)
		})
	}
}

// Every message of the procedure table and every IE value type is in the
// schema, and every IE id the table types is named.
func TestTablesMatchSchema(t *testing.T) {
	aptest.NGDecoder.TablesMatchSchema(t, 131, "38.413 up to Rel-18", map[int]string{
		10: "AMF-UE-NGAP-ID", 38: "NAS-PDU", 85: "RAN-UE-NGAP-ID", 114: "UE-NGAP-IDs", 119: "UESecurityCapabilities",
		440: "AUN3DeviceAccessInfo", 113: "ie 113",
	})
}

// The JER holds the IE values and the PDU session transfer in place.
func TestRendering(t *testing.T) {
	m, err := ngap.Decode(aptest.NGPDUSessionResourceSetupRequest(aptest.NGUE{AMF: 1, RAN: 2}, 5, []byte{0x7e, 0x02}))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`{"id":10,"criticality":"reject","value":{"AMF-UE-NGAP-ID":1}}`,
		`"pDUSessionResourceSetupRequestTransfer":{"PDUSessionResourceSetupRequestTransfer":{"protocolIEs":[{"id":130,"criticality":"reject","value":{"PDUSessionAggregateMaximumBitRate":{"pDUSessionAggregateMaximumBitRateDL":1000000000,`,
		`{"id":134,"criticality":"reject","value":{"PDUSessionType":"ipv4"}}`,
	} {
		if !strings.Contains(string(m.ASN1), w) {
			t.Errorf("JER lacks %s:\n%s", w, m.ASN1)
		}
	}
	var lines []string
	for _, l := range m.Lines {
		lines = append(lines, strings.TrimSpace(strings.Repeat("  ", l.Depth)+l.Name+" "+l.Value+" "+l.Note))
	}
	got := strings.Join(lines, "\n")
	for _, w := range []string{"procedureCode 29 PDUSessionResourceSetup", "[2] PDUSessionResourceSetupListSUReq", "id 139 UL-NGU-UP-TNLInformation", "PDUSessionType ipv4"} {
		if !strings.Contains(got, w) {
			t.Errorf("tree lacks %q:\n%s", w, got)
		}
	}
}

// The byte offset of an IE in an error is where its value starts in the
// PDU, also after a value of more than 127 octets (a 2-octet length).
func TestByteOffsets(t *testing.T) {
	aptest.NGDecoder.ByteOffsets(t, func(extra ...per.Value) []byte {
		return aptest.NGDownlinkNASTransport(ue, authReq, extra...)
	})
}
