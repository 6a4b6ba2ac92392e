// Package export renders one UE's ladder (or a range of it) as evidence for
// a bug ticket: a plain-text ladder that pastes into Jira, GitHub or an
// email, a Mermaid sequenceDiagram, a Markdown snippet, and a PNG drawn the
// way the page's SVG is.
//
// It works on the ladder model only: it imports ladder and must not import
// store, server or web (it knows no HTTP; the caller gives it the link).
package export

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/nrladder/nrladder/internal/ladder"
)

// Meta says what the export is of.
type Meta struct {
	TraceName string
	Link      string // absolute link to the ladder (or range) on the server
	UE        ladder.UE
	Redacted  bool             // every export says whether it is redacted
	Summary   string           // the one-line trace summary ("1 of 3 UEs failed AS security activation: …")
	Failures  []ladder.Failure // of this UE
	Findings  []ladder.Finding // of this UE
	// Start is where relative times count from (the trace's start); when
	// zero, the first message's time.
	Start ladder.Time
}

// start is where relative times count from.
func (m Meta) start(msgs []ladder.Message) ladder.Time {
	if m.Start.IsZero() && len(msgs) > 0 {
		return msgs[0].Time
	}
	return m.Start
}

// ueText names the UE: its label, with its key when that differs.
func (m Meta) ueText() string {
	switch {
	case m.UE.Label == "" && m.UE.Key == "":
		return "(unknown UE)"
	case m.UE.Label == "":
		return m.UE.Key
	case m.UE.Key == "" || m.UE.Key == m.UE.Label:
		return m.UE.Label
	}
	return m.UE.Label + " (" + m.UE.Key + ")"
}

// yesNo says whether the export is redacted.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// laneOrder is the left-to-right order of the known lifelines.
var laneOrder = []string{ladder.LaneUE, ladder.LaneGNB, ladder.LaneDU, ladder.LaneCU, ladder.LaneAMF}

// lanesOf returns the lifelines of the export: the UE's lanes, or those its
// messages use in the usual order, and after them any node a message names
// that is not among them (so that every arrow has both its ends).
func lanesOf(meta Meta, msgs []ladder.Message) []string {
	lanes := append([]string(nil), meta.UE.Lanes...)
	if len(lanes) == 0 {
		used := map[string]bool{}
		for i := range msgs {
			used[msgs[i].From], used[msgs[i].To] = true, true
		}
		for _, l := range laneOrder {
			if used[l] {
				lanes = append(lanes, l)
			}
		}
		if len(lanes) == 0 {
			lanes = []string{ladder.LaneUE, ladder.LaneGNB}
		}
	}
	has := map[string]bool{}
	for _, l := range lanes {
		has[l] = true
	}
	for i := range msgs {
		for _, n := range []string{nodeName(msgs[i].From), nodeName(msgs[i].To)} {
			if !has[n] {
				has[n] = true
				lanes = append(lanes, n)
			}
		}
	}
	return lanes
}

// nodeName is a message end as a lane name ("?" when the model has none).
func nodeName(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// Branch of the failure a message is on, as the exports mark it.
const (
	branchNone    = iota
	branchFailure // the SecurityModeCommand that failed and the SecurityModeFailure
	branchRelease // the release after the failure
)

func branch(m *ladder.Message) int {
	switch m.Role {
	case ladder.RoleSMCFailed, ladder.RoleSMF:
		return branchFailure
	case ladder.RoleReleaseAfterFailure:
		return branchRelease
	}
	return branchNone
}

// arrowText is an arrow's text: the label, then its transaction id and its
// retransmissions ("SecurityModeFailure", " (txid 2) (retransmitted ×11)").
func arrowText(m *ladder.Message) (label, suffix string) {
	if m.TxID != nil {
		suffix += " (txid " + strconv.Itoa(*m.TxID) + ")"
	}
	if m.Retransmissions > 0 {
		suffix += " (retransmitted ×" + strconv.Itoa(m.Retransmissions) + ")"
	}
	return m.Label(), suffix
}

// oneLine folds what a capture or a file name may carry onto one printable
// line: control characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// truncate keeps at most n runes of s, ending in … when it cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
