package export

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nrladder/nrladder/internal/ladder"
)

// Text layout.
const (
	// maxLabel is the most runes of an arrow's text the text ladder shows;
	// a longer one is cut and ends in ….
	maxLabel = 60
	// minGap is the fewest columns between two lifelines.
	minGap = 12
	// labelSlack is what an arrow needs beyond its text: a space either
	// side, two dashes at its tail and two dashes and the head at its tip.
	labelSlack = 7
)

// Text writes the plain-text ladder of msgs: a header saying what it is of
// (trace, UE, link, whether redacted), one row per message — its time in ms
// from meta.Start, its frame, a marker ("!" on the failure branch, "~" on the
// release after it) and an arrow between the lifelines of meta.UE.Lanes —
// and a footer with the failures and findings.
//
// The ladder is ASCII but for the … of a cut label, so that it pastes into a
// ticket or an email and lines up in any monospace font. The same input
// always gives the same bytes. Nothing is written when rendering fails.
func Text(w io.Writer, meta Meta, msgs []ladder.Message) error {
	var b bytes.Buffer
	writeTextHeader(&b, meta, msgs)
	b.WriteByte('\n')
	writeLadder(&b, meta, msgs)
	b.WriteByte('\n')
	writeTextFooter(&b, meta)
	_, err := w.Write(b.Bytes())
	return err
}

func writeTextHeader(b *bytes.Buffer, meta Meta, msgs []ladder.Message) {
	field := func(name, value string) {
		fmt.Fprintf(b, "%-10s%s\n", name+":", headerText(value))
	}
	field("Trace", meta.TraceName)
	ue := meta.ueText()
	if meta.UE.Outcome != "" {
		ue += "; AS security: " + meta.UE.Outcome
	}
	field("UE", ue)
	if meta.UE.Note != "" {
		field("Note", meta.UE.Note)
	}
	if meta.Link != "" {
		field("Link", meta.Link)
	}
	field("Redacted", yesNo(meta.Redacted))
	if meta.Summary != "" {
		field("Summary", meta.Summary)
	}
	if len(msgs) > 0 {
		field("Messages", fmt.Sprintf("%d, frames %d-%d", len(msgs), msgs[0].Frame, msgs[len(msgs)-1].Frame))
	} else {
		field("Messages", "none")
	}
}

func writeTextFooter(b *bytes.Buffer, meta Meta) {
	if len(meta.Failures) == 0 {
		b.WriteString("Failures: none\n")
	} else {
		b.WriteString("Failures:\n")
		for _, f := range meta.Failures {
			fmt.Fprintf(b, "  - %s\n", headerText(f.Summary))
		}
	}
	if len(meta.Findings) > 0 {
		b.WriteString("Findings:\n")
		for _, f := range meta.Findings {
			fmt.Fprintf(b, "  - %s %s: %s%s\n", f.Severity, f.Code, headerText(f.Text), framesText(f.Frames, " (%s)"))
		}
	}
}

// framesText lists frames ("frame 4", "frames 4, 5") into format; "" when
// there are none.
func framesText(frames []int, format string) string {
	if len(frames) == 0 {
		return ""
	}
	s := make([]string, len(frames))
	for i, f := range frames {
		s[i] = strconv.Itoa(f)
	}
	word := "frame "
	if len(frames) > 1 {
		word = "frames "
	}
	return fmt.Sprintf(format, word+strings.Join(s, ", "))
}

// textRow is one message of the text ladder.
type textRow struct {
	time, frame string
	mark        byte
	from, to    int    // lanes; equal when the arrow cannot be drawn
	text        string // on the arrow
	fill        byte   // of the arrow: '-', or '.' for a ciphered PDU
	note        string // after the last lifeline
}

// writeLadder writes the column header, the rows and a legend.
func writeLadder(b *bytes.Buffer, meta Meta, msgs []ladder.Message) {
	lanes := lanesOf(meta, msgs)
	index := map[string]int{}
	names := make([]string, len(lanes))
	for i, l := range lanes {
		index[l] = i
		names[i] = strings.ReplaceAll(gridText(l), "…", "...") // ASCII: one byte a column
	}
	start := meta.start(msgs)
	seqs := map[int]*ladder.Message{}
	for i := range msgs {
		seqs[msgs[i].Seq] = &msgs[i]
	}
	rows := make([]textRow, len(msgs))
	tw, fw := len("t (ms)"), len("frame")
	marks := map[byte]bool{}
	for i := range msgs {
		m := &msgs[i]
		r := textRow{
			time:  strings.TrimSuffix(ladder.RelTime(start, m.Time), " ms"),
			frame: strconv.Itoa(m.Frame),
			mark:  " !~"[branch(m)],
			from:  index[nodeName(m.From)],
			to:    index[nodeName(m.To)],
			text:  cutLabel(arrowText(m)),
			fill:  '-',
			note:  gridText(noteText(m, seqs)),
		}
		if m.Ciphered {
			r.fill = '.'
		}
		if r.from == r.to {
			r.note = strings.TrimSuffix(fmt.Sprintf("[%s -> %s] %s; %s", names[r.from], names[r.to], r.text, r.note), "; ")
		}
		marks[r.mark], marks[r.fill] = true, true
		tw, fw = max(tw, len(r.time)), max(fw, len(r.frame))
		rows[i] = r
	}
	pos := lifelines(names, rows)
	area := pos[len(pos)-1] + 1
	if n := len(names[len(names)-1]); n > 0 {
		area += n - 1 - (n-1)/2 // the last name may stand out right of its lifeline
	}
	line := func(t, f string, mark byte, cells []rune, note string) {
		s := fmt.Sprintf("%*s  %*s  %c  %s", tw, t, fw, f, mark, string(cells))
		if note != "" {
			s += "   " + note
		}
		b.WriteString(strings.TrimRight(s, " "))
		b.WriteByte('\n')
	}
	blank := func() []rune {
		cells := []rune(strings.Repeat(" ", area))
		for _, p := range pos {
			cells[p] = '|'
		}
		return cells
	}
	head := []rune(strings.Repeat(" ", area))
	for i, n := range names {
		copy(head[pos[i]-(len(n)-1)/2:], []rune(n))
	}
	line("t (ms)", "frame", ' ', head, "")
	line("", "", ' ', blank(), "")
	for _, r := range rows {
		cells := blank()
		if r.from != r.to {
			drawArrow(cells, pos[r.from], pos[r.to], r.text, r.fill)
		}
		line(r.time, r.frame, r.mark, cells, r.note)
	}
	line("", "", ' ', blank(), "")
	var legend []string
	if marks['!'] {
		legend = append(legend, "! failure branch (SecurityModeCommand not completed, SecurityModeFailure)")
	}
	if marks['~'] {
		legend = append(legend, "~ release after the failure")
	}
	if marks['.'] {
		legend = append(legend, "..> ciphered PDU")
	}
	if len(legend) > 0 {
		b.WriteString("Legend: " + strings.Join(legend, "   ") + "\n")
	}
}

// cutLabel is an arrow's text for the grid, at most maxLabel runes: a long
// label is cut, its transaction id and retransmissions are kept.
func cutLabel(label, suffix string) string {
	label, suffix = gridText(label), gridText(suffix)
	return truncate(label, max(maxLabel-utf8.RuneCountInString(suffix), maxLabel/2)) + suffix
}

// drawArrow draws an arrow from the lifeline at column from to the one at
// column to, its text centred between them over any lifeline in between.
func drawArrow(cells []rune, from, to int, text string, fill byte) {
	lo, hi := min(from, to), max(from, to)
	for c := lo + 1; c < hi; c++ {
		cells[c] = rune(fill)
	}
	if from < to {
		cells[hi-1] = '>'
	} else {
		cells[lo+1] = '<'
	}
	t := []rune(" " + text + " ")
	n := hi - lo - 1
	copy(cells[lo+1+(n-len(t))/2:], t)
}

// lifelines places the lifelines: the first far enough right for its name,
// each next one far enough from the one before for both names and for the
// text of every arrow between them. An arrow spanning several gaps (RRC from
// the UE to the gNB-CU, over the gNB-DU) widens them evenly when they are
// too narrow for it. It returns the column of each lifeline.
func lifelines(names []string, rows []textRow) []int {
	gaps := make([]int, len(names)-1)
	for i := range gaps {
		a, b := len(names[i]), len(names[i+1])
		gaps[i] = max(minGap, a-1-(a-1)/2+(b-1)/2+2)
	}
	type span struct{ lo, hi int }
	need := map[span]int{}
	for _, r := range rows {
		if r.from == r.to {
			continue
		}
		s := span{min(r.from, r.to), max(r.from, r.to)}
		need[s] = max(need[s], utf8.RuneCountInString(r.text)+labelSlack)
	}
	spans := make([]span, 0, len(need))
	for s := range need {
		spans = append(spans, s)
	}
	slices.SortFunc(spans, func(x, y span) int {
		if d := (x.hi - x.lo) - (y.hi - y.lo); d != 0 {
			return d
		}
		return x.lo - y.lo
	})
	for _, s := range spans {
		have := s.hi - s.lo - 1 // the lifelines in between
		for g := s.lo; g < s.hi; g++ {
			have += gaps[g]
		}
		deficit := need[s] - have
		if deficit <= 0 {
			continue
		}
		k := s.hi - s.lo
		for g := s.lo; g < s.hi; g++ {
			gaps[g] += deficit / k
			if g-s.lo < deficit%k {
				gaps[g]++
			}
		}
	}
	pos := make([]int, len(names))
	pos[0] = (len(names[0]) - 1) / 2
	for i, g := range gaps {
		pos[i+1] = pos[i] + g + 1
	}
	return pos
}

// noteText is what follows the last lifeline: the bearer and channel of an
// RRC message (the protocol of another), and for an answer how long after
// its request it came.
func noteText(m *ladder.Message, seqs map[int]*ladder.Message) string {
	s := m.Protocol
	if m.Protocol == "NR-RRC" || m.Protocol == "" {
		s = strings.TrimSpace(m.Bearer + " " + m.Channel)
	}
	if m.ResponseMs != nil {
		req := "its request"
		if m.ResponseTo != nil {
			if r, ok := seqs[*m.ResponseTo]; ok && r.Message != "" {
				req = r.Message
			}
		}
		if s != "" {
			s += ", "
		}
		s += ladder.FormatMs(*m.ResponseMs) + " after " + req
	}
	return s
}

// asciiFold maps the few non-ASCII characters the model writes to ASCII.
var asciiFold = strings.NewReplacer(
	" · ", " / ", "·", "-", "×", "x", " — ", " - ", "—", "-", "–", "-",
	"→", "->", "←", "<-", "↔", "<->", "‘", "'", "’", "'", "“", `"`, "”", `"`,
)

// gridText is text for the ladder's columns: one line, ASCII but for …;
// any other character becomes ?.
func gridText(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= utf8.RuneSelf && r != '…' {
			return '?'
		}
		return r
	}, asciiFold.Replace(oneLine(s)))
}

// headerText is text for the header and footer lines: one line, with the
// model's own non-ASCII characters folded to ASCII. The rest (a file name's)
// is kept, so that the trace can be found by its name.
func headerText(s string) string { return asciiFold.Replace(oneLine(s)) }
