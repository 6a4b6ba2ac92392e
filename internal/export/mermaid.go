package export

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/ladder"
)

// Mermaid colours of the failure branch and of the release after it: the
// backgrounds the page gives those arrows.
const (
	mermaidFailure = "rect rgb(253,236,234)"
	mermaidRelease = "rect rgb(255,244,224)"
)

// Mermaid writes msgs as a Mermaid sequenceDiagram: a participant per lane
// (UE, gNB or gNB-DU and gNB-CU, AMF), a note saying what the diagram is of,
// and an arrow per message reading "Label (txid N) · frame F · t ms". The
// failure branch (the failed SecurityModeCommand, the SecurityModeFailure and
// what came between them) stands in a red rect, the release after it in an
// amber one.
//
// Text from the capture is escaped with Mermaid's entity codes (#59; for ;),
// so every line is one statement. The same input always gives the same
// bytes. Nothing is written when rendering fails.
func Mermaid(w io.Writer, meta Meta, msgs []ladder.Message) error {
	var b bytes.Buffer
	lanes := lanesOf(meta, msgs)
	ids := participantIDs(lanes)
	start := meta.start(msgs)
	b.WriteString("sequenceDiagram\n")
	for _, l := range lanes {
		alias := mermaidText(l)
		if alias == "" {
			alias = "?"
		}
		fmt.Fprintf(&b, "    participant %s as %s\n", ids[l], alias)
	}
	over := ids[lanes[0]]
	if len(lanes) > 1 {
		over += "," + ids[lanes[len(lanes)-1]]
	}
	note := []string{meta.TraceName, meta.ueText()}
	if meta.Link != "" {
		note = append(note, meta.Link)
	}
	note = append(note, "redacted: "+yesNo(meta.Redacted))
	fmt.Fprintf(&b, "    Note over %s: %s\n", over, mermaidText(strings.Join(note, " · ")))
	open := branchNone
	for i := range msgs {
		m := &msgs[i]
		br := branch(m)
		if br == branchNone && inFailure(meta.Failures, m.Seq) {
			br = branchFailure // an F1AP carrier between the command and the failure
		}
		if br != open {
			if open != branchNone {
				b.WriteString("    end\n")
			}
			switch br {
			case branchFailure:
				b.WriteString("    " + mermaidFailure + "\n")
			case branchRelease:
				b.WriteString("    " + mermaidRelease + "\n")
			}
			open = br
		}
		indent := "    "
		if open != branchNone {
			indent += "    "
		}
		label, suffix := arrowText(m)
		text := label + suffix + " · frame " + strconv.Itoa(m.Frame) + " · " + ladder.RelTime(start, m.Time)
		fmt.Fprintf(&b, "%s%s->>%s: %s\n", indent, ids[nodeName(m.From)], ids[nodeName(m.To)], mermaidText(text))
	}
	if open != branchNone {
		b.WriteString("    end\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// inFailure says whether seq lies between a failed SecurityModeCommand and
// the SecurityModeFailure that answered it.
func inFailure(failures []ladder.Failure, seq int) bool {
	for _, f := range failures {
		if f.Command != nil && f.Response != nil && f.Command.Seq < seq && seq < f.Response.Seq {
			return true
		}
	}
	return false
}

// participantIDs gives each lane a Mermaid participant id: the known lanes
// short ids (gNB-DU is DU), any other N1, N2 ….
func participantIDs(lanes []string) map[string]string {
	known := map[string]string{
		ladder.LaneUE:  "UE",
		ladder.LaneGNB: "gNB",
		ladder.LaneDU:  "DU",
		ladder.LaneCU:  "CU",
		ladder.LaneAMF: "AMF",
	}
	ids := map[string]string{}
	n := 0
	for _, l := range lanes {
		if id, ok := known[l]; ok {
			ids[l] = id
			continue
		}
		n++
		ids[l] = "N" + strconv.Itoa(n)
	}
	return ids
}

// mermaidEscape replaces what Mermaid reads in a message's text — ; ends a
// statement, # starts an entity or a comment, %% a comment or a directive,
// : starts the text, < and > are HTML — by entity codes.
var mermaidEscape = strings.NewReplacer(
	"#", "#35;",
	";", "#59;",
	":", "#58;",
	"%", "#37;",
	"<", "#lt;",
	">", "#gt;",
	"&", "#amp;",
	`"`, "#quot;",
)

// mermaidText is text for a statement: one line, escaped.
func mermaidText(s string) string {
	return strings.TrimSpace(mermaidEscape.Replace(oneLine(s)))
}
