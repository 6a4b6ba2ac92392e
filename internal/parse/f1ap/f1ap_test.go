package f1ap_test

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/rrctest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden and testdata/fuzz/FuzzDecode")

var (
	ue       = aptest.F1UE{CU: 22689, DU: 0xfedcba98}
	plmn     = aptest.PLMN("208", "99")
	cell     = aptest.F1NRCGI(plmn, 12345678)
	cellText = "PLMN 208-99 NCI 0x000BC614E"

	setupRequest = rrctest.RRCSetupRequest(0x123456789, 3)
	cellGroup    = rrctest.CellGroupConfig(0)
	smc          = aptest.PDCP(0, rrctest.SecurityModeCommand(0, 2, 2))
	smComplete   = aptest.PDCP(1, rrctest.SecurityModeComplete(0))
	release      = aptest.PDCP(3, rrctest.RRCRelease(1))
	rrcSetup     = rrctest.RRCSetup(0)
	ueCapability = []byte{0x04, 0x01, 0x02, 0x03}
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
	CU, DU                   *uint64
	CRNTI                    *uint16
	NRCGI, Cause             string
	Containers               []f1ap.Container
	Undecoded                []string
}

func summarize(m *f1ap.Message) summary {
	s := summary{
		Procedure: m.Procedure, Name: m.Name, Outcome: m.Outcome, Code: m.ProcedureCode,
		CU: m.CUUEID, DU: m.DUUEID, CRNTI: m.CRNTI, NRCGI: m.NRCGI, Cause: m.Cause,
		Containers: m.Containers,
	}
	for _, e := range m.Undecoded {
		s.Undecoded = append(s.Undecoded, e.Error())
	}
	return s
}

func u64(v uint64) *uint64 { return &v }
func u16(v uint16) *uint16 { return &v }

func builders() []builder {
	cu, du := u64(uint64(ue.CU)), u64(uint64(ue.DU))
	return []builder{
		{"InitialULRRCMessageTransfer", aptest.F1InitialULRRCMessageTransfer(ue.DU, cell, 0x4601, setupRequest, cellGroup), summary{
			Procedure: "InitialULRRCMessageTransfer", Name: "InitialULRRCMessageTransfer", Outcome: "initiatingMessage", Code: 11,
			DU: du, CRNTI: u16(0x4601), NRCGI: cellText,
			Containers: []f1ap.Container{
				{IE: "RRCContainer", SRBID: 0, Data: setupRequest, Kind: f1ap.KindULCCCH},
				{IE: "DUtoCURRCContainer", SRBID: -1, Data: cellGroup, Kind: f1ap.KindCellGroupConfig},
			},
		}},
		{"DLRRCMessageTransfer SRB0 RRCSetup", aptest.F1DLRRCMessageTransfer(ue, 0, rrcSetup), summary{
			Procedure: "DLRRCMessageTransfer", Name: "DLRRCMessageTransfer", Outcome: "initiatingMessage", Code: 12,
			CU: cu, DU: du,
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 0, Data: rrcSetup, Kind: f1ap.KindDLCCCH}},
		}},
		{"DLRRCMessageTransfer SRB1 with delivery status request", aptest.F1DLRRCMessageTransfer(ue, 1, smc,
			aptest.F1AP.IE(184, "ignore", "RRCDeliveryStatusRequest", aptest.Enum("", "true"))), summary{
			Procedure: "DLRRCMessageTransfer", Name: "DLRRCMessageTransfer", Outcome: "initiatingMessage", Code: 12,
			CU: cu, DU: du,
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 1, Data: smc, Kind: f1ap.KindPDCPSRB}},
		}},
		{"ULRRCMessageTransfer SRB1", aptest.F1ULRRCMessageTransfer(ue, 1, smComplete), summary{
			Procedure: "ULRRCMessageTransfer", Name: "ULRRCMessageTransfer", Outcome: "initiatingMessage", Code: 13,
			CU: cu, DU: du,
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 1, Data: smComplete, Kind: f1ap.KindPDCPSRB}},
		}},
		{"UEContextSetupRequest with SecurityModeCommand", aptest.F1UEContextSetupRequest(ue, cell, ueCapability, smc), summary{
			Procedure: "UEContextSetup", Name: "UEContextSetupRequest", Outcome: "initiatingMessage", Code: 5,
			CU: cu, DU: du, NRCGI: cellText,
			Containers: []f1ap.Container{
				{IE: "CUtoDURRCInformation.uE-CapabilityRAT-ContainerList", SRBID: -1, Data: ueCapability, Kind: f1ap.KindUECapability},
				{IE: "RRCContainer", SRBID: 1, Data: smc, Kind: f1ap.KindPDCPSRB},
			},
		}},
		{"UEContextSetupResponse", aptest.F1UEContextSetupResponse(ue, cellGroup, 0x4601), summary{
			Procedure: "UEContextSetup", Name: "UEContextSetupResponse", Outcome: "successfulOutcome", Code: 5,
			CU: cu, DU: du, CRNTI: u16(0x4601),
			Containers: []f1ap.Container{{IE: "DUtoCURRCInformation.cellGroupConfig", SRBID: -1, Data: cellGroup, Kind: f1ap.KindCellGroupConfig}},
		}},
		{"UEContextReleaseCommand with RRCRelease", aptest.F1UEContextReleaseCommand(ue, aptest.F1Cause("radioNetwork", "normal-release"), 1, release), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseCommand", Outcome: "initiatingMessage", Code: 6,
			CU: cu, DU: du, Cause: "radioNetwork: normal-release",
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 1, Data: release, Kind: f1ap.KindPDCPSRB}},
		}},
		{"UEContextReleaseCommand extension cause, no SRB ID", f1ReleaseNoSRB(), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseCommand", Outcome: "initiatingMessage", Code: 6,
			CU: cu, DU: du, Cause: "radioNetwork: cell-not-available",
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: -1, Data: release, Kind: f1ap.KindRRC}},
		}},
		{"UEContextReleaseComplete", aptest.F1UEContextReleaseComplete(ue), summary{
			Procedure: "UEContextRelease", Name: "UEContextReleaseComplete", Outcome: "successfulOutcome", Code: 6,
			CU: cu, DU: du,
		}},
		{"UEContextReleaseRequest", aptest.F1UEContextReleaseRequest(ue, aptest.F1Cause("radioNetwork", "rl-failure-rlc")), summary{
			Procedure: "UEContextReleaseRequest", Name: "UEContextReleaseRequest", Outcome: "initiatingMessage", Code: 10,
			CU: cu, DU: du, Cause: "radioNetwork: rl-failure-rlc",
		}},
		{"unknown IE and unmodelled IE kept as octets", aptest.F1DLRRCMessageTransfer(ue, 2, smc,
			aptest.F1AP.RawIE(9999, "ignore", []byte{1, 2, 3}),
			aptest.F1AP.RawIE(45, "ignore", []byte{0x00, 0x41}),
			aptest.F1AP.RawIE(140, "ignore", []byte{0x00})), summary{
			Procedure: "DLRRCMessageTransfer", Name: "DLRRCMessageTransfer", Outcome: "initiatingMessage", Code: 12,
			CU: cu, DU: du,
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 2, Data: smc, Kind: f1ap.KindPDCPSRB}},
			Undecoded: []string{
				"f1ap: DLRRCMessageTransfer: ie 9999 ie 9999 at byte 46: unknown ie",
				"f1ap: DLRRCMessageTransfer: ie 45 gNB-DU-Name at byte 53: per: GNB-DU-Name: bit 0: type not modelled (GNB-DU-Name)",
				"f1ap: DLRRCMessageTransfer: ie 140 PWSSystemInformation at byte 59: type not modelled",
			},
		}},
		{"malformed IE does not fail the message", aptest.F1DLRRCMessageTransfer(ue, 1, smc,
			aptest.F1AP.RawIE(95, "ignore", []byte{0x00, 0x46})), summary{
			Procedure: "DLRRCMessageTransfer", Name: "DLRRCMessageTransfer", Outcome: "initiatingMessage", Code: 12,
			CU: cu, DU: du,
			Containers: []f1ap.Container{{IE: "RRCContainer", SRBID: 1, Data: smc, Kind: f1ap.KindPDCPSRB}},
			Undecoded:  []string{"f1ap: DLRRCMessageTransfer: ie 95 C-RNTI at byte 46: per: C-RNTI: bit 8: truncated input (need 16 bits, 8 left)"},
		}},
	}
}

// f1ReleaseNoSRB is a UEContextReleaseCommand without SRB ID, its cause
// an extension value of CauseRadioNetwork.
func f1ReleaseNoSRB() []byte {
	return aptest.F1AP.PDU("initiatingMessage", 6, "reject", "UEContextReleaseCommand",
		aptest.F1AP.IE(40, "reject", "GNB-CU-UE-F1AP-ID", aptest.Int("", int64(ue.CU))),
		aptest.F1AP.IE(41, "reject", "GNB-DU-UE-F1AP-ID", aptest.Int("", int64(ue.DU))),
		aptest.F1AP.IE(0, "ignore", "Cause", aptest.F1Cause("radioNetwork", "cell-not-available")),
		aptest.F1AP.IE(50, "ignore", "RRCContainer", aptest.Octets("", release)))
}

func TestDecode(t *testing.T) {
	for _, b := range builders() {
		t.Run(b.name, func(t *testing.T) { aptest.CheckDecode(t, aptest.F1Decoder, b.pdu, b.want, summarize) })
	}
}

func TestDecodeErrors(t *testing.T) {
	smcPDU := aptest.F1UEContextSetupRequest(ue, cell, ueCapability, smc)
	tests := []struct {
		name    string
		pdu     []byte
		is      error
		message string // the Message's Name when one is returned
		text    string
	}{
		{"empty", nil, per.ErrTruncated, "", "f1ap: per: F1AP-PDU: bit 0: truncated input (need 2 bits, 0 left)"},
		{"truncated envelope", smcPDU[:20], per.ErrTruncated, "", "f1ap: per: F1AP-PDU.initiatingMessage.value: bit 32: truncated input"},
		{"unknown procedure", aptest.F1AP.Encode("F1AP-PDU", aptest.Choice("", aptest.Seq("initiatingMessage",
			aptest.Int("procedureCode", 9), aptest.Enum("criticality", "ignore"), aptest.Octets("value", []byte{0})))),
			f1ap.ErrUnknownProcedure, "", "f1ap: procedure 9 initiatingMessage: unknown procedure"},
		{"outcome the procedure has not", aptest.F1AP.Encode("F1AP-PDU", aptest.Choice("", aptest.Seq("unsuccessfulOutcome",
			aptest.Int("procedureCode", 12), aptest.Enum("criticality", "ignore"), aptest.Octets("value", []byte{0})))),
			f1ap.ErrUnknownProcedure, "", "f1ap: procedure 12 unsuccessfulOutcome: unknown procedure"},
		{"malformed message", aptest.F1AP.Encode("F1AP-PDU", aptest.Choice("", aptest.Seq("initiatingMessage",
			aptest.Int("procedureCode", 12), aptest.Enum("criticality", "ignore"), aptest.Octets("value", []byte{0, 0, 1, 0})))),
			per.ErrTruncated, "DLRRCMessageTransfer", "f1ap: DLRRCMessageTransfer at byte 4: per: DLRRCMessageTransfer.protocolIEs[0].id: bit 24: truncated input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := f1ap.Decode(tt.pdu)
			aptest.F1Decoder.CheckError(t, m, err, tt.is, tt.message, tt.text)
		})
	}
}

// Trailing octets after a complete PDU (the SCTP buffer of some senders)
// are counted and ignored.
func TestTrailing(t *testing.T) {
	pdu := aptest.F1UEContextReleaseComplete(ue)
	m, err := f1ap.Decode(append(pdu, 0, 0, 0xaa))
	if err != nil {
		t.Fatal(err)
	}
	if m.Trailing != 3 || m.Name != "UEContextReleaseComplete" {
		t.Errorf("trailing %d, name %s", m.Trailing, m.Name)
	}
}

// Every message of the procedure table and every IE value type is in the
// schema, and every IE id the table types is named.
func TestTablesMatchSchema(t *testing.T) {
	aptest.F1Decoder.TablesMatchSchema(t, 158, "38.473 V18.7.0", map[int]string{
		40: "gNB-CU-UE-F1AP-ID", 41: "gNB-DU-UE-F1AP-ID", 50: "RRCContainer", 64: "SRBID", 95: "C-RNTI",
		241: "RRCContainer-RRCSetupComplete", 863: "LTMTCIStatesConfigurationsList", 46: "ie 46", 8: "ie 8",
	})
}

// The JER holds the IE values in place and the tree names the IEs.
func TestRendering(t *testing.T) {
	m, err := f1ap.Decode(aptest.F1ULRRCMessageTransfer(aptest.F1UE{CU: 1, DU: 2}, 1, []byte{0, 1, 0x2a, 0, 0, 0, 0}))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"initiatingMessage":{"procedureCode":13,"criticality":"ignore","value":{"ULRRCMessageTransfer":{"protocolIEs":[` +
		`{"id":40,"criticality":"reject","value":{"GNB-CU-UE-F1AP-ID":1}},` +
		`{"id":41,"criticality":"reject","value":{"GNB-DU-UE-F1AP-ID":2}},` +
		`{"id":64,"criticality":"reject","value":{"SRBID":1}},` +
		`{"id":50,"criticality":"reject","value":{"RRCContainer":"00012a00000000"}}]}}}}`
	if got := string(m.ASN1); got != want {
		t.Errorf("JER\n got %s\nwant %s", got, want)
	}
	var lines []string
	for _, l := range m.Lines {
		lines = append(lines, strings.TrimSpace(strings.Repeat("  ", l.Depth)+l.Name+" "+l.Value+" "+l.Note))
	}
	got := strings.Join(lines, "\n")
	for _, w := range []string{"procedureCode 13 ULRRCMessageTransfer", "[2] SRBID", "id 64 SRBID", "SRBID 1", "RRCContainer 00012a00000000"} {
		if !strings.Contains(got, w) {
			t.Errorf("tree lacks %q:\n%s", w, got)
		}
	}
}

// A PDU's Containers point into the decoded value, not into the input.
func TestContainersOwnTheirBytes(t *testing.T) {
	pdu := aptest.F1DLRRCMessageTransfer(ue, 1, smc)
	m, err := f1ap.Decode(pdu)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pdu {
		pdu[i] = 0
	}
	if !bytes.Equal(m.Containers[0].Data, smc) {
		t.Errorf("container changed with the input")
	}
}

// The byte offset of an IE in an error is where its value starts in the
// PDU, also after a value of more than 127 octets (a 2-octet length).
func TestByteOffsets(t *testing.T) {
	aptest.F1Decoder.ByteOffsets(t, func(extra ...per.Value) []byte {
		return aptest.F1DLRRCMessageTransfer(ue, 1, smc, extra...)
	})
}
