package framing

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/capture"
)

// unitView is what the table tests compare of a Unit.
type unitView struct {
	Frame, FirstFrame int
	Transport         string
	Src, Dst          string
	PPID              uint32
	Stream            uint16
	Protocol          string
	Carrier           string
	IPFragments       int
	SCTPFragments     int
	Payload           []byte
}

func view(u Unit) unitView {
	v := unitView{
		Frame:         u.Frame,
		FirstFrame:    u.Detail.FirstFrame,
		Transport:     u.Transport.String(),
		PPID:          u.PPID,
		Stream:        u.Stream,
		Protocol:      u.Protocol,
		Carrier:       u.Detail.Carrier.String(),
		IPFragments:   u.Detail.IPFragments,
		SCTPFragments: u.Detail.SCTP.Fragments,
		Payload:       u.Payload,
	}
	if u.Transport != Raw {
		v.Src, v.Dst = u.Src.String(), u.Dst.String()
	}
	return v
}

func views(us []Unit) []unitView {
	var out []unitView
	for _, u := range us {
		out = append(out, view(u))
	}
	return out
}

// decodeAll runs the packets through a new Decoder and flushes it.
func decodeAll(opts Options, pkts []capture.Packet) ([]Unit, []Warning, *Decoder) {
	d := NewDecoder(opts)
	var units []Unit
	var warns []Warning
	for _, p := range pkts {
		us, ws := d.Packet(p)
		units = append(units, us...)
		warns = append(warns, ws...)
	}
	warns = append(warns, d.Flush()...)
	return units, warns, d
}

func warningTexts(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Error)
	}
	return out
}

// formatUnit is the golden-file form of a unit.
func formatUnit(u Unit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "frame %d", u.Frame)
	if u.Detail.FirstFrame != u.Frame {
		fmt.Fprintf(&b, " (from %d)", u.Detail.FirstFrame)
	}
	fmt.Fprintf(&b, " %s", u.Transport)
	if u.Transport != Raw {
		fmt.Fprintf(&b, " %s → %s", u.Src, u.Dst)
	}
	if u.Transport == SCTP {
		s := u.Detail.SCTP
		fmt.Fprintf(&b, " ppid %d stream %d tsn %d", u.PPID, u.Stream, s.TSN)
		if s.Fragments > 0 {
			fmt.Fprintf(&b, " in %d chunks", s.Fragments)
		}
	}
	if u.Detail.IPFragments > 0 {
		fmt.Fprintf(&b, " ip fragments %d", u.Detail.IPFragments)
	}
	if c := u.Detail.Carrier; c != CarrierNone {
		fmt.Fprintf(&b, " via %s", c)
	}
	fmt.Fprintf(&b, " %q %d bytes: %x", u.Protocol, len(u.Payload), u.Payload)
	return b.String()
}

// readCapture reads every packet of a capture file.
func readCapture(t testing.TB, path string) []capture.Packet {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readPackets(t, f)
}

func readPackets(t testing.TB, r io.Reader) []capture.Packet {
	t.Helper()
	cr, err := capture.NewReader(r, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pkts []capture.Packet
	for {
		p, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return pkts
		}
		if err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, p)
	}
}

// sharedTraces finds shared/traces beside the repository (walking up from
// the package directory), or $NRLADDER_SHARED/traces.
func sharedTraces() (string, bool) {
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		d = filepath.Join(d, "traces")
		st, err := os.Stat(d)
		return d, err == nil && st.IsDir()
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for range 8 {
		d := filepath.Join(dir, "shared", "traces")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}
