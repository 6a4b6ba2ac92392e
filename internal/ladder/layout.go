package ladder

import (
	"fmt"
	"strconv"
	"strings"
)

// Geometry constants of the drawing, in SVG user units (px).
const (
	headerHeight = 48
	rowHeight    = 46
	timeColumn   = 118 // left column with relative times and frame numbers
	laneGap      = 400
	sideMargin   = 150 // right of the last lane: failure brackets and their labels
	footer       = 24
)

// Diagram is the geometry of a window of a ladder, ready to draw.
type Diagram struct {
	Width, Height int
	Lanes         []LaneGeom
	Arrows        []Arrow
	Brackets      []Bracket
	Bands         []Band
	LifelineTop   int
	LifelineEnd   int
}

// LaneGeom is one lifeline.
type LaneGeom struct {
	Name string
	X    int
}

// Arrow is one message.
type Arrow struct {
	Seq       int
	Frame     int
	ID        string // anchor id: "m<seq>"
	Y         int    // y of the arrow line
	X1, X2    int    // from → to
	LabelX    int
	Label     string // message name
	TxID      string // "txid 2" or ""
	Channel   string // "SRB1 · UL-DCCH"
	RelTime   string // "12.4 ms"
	Delta     string // "+1.8 ms" since the previous message of the ladder
	Answer    string // "12.4 ms after SecurityModeCommand", on an answer
	AbsTime   string // RFC 3339 with nanoseconds
	FrameText string // "frame 45"
	Direction string
	Role      string
	Error     string
	// Class lists the CSS classes of the arrow group.
	Class string
}

// Band marks the span of a procedure beside the arrows.
type Band struct {
	X, Y1, Y2 int
	Name      string
	Class     string
	LabelX    int
	LabelY    int
	ShowLabel bool // tall enough for its name
}

// Bracket joins a SecurityModeCommand to its failure (or to the release that
// ended an unanswered command) beside the ladder.
type Bracket struct {
	X, Y1, Y2 int
	LabelY    int
	Label     string
	Class     string
}

// Layout places a window of messages (consecutive messages of one ladder) on
// the lanes. Times are shown relative to start, and each since the message
// before it (prev, the message before the window, when there is one).
// Failures whose messages are in the window get a bracket; procedures a band.
func Layout(msgs []Message, lanes []string, start Time, failures []Failure, procs []Procedure, prev *Message) Diagram {
	d := Diagram{LifelineTop: headerHeight}
	x := timeColumn + 60
	gap := laneGap
	if len(lanes) > 2 {
		gap = 270
	}
	laneX := map[string]int{}
	for _, name := range lanes {
		d.Lanes = append(d.Lanes, LaneGeom{Name: name, X: x})
		laneX[name] = x
		x += gap
	}
	lastLane := x - gap
	d.Width = lastLane + sideMargin
	rowOf := map[int]int{}
	for i := range msgs {
		m := &msgs[i]
		y := headerHeight + rowHeight*i + rowHeight - 14
		rowOf[m.Seq] = y
		x1, x2 := laneX[m.From], laneX[m.To]
		a := Arrow{
			Seq:       m.Seq,
			Frame:     m.Frame,
			ID:        "m" + strconv.Itoa(m.Seq),
			Y:         y,
			X1:        x1,
			X2:        x2,
			LabelX:    (x1 + x2) / 2,
			Label:     m.Label(),
			Channel:   channelText(m),
			RelTime:   RelTime(start, m.Time),
			Delta:     delta(prev, m),
			AbsTime:   m.Time.UTC().Format(TimeFormat),
			FrameText: "frame " + strconv.Itoa(m.Frame),
			Direction: m.Direction,
			Role:      m.Role,
			Error:     m.Error,
		}
		if m.TxID != nil {
			a.TxID = fmt.Sprintf("txid %d", *m.TxID)
		}
		if m.ResponseMs != nil {
			a.Answer = FormatMs(*m.ResponseMs) + " after " + requestName(msgs, *m.ResponseTo)
		}
		prev = m
		a.Class = "msg " + map[string]string{"UL": "ul", "DL": "dl"}[m.Direction] + " proto-" + strings.ToLower(m.Protocol)
		if m.Ciphered {
			a.Class += " ciphered"
		}
		if m.Role != "" {
			a.Class += " role-" + m.Role
		}
		if m.Error != "" {
			a.Class += " unreadable"
		}
		d.Arrows = append(d.Arrows, a)
	}
	d.LifelineEnd = headerHeight + rowHeight*len(msgs) + 8
	d.Bands = bands(procs, rowOf)
	d.Height = d.LifelineEnd + footer
	for _, f := range failures {
		top := f.Command
		bottom := f.Response
		if bottom == nil {
			bottom = f.Release
		}
		if top == nil || bottom == nil {
			continue
		}
		y1, ok1 := rowOf[top.Seq]
		y2, ok2 := rowOf[bottom.Seq]
		if !ok1 || !ok2 {
			continue
		}
		label := "no response"
		if f.ResponseDelay != nil {
			label = FormatMs(*f.ResponseDelay)
		}
		d.Brackets = append(d.Brackets, Bracket{X: lastLane + 28, Y1: y1, Y2: y2, LabelY: (y1+y2)/2 + 4, Label: label, Class: "bracket bracket-" + f.Kind})
	}
	return d
}

func channelText(m *Message) string {
	if m.Protocol != "NR-RRC" {
		return m.Protocol
	}
	if m.Retransmissions > 0 {
		return fmt.Sprintf("%s · %s · retransmitted ×%d", m.Bearer, m.Channel, m.Retransmissions)
	}
	if m.Bearer != "" {
		return m.Bearer + " · " + m.Channel
	}
	return m.Channel
}

func delta(prev, m *Message) string {
	if prev == nil {
		return ""
	}
	d := ms(m.Time.Sub(prev.Time.Time))
	if d < 0 {
		return FormatMs(d)
	}
	return "+" + FormatMs(d)
}

// requestName names the request an answer answers, when it is in the window.
func requestName(msgs []Message, seq int) string {
	for i := range msgs {
		if msgs[i].Seq == seq {
			return msgs[i].Message
		}
	}
	return "its request"
}

// bands lays out the procedures of the window in columns between the times
// and the first lifeline, a new column where spans overlap.
func bands(procs []Procedure, rowOf map[int]int) []Band {
	var out []Band
	var colEnd []int // per column, the last y used
	for _, p := range procs {
		y1, ok1 := rowOf[p.FirstSeq]
		y2, ok2 := rowOf[p.LastSeq]
		if !ok1 && !ok2 {
			continue
		}
		if !ok1 {
			y1 = headerHeight
		}
		if !ok2 {
			y2 = maxRow(rowOf) + 10
		}
		y1, y2 = y1-18, y2+8
		col := -1
		for c, end := range colEnd {
			if end < y1 {
				col = c
				break
			}
		}
		if col < 0 {
			if len(colEnd) == 4 {
				continue // no room: the band is left out
			}
			colEnd = append(colEnd, 0)
			col = len(colEnd) - 1
		}
		colEnd[col] = y2
		x := timeColumn + 4 + 13*col
		class := "band band-" + p.Kind
		if p.Failed {
			class += " band-failed"
		}
		out = append(out, Band{X: x, Y1: y1, Y2: y2, Name: p.Name, Class: class, LabelX: x + 3, LabelY: y2 - 4, ShowLabel: y2-y1 >= 9*len(p.Name)/2+10})
	}
	return out
}

func maxRow(rowOf map[int]int) int {
	m := 0
	for _, y := range rowOf {
		m = max(m, y)
	}
	return m
}
