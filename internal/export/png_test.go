package export

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/ladder"
)

var pngOut = flag.String("png-out", "", "write the test PNGs to this directory, to look at them")

func layoutOf(fx fixture) ladder.Diagram {
	return ladder.Layout(fx.msgs, lanesOf(fx.meta, fx.msgs), fx.meta.start(fx.msgs), fx.meta.Failures, fx.procs, nil)
}

func renderPNG(t *testing.T, name string, d ladder.Diagram, meta Meta) image.Image {
	t.Helper()
	var b bytes.Buffer
	if err := PNG(&b, d, meta); err != nil {
		t.Fatal(err)
	}
	if *pngOut != "" {
		if err := os.WriteFile(filepath.Join(*pngOut, name+".png"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// at is the colour of the image at (x, y) in the diagram's px, y counted
// from the diagram's top (below the header strip).
func at(im image.Image, scale int, x, y float64) color.NRGBA {
	return color.NRGBAModel.Convert(im.At(int(x*float64(scale)), int((y+pngHeader)*float64(scale)))).(color.NRGBA)
}

func near(a, b color.NRGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= 8 && d(a.G, b.G) <= 8 && d(a.B, b.B) <= 8 && d(a.A, b.A) <= 8
}

func TestPNG(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			d := layoutOf(fx)
			im := renderPNG(t, fx.name, d, fx.meta)
			const scale = 2 // small diagrams are drawn at 2x
			if got, want := im.Bounds().Size(), image.Pt(d.Width*scale, (d.Height+pngHeader)*scale); got != want {
				t.Fatalf("size %v, want %v", got, want)
			}
			// White background: the bottom corners, below the lifelines.
			for _, x := range []float64{1, float64(d.Width) - 2} {
				if c := at(im, scale, x, float64(d.Height)-2); c != colorWhite {
					t.Errorf("background at (%v, bottom) is %v, want white", x, c)
				}
			}
			// Lane boxes are dark, their lifelines grey.
			for _, l := range d.Lanes {
				if c := at(im, scale, float64(l.X)-40, 12); c != colorInk {
					t.Errorf("lane box of %s is %v, want %v", l.Name, c, colorInk)
				}
			}
			// The header strip, and the REDACTED mark when redacted.
			if c := color.NRGBAModel.Convert(im.At(4, 4)).(color.NRGBA); c != colorHeaderBg {
				t.Errorf("header strip is %v, want %v", c, colorHeaderBg)
			}
			red := 0
			for x := im.Bounds().Dx() - 2*scale*40; x < im.Bounds().Dx(); x++ {
				if color.NRGBAModel.Convert(im.At(x, 14*scale)).(color.NRGBA) == colorFailure {
					red++
				}
			}
			if fx.meta.Redacted != (red > 0) {
				t.Errorf("redacted %v, but %d px of the red REDACTED mark", fx.meta.Redacted, red)
			}
			for _, a := range d.Arrows {
				x := float64(a.X1) - 20
				if a.X1 < a.X2 {
					x = float64(a.X1) + 20
				}
				c := at(im, scale, x, float64(a.Y))
				switch {
				case a.Role == ladder.RoleSMF || a.Role == ladder.RoleSMCFailed:
					// The failure red on the failure branch's arrows, on
					// their row's pink.
					if c != colorFailure {
						t.Errorf("%s arrow at y %d is %v, want the failure red %v", a.Label, a.Y, c, colorFailure)
					}
					if bg := at(im, scale, float64(d.Width)-6, float64(a.Y)); bg != colorFailureBg {
						t.Errorf("%s row background %v, want %v", a.Label, bg, colorFailureBg)
					}
				case a.Role == ladder.RoleReleaseAfterFailure && strings.Contains(a.Class, "proto-nr-rrc"):
					if c != colorRelease {
						t.Errorf("%s arrow is %v, want the release amber %v", a.Label, c, colorRelease)
					}
				case strings.Contains(a.Class, "proto-ngap"):
					if c != colorNGAP {
						t.Errorf("%s arrow is %v, want %v", a.Label, c, colorNGAP)
					}
				case strings.Contains(a.Class, "proto-f1ap"):
					if !near(c, colorF1AP) { // 1.3 px wide: its edge rows are blended
						t.Errorf("%s arrow is %v, want %v", a.Label, c, colorF1AP)
					}
				}
			}
		})
	}
}

// TestPNGStyles checks the cascade of the ladder's CSS on a few arrows.
func TestPNGStyles(t *testing.T) {
	for _, tt := range []struct {
		class  string
		stroke color.Color
		width  float64
		dashed bool
		label  color.Color
		face   faceName
	}{
		{"msg ul proto-nr-rrc", colorArrow, 1.6, false, colorInk, faceBold},
		{"msg ul proto-nr-rrc role-smf", colorFailure, 2.8, false, colorFailure, faceBold},
		{"msg dl proto-nr-rrc role-release-after-failure", colorRelease, 2.4, true, colorRelease, faceBold},
		{"msg dl proto-f1ap role-release-after-failure", colorF1AP, 1.3, true, colorTime, faceMedium},
		{"msg dl proto-ngap", colorNGAP, 1.3, false, colorTime, faceMedium},
		{"msg dl proto-nr-rrc ciphered", colorCiphered, 2, true, colorMuted, faceItalic},
		{"msg dl proto-nr-rrc unreadable", colorArrow, 1.6, true, colorMuted, faceItalic},
	} {
		s := styleOf(tt.class)
		if s.stroke != tt.stroke || s.width != tt.width || (s.dash != nil) != tt.dashed || s.label.color != tt.label || s.label.face != tt.face {
			t.Errorf("styleOf(%q) = %+v", tt.class, s)
		}
	}
}

func TestPNGTooTall(t *testing.T) {
	fx := twoLanes()
	// A few thousand rows: far past the limit.
	var msgs []ladder.Message
	for i := range 2500 {
		m := fx.msgs[i%len(fx.msgs)]
		m.Seq, m.UESeq, m.Frame = i, i, i+1
		m.Time = ladder.Time{Time: t0.Add(time.Duration(i) * time.Millisecond)}
		m.ResponseTo, m.ResponseMs = nil, nil
		msgs = append(msgs, m)
	}
	d := ladder.Layout(msgs, []string{ue, gnb}, fx.meta.Start, nil, nil, nil)
	var b bytes.Buffer
	err := PNG(&b, d, fx.meta)
	if !errors.Is(err, ErrTooTall) {
		t.Fatalf("PNG of %d px: %v, want ErrTooTall", d.Height, err)
	}
	if b.Len() != 0 {
		t.Errorf("%d bytes written with the error", b.Len())
	}
	t.Log(err)
	// The longest range it names fits; one more message does not.
	fit := 0
	for n := 600; n < 800; n++ {
		d := ladder.Layout(msgs[:n], []string{ue, gnb}, fx.meta.Start, nil, nil, nil)
		if d.Height+pngHeader > MaxPNGHeight {
			break
		}
		fit = n
	}
	if want := "at most " + strconv.Itoa(fit) + " messages"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to say %q", err, want)
	}
	// Past 2x, the PNG is drawn at 1x. (Drawing the tallest PNG takes a
	// second or two.)
	if testing.Short() {
		return
	}
	d = ladder.Layout(msgs[:fit], []string{ue, gnb}, fx.meta.Start, nil, nil, nil)
	im := renderPNG(t, "tallest", d, fx.meta)
	if got, want := im.Bounds().Size(), image.Pt(d.Width, d.Height+pngHeader); got != want {
		t.Errorf("tallest PNG is %v, want %v (1x)", got, want)
	}
}

func BenchmarkPNG(b *testing.B) {
	fx := fourLanes()
	d := layoutOf(fx)
	b.ReportAllocs()
	for b.Loop() {
		if err := PNG(&bytes.Buffer{}, d, fx.meta); err != nil {
			b.Fatal(err)
		}
	}
}
