package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/capturetest"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic, never
// report an internal error (pcapgo refusing or misreading what the framer
// let through), keep its limits, number frames upwards, and read a gzip'd
// copy of the input the same way.
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, name := range seeds {
		if strings.HasSuffix(name, ".golden") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	n := newNG(false)
	f.Add(n.shb().idb(1, 0, n.opt(optTSResol, []byte{0xbf}), n.opt(optTSOffset, make([]byte, 8)), n.end()).epb(0, 1<<62, seq(9, 0), 20).bytes())
	f.Add(newNG(true).shb().idb(276, 8).spb(100, seq(8, 0)).isb(0).bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := Options{MaxPackets: 2000, MaxExpanded: 1 << 20, MaxPacketLen: 1 << 16}
		pkts, err := fuzzRead(t, b, opts)
		if len(b) > 1<<16 || bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			return // gzip inside gzip is not a capture
		}
		gzPkts, gzErr := fuzzRead(t, capturetest.Gzip(b), opts)
		if diff := cmp.Diff(pkts, gzPkts, normalise); diff != "" {
			t.Errorf("gzip'd copy reads differently (-plain +gzip):\n%s", diff)
		}
		if (err == io.EOF) != (gzErr == io.EOF) || errors.Is(err, ErrLimit) != errors.Is(gzErr, ErrLimit) {
			t.Errorf("plain ends with %v; gzip'd with %v", err, gzErr)
		}
	})
}

func fuzzRead(t *testing.T, b []byte, opts Options) ([]Packet, error) {
	r, err := NewReader(bytes.NewReader(b), opts)
	if err != nil {
		checkFuzzErr(t, err)
		return nil, err
	}
	var pkts []Packet
	for {
		p, err := r.Next()
		if err != nil {
			if err != io.EOF {
				checkFuzzErr(t, err)
			}
			if _, again := r.Next(); again != err {
				t.Fatalf("Next after %v returned %v", err, again)
			}
			lts := r.LinkTypes()
			if !slices.IsSorted(lts) || len(slices.Compact(slices.Clone(lts))) != len(lts) {
				t.Errorf("LinkTypes %v not sorted and unique", lts)
			}
			return pkts, err
		}
		if len(pkts) > 0 && p.Frame <= pkts[len(pkts)-1].Frame || p.Frame < 1 || p.Frame > opts.MaxPackets {
			t.Fatalf("frame %d after %d packets", p.Frame, len(pkts))
		}
		if len(p.Data) > opts.MaxPacketLen {
			t.Fatalf("packet %d: %d bytes", p.Frame, len(p.Data))
		}
		if p.Time.Location() != time.UTC {
			t.Fatalf("packet %d: time not UTC", p.Frame)
		}
		if r.Format() == "pcap" && p.LinkType != r.LinkTypes()[0] {
			t.Fatalf("packet %d: link type %d in a pcap of %v", p.Frame, p.LinkType, r.LinkTypes())
		}
		pkts = append(pkts, p)
	}
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.HasPrefix(msg, "capture: ") || strings.Contains(msg, "internal error") {
		t.Fatalf("error %q", msg)
	}
}
