package export

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/nrladder/nrladder/internal/ladder"
)

// PNG limits, in the diagram's px (SVG user units).
const (
	// MaxPNGHeight is the tallest PNG drawn, header strip included (about
	// 690 messages). A taller ladder is to be exported as ranges.
	MaxPNGHeight = 32000
	// MaxPNGWidth is the widest.
	MaxPNGWidth = 4000
	// hiDPIHeight is the tallest PNG drawn at twice the diagram's size, for
	// crisp text when zoomed in a ticket; a taller one is drawn at 1x, which
	// keeps the image within about 150 MB while it is drawn.
	hiDPIHeight = 8000
	// pngHeader is the height of the strip above the ladder that says what
	// it is of.
	pngHeader = 44
)

// ErrTooTall is returned (wrapped) by PNG for a ladder taller than
// MaxPNGHeight: the caller should export a range of it instead.
var ErrTooTall = errors.New("ladder too tall for a PNG")

// PNG draws the ladder d as the page's SVG draws it — lifelines, lane boxes,
// arrows coloured and dashed by protocol, role and ciphering, labels with
// their transaction ids, channels, times, frames, deltas and answer times,
// procedure bands and failure brackets — under a strip naming the trace,
// the UE and the link, marked REDACTED when meta.Redacted.
//
// The PNG is twice the diagram's size up to 8000 px tall (header strip
// included), its size beyond; a ladder taller than MaxPNGHeight is refused
// with ErrTooTall. Nothing is written when drawing fails.
func PNG(w io.Writer, d ladder.Diagram, meta Meta) error {
	height := d.Height + pngHeader
	if height > MaxPNGHeight {
		return tooTall(d, height)
	}
	if d.Width <= 0 || d.Width > MaxPNGWidth || d.Height < 0 {
		return fmt.Errorf("png: diagram is %dx%d px: want a width of 1 to %d px", d.Width, d.Height, MaxPNGWidth)
	}
	scale := 1.0
	if height <= hiDPIHeight {
		scale = 2
	}
	c, err := newCanvas(d.Width, height, scale)
	if err != nil {
		return fmt.Errorf("png: %w", err)
	}
	c.fill(colorWhite)
	c.drawHeader(meta, float64(d.Width))
	c.drawDiagram(d, pngHeader)
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, c.im); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// tooTall says how tall the ladder is and how many messages a range of it
// may hold.
func tooTall(d ladder.Diagram, height int) error {
	n := len(d.Arrows)
	if n < 2 {
		return fmt.Errorf("png: %w: %d px, more than %d px: export a range", ErrTooTall, height, MaxPNGHeight)
	}
	row := float64(d.Arrows[n-1].Y-d.Arrows[0].Y) / float64(n-1)
	rest := float64(height) - row*float64(n) // header strip, lane boxes, footer
	fit := int((MaxPNGHeight - rest) / row)
	return fmt.Errorf("png: %w: %d messages make %d px, more than %d px: export a range of at most %d messages", ErrTooTall, n, height, MaxPNGHeight, fit)
}

// The ladder's colours (web/templates/ladder.templ's CSS).
var (
	colorWhite      = hexColor("#ffffff")
	colorInk        = hexColor("#101828") // lane boxes, labels
	colorLifeline   = hexColor("#98a2b3")
	colorArrow      = hexColor("#344054")
	colorMuted      = hexColor("#667085") // txid, ciphered and unreadable labels
	colorFaint      = hexColor("#98a2b3") // channel, frame, delta
	colorTime       = hexColor("#475467")
	colorFailure    = hexColor("#c4261d")
	colorFailureBg  = hexColor("#fdecea")
	colorRelease    = hexColor("#a15c00")
	colorReleaseBg  = hexColor("#fff4e0")
	colorF1AP       = hexColor("#7a8aa6")
	colorNGAP       = hexColor("#8b6fb0")
	colorCiphered   = hexColor("#98a2b3")
	colorAnswer     = hexColor("#1f5fbf")
	colorHeaderBg   = hexColor("#f2f4f7")
	colorHeaderLine = hexColor("#d0d5dd")
	bandColors      = map[string]color.NRGBA{
		"":                hexColor("#93b4ea"),
		"nas":             hexColor("#c3b1e8"),
		"security":        hexColor("#7dd3b0"),
		"capability":      hexColor("#f5c779"),
		"reconfiguration": hexColor("#8fd6e3"),
		"release":         hexColor("#e0b27a"),
		"failed":          hexColor("#e5544b"),
	}
)

// hexColor parses "#rrggbb"; it panics on anything else, as only the
// constants above use it.
func hexColor(s string) color.NRGBA {
	var c color.NRGBA
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &c.R, &c.G, &c.B); err != nil {
		panic("export: bad colour " + s)
	}
	c.A = 0xff
	return c
}

// textStyle is how a run of text is set.
type textStyle struct {
	face  faceName
	size  float64
	color color.Color
}

// run is a piece of a text element (a tspan).
type run struct {
	text  string
	style textStyle
}

// arrowStyle is how an arrow is drawn: the cascade of the CSS rules its
// classes match.
type arrowStyle struct {
	stroke color.Color
	width  float64
	dash   []float64
	head   color.Color
	label  textStyle
	weight int // of the label: 400, 500 or 600
	italic bool
	hit    color.Color // background of the row; nil when none
}

// styleOf applies the ladder's CSS to an arrow's classes, rule by rule in
// the stylesheet's order (all the rules are as specific, so the later wins).
func styleOf(class string) arrowStyle {
	has := map[string]bool{}
	for _, c := range strings.Fields(class) {
		has[c] = true
	}
	s := arrowStyle{stroke: colorArrow, width: 1.6, head: colorArrow, label: textStyle{size: 13, color: colorInk}, weight: 600}
	if has["role-"+ladder.RoleSMCFailed] || has["role-"+ladder.RoleSMF] {
		s.stroke, s.width, s.head, s.label.color, s.hit = colorFailure, 2.8, colorFailure, colorFailure, colorFailureBg
	}
	if has["role-"+ladder.RoleReleaseAfterFailure] {
		s.stroke, s.width, s.dash, s.head, s.label.color, s.hit = colorRelease, 2.4, []float64{9, 4}, colorRelease, colorRelease, colorReleaseBg
	}
	if has["proto-f1ap"] || has["proto-ngap"] {
		s.stroke, s.width, s.head = colorF1AP, 1.3, colorF1AP
		s.label.color, s.weight, s.label.size = colorTime, 500, 12
	}
	if has["proto-ngap"] {
		s.stroke, s.head = colorNGAP, colorNGAP
	}
	if has["ciphered"] {
		s.stroke, s.dash, s.width = colorCiphered, []float64{1, 3}, 2
		s.label.color, s.weight, s.italic = colorMuted, 400, true
	}
	if has["unreadable"] {
		s.dash = []float64{2, 3}
		s.label.color, s.weight, s.italic = colorMuted, 400, true
	}
	s.label.face = faceFor(s.weight, s.italic)
	return s
}

// Arrow heads (web/templates/ladder.go).
const headLen, headHalf = 11, 5

// canvas draws in the diagram's px onto an image scale times as large.
type canvas struct {
	dc    *gg.Context
	im    *image.RGBA
	scale float64
	faces map[faceKey]font.Face
}

func newCanvas(width, height int, scale float64) (*canvas, error) {
	if _, err := loadFonts(); err != nil {
		return nil, err
	}
	dc := gg.NewContext(int(float64(width)*scale), int(float64(height)*scale))
	dc.SetLineCapButt()
	dc.SetLineJoinRound()
	im, ok := dc.Image().(*image.RGBA)
	if !ok {
		return nil, errors.New("canvas is not RGBA")
	}
	return &canvas{dc: dc, im: im, scale: scale, faces: map[faceKey]font.Face{}}, nil
}

func (c *canvas) fill(col color.Color) {
	c.dc.SetColor(col)
	c.dc.Clear()
}

func (c *canvas) rect(x, y, w, h, r float64, col color.Color) {
	s := c.scale
	c.dc.SetColor(col)
	if r > 0 {
		c.dc.DrawRoundedRectangle(x*s, y*s, w*s, h*s, r*s)
	} else {
		c.dc.DrawRectangle(x*s, y*s, w*s, h*s)
	}
	c.dc.Fill()
}

// polyline strokes the line through points (x, y, x, y, …).
func (c *canvas) polyline(col color.Color, width float64, dash []float64, points ...float64) {
	s := c.scale
	c.dc.SetColor(col)
	c.dc.SetLineWidth(width * s)
	scaled := make([]float64, len(dash))
	for i, v := range dash {
		scaled[i] = v * s
	}
	c.dc.SetDash(scaled...)
	c.dc.MoveTo(points[0]*s, points[1]*s)
	for i := 2; i+1 < len(points); i += 2 {
		c.dc.LineTo(points[i]*s, points[i+1]*s)
	}
	c.dc.Stroke()
	c.dc.SetDash()
}

// polygon fills the polygon through points (x, y, x, y, …).
func (c *canvas) polygon(col color.Color, points ...float64) {
	s := c.scale
	c.dc.SetColor(col)
	c.dc.MoveTo(points[0]*s, points[1]*s)
	for i := 2; i+1 < len(points); i += 2 {
		c.dc.LineTo(points[i]*s, points[i+1]*s)
	}
	c.dc.ClosePath()
	c.dc.Fill()
}

// Anchors of a text element (SVG text-anchor).
const (
	anchorStart = iota
	anchorMiddle
	anchorEnd
)

// width is how wide runs set, in the diagram's px.
func (c *canvas) width(runs ...run) float64 {
	w := 0.0
	for _, r := range runs {
		w += float64(font.MeasureString(c.face(r.style), r.text)) / 64 / c.scale
	}
	return w
}

// text sets runs on the baseline y, anchored at x.
func (c *canvas) text(x, y float64, anchor int, runs ...run) {
	switch anchor {
	case anchorMiddle:
		x -= c.width(runs...) / 2
	case anchorEnd:
		x -= c.width(runs...)
	}
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * c.scale * 64)), Y: fixed.Int26_6(math.Round(y * c.scale * 64))}
	for _, r := range runs {
		d := font.Drawer{Dst: c.im, Src: image.NewUniform(r.style.color), Face: c.face(r.style), Dot: dot}
		d.DrawString(r.text)
		dot = d.Dot
	}
}

// textUp sets text reading upwards from (x, y) (SVG rotate(-90 x y)).
func (c *canvas) textUp(x, y float64, r run) {
	s := c.scale
	c.dc.Push()
	c.dc.RotateAbout(-math.Pi/2, x*s, y*s)
	c.dc.SetFontFace(c.face(r.style))
	c.dc.SetColor(r.style.color)
	c.dc.DrawString(r.text, x*s, y*s)
	c.dc.Pop()
}

// fit cuts text with … until runs of it in style fit width.
func (c *canvas) fit(text string, style textStyle, width float64) string {
	if c.width(run{text, style}) <= width {
		return text
	}
	r := []rune(text)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; c.width(run{t, style}) <= width {
			return t
		}
	}
	return ""
}

// drawHeader draws the strip above the ladder: the trace name and the UE,
// the link, and whether the ladder is redacted.
func (c *canvas) drawHeader(meta Meta, width float64) {
	c.rect(0, 0, width, pngHeader, 0, colorHeaderBg)
	c.polyline(colorHeaderLine, 1, nil, 0, pngHeader-0.5, width, pngHeader-0.5)
	right := width - 10
	if meta.Redacted {
		mark := run{"REDACTED", textStyle{faceBold, 11, colorWhite}}
		w := c.width(mark) + 16
		c.rect(right-w, 12, w, 20, 4, colorFailure)
		c.text(right-w/2, 26, anchorMiddle, mark)
		right -= w + 12
	} else {
		mark := run{"not redacted", textStyle{faceRegular, 10.5, colorMuted}}
		c.text(right, 26, anchorEnd, mark)
		right -= c.width(mark) + 12
	}
	room := right - 10
	name := textStyle{faceBold, 13, colorInk}
	ue := textStyle{faceRegular, 12, colorTime}
	title := c.fit(oneLine(meta.TraceName), name, room*0.6)
	c.text(10, 18, anchorStart, run{title, name}, run{c.fit("  ·  "+oneLine(meta.ueText()), ue, room-c.width(run{title, name})), ue})
	link := textStyle{faceRegular, 11, colorAnswer}
	c.text(10, 35, anchorStart, run{c.fit(oneLine(meta.Link), link, room), link})
}

// drawDiagram draws the ladder as web/templates/ladder.templ does, top at
// y off.
func (c *canvas) drawDiagram(d ladder.Diagram, off float64) {
	y := func(v int) float64 { return float64(v) + off }
	for _, l := range d.Lanes {
		x := float64(l.X)
		c.polyline(colorLifeline, 1.5, []float64{4, 4}, x, y(d.LifelineTop), x, y(d.LifelineEnd))
		c.rect(x-48, y(8), 96, 30, 5, colorInk)
		c.text(x, y(28), anchorMiddle, run{oneLine(l.Name), textStyle{faceBold, 13, colorWhite}})
	}
	for _, b := range d.Bands {
		col := bandColors[""]
		for _, cl := range strings.Fields(b.Class) {
			if k, ok := strings.CutPrefix(cl, "band-"); ok {
				if v, ok := bandColors[k]; ok {
					col = v
				}
			}
		}
		col.A = 217 // opacity 0.85
		c.rect(float64(b.X), y(b.Y1), 7, float64(b.Y2-b.Y1), 3, col)
		if b.ShowLabel {
			c.textUp(float64(b.LabelX+7), y(b.LabelY), run{oneLine(b.Name), textStyle{faceRegular, 9, colorTime}})
		}
	}
	// Text stays right of the times column (the first lifeline stands 60 px
	// right of it) and inside the image.
	left := 0.0
	if len(d.Lanes) > 0 {
		left = float64(d.Lanes[0].X - 60)
	}
	for _, a := range d.Arrows {
		c.drawArrow(a, left, float64(d.Width), off)
	}
	for _, b := range d.Brackets {
		var dash []float64
		if strings.Contains(b.Class, "bracket-"+ladder.FailureNoResponse) {
			dash = []float64{3, 3}
		}
		x := float64(b.X)
		c.polyline(colorFailure, 1.5, dash, x, y(b.Y1), x+8, y(b.Y1), x+8, y(b.Y2), x, y(b.Y2))
		c.text(x+8, y(b.LabelY), anchorStart, run{oneLine(b.Label), textStyle{faceRegular, 11, colorFailure}})
	}
}

// drawArrow draws an arrow's row. Unlike the SVG, which lets a long label
// run over the times column and out of the picture, it cuts labels with …
// to fit between left and the right edge.
func (c *canvas) drawArrow(a ladder.Arrow, left, width, off float64) {
	st := styleOf(a.Class)
	y := float64(a.Y) + off
	if st.hit != nil {
		c.rect(2, y-30, width-4, 44, 4, st.hit)
	}
	c.text(10, y-2, anchorStart, run{a.RelTime, textStyle{faceRegular, 11.5, colorTime}})
	frame := []run{{a.FrameText, textStyle{faceRegular, 10.5, colorFaint}}}
	if a.Delta != "" {
		frame = append(frame, run{" · " + a.Delta, textStyle{faceRegular, 10.5, colorFaint}})
	}
	c.text(10, y+11, anchorStart, frame...)
	x1, x2 := float64(a.X1), float64(a.X2)
	base := x2 - headLen
	if x2 < x1 {
		base = x2 + headLen
	}
	c.polyline(st.stroke, st.width, st.dash, x1, y, base, y)
	c.polygon(st.head, x2, y, base, y-headHalf, base, y+headHalf)
	lx := float64(a.LabelX)
	room := 2 * max(0, min(lx-left, width-4-lx))
	label := []run{{oneLine(a.Label), st.label}}
	if a.TxID != "" {
		label = append(label, run{" (" + a.TxID + ")", textStyle{faceFor(400, st.italic), 11.5, colorMuted}})
	}
	c.text(lx, y-8, anchorMiddle, c.fitRuns(room, label)...)
	chan_ := []run{{oneLine(a.Channel), textStyle{faceRegular, 10.5, colorFaint}}}
	if a.Answer != "" {
		chan_ = append(chan_, run{" · " + a.Answer, textStyle{faceRegular, 10.5, colorAnswer}})
	}
	c.text(lx, y+13, anchorMiddle, c.fitRuns(room, chan_)...)
}

// fitRuns cuts the first run (the label; the txid or answer after it is
// kept) until all fit width.
func (c *canvas) fitRuns(width float64, runs []run) []run {
	if c.width(runs...) <= width {
		return runs
	}
	rest := c.width(runs[1:]...)
	out := append([]run(nil), runs...)
	out[0].text = c.fit(runs[0].text, runs[0].style, width-rest)
	return out
}
