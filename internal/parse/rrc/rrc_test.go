package rrc_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/parse/uper"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// entry is the expected identity of one alternative: the path below
// message, the ASN.1 type name and whether it has a transaction id.
type entry struct {
	path string
	name string
	txid bool
}

// wantTables spells out TS 38.331 v17.x §6.2.1, alternative by
// alternative, in encoding order (the order of rrctest.Paths).
var wantTables = map[rrc.Channel][]entry{
	rrc.BCCHBCH: {
		{"mib", "MIB", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.BCCHDLSCH: {
		{"c1.systemInformation", "SystemInformation", false},
		{"c1.systemInformationBlockType1", "SIB1", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.DLCCCH: {
		{"c1.rrcReject", "RRCReject", false},
		{"c1.rrcSetup", "RRCSetup", true},
		{"c1.spare2", "spare2", false},
		{"c1.spare1", "spare1", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.DLDCCH: {
		{"c1.rrcReconfiguration", "RRCReconfiguration", true},
		{"c1.rrcResume", "RRCResume", true},
		{"c1.rrcRelease", "RRCRelease", true},
		{"c1.rrcReestablishment", "RRCReestablishment", true},
		{"c1.securityModeCommand", "SecurityModeCommand", true},
		{"c1.dlInformationTransfer", "DLInformationTransfer", true},
		{"c1.ueCapabilityEnquiry", "UECapabilityEnquiry", true},
		{"c1.counterCheck", "CounterCheck", true},
		{"c1.mobilityFromNRCommand", "MobilityFromNRCommand", true},
		{"c1.dlDedicatedMessageSegment-r16", "DLDedicatedMessageSegment-r16", false},
		{"c1.ueInformationRequest-r16", "UEInformationRequest-r16", true},
		{"c1.dlInformationTransferMRDC-r16", "DLInformationTransferMRDC-r16", false},
		{"c1.loggedMeasurementConfiguration-r16", "LoggedMeasurementConfiguration-r16", false},
		{"c1.spare3", "spare3", false},
		{"c1.spare2", "spare2", false},
		{"c1.spare1", "spare1", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.PCCH: {
		{"c1.paging", "Paging", false},
		{"c1.spare1", "spare1", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.ULCCCH: {
		{"c1.rrcSetupRequest", "RRCSetupRequest", false},
		{"c1.rrcResumeRequest", "RRCResumeRequest", false},
		{"c1.rrcReestablishmentRequest", "RRCReestablishmentRequest", false},
		{"c1.rrcSystemInfoRequest", "RRCSystemInfoRequest", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.ULCCCH1: {
		{"c1.rrcResumeRequest1", "RRCResumeRequest1", false},
		{"c1.spare3", "spare3", false},
		{"c1.spare2", "spare2", false},
		{"c1.spare1", "spare1", false},
		{"messageClassExtension", "messageClassExtension", false},
	},
	rrc.ULDCCH: {
		{"c1.measurementReport", "MeasurementReport", false},
		{"c1.rrcReconfigurationComplete", "RRCReconfigurationComplete", true},
		{"c1.rrcSetupComplete", "RRCSetupComplete", true},
		{"c1.rrcReestablishmentComplete", "RRCReestablishmentComplete", true},
		{"c1.rrcResumeComplete", "RRCResumeComplete", true},
		{"c1.securityModeComplete", "SecurityModeComplete", true},
		{"c1.securityModeFailure", "SecurityModeFailure", true},
		{"c1.ulInformationTransfer", "ULInformationTransfer", false},
		{"c1.locationMeasurementIndication", "LocationMeasurementIndication", false},
		{"c1.ueCapabilityInformation", "UECapabilityInformation", true},
		{"c1.counterCheckResponse", "CounterCheckResponse", true},
		{"c1.ueAssistanceInformation", "UEAssistanceInformation", false},
		{"c1.failureInformation", "FailureInformation", false},
		{"c1.ulInformationTransferMRDC", "ULInformationTransferMRDC", false},
		{"c1.scgFailureInformation", "SCGFailureInformation", false},
		{"c1.scgFailureInformationEUTRA", "SCGFailureInformationEUTRA", false},
		{"messageClassExtension.c2.ulDedicatedMessageSegment-r16", "ULDedicatedMessageSegment-r16", false},
		{"messageClassExtension.c2.dedicatedSIBRequest-r16", "DedicatedSIBRequest-r16", false},
		{"messageClassExtension.c2.mcgFailureInformation-r16", "MCGFailureInformation-r16", false},
		{"messageClassExtension.c2.ueInformationResponse-r16", "UEInformationResponse-r16", true},
		{"messageClassExtension.c2.sidelinkUEInformationNR-r16", "SidelinkUEInformationNR-r16", false},
		{"messageClassExtension.c2.ulInformationTransferIRAT-r16", "ULInformationTransferIRAT-r16", false},
		{"messageClassExtension.c2.iabOtherInformation-r16", "IABOtherInformation-r16", true},
		{"messageClassExtension.c2.mbsInterestIndication-r17", "MBSInterestIndication-r17", false},
		{"messageClassExtension.c2.uePositioningAssistanceInfo-r17", "UEPositioningAssistanceInfo-r17", false},
		{"messageClassExtension.c2.measurementReportAppLayer-r17", "MeasurementReportAppLayer-r17", false},
		{"messageClassExtension.c2.spare6", "spare6", false},
		{"messageClassExtension.c2.spare5", "spare5", false},
		{"messageClassExtension.c2.spare4", "spare4", false},
		{"messageClassExtension.c2.spare3", "spare3", false},
		{"messageClassExtension.c2.spare2", "spare2", false},
		{"messageClassExtension.c2.spare1", "spare1", false},
		{"messageClassExtension.messageClassExtensionFuture-r16", "messageClassExtensionFuture-r16", false},
	},
}

// headerBits is the number of choice bits of a path.
func headerBits(ch rrc.Channel, path string) int {
	switch {
	case path == "mib" || path == "messageClassExtension":
		return 1
	case strings.HasPrefix(path, "messageClassExtension.c2."):
		return 6
	case strings.HasPrefix(path, "messageClassExtension."):
		return 2
	}
	return 1 + map[rrc.Channel]int{rrc.BCCHDLSCH: 1, rrc.DLCCCH: 2, rrc.DLDCCH: 4, rrc.PCCH: 1, rrc.ULCCCH: 2, rrc.ULCCCH1: 2, rrc.ULDCCH: 4}[ch]
}

func (e entry) message(ch rrc.Channel, txid int) rrc.Message {
	alt := e.path[strings.LastIndexByte(e.path, '.')+1:]
	m := rrc.Message{
		Channel: ch,
		Name:    e.name,
		Alt:     alt,
		Path:    e.path,
		TxID:    -1,
		Spare:   strings.HasPrefix(alt, "spare"),
		Bits:    headerBits(ch, e.path),
	}
	if e.txid {
		m.TxID = txid
		m.Bits += 2
	}
	return m
}

// TestClassifyEveryAlternative builds the header of every alternative of
// every channel, followed by each transaction id, and checks the name.
func TestClassifyEveryAlternative(t *testing.T) {
	for _, ch := range rrc.Channels() {
		paths := rrctest.Paths(ch)
		want := wantTables[ch]
		if len(paths) != len(want) {
			t.Fatalf("%v: rrctest.Paths gives %d alternatives, the table here %d", ch, len(paths), len(want))
		}
		for i, p := range paths {
			for id := range 4 {
				tail := []byte{byte(id<<6 | 0x15), 0xa5}
				pdu := rrctest.Header(ch, p, tail)
				got, err := rrc.Classify(ch, pdu)
				if err != nil {
					t.Errorf("%v %v: %v", ch, p, err)
					continue
				}
				if diff := cmp.Diff(want[i].message(ch, id), got); diff != "" {
					t.Errorf("Classify(%v, % x) path %v (-want +got):\n%s", ch, pdu, p, diff)
				}
			}
		}
	}
}

// builder is a complete message from rrctest with what Classify must say.
type builder struct {
	name string
	ch   rrc.Channel
	pdu  []byte
	path string
	txid int
}

func builders() []builder {
	// Complete plain 5GMM messages, so that tshark's NAS-5GS dissector
	// finds nothing to flag: Registration complete (UL) and Configuration
	// update command without IEs (DL).
	ulNAS := []byte{0x7e, 0x00, 0x43}
	dlNAS := []byte{0x7e, 0x00, 0x54}
	return []builder{
		{"RRCSetupRequest", rrc.ULCCCH, rrctest.RRCSetupRequest(0x123456789, rrctest.MOSignalling), "c1.rrcSetupRequest", -1},
		{"RRCSetupRequestTMSIPart1", rrc.ULCCCH, rrctest.RRCSetupRequestTMSIPart1(0x7fffffffff, rrctest.MTAccess), "c1.rrcSetupRequest", -1},
		{"RRCResumeRequest", rrc.ULCCCH, rrctest.RRCResumeRequest(0xabcdef, 0x1234, rrctest.MOData), "c1.rrcResumeRequest", -1},
		{"RRCReestablishmentRequest", rrc.ULCCCH, rrctest.RRCReestablishmentRequest(0x4601, 1007, 0xbeef, rrctest.HandoverFailure), "c1.rrcReestablishmentRequest", -1},
		{"RRCSystemInfoRequest", rrc.ULCCCH, rrctest.RRCSystemInfoRequest(0x80000000), "c1.rrcSystemInfoRequest", -1},
		{"RRCResumeRequest1", rrc.ULCCCH1, rrctest.RRCResumeRequest1(0x123456789a, 0xabcd, rrctest.MOData), "c1.rrcResumeRequest1", -1},
		{"RRCReject", rrc.DLCCCH, rrctest.RRCReject(16), "c1.rrcReject", -1},
		{"RRCReject without waitTime", rrc.DLCCCH, rrctest.RRCReject(0), "c1.rrcReject", -1},
		{"RRCSetup", rrc.DLCCCH, rrctest.RRCSetup(3), "c1.rrcSetup", 3},
		{"RRCReconfiguration", rrc.DLDCCH, rrctest.RRCReconfiguration(1), "c1.rrcReconfiguration", 1},
		{"RRCResume", rrc.DLDCCH, rrctest.RRCResume(2), "c1.rrcResume", 2},
		{"RRCRelease", rrc.DLDCCH, rrctest.RRCRelease(3), "c1.rrcRelease", 3},
		{"RRCReestablishment", rrc.DLDCCH, rrctest.RRCReestablishment(1, 7), "c1.rrcReestablishment", 1},
		{"SecurityModeCommand", rrc.DLDCCH, rrctest.SecurityModeCommand(0, rrctest.NEA0, rrctest.NIA2), "c1.securityModeCommand", 0},
		{"SecurityModeCommand without integrity", rrc.DLDCCH, rrctest.SecurityModeCommand(1, rrctest.NEA3, -1), "c1.securityModeCommand", 1},
		{"DLInformationTransfer", rrc.DLDCCH, rrctest.DLInformationTransfer(2, dlNAS), "c1.dlInformationTransfer", 2},
		{"DLInformationTransfer without NAS", rrc.DLDCCH, rrctest.DLInformationTransfer(3, nil), "c1.dlInformationTransfer", 3},
		{"UECapabilityEnquiry", rrc.DLDCCH, rrctest.UECapabilityEnquiry(0), "c1.ueCapabilityEnquiry", 0},
		{"UEInformationRequest-r16", rrc.DLDCCH, rrctest.UEInformationRequest(1), "c1.ueInformationRequest-r16", 1},
		{"RRCReconfigurationComplete", rrc.ULDCCH, rrctest.RRCReconfigurationComplete(1), "c1.rrcReconfigurationComplete", 1},
		{"RRCSetupComplete", rrc.ULDCCH, rrctest.RRCSetupComplete(3, ulNAS), "c1.rrcSetupComplete", 3},
		{"RRCReestablishmentComplete", rrc.ULDCCH, rrctest.RRCReestablishmentComplete(1), "c1.rrcReestablishmentComplete", 1},
		{"RRCResumeComplete", rrc.ULDCCH, rrctest.RRCResumeComplete(2), "c1.rrcResumeComplete", 2},
		{"SecurityModeComplete", rrc.ULDCCH, rrctest.SecurityModeComplete(3), "c1.securityModeComplete", 3},
		{"SecurityModeFailure", rrc.ULDCCH, rrctest.SecurityModeFailure(1), "c1.securityModeFailure", 1},
		{"ULInformationTransfer", rrc.ULDCCH, rrctest.ULInformationTransfer(ulNAS), "c1.ulInformationTransfer", -1},
		{"CounterCheckResponse", rrc.ULDCCH, rrctest.CounterCheckResponse(2), "c1.counterCheckResponse", 2},
		{"UEInformationResponse-r16", rrc.ULDCCH, rrctest.UEInformationResponse(3), "messageClassExtension.c2.ueInformationResponse-r16", 3},
		{"MIB", rrc.BCCHBCH, rrctest.MIB(rrctest.MIBFields{SystemFrameNumber: 0x3f, SSBSubcarrierOffset: 15, DMRSTypeAPosition: 1, CellBarred: true}), "mib", -1},
		{"Paging", rrc.PCCH, rrctest.Paging(0xffffffffffff), "c1.paging", -1},
	}
}

func TestClassifyBuilders(t *testing.T) {
	type got struct {
		Path string
		TxID int
	}
	for _, b := range builders() {
		m, err := rrc.Classify(b.ch, b.pdu)
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			continue
		}
		if diff := cmp.Diff(got{b.path, b.txid}, got{m.Path, m.TxID}); diff != "" {
			t.Errorf("Classify(%v, %s % x) (-want +got):\n%s", b.ch, b.name, b.pdu, diff)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	tests := []struct {
		name    string
		ch      rrc.Channel
		pdu     []byte
		want    string
		wantIs  error
		wantBit int
	}{
		{"empty", rrc.ULDCCH, nil, "rrc: UL-DCCH: bit 0: empty pdu", rrc.ErrEmpty, 0},
		{"empty slice", rrc.BCCHBCH, []byte{}, "rrc: BCCH-BCH: bit 0: empty pdu", rrc.ErrEmpty, 0},
		{"unknown channel", rrc.ChannelUnknown, []byte{0}, "rrc: unknown channel 0", rrc.ErrUnknownChannel, 0},
		{"channel out of range", rrc.Channel(200), []byte{0}, "rrc: unknown channel 200", rrc.ErrUnknownChannel, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := rrc.Classify(tt.ch, tt.pdu)
			if err == nil {
				t.Fatalf("Classify = %+v, want error", m)
			}
			if diff := cmp.Diff(rrc.Message{}, m); diff != "" {
				t.Errorf("Message on error not zero (-want +got):\n%s", diff)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
			var re *rrc.Error
			if !errors.As(err, &re) || re.Bit != tt.wantBit || re.Channel != tt.ch {
				t.Errorf("errors.As(*rrc.Error) = %+v, want channel %v bit %d", re, tt.ch, tt.wantBit)
			}
		})
	}
}

// TestErrorFormat checks the wording of a truncation inside a message,
// which Classify cannot meet on whole octets (a transaction id always ends
// by bit 8) but callers may meet on the same Error type.
func TestErrorFormat(t *testing.T) {
	r := uper.NewReader([]byte{0x2c})
	r.Skip(7)
	r.Bits(2)
	err := &rrc.Error{Channel: rrc.ULDCCH, Field: "SecurityModeComplete.rrc-TransactionIdentifier", Bit: 7, Err: r.Err()}
	want := "rrc: UL-DCCH: SecurityModeComplete.rrc-TransactionIdentifier: bit 7: truncated input (need 2 bits, 1 left)"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if !errors.Is(err, uper.ErrTruncated) {
		t.Errorf("errors.Is(%v, uper.ErrTruncated) = false", err)
	}
}

// TestShortBodyIsNotAnError: a header alone names the message.
func TestShortBodyIsNotAnError(t *testing.T) {
	// 0 0101 10 0: SecurityModeComplete, txid 2, then nothing of the body.
	m, err := rrc.Classify(rrc.ULDCCH, []byte{0x2c})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "SecurityModeComplete" || m.TxID != 2 || m.Bits != 7 {
		t.Errorf("Classify = %+v, want SecurityModeComplete txid 2 in 7 bits", m)
	}
}

func TestChannel(t *testing.T) {
	type row struct {
		String, Dissector, SRB string
		Uplink                 bool
	}
	want := map[rrc.Channel]row{
		rrc.BCCHBCH:   {"BCCH-BCH", "nr-rrc.bcch.bch", "", false},
		rrc.BCCHDLSCH: {"BCCH-DL-SCH", "nr-rrc.bcch.dl.sch", "", false},
		rrc.DLCCCH:    {"DL-CCCH", "nr-rrc.dl.ccch", "SRB0", false},
		rrc.DLDCCH:    {"DL-DCCH", "nr-rrc.dl.dcch", "SRB1", false},
		rrc.PCCH:      {"PCCH", "nr-rrc.pcch", "", false},
		rrc.ULCCCH:    {"UL-CCCH", "nr-rrc.ul.ccch", "SRB0", true},
		rrc.ULCCCH1:   {"UL-CCCH1", "nr-rrc.ul.ccch1", "SRB0", true},
		rrc.ULDCCH:    {"UL-DCCH", "nr-rrc.ul.dcch", "SRB1", true},
	}
	got := map[rrc.Channel]row{}
	for _, c := range rrc.Channels() {
		got[c] = row{c.String(), c.Dissector(), c.SRB(), c.Uplink()}

		if back, ok := rrc.ChannelFromDissector(c.Dissector()); !ok || back != c {
			t.Errorf("ChannelFromDissector(%q) = %v, %v", c.Dissector(), back, ok)
		}
		if back, ok := rrc.ChannelFromDissector(c.Dissector() + "\x00\x00"); !ok || back != c {
			t.Errorf("ChannelFromDissector(%q + NULs) = %v, %v", c.Dissector(), back, ok)
		}
		for _, s := range []string{c.String(), strings.ToLower(c.String())} {
			if back, ok := rrc.ChannelFromName(s); !ok || back != c {
				t.Errorf("ChannelFromName(%q) = %v, %v", s, back, ok)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	for _, s := range []string{"", "nr-rrc", "nr-rrc.rrc_reconf", "lte-rrc.ul.dcch", "nr-rrc.ul.dcch.x", "nr-rrc.mcch"} {
		if c, ok := rrc.ChannelFromDissector(s); ok {
			t.Errorf("ChannelFromDissector(%q) = %v, want not found", s, c)
		}
	}
	for _, s := range []string{"", "unknown", "UL-DCCH ", "ul_dcch", "MCCH"} {
		if c, ok := rrc.ChannelFromName(s); ok {
			t.Errorf("ChannelFromName(%q) = %v, want not found", s, c)
		}
	}
	if s := rrc.ChannelUnknown.String(); s != "unknown" {
		t.Errorf("ChannelUnknown.String() = %q", s)
	}
}

func TestMessageString(t *testing.T) {
	m, err := rrc.Classify(rrc.ULDCCH, rrctest.SecurityModeFailure(2))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.String(), "UL-DCCH c1.securityModeFailure txid=2"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !m.Uplink() {
		t.Error("SecurityModeFailure: Uplink() = false")
	}
	m, _ = rrc.Classify(rrc.BCCHBCH, rrctest.MIB(rrctest.MIBFields{}))
	if got, want := m.String(), "BCCH-BCH mib"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestClassifyAllocs(t *testing.T) {
	bs := builders()
	allocs := testing.AllocsPerRun(100, func() {
		for _, b := range bs {
			if _, err := rrc.Classify(b.ch, b.pdu); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Classify allocates %v times per run of %d messages, want 0", allocs, len(bs))
	}
}

func BenchmarkClassify(b *testing.B) {
	bs := builders()
	var n int64
	for _, x := range bs {
		n += int64(len(x.pdu))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, x := range bs {
			rrc.Classify(x.ch, x.pdu)
		}
	}
}
