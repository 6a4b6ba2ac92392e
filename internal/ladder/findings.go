package ladder

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Finding is one thing a person should know about a UE's AS security
// activation, with the messages it rests on.
type Finding struct {
	UE       string `json:"ue"`
	Severity string `json:"severity"` // "error", "warning", "info"
	Code     string `json:"code"`     // stable: see the Finding codes
	Text     string `json:"text"`
	Seqs     []int  `json:"seqs"`
	Frames   []int  `json:"frames"`
}

// Finding codes. They are stable strings: scripts may branch on them.
const (
	CodeSMCFailure             = "smc-failure"                // the UE answered SecurityModeFailure
	CodeSMCNoResponse          = "smc-no-response"            // nothing answered the SecurityModeCommand
	CodeTxIDMismatch           = "txid-mismatch"              // the answer's rrc-TransactionIdentifier is not the command's
	CodeSMFWithoutCommand      = "smf-without-command"        // SecurityModeFailure with no SecurityModeCommand before it
	CodeNullIntegrity          = "null-integrity"             // nia0 commanded
	CodeIntegrityAbsent        = "integrity-absent"           // no integrityProtAlgorithm in the command
	CodeNullCiphering          = "null-ciphering"             // nea0 commanded
	CodeAlgorithmNotSupported  = "algorithm-not-supported"    // commanded algorithm not in the UE security capabilities
	CodeRepeatedFailure        = "repeated-failure"           // the UE failed more than once (retries)
	CodeSlowRelease            = "slow-release"               // the release came unusually late after the failure
	CodeNoRelease              = "no-release"                 // no release after the failure in the capture
	CodeProtectedAfterFailure  = "protected-after-failure"    // RRCReconfiguration or ciphered PDUs after a failure
	CodeSignallingAfterFailure = "signalling-after-failure"   // other signalling went on without a release
	CodeCipheredBeforeSecurity = "ciphered-before-activation" // unreadable SRB1/2 PDUs before AS security was activated
)

// SlowRelease is how long after a failure a release is unusually late.
const SlowRelease = time.Second

// findings derives the findings of every UE from the security analysis and
// the messages around it.
func (t *Trace) findings(opts Options) {
	slow := opts.SlowRelease
	if slow == 0 {
		slow = SlowRelease
	}
	add := func(ue, sev, code, text string, seqs ...int) {
		f := Finding{UE: ue, Severity: sev, Code: code, Text: text, Seqs: seqs}
		for _, s := range seqs {
			f.Frames = append(f.Frames, t.Messages[s].Frame)
		}
		t.Findings = append(t.Findings, f)
	}
	failed := map[string][]int{} // UE → failed command seqs
	for i := range t.Security {
		s := &t.Security[i]
		cmd := &t.Messages[s.CommandSeq]
		algs := s.Ciphering
		if s.Integrity != nil {
			algs += "/" + *s.Integrity
		}
		switch s.Outcome {
		case OutcomeFailure:
			failed[s.UE] = append(failed[s.UE], s.CommandSeq)
			add(s.UE, "error", CodeSMCFailure, fmt.Sprintf("The UE answered the SecurityModeCommand (frame %d, %s) with SecurityModeFailure %s later (frame %d): AS security was not activated.",
				s.CommandFrame, algs, FormatMs(*s.ResponseDelayMs), *s.ResponseFrame), s.CommandSeq, *s.ResponseSeq)
		case OutcomeNoResponse:
			failed[s.UE] = append(failed[s.UE], s.CommandSeq)
			add(s.UE, "error", CodeSMCNoResponse, fmt.Sprintf("Nothing answered the SecurityModeCommand (frame %d, %s) %s: a silent failure (the UE did not send SecurityModeComplete or SecurityModeFailure).",
				s.CommandFrame, algs, endedByText(s.EndedBy)), s.CommandSeq)
		}
		if s.TxIDMatch != nil && !*s.TxIDMatch {
			resp := &t.Messages[*s.ResponseSeq]
			add(s.UE, "error", CodeTxIDMismatch, fmt.Sprintf("%s (frame %d) carries rrc-TransactionIdentifier %d, the SecurityModeCommand (frame %d) %d: the answer does not belong to the command.",
				resp.Message, resp.Frame, *resp.TxID, s.CommandFrame, *s.TxID), s.CommandSeq, *s.ResponseSeq)
		}
		switch {
		case s.Integrity == nil:
			add(s.UE, "warning", CodeIntegrityAbsent, fmt.Sprintf("The SecurityModeCommand (frame %d) selects no integrityProtAlgorithm: SRB integrity protection is not configured.", s.CommandFrame), s.CommandSeq)
		case *s.Integrity == "nia0":
			add(s.UE, "warning", CodeNullIntegrity, fmt.Sprintf("The SecurityModeCommand (frame %d) selects nia0, null integrity: signalling is not integrity protected (allowed only for emergency sessions without a USIM).", s.CommandFrame), s.CommandSeq)
		}
		if s.Ciphering == "nea0" {
			add(s.UE, "warning", CodeNullCiphering, fmt.Sprintf("The SecurityModeCommand (frame %d) selects nea0, null ciphering: signalling travels in clear.", s.CommandFrame), s.CommandSeq)
		}
		t.checkCapabilities(s, cmd, add)
		if s.Outcome != OutcomeComplete {
			t.afterFailure(s, slow, add)
		}
	}
	for i := range t.Failures {
		f := &t.Failures[i]
		if f.Kind != FailureUnsolicited {
			continue
		}
		failed[f.UE] = append(failed[f.UE], f.Response.Seq)
		add(f.UE, "warning", CodeSMFWithoutCommand, fmt.Sprintf("SecurityModeFailure (frame %d) with no SecurityModeCommand before it in the capture: the command may be ciphered, carried where the capture does not see, or missing.", f.Response.Frame), f.Response.Seq)
	}
	for ue, seqs := range failed {
		if len(seqs) < 2 {
			continue
		}
		var frames []string
		for _, s := range seqs {
			frames = append(frames, strconv.Itoa(t.Messages[s].Frame))
		}
		add(ue, "error", CodeRepeatedFailure, fmt.Sprintf("AS security activation failed %d times for this UE (frames %s): the failure repeats across retries, so it is not a one-off.", len(seqs), strings.Join(frames, ", ")), seqs...)
	}
	t.cipheredBeforeActivation(add)
	sort.SliceStable(t.Findings, func(i, j int) bool {
		return severityRank(t.Findings[i].Severity) < severityRank(t.Findings[j].Severity)
	})
}

func severityRank(s string) int {
	switch s {
	case "error":
		return 0
	case "warning":
		return 1
	}
	return 2
}

func endedByText(e string) string {
	switch e {
	case "release":
		return "before the connection was released"
	case "new-connection":
		return "before the UE requested a new RRC connection"
	case "reestablishment":
		return "before the UE requested re-establishment"
	case "new-command":
		return "before the next SecurityModeCommand"
	case "guard-time":
		return "within the guard time"
	}
	return "before the capture ended"
}

// checkCapabilities compares the commanded algorithms with the UE security
// capabilities the UE (NAS Registration request) or the AMF (NGAP
// InitialContextSetupRequest) gave before the command.
func (t *Trace) checkCapabilities(s *Security, cmd *Message, add func(ue, sev, code, text string, seqs ...int)) {
	nea := algNumber(s.Ciphering, "nea")
	nia := -1
	if s.Integrity != nil {
		nia = algNumber(*s.Integrity, "nia")
	}
	for i := cmd.Seq - 1; i >= 0; i-- {
		m := &t.Messages[i]
		if m.UE != s.UE {
			continue
		}
		var supportsEA, supportsIA func(int) bool
		source := ""
		if c := m.UESecurityCapabilities; c != nil {
			supportsEA = func(a int) bool { return a == 0 || a < 4 && c.NEA[a] }
			supportsIA = func(a int) bool { return a == 0 || a < 4 && c.NIA[a] }
			source = "NGAP " + m.Message
		}
		for _, n := range m.NAS {
			if c := n.Capability; c != nil && source == "" {
				cc := *c
				supportsEA = func(a int) bool { return a == 0 || cc.SupportsEA(a) }
				supportsIA = func(a int) bool { return a == 0 || cc.SupportsIA(a) }
				source = "NAS " + n.Message
			}
		}
		if source == "" {
			continue
		}
		var bad []string
		if nea > 0 && !supportsEA(nea) {
			bad = append(bad, s.Ciphering)
		}
		if nia > 0 && !supportsIA(nia) {
			bad = append(bad, *s.Integrity)
		}
		if len(bad) > 0 {
			add(s.UE, "error", CodeAlgorithmNotSupported, fmt.Sprintf("The SecurityModeCommand (frame %d) selects %s, which the UE security capabilities in %s (frame %d) do not list.",
				s.CommandFrame, strings.Join(bad, " and "), source, m.Frame), s.CommandSeq, m.Seq)
		}
		return // the latest capabilities before the command count
	}
}

func algNumber(name, prefix string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(name, prefix))
	if err != nil || !strings.HasPrefix(name, prefix) {
		return -1
	}
	return n
}

// afterFailure looks at what followed a failed command in the same
// connection: how late the release came, or that none came; protected
// signalling that should not happen; other signalling going on.
func (t *Trace) afterFailure(s *Security, slow time.Duration, add func(ue, sev, code, text string, seqs ...int)) {
	from := s.CommandSeq
	if s.ResponseSeq != nil {
		from = *s.ResponseSeq
	}
	switch {
	case s.ReleaseSeq == nil:
		add(s.UE, "warning", CodeNoRelease, fmt.Sprintf("No release follows the failed AS security activation (frame %d) in the capture: the connection stays up without security, or the capture stops too early.", t.Messages[from].Frame), from)
	case *s.ReleaseDelayMs > float64(slow)/float64(time.Millisecond):
		add(s.UE, "warning", CodeSlowRelease, fmt.Sprintf("%s (frame %d) comes %s after the failure (frame %d): unusually late.", s.ReleaseMessage, *s.ReleaseFrame, FormatMs(*s.ReleaseDelayMs), t.Messages[from].Frame), from, *s.ReleaseSeq)
	}
	var protected, other []int
	for i := from + 1; i < len(t.Messages); i++ {
		m := &t.Messages[i]
		if m.UE != s.UE {
			continue
		}
		if isRelease(m) || isNewConnection(m) {
			break
		}
		if m.Protocol != "NR-RRC" || m.Role != "" {
			continue
		}
		if m.Ciphered || m.Message == "RRCReconfiguration" {
			protected = append(protected, m.Seq)
		} else {
			other = append(other, m.Seq)
		}
	}
	if len(protected) > 0 {
		add(s.UE, "error", CodeProtectedAfterFailure, fmt.Sprintf("%d protected message(s) (RRCReconfiguration or ciphered PDUs) follow the failed activation, the first in frame %d: the network went on as if security were active.",
			len(protected), t.Messages[protected[0]].Frame), append([]int{from}, protected...)...)
	}
	if len(other) > 0 && s.Next == "continued" {
		add(s.UE, "warning", CodeSignallingAfterFailure, fmt.Sprintf("Signalling went on after the failure without a release: %s (frame %d) came next.",
			t.Messages[other[0]].Label(), t.Messages[other[0]].Frame), from, other[0])
	}
}

// cipheredBeforeActivation finds SRB1/SRB2 PDUs that could not be read
// before AS security was activated in their connection: ciphered-looking
// traffic where none should be.
func (t *Trace) cipheredBeforeActivation(add func(ue, sev, code, text string, seqs ...int)) {
	active := map[string]bool{}
	var hits map[string][]int = map[string][]int{}
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Protocol != "NR-RRC" {
			continue
		}
		switch {
		case isNewConnection(m):
			active[m.UE] = false
		case isRRC(m, "SecurityModeComplete"):
			active[m.UE] = true
		case m.Ciphered:
			active[m.UE] = true
		}
		if active[m.UE] || (m.Bearer != "SRB1" && m.Bearer != "SRB2") {
			continue
		}
		if m.Error != "" || m.DecodeError != "" || strings.HasPrefix(m.Alternative, "spare") {
			hits[m.UE] = append(hits[m.UE], m.Seq)
		}
	}
	for _, u := range t.UEs {
		seqs := hits[u.Key]
		if len(seqs) == 0 {
			continue
		}
		add(u.Key, "warning", CodeCipheredBeforeSecurity, fmt.Sprintf("%d SRB PDU(s) before AS security activation cannot be read as RRC, the first in frame %d: they look ciphered although no SecurityModeComplete preceded them (or the capture misses it).",
			len(seqs), t.Messages[seqs[0]].Frame), seqs...)
	}
}
