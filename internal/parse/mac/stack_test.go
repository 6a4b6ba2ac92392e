package mac_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/parse/pdcp"
	"github.com/nrladder/nrladder/internal/parse/rlc"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// frameIn is one MAC PDU of a scenario.
type frameIn struct {
	ctx mac.Context
	pdu []byte
	at  time.Duration
}

func ulc(rnti uint16) mac.Context {
	return mac.Context{RNTIType: mac.CRNTI, Direction: mac.DirectionUplink, Uplink: true, RNTI: rnti, HasRNTI: true}
}

func dlc(rnti uint16) mac.Context {
	return mac.Context{RNTIType: mac.CRNTI, Direction: mac.DirectionDownlink, RNTI: rnti, HasRNTI: true}
}

func ms(v int) time.Duration { return time.Duration(v) * time.Millisecond }

// srbPDUs wraps an RRC PDU in PDCP (SN pdcpSN) and RLC AM (SN rlcSN),
// segmented at the given sizes.
func srbPDUs(rlcSN, pdcpSN int, rrcPDU []byte, sizes ...int) [][]byte {
	return mactest.AMSegments(rlcSN, 12, mactest.PDCPSRB(pdcpSN, rrcPDU, nil), sizes...)
}

// got is the comparable form of one message.
type got struct {
	Frame, First  int
	UE            uint16
	Channel       string
	Name, Bearer  string
	PDCPSN, RLCSN int
	Segments      int
	Retx          int
	RetxFrames    []int
}

func collect(t *testing.T, st *mac.Stack, frames []frameIn) (mac.Collector, []got) {
	t.Helper()
	var c mac.Collector
	for i, f := range frames {
		c.Add(st.Push(f.ctx, f.pdu, i+1, t0.Add(f.at)))
	}
	c.Warnings = append(c.Warnings, st.Flush(len(frames))...)
	var gs []got
	for _, m := range c.Messages {
		name := "?"
		if msg, err := rrc.Classify(m.Channel, m.PDU); err == nil {
			name = msg.Name
		}
		if !m.Time.Equal(t0.Add(frames[m.Frame-1].at)) {
			t.Errorf("frame %d: time %v", m.Frame, m.Time)
		}
		gs = append(gs, got{m.Frame, m.FirstFrame, m.UE, m.Channel.String(), name, m.Bearer, m.PDCPSN, m.RLCSN, m.Segments, m.Retransmissions, m.RetransmissionFrames})
	}
	return c, gs
}

func warnings(c mac.Collector) []string {
	var s []string
	for _, w := range c.Warnings {
		s = append(s, w.Error())
	}
	return s
}

func TestStackConnection(t *testing.T) {
	const ue = 0x4601
	setupReq := rrctest.RRCSetupRequest(0x2468acf12, 3)
	setup := rrctest.RRCSetup(0)
	nas := make([]byte, 120)
	for i := range nas {
		nas[i] = byte(i)
	}
	complete := srbPDUs(0, 0, rrctest.RRCSetupComplete(0, nas), 60)
	smc := srbPDUs(0, 0, rrctest.SecurityModeCommand(2, 2, 2))
	smcDone := srbPDUs(1, 1, rrctest.SecurityModeComplete(2))
	ueCap := srbPDUs(1, 1, rrctest.UECapabilityEnquiry(3))
	ulInfo := srbPDUs(0, 0, rrctest.ULInformationTransfer([]byte{0x7e, 0, 0x57}))
	release := srbPDUs(2, 2, rrctest.RRCRelease(3))
	frames := []frameIn{
		{ulc(ue), mactest.PDU(mactest.ULCCCH(setupReq), mactest.Padding(3)), 0},
		{dlc(ue), mactest.PDU(mactest.ContentionResolution(setupReq), mactest.TimingAdvance(0, 31), mactest.DLCCCH(setup), mactest.Padding(6)), ms(2)},
		// RRCSetupComplete in two RLC segments, with a BSR and a PHR.
		{ulc(ue), mactest.PDU(mactest.SDU(1, complete[0]), mactest.ShortBSR(0, 3), mactest.SingleEntryPHR(30, 40), mactest.Padding(10)), ms(10)},
		{ulc(ue), mactest.PDU(mactest.SDU(1, complete[1]), mactest.Padding(1)), ms(12)},
		// SecurityModeCommand with an RLC STATUS in the same PDU.
		{dlc(ue), mactest.PDU(mactest.SDU(1, mactest.AMStatus(1)), mactest.SDU(1, smc[0]), mactest.Padding(4)), ms(20)},
		// Two RRC messages in one MAC PDU, on SRB1 and SRB2.
		{ulc(ue), mactest.PDU(mactest.SDU(1, smcDone[0]), mactest.SDU(2, ulInfo[0]), mactest.Padding(2)), ms(26)},
		{dlc(ue), mactest.PDU(mactest.SDU(1, ueCap[0])), ms(30)},
		{dlc(ue), mactest.PDU(mactest.SDU(1, release[0]), mactest.Padding(3)), ms(40)},
		// RLC retransmissions of the RRCRelease, the last one re-segmented.
		{dlc(ue), mactest.PDU(mactest.SDU(1, release[0]), mactest.Padding(3)), ms(50)},
		{dlc(ue), mactest.PDU(mactest.SDU(1, srbPDUs(2, 2, rrctest.RRCRelease(3), 4)[0])), ms(60)},
	}
	var st mac.Stack
	c, gs := collect(t, &st, frames)
	want := []got{
		{1, 1, ue, "UL-CCCH", "RRCSetupRequest", "SRB0", -1, -1, 1, 0, nil},
		{2, 2, ue, "DL-CCCH", "RRCSetup", "SRB0", -1, -1, 1, 0, nil},
		{4, 3, ue, "UL-DCCH", "RRCSetupComplete", "SRB1", 0, 0, 2, 0, nil},
		{5, 5, ue, "DL-DCCH", "SecurityModeCommand", "SRB1", 0, 0, 1, 0, nil},
		{6, 6, ue, "UL-DCCH", "SecurityModeComplete", "SRB1", 1, 1, 1, 0, nil},
		{6, 6, ue, "UL-DCCH", "ULInformationTransfer", "SRB2", 0, 0, 1, 0, nil},
		{7, 7, ue, "DL-DCCH", "UECapabilityEnquiry", "SRB1", 1, 1, 1, 0, nil},
		{8, 8, ue, "DL-DCCH", "RRCRelease", "SRB1", 2, 2, 1, 2, []int{9, 10}},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %v", warnings(c))
	}
	// The PDU is the PDCP payload, the MAC-I apart.
	if m := c.Messages[3]; string(m.PDU) != string(rrctest.SecurityModeCommand(2, 2, 2)) || len(m.MACI) != 4 || m.LCID != 1 {
		t.Errorf("SecurityModeCommand: %+v", m)
	}
	if m := c.Messages[0]; string(m.PDU) != string(setupReq) || m.MACI != nil || m.LCID != 52 {
		t.Errorf("RRCSetupRequest: %+v", m)
	}
}

func TestStackRetransmissionEvents(t *testing.T) {
	var st mac.Stack
	rel := srbPDUs(6, 6, rrctest.RRCRelease(1))
	first := st.Push(dlc(7), mactest.SDU(1, rel[0]), 58, t0)
	if len(first.RRC) != 1 || len(first.Retransmissions) != 0 {
		t.Fatalf("first: %+v", first)
	}
	id := first.RRC[0].ID
	for f := 59; f <= 69; f++ {
		o := st.Push(dlc(7), mactest.SDU(1, rel[0]), f, t0.Add(ms(f)))
		want := []mac.Retransmission{{ID: id, Frame: f, Time: t0.Add(ms(f)), UE: 7, Bearer: "SRB1", RLCSN: 6, OriginalFrame: 58}}
		if diff := cmp.Diff(want, o.Retransmissions); diff != "" || len(o.RRC) != 0 {
			t.Fatalf("frame %d: %+v (-want +got):\n%s", f, o.RRC, diff)
		}
	}
}

func TestStackCCCHRepeat(t *testing.T) {
	setup := rrctest.RRCSetup(0)
	pdu := mactest.DLCCCH(setup)
	frames := []frameIn{
		{dlc(1), pdu, 0},
		{dlc(1), pdu, ms(8)},   // HARQ retransmission
		{dlc(1), pdu, ms(900)}, // beyond the window: a new RRCSetup
		{dlc(2), pdu, ms(901)}, // another UE
	}
	var st mac.Stack
	_, gs := collect(t, &st, frames)
	want := []got{
		{1, 1, 1, "DL-CCCH", "RRCSetup", "SRB0", -1, -1, 1, 1, []int{2}},
		{3, 3, 1, "DL-CCCH", "RRCSetup", "SRB0", -1, -1, 1, 0, nil},
		{4, 4, 2, "DL-CCCH", "RRCSetup", "SRB0", -1, -1, 1, 0, nil},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	st = mac.Stack{CCCHRepeatWindow: -1}
	if _, gs := collect(t, &st, frames); len(gs) != 4 {
		t.Errorf("repeat check off: %d messages, want 4", len(gs))
	}
}

// TestStackNewConnection: the same RNTI starts a new RRC connection; its
// SRB1 SNs start again at 0 without a conflict warning.
func TestStackNewConnection(t *testing.T) {
	const ue = 0x4601
	frames := []frameIn{
		{ulc(ue), mactest.SDU(1, srbPDUs(0, 0, rrctest.RRCSetupComplete(0, []byte{1}))[0]), 0},
		{dlc(ue), mactest.SDU(1, srbPDUs(0, 0, rrctest.RRCRelease(0))[0]), ms(10)},
		{ulc(ue), mactest.ULCCCH(rrctest.RRCSetupRequest(0x123456789, 1)), ms(5000)},
		{dlc(ue), mactest.DLCCCH(rrctest.RRCSetup(1)), ms(5002)},
		// The same bytes as frame 1's: a new message, not a retransmission.
		{ulc(ue), mactest.SDU(1, srbPDUs(0, 0, rrctest.RRCSetupComplete(0, []byte{1}))[0]), ms(5010)},
		{dlc(ue), mactest.SDU(1, srbPDUs(0, 0, rrctest.DLInformationTransfer(2, []byte{4}))[0]), ms(5020)},
	}
	var st mac.Stack
	c, gs := collect(t, &st, frames)
	if len(gs) != 6 || len(c.Warnings) != 0 {
		t.Errorf("%d messages %+v, warnings %v; want 6, none", len(gs), gs, warnings(c))
	}
	for _, g := range gs {
		if g.Retx != 0 {
			t.Errorf("frame %d: %d retransmissions, want 0", g.Frame, g.Retx)
		}
	}
}

func TestStackWarnings(t *testing.T) {
	const ue = 0x4601
	frames := []frameIn{
		// A PDCP PDU too short for its MAC-I.
		{dlc(ue), mactest.SDU(1, mactest.AM(0, 12, mactest.Full, 0, false, []byte{0, 0, 1})), 0},
		// A MAC PDU cut short: the SRB1 SDU before the cut is kept.
		{ulc(ue), mactest.PDU(mactest.SDU(1, srbPDUs(0, 0, rrctest.SecurityModeComplete(0))[0]), []byte{0x02, 0x50, 0x01}), ms(1)},
		// A first segment never completed, found at Flush.
		{ulc(ue), mactest.SDU(2, srbPDUs(3, 3, rrctest.ULInformationTransfer(make([]byte, 40)), 10)[0]), ms(2)},
		// An empty DL-CCCH SDU (before a CE: not a zero fill).
		{dlc(ue), mactest.PDU(mactest.DLCCCH(nil), mactest.TimingAdvance(0, 31)), ms(3)},
		// A segment far beyond any SDU size.
		{dlc(ue), mactest.SDU(1, mactest.AM(9, 12, mactest.Last, 60000, false, []byte{1})), ms(4)},
	}
	var st mac.Stack
	c, gs := collect(t, &st, frames)
	if len(gs) != 1 || gs[0].Name != "SecurityModeComplete" {
		t.Errorf("messages %+v, want the SecurityModeComplete", gs)
	}
	want := []string{
		"pdcp: frame 1: ue 0x4601 srb1 dl: rlc sn 0: byte 3: payload and mac-i: truncated: 3 bytes, need at least 7",
		"mac: frame 2: ue 0x4601 ul: byte 12: subpdu 1 lcid 2 (SRB2): length beyond end of pdu: 80 bytes, 1 left",
		"mac: frame 4: ue 0x4601 srb0 dl: DL-CCCH: empty sdu",
		"rlc: frame 5: ue 0x4601 srb1 dl: sn 9: segment so=60000 len=1 beyond reassembly window (max sdu 9216 bytes)",
		"rlc: frame 5: ue 0x4601 srb2 ul: sn 3: incomplete sdu dropped at end of capture: first frame 3, held bytes 0-9",
	}
	if diff := cmp.Diff(want, warnings(c)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	layers := []string{"pdcp", "mac", "mac", "rlc", "rlc"}
	for i, w := range c.Warnings {
		if i < len(layers) && (w.Layer != layers[i] || w.Frame != []int{1, 2, 4, 5, 5}[i]) {
			t.Errorf("warning %d: layer %q frame %d", i, w.Layer, w.Frame)
		}
	}
	var pe *pdcp.Error
	if !errors.As(c.Warnings[0], &pe) {
		t.Error("pdcp warning does not unwrap to a *pdcp.Error")
	}
	if !errors.Is(c.Warnings[1], mac.ErrBeyondPDU) || !errors.Is(c.Warnings[3], rlc.ErrBeyondWindow) || !errors.Is(c.Warnings[4], rlc.ErrIncomplete) {
		t.Error("warnings do not unwrap to their sentinels")
	}
}

func TestStackBroadcastAndZeroFill(t *testing.T) {
	sib := []byte{0x40, 0x01, 0x02}
	page := rrctest.Paging(0x1234567890)
	var st mac.Stack
	var c mac.Collector
	c.Add(st.Push(mac.Context{RNTIType: mac.SIRNTI, Direction: 1, RNTI: 0xffff, HasRNTI: true}, sib, 1, t0))
	c.Add(st.Push(mac.Context{RNTIType: mac.PRNTI, Direction: 1, RNTI: 0xfffe, HasRNTI: true}, page, 2, t0))
	c.Add(st.Push(mac.Context{RNTIType: mac.RARNTI, Direction: 1, RNTI: 0x10b, HasRNTI: true}, []byte{0x40, 1, 2}, 3, t0))
	o := st.Push(ulc(0x93d7), make([]byte, 111), 4, t0)
	c.Add(o)
	if o.ZeroFill != 111 || len(o.RRC) != 0 || len(o.Warnings) != 0 {
		t.Errorf("zero-filled PDU: %+v", o)
	}
	want := []mac.RRC{
		{ID: 0, Frame: 1, FirstFrame: 1, Time: t0, UE: 0xffff, Channel: rrc.BCCHDLSCH, Bearer: "BCCH", LCID: -1, PDU: sib, PDCPSN: -1, RLCSN: -1, Segments: 1},
		{ID: 1, Frame: 2, FirstFrame: 2, Time: t0, UE: 0xfffe, Channel: rrc.PCCH, Bearer: "PCCH", LCID: -1, PDU: page, PDCPSN: -1, RLCSN: -1, Segments: 1},
	}
	if diff := cmp.Diff(want, c.Messages); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c.ZeroFill != 111 || len(c.Warnings) != 0 {
		t.Errorf("collector zero fill %d, warnings %v", c.ZeroFill, warnings(c))
	}
}

// TestStackCiphered: a Stack returns the PDCP payload as it is; deciding
// that it is ciphered is the caller's business.
func TestStackCiphered(t *testing.T) {
	ciphered := []byte{0xf3, 0x9a, 0x11, 0x70, 0x2b}
	maci := []byte{1, 2, 3, 4}
	var st mac.Stack
	o := st.Push(dlc(1), mactest.SDU(1, mactest.AM(4, 12, mactest.Full, 0, false, mactest.PDCPSRB(4, ciphered, maci))), 1, t0)
	if len(o.RRC) != 1 || string(o.RRC[0].PDU) != string(ciphered) || string(o.RRC[0].MACI) != string(maci) || o.RRC[0].Channel != rrc.DLDCCH {
		t.Errorf("%+v", o)
	}
}

func TestStackRLC(t *testing.T) {
	const ue = 9
	rel := srbPDUs(0, 0, rrctest.RRCRelease(1), 3)
	frames := [][]byte{
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Uplink, ue, mactest.BearerCCCH, 0, rrctest.RRCSetupRequest(5, 0)),
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Uplink, ue, mactest.BearerCCCH, 0, rrctest.RRCResumeRequest1(7, 8, 1)),
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Downlink, ue, mactest.BearerCCCH, 0, rrctest.RRCSetup(0)),
		mactest.RLCNR(mactest.RLCAM, 12, mactest.Downlink, ue, mactest.BearerSRB, 1, rel[0]),
		mactest.RLCNR(mactest.RLCAM, 12, mactest.Downlink, ue, mactest.BearerSRB, 1, rel[1]),
		mactest.RLCNR(mactest.RLCAM, 12, mactest.Downlink, ue, mactest.BearerSRB, 1, rel[1]),
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Downlink, 0, mactest.BearerBCCHBCH, 0, rrctest.MIB(rrctest.MIBFields{})),
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Downlink, 0, mactest.BearerPCCH, 0, rrctest.Paging(1)),
		mactest.RLCNR(mactest.RLCTM, 0, mactest.Downlink, 0, mactest.BearerBCCHDLSCH, 0, []byte{0x40, 0}),
		mactest.RLCNR(mactest.RLCAM, 12, mactest.Downlink, ue, mactest.BearerDRB, 1, rel[0]),
	}
	var st mac.Stack
	var c mac.Collector
	for i, f := range frames {
		ctx, pdu, err := rlc.ParseFraming(f)
		if err != nil {
			t.Fatal(err)
		}
		c.Add(st.PushRLC(ctx, pdu, i+1, t0))
	}
	var names []string
	for _, m := range c.Messages {
		msg, err := rrc.Classify(m.Channel, m.PDU)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, fmt.Sprintf("%d %v %s %s ×%d", m.Frame, m.Channel, msg.Name, m.Bearer, m.Retransmissions+1))
	}
	want := []string{
		"1 UL-CCCH RRCSetupRequest SRB0 ×1",
		"2 UL-CCCH1 RRCResumeRequest1 SRB0 ×1",
		"3 DL-CCCH RRCSetup SRB0 ×1",
		"5 DL-DCCH RRCRelease SRB1 ×2",
		"7 BCCH-BCH MIB BCCH ×1",
		"8 PCCH Paging PCCH ×1",
		"9 BCCH-DL-SCH SIB1 BCCH ×1",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWarningUnwrap(t *testing.T) {
	var st mac.Stack
	o := st.Push(dlc(1), []byte{0x41, 0x01}, 3, t0)
	if len(o.Warnings) != 1 {
		t.Fatalf("%+v", o)
	}
	var me *mac.Error
	if !errors.As(o.Warnings[0], &me) || me.Offset != 1 {
		t.Errorf("warning %v does not unwrap to the *mac.Error", o.Warnings[0])
	}
}

var _ = cmpopts.EquateEmpty

func rlcLimits() rlc.Limits {
	return rlc.Limits{MaxSDU: 2048, MaxPending: 4, MaxHistory: 8, MaxBearers: 16, MaxBytes: 64 << 10}
}
