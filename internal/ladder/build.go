package ladder

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse"
)

// Options tune the analysis.
type Options struct {
	// GuardTime is how long a SecurityModeCommand may stay unanswered
	// before it counts as not answered; 0 means one second.
	GuardTime time.Duration
	// SlowRelease is how late a release after a failure is a finding;
	// 0 means SlowRelease.
	SlowRelease time.Duration
}

// DefaultUE is the key of the single UE of a capture whose layers carry no
// UE identity (exported NR RRC PDUs).
const DefaultUE = "ue0"

// Build turns the parser's events into the ladder model: messages in capture
// order with their lanes, one ladder per UE, and the failure branches with
// their roles. Metadata (id, name, size …) is left for the caller.
func Build(res *parse.Result, opts Options) *Trace {
	if opts.GuardTime == 0 {
		opts.GuardTime = time.Second
	}
	t := &Trace{
		Format:          res.Format,
		Compressed:      res.Compressed,
		LinkTypes:       res.LinkTypes,
		Packets:         res.Packets,
		Warnings:        res.Warnings,
		WarningsDropped: res.WarningsDropped,
		Skipped:         res.Skipped,
		Messages:        make([]Message, 0, len(res.Events)),
	}
	g := group(res.Events)
	anyID := len(g.ues) > 0
	t.UEs = make([]UE, 0, len(g.ues)+1)
	for i, u := range g.ues {
		ue := UE{Key: fmt.Sprintf("ue%d", i+1), Label: fmt.Sprintf("UE %d", i+1), Connections: u.connections}
		for _, id := range u.ids {
			ue.IDs = append(ue.IDs, idLabel(id))
		}
		if len(ue.IDs) > 0 {
			ue.Label += " · " + ue.IDs[0]
		}
		switch {
		case u.connections > 1 && len(u.joinedBy) > 0:
			ue.Note = fmt.Sprintf("%d RRC connections of the same UE, joined by %s", u.connections, strings.Join(u.joinedBy, ", "))
		case len(g.ues) > 1:
			ue.Note = "one RRC connection: nothing in the capture ties it to another connection, so it is shown as a UE of its own"
		}
		t.UEs = append(t.UEs, ue)
	}
	commonIdx := -1
	ueIndexOf := func(i int) int {
		if u := g.ueOf[i]; u >= 0 {
			return u
		}
		if commonIdx < 0 {
			commonIdx = len(t.UEs)
			if anyID {
				t.UEs = append(t.UEs, UE{Key: CommonUE, Label: "Not UE-associated", Note: "system information, paging and node-level F1AP/NGAP (setup, configuration) that belong to no UE"})
			} else {
				t.UEs = append(t.UEs, UE{Key: DefaultUE, Label: "UE", Connections: 1, Note: "the capture carries no UE identity: all its messages are drawn on one ladder"})
			}
		}
		return commonIdx
	}
	order := sortEvents(res.Events)
	seqOf := make([]int, len(res.Events))
	protocols := make([]map[string]bool, 0)
	for _, i := range order {
		u := ueIndexOf(i)
		for len(protocols) <= u {
			protocols = append(protocols, map[string]bool{})
		}
		protocols[u][res.Events[i].Protocol] = true
	}
	for u := range t.UEs {
		t.UEs[u].Lanes = lanesFor(protocols[u])
	}
	for _, i := range order {
		ev := &res.Events[i]
		u := ueIndexOf(i)
		ue := &t.UEs[u]
		seqOf[i] = len(t.Messages)
		m := Message{
			Seq:                    len(t.Messages),
			UESeq:                  ue.Messages,
			Frame:                  ev.Frame,
			Time:                   Time{ev.Time},
			UE:                     ue.Key,
			Protocol:               ev.Protocol,
			Bearer:                 ev.Bearer,
			Message:                ev.Message,
			Alternative:            ev.Alt,
			PDU:                    ev.PDU,
			Error:                  ev.Error,
			DecodeError:            ev.DecodeError,
			NAS:                    ev.NAS,
			Algorithms:             ev.Algorithms,
			Lines:                  ev.Lines,
			Ciphered:               ev.Ciphered,
			Cipher:                 ev.Cipher,
			Retransmission:         ev.Retransmissions > 0,
			Retransmissions:        ev.Retransmissions,
			Cause:                  ev.Cause,
			UESecurityCapabilities: ev.UESecurityCapabilities,
			From:                   lane(ev.From, ue.Lanes),
			To:                     lane(ev.To, ue.Lanes),
			Direction:              "DL",
		}
		m.RetransmissionFrames = ev.RetransFrames
		if ev.Protocol == "NR-RRC" {
			m.Channel = ev.Channel.String()
		}
		if ev.Uplink {
			m.Direction = "UL"
		}
		if ev.PDCPSN >= 0 {
			sn := ev.PDCPSN
			m.PDCPSN = &sn
		}
		if len(ev.ASN1) > 0 {
			m.ASN1 = json.RawMessage(ev.ASN1)
		}
		if ev.TxID >= 0 {
			txid := ev.TxID
			m.TxID = &txid
		}
		ue.Messages++
		setIDs(ue, ev.IDs)
		t.Messages = append(t.Messages, m)
	}
	// Carriers point at messages by seq once every seq is known.
	for _, i := range order {
		if c := res.Events[i].Carrier; c >= 0 {
			seq := seqOf[c]
			t.Messages[seqOf[i]].Carrier = &seq
		}
	}
	if len(t.Messages) > 0 {
		t.Start = t.Messages[0].Time
	}
	t.pairResponses()
	t.analyseSecurity(opts)
	t.findings(opts)
	t.findProcedures()
	return t
}

func ref(m *Message) *Ref {
	return &Ref{Seq: m.Seq, UESeq: m.UESeq, Frame: m.Frame, Time: m.Time, Message: m.Message, TxID: m.TxID}
}

func (t *Trace) lastTime(ue string) time.Time {
	for i := len(t.Messages) - 1; i >= 0; i-- {
		if t.Messages[i].UE == ue {
			return t.Messages[i].Time.Time
		}
	}
	return time.Time{}
}

// failureSummary says the branch in one sentence, with times and frame numbers:
// "SecurityModeFailure (frame 45) 12.4 ms after SecurityModeCommand (frame 44,
// txid 2); RRCRelease 38.0 ms later (frame 47)".
func failureSummary(f *Failure, end time.Time) string {
	var b strings.Builder
	switch f.Kind {
	case FailureExplicit:
		fmt.Fprintf(&b, "SecurityModeFailure (%s) %s after SecurityModeCommand (%s)",
			refText(f.Response, f.TxIDMatch != nil && !*f.TxIDMatch), FormatMs(*f.ResponseDelay), refText(f.Command, true))
		if f.TxIDMatch != nil && !*f.TxIDMatch {
			b.WriteString(" — the transaction ids differ")
		}
	case FailureUnsolicited:
		fmt.Fprintf(&b, "SecurityModeFailure (%s) with no SecurityModeCommand before it", refText(f.Response, true))
	case FailureNoResponse:
		fmt.Fprintf(&b, "SecurityModeCommand (%s) got no response", refText(f.Command, true))
		switch f.EndedBy {
		case "guard-time":
			b.WriteString(" within the guard time")
		case "new-connection":
			b.WriteString(" before a new RRC connection was requested")
		case "reestablishment":
			b.WriteString(" before the UE requested re-establishment")
		case "new-command":
			b.WriteString(" before the next SecurityModeCommand")
		case "end-of-capture":
			fmt.Fprintf(&b, " before the capture ended (%s later)", FormatMs(ms(end.Sub(f.Command.Time.Time))))
		}
	}
	if f.Release != nil {
		fmt.Fprintf(&b, "; %s %s later (frame %d)", f.Release.Message, FormatMs(*f.ReleaseDelay), f.Release.Frame)
	} else if f.Kind != FailureNoResponse || f.EndedBy == "guard-time" || f.EndedBy == "end-of-capture" {
		b.WriteString("; no release follows in the capture")
	}
	return b.String()
}

func refText(r *Ref, withTxID bool) string {
	s := fmt.Sprintf("frame %d", r.Frame)
	if withTxID && r.TxID != nil {
		s += fmt.Sprintf(", txid %d", *r.TxID)
	}
	return s
}

// lane maps a node named by the parser onto the UE's lifelines: "gNB" is the
// gNB-CU where F1AP splits the gNB.
func lane(node string, lanes []string) string {
	if node == LaneGNB {
		for _, l := range lanes {
			if l == LaneCU {
				return LaneCU
			}
		}
	}
	return node
}

func hasRRC(t *Trace, ue string) bool {
	for i := range t.Messages {
		if t.Messages[i].UE == ue && t.Messages[i].Protocol == "NR-RRC" {
			return true
		}
	}
	return false
}

// setIDs keeps the first C-RNTI and F1AP UE ids a UE's messages carry.
func setIDs(u *UE, ids parse.IDs) {
	if u.Key == CommonUE || u.Key == DefaultUE {
		return
	}
	if u.RNTI == nil && ids.RNTI >= 0 {
		v := ids.RNTI
		u.RNTI = &v
	}
	if u.DUUEID == nil && ids.DUUEID >= 0 {
		v := ids.DUUEID
		u.DUUEID = &v
	}
	if u.CUUEID == nil && ids.CUUEID >= 0 {
		v := ids.CUUEID
		u.CUUEID = &v
	}
}
