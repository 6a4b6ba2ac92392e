package ladder

import (
	"fmt"
	"strings"
	"time"
)

// Security is the analysis of one SecurityModeCommand (the API's
// "security" entries): what answered it, whether the transaction ids
// match, which release followed and what happened next.
type Security struct {
	UE              string   `json:"ue"`
	CommandSeq      int      `json:"commandSeq"`
	CommandFrame    int      `json:"commandFrame"`
	Time            Time     `json:"time"`
	TxID            *int     `json:"txid"`
	Ciphering       string   `json:"ciphering"`
	Integrity       *string  `json:"integrity"`
	Outcome         string   `json:"outcome"` // "complete", "failure", "no-response"
	ResponseSeq     *int     `json:"responseSeq"`
	ResponseFrame   *int     `json:"responseFrame"`
	ResponseDelayMs *float64 `json:"responseDelayMs"`
	TxIDMatch       *bool    `json:"txidMatch"`
	ReleaseSeq      *int     `json:"releaseSeq"`
	ReleaseFrame    *int     `json:"releaseFrame"`
	ReleaseMessage  string   `json:"releaseMessage"`
	ReleaseDelayMs  *float64 `json:"releaseDelayMs"`
	// Next is the first thing that happened to the UE after the response
	// (after the command when there was none): "release",
	// "reestablishment", "retry", "continued" or "none".
	Next string `json:"next"`
	// EndedBy says what ended the wait for an answer that never came:
	// "release", "new-connection", "reestablishment", "new-command",
	// "guard-time", "end-of-capture".
	EndedBy string `json:"endedBy,omitempty"`
	Summary string `json:"summary"`
}

// Outcomes of a SecurityModeCommand.
const (
	OutcomeComplete   = "complete"
	OutcomeFailure    = "failure"
	OutcomeNoResponse = "no-response"
)

// isRelease tells the messages that release a UE's connection.
func isRelease(m *Message) bool {
	switch m.Protocol {
	case "NR-RRC":
		return m.Message == "RRCRelease"
	case "F1AP":
		return m.Message == "UEContextReleaseCommand" || m.Message == "UEContextReleaseRequest"
	case "NGAP":
		return m.Message == "UEContextReleaseCommand" || m.Message == "UEContextReleaseRequest"
	}
	return false
}

// isNewConnection tells the RRC messages that start a connection afresh.
func isNewConnection(m *Message) bool {
	if m.Protocol != "NR-RRC" {
		return false
	}
	switch m.Message {
	case "RRCSetupRequest", "RRCResumeRequest", "RRCResumeRequest1", "RRCReestablishmentRequest":
		return true
	}
	return false
}

func isRRC(m *Message, name string) bool { return m.Protocol == "NR-RRC" && m.Message == name }

// analyseSecurity finds, for every UE, each SecurityModeCommand's answer,
// release and aftermath, marks the failure branches' roles, sets the UE
// outcomes and derives the failure sentences.
func (t *Trace) analyseSecurity(opts Options) {
	byUE := map[string][]int{}
	for i := range t.Messages {
		byUE[t.Messages[i].UE] = append(byUE[t.Messages[i].UE], i)
	}
	for u := range t.UEs {
		ue := &t.UEs[u]
		idx := byUE[ue.Key]
		outcome := "never-started"
		for k, i := range idx {
			m := &t.Messages[i]
			switch {
			case isRRC(m, "SecurityModeCommand"):
				s := t.command(ue.Key, idx, k, opts.GuardTime)
				t.Security = append(t.Security, s)
				outcome = worse(outcome, s.Outcome)
			case isRRC(m, "SecurityModeFailure") && m.Role == "":
				// Not the answer to a command: a failure on its own.
				m.Role = RoleSMF
				f := Failure{UE: ue.Key, Kind: FailureUnsolicited, Response: ref(m)}
				if r := t.releaseAfter(idx, k); r >= 0 {
					t.markRelease(r)
					f.Release = ref(&t.Messages[r])
					d := ms(t.Messages[r].Time.Sub(m.Time.Time))
					f.ReleaseDelay = &d
				}
				f.Summary = failureSummary(&f, time.Time{})
				t.Failures = append(t.Failures, f)
				outcome = worse(outcome, OutcomeFailure)
			}
		}
		if outcome == "never-started" && !hasRRC(t, ue.Key) {
			outcome = "no-rrc" // AS security is not visible without RRC
		}
		ue.Outcome = outcome
	}
}

// command analyses the SecurityModeCommand at idx[k].
func (t *Trace) command(ue string, idx []int, k int, guard time.Duration) Security {
	cmd := &t.Messages[idx[k]]
	s := Security{UE: ue, CommandSeq: cmd.Seq, CommandFrame: cmd.Frame, Time: cmd.Time, TxID: cmd.TxID, Outcome: OutcomeNoResponse}
	if a := cmd.Algorithms; a != nil {
		s.Ciphering = a.Ciphering
		if a.Integrity != "" {
			integ := a.Integrity
			s.Integrity = &integ
		}
	}
	from := k // the position the aftermath is counted from
	end := len(idx)
	s.EndedBy = "end-of-capture"
	for j := k + 1; j < len(idx); j++ {
		m := &t.Messages[idx[j]]
		if m.Time.Sub(cmd.Time.Time) > guard {
			s.EndedBy, end = "guard-time", j
			break
		}
		if isRRC(m, "SecurityModeComplete") || isRRC(m, "SecurityModeFailure") {
			s.Outcome = OutcomeComplete
			if m.Message == "SecurityModeFailure" {
				s.Outcome = OutcomeFailure
				m.Role = RoleSMF
			}
			seq, frame := m.Seq, m.Frame
			s.ResponseSeq, s.ResponseFrame = &seq, &frame
			d := ms(m.Time.Sub(cmd.Time.Time))
			s.ResponseDelayMs = &d
			if cmd.TxID != nil && m.TxID != nil {
				match := *cmd.TxID == *m.TxID
				s.TxIDMatch = &match
			}
			s.EndedBy = ""
			from = j
			break
		}
		if isRelease(m) {
			s.EndedBy, end = "release", j
			break
		}
		if isNewConnection(m) {
			s.EndedBy, end = "new-connection", j
			if m.Message == "RRCReestablishmentRequest" {
				s.EndedBy = "reestablishment"
			}
			break
		}
		if isRRC(m, "SecurityModeCommand") {
			s.EndedBy, end = "new-command", j
			break
		}
	}
	_ = end
	if r := t.releaseAfter(idx, from); r >= 0 {
		rm := &t.Messages[r]
		seq, frame := rm.Seq, rm.Frame
		s.ReleaseSeq, s.ReleaseFrame, s.ReleaseMessage = &seq, &frame, rm.Message
		base := cmd.Time
		if s.ResponseSeq != nil {
			base = t.Messages[idx[from]].Time
		}
		d := ms(rm.Time.Sub(base.Time))
		s.ReleaseDelayMs = &d
	}
	s.Next = t.next(idx, from)
	if s.Outcome != OutcomeComplete {
		cmd.Role = RoleSMCFailed
		if s.ReleaseSeq != nil {
			t.markRelease(*s.ReleaseSeq)
		}
		t.Failures = append(t.Failures, failureOf(t, &s))
	}
	s.Summary = securitySummary(t, &s)
	return s
}

// releaseAfter is the index of the first release of the UE after idx[k],
// before a new connection; -1 when there is none.
func (t *Trace) releaseAfter(idx []int, k int) int {
	for j := k + 1; j < len(idx); j++ {
		m := &t.Messages[idx[j]]
		if isRelease(m) {
			return idx[j]
		}
		if isNewConnection(m) {
			return -1
		}
	}
	return -1
}

// next says what happened first to the UE after idx[k]: a release, a
// re-establishment, a fresh connection attempt, other RRC signalling, or
// nothing (the capture ends). F1AP and NGAP messages other than releases
// (the carrier of the answer, the DU's setup response) do not count.
func (t *Trace) next(idx []int, k int) string {
	for j := k + 1; j < len(idx); j++ {
		m := &t.Messages[idx[j]]
		switch {
		case isRelease(m):
			return "release"
		case isRRC(m, "RRCReestablishmentRequest"):
			return "reestablishment"
		case isNewConnection(m):
			return "retry"
		case m.Protocol == "NR-RRC":
			return "continued"
		}
	}
	return "none"
}

// markRelease marks a release after a failure and the rest of that release
// on every layer: the AMF's UEContextReleaseCommand, the gNB-CU's F1AP
// command and the RRCRelease it carries are one release seen three times.
func (t *Trace) markRelease(i int) {
	ue := t.Messages[i].UE
	marked := map[string]bool{} // one release per layer
	for j := i; j < len(t.Messages); j++ {
		m := &t.Messages[j]
		if m.UE != ue {
			continue
		}
		if j > i && isNewConnection(m) {
			return
		}
		if isRelease(m) && !marked[m.Protocol] {
			m.Role = RoleReleaseAfterFailure
			marked[m.Protocol] = true
		}
		if m.Message == "UEContextReleaseComplete" {
			return
		}
	}
}

// failureOf turns a failed command into the failure branch the page tells.
func failureOf(t *Trace, s *Security) Failure {
	cmd := &t.Messages[s.CommandSeq]
	f := Failure{UE: s.UE, Kind: FailureNoResponse, Command: ref(cmd), EndedBy: s.EndedBy,
		ResponseDelay: s.ResponseDelayMs, TxIDMatch: s.TxIDMatch, ReleaseDelay: s.ReleaseDelayMs}
	if s.Outcome == OutcomeFailure {
		f.Kind = FailureExplicit
		f.Response = ref(&t.Messages[*s.ResponseSeq])
	}
	if s.ReleaseSeq != nil {
		f.Release = ref(&t.Messages[*s.ReleaseSeq])
	}
	f.Summary = failureSummary(&f, t.lastTime(s.UE))
	return f
}

// securitySummary says one command's story in a sentence.
func securitySummary(t *Trace, s *Security) string {
	if s.Outcome != OutcomeComplete {
		return failureSummary(&t.Failures[len(t.Failures)-1], t.lastTime(s.UE))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "SecurityModeComplete (frame %d) %s after SecurityModeCommand (frame %d", *s.ResponseFrame, FormatMs(*s.ResponseDelayMs), s.CommandFrame)
	if s.TxID != nil {
		fmt.Fprintf(&b, ", txid %d", *s.TxID)
	}
	b.WriteString(")")
	if s.TxIDMatch != nil && !*s.TxIDMatch {
		b.WriteString(" — the transaction ids differ")
	}
	return b.String()
}

// worse keeps the more alarming of two outcomes.
func worse(a, b string) string {
	rank := map[string]int{"never-started": 0, OutcomeComplete: 1, OutcomeNoResponse: 2, OutcomeFailure: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
