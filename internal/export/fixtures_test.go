package export

import (
	"slices"
	"time"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
)

var t0 = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// msg is a message of a fixture; seq, UE sequence and direction are filled
// in by ladderOf.
type msg struct {
	at       float64 // ms after t0
	frame    int
	from, to string
	proto    string
	bearer   string
	channel  string
	name     string
	txid     int // -1 for none
	role     string
	answers  int // seq of the request it answers, -1 for none
	opts     func(*ladder.Message)
}

// ladderOf builds the messages of one UE's ladder.
func ladderOf(ms ...msg) []ladder.Message {
	out := make([]ladder.Message, len(ms))
	for i, m := range ms {
		dir := "DL"
		if slices.Index(laneOrder, m.from) < slices.Index(laneOrder, m.to) {
			dir = "UL"
		}
		lm := ladder.Message{
			Seq: i, UESeq: i, Frame: m.frame, UE: "ue1",
			Time:      ladder.Time{Time: t0.Add(time.Duration(m.at * float64(time.Millisecond)))},
			From:      m.from,
			To:        m.to,
			Direction: dir,
			Protocol:  m.proto,
			Bearer:    m.bearer,
			Channel:   m.channel,
			Message:   m.name,
			Role:      m.role,
		}
		if m.txid >= 0 {
			lm.TxID = ptr(m.txid)
		}
		if m.answers >= 0 {
			lm.ResponseTo = ptr(m.answers)
			lm.ResponseMs = ptr(float64(time.Duration((m.at-ms[m.answers].at)*float64(time.Millisecond)).Round(100*time.Microsecond)) / 1e6)
		}
		if m.opts != nil {
			m.opts(&lm)
		}
		out[i] = lm
	}
	return out
}

func rrc(at float64, frame int, from, to, bearer, channel, name string, txid int) msg {
	return msg{at: at, frame: frame, from: from, to: to, proto: "NR-RRC", bearer: bearer, channel: channel, name: name, txid: txid, answers: -1}
}

func ap(at float64, frame int, proto, from, to, name string) msg {
	return msg{at: at, frame: frame, from: from, to: to, proto: proto, name: name, txid: -1, answers: -1}
}

func (m msg) as(r string) msg    { m.role = r; return m }
func (m msg) answer(seq int) msg { m.answers = seq; return m }
func (m msg) with(f func(*ladder.Message)) msg {
	prev := m.opts
	m.opts = func(lm *ladder.Message) {
		if prev != nil {
			prev(lm)
		}
		f(lm)
	}
	return m
}

func nas(summaries ...string) func(*ladder.Message) {
	return func(m *ladder.Message) {
		for _, s := range summaries {
			m.NAS = append(m.NAS, parse.NAS{Summary: s})
		}
	}
}

func ciphered(cipher string, sn int) func(*ladder.Message) {
	return func(m *ladder.Message) {
		m.Ciphered, m.Cipher, m.PDCPSN, m.Message = true, cipher, ptr(sn), ""
	}
}

func ref(ms []ladder.Message, seq int) *ladder.Ref {
	m := ms[seq]
	return &ladder.Ref{Seq: m.Seq, UESeq: m.UESeq, Frame: m.Frame, Time: m.Time, Message: m.Message, TxID: m.TxID}
}

// fixture is one export's input.
type fixture struct {
	name  string
	meta  Meta
	msgs  []ladder.Message
	procs []ladder.Procedure
}

var (
	ue, gnb, du, cu, amf = ladder.LaneUE, ladder.LaneGNB, ladder.LaneDU, ladder.LaneCU, ladder.LaneAMF
)

// twoLanes: an explicit SecurityModeFailure on a UE ↔ gNB ladder, repeated
// eleven times by RLC, and the RRCRelease after it.
func twoLanes() fixture {
	ms := ladderOf(
		rrc(0, 1, ue, gnb, "SRB0", "UL-CCCH", "RRCSetupRequest", -1),
		rrc(2, 2, gnb, ue, "SRB0", "DL-CCCH", "RRCSetup", 0).answer(0),
		rrc(10, 3, ue, gnb, "SRB1", "UL-DCCH", "RRCSetupComplete", 0).answer(1).with(nas("Registration request")),
		rrc(14.2, 4, gnb, ue, "SRB1", "DL-DCCH", "DLInformationTransfer", -1).with(nas("Authentication request")),
		rrc(20, 5, gnb, ue, "SRB1", "DL-DCCH", "SecurityModeCommand", 2).as(ladder.RoleSMCFailed),
		rrc(32.4, 6, ue, gnb, "SRB1", "UL-DCCH", "SecurityModeFailure", 2).as(ladder.RoleSMF).answer(4).with(func(m *ladder.Message) {
			m.Retransmissions = 11
			m.RetransmissionFrames = []int{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
		}),
		rrc(40, 18, gnb, ue, "SRB1", "DL-DCCH", "RRCRelease", 3).as(ladder.RoleReleaseAfterFailure),
	)
	f := ladder.Failure{
		UE: "ue1", Kind: ladder.FailureExplicit,
		Command: ref(ms, 4), Response: ref(ms, 5), Release: ref(ms, 6),
		ResponseDelay: ptr(12.4), ReleaseDelay: ptr(7.6), TxIDMatch: ptr(true),
		Summary: "SecurityModeFailure (frame 6) 12.4 ms after SecurityModeCommand (frame 5, txid 2); RRCRelease 7.6 ms later (frame 18)",
	}
	return fixture{
		name: "two-lanes",
		meta: Meta{
			TraceName: "srsue_smf.pcap",
			Link:      "https://nrladder.example/t/3f9a/ue/ue1",
			UE:        ladder.UE{Key: "ue1", Label: "UE 1 · C-RNTI 0x4601", Outcome: "failure", Lanes: []string{ue, gnb}},
			Summary:   "1 of 3 UEs failed AS security activation: UE 1 (SecurityModeFailure)",
			Failures:  []ladder.Failure{f},
			Findings: []ladder.Finding{
				{UE: "ue1", Severity: "error", Code: ladder.CodeSMCFailure, Text: "The UE answered the SecurityModeCommand (frame 5, nea2/nia2) with SecurityModeFailure 12.4 ms later (frame 6): AS security was not activated.", Seqs: []int{4, 5}, Frames: []int{5, 6}},
			},
			Start: ladder.Time{Time: t0},
		},
		msgs: ms,
		procs: []ladder.Procedure{
			{UE: "ue1", Name: "RRC connection setup", Kind: "setup", FirstSeq: 0, LastSeq: 2},
			{UE: "ue1", Name: "AS security activation", Kind: "security", FirstSeq: 4, LastSeq: 5, Failed: true},
			{UE: "ue1", Name: "Release", Kind: "release", FirstSeq: 6, LastSeq: 6},
		},
	}
}

// fourLanes: a split gNB with F1AP and NGAP; RRC runs from the UE to the
// gNB-CU over the gNB-DU's lifeline, and the release after the failure is
// F1AP and NGAP.
func fourLanes() fixture {
	ms := ladderOf(
		ap(0, 1, "F1AP", du, cu, "InitialULRRCMessageTransfer"),
		rrc(0, 1, ue, cu, "SRB0", "UL-CCCH", "RRCSetupRequest", -1),
		ap(1.1, 2, "F1AP", cu, du, "DLRRCMessageTransfer"),
		rrc(1.1, 2, cu, ue, "SRB0", "DL-CCCH", "RRCSetup", 0).answer(1),
		rrc(9.8, 3, ue, cu, "SRB1", "UL-DCCH", "RRCSetupComplete", 0).answer(3).with(nas("Registration request")),
		ap(10.3, 4, "NGAP", cu, amf, "InitialUEMessage"),
		ap(61.7, 9, "NGAP", amf, cu, "InitialContextSetupRequest"),
		ap(62.5, 10, "F1AP", cu, du, "UEContextSetupRequest"),
		rrc(62.5, 10, cu, ue, "SRB1", "DL-DCCH", "SecurityModeCommand", 1).as(ladder.RoleSMCFailed),
		ap(63.4, 11, "F1AP", du, cu, "UEContextSetupResponse").answer(7),
		rrc(71.9, 12, ue, cu, "SRB1", "UL-DCCH", "SecurityModeFailure", 1).as(ladder.RoleSMF).answer(8),
		ap(73.0, 13, "NGAP", cu, amf, "UEContextReleaseRequest").as(ladder.RoleReleaseAfterFailure).with(func(m *ladder.Message) { m.Cause = "radioNetwork: unspecified" }),
		ap(75.2, 14, "NGAP", amf, cu, "UEContextReleaseCommand").as(ladder.RoleReleaseAfterFailure),
		ap(76.0, 15, "F1AP", cu, du, "UEContextReleaseCommand").as(ladder.RoleReleaseAfterFailure),
		rrc(76.0, 15, cu, ue, "SRB1", "DL-DCCH", "RRCRelease", 2).as(ladder.RoleReleaseAfterFailure),
		ap(77.4, 16, "F1AP", du, cu, "UEContextReleaseComplete").answer(13),
	)
	f := ladder.Failure{
		UE: "ue1", Kind: ladder.FailureExplicit,
		Command: ref(ms, 8), Response: ref(ms, 10), Release: ref(ms, 11),
		ResponseDelay: ptr(9.4), ReleaseDelay: ptr(1.1), TxIDMatch: ptr(true),
		Summary: "SecurityModeFailure (frame 12) 9.4 ms after SecurityModeCommand (frame 10, txid 1); UEContextReleaseRequest 1.1 ms later (frame 13)",
	}
	return fixture{
		name: "four-lanes",
		meta: Meta{
			TraceName: "oai_f1_ng_smf.pcapng",
			Link:      "https://nrladder.example/t/77c2/ue/ue1",
			UE:        ladder.UE{Key: "ue1", Label: "UE 1 · gNB-DU-UE-F1AP-ID 3", Outcome: "failure", Lanes: []string{ue, du, cu, amf}},
			Summary:   "1 of 1 UEs failed AS security activation: UE 1 (SecurityModeFailure)",
			Failures:  []ladder.Failure{f},
			Findings: []ladder.Finding{
				{UE: "ue1", Severity: "error", Code: ladder.CodeSMCFailure, Text: "The UE answered the SecurityModeCommand (frame 10, nea3/nia3) with SecurityModeFailure 9.4 ms later (frame 12): AS security was not activated.", Seqs: []int{8, 10}, Frames: []int{10, 12}},
				{UE: "ue1", Severity: "warning", Code: ladder.CodeAlgorithmNotSupported, Text: "The SecurityModeCommand (frame 10) commands nea3, which the UE security capabilities in InitialContextSetupRequest (frame 9) do not include.", Seqs: []int{8, 6}, Frames: []int{10, 9}},
			},
			Start: ladder.Time{Time: t0},
		},
		msgs: ms,
		procs: []ladder.Procedure{
			{UE: "ue1", Name: "RRC connection setup", Kind: "setup", FirstSeq: 1, LastSeq: 4},
			{UE: "ue1", Name: "AS security activation", Kind: "security", FirstSeq: 8, LastSeq: 10, Failed: true},
			{UE: "ue1", Name: "Release", Kind: "release", FirstSeq: 11, LastSeq: 15},
		},
	}
}

// cipheredRedacted: a redacted export of a UE whose security activation
// succeeded, with ciphered PDUs after it, a label too long to keep whole, an
// unreadable PDU, no lanes in the model (they come from the messages), and a
// trace name full of what Mermaid and Markdown read as markup.
func cipheredRedacted() fixture {
	ms := ladderOf(
		rrc(0, 101, ue, gnb, "SRB1", "UL-DCCH", "RRCSetupComplete", 1).with(nas(
			"Registration request (initial registration, SUCI, 5GMM capability, UE security capability nea0-3 nia0-3)",
			"PDU session establishment request")),
		rrc(30, 107, gnb, ue, "SRB1", "DL-DCCH", "SecurityModeCommand", 3),
		rrc(33.05, 108, ue, gnb, "SRB1", "UL-DCCH", "SecurityModeComplete", 3).answer(1),
		rrc(33.5, 109, gnb, ue, "SRB1", "DL-DCCH", "", -1).with(ciphered("nea2", 7)),
		rrc(51.25, 110, ue, gnb, "SRB1", "UL-DCCH", "", -1).with(ciphered("nea2", 2)),
		rrc(52, 111, gnb, ue, "SRB2", "DL-DCCH", "", -1).with(func(m *ladder.Message) { m.Error = "rrc: DL-DCCH: bit 3: truncated input" }),
	)
	return fixture{
		name: "ciphered-redacted",
		meta: Meta{
			TraceName: "lab #3; UE<A>: 50% [retry] *2* _x_ `tick` & \"q\".pcap",
			Link:      "https://nrladder.example/t/a1b2/ue/ue%231?from=101&to=111",
			UE:        ladder.UE{Key: "ue1", Label: "UE 1 · 5G-S-TMSI ***", Outcome: "complete", Note: "told apart by C-RNTI only"},
			Redacted:  true,
			Summary:   "0 of 1 UEs failed AS security activation",
			Start:     ladder.Time{Time: t0.Add(-1500 * time.Millisecond)},
		},
		msgs: ms,
	}
}

func fixtures() []fixture { return []fixture{twoLanes(), fourLanes(), cipheredRedacted()} }
