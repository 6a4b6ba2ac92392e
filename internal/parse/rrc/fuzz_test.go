package rrc_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

var update = flag.Bool("update", false, "rewrite the seed files in testdata/fuzz/FuzzClassify from the rrctest builders")

// FuzzClassify feeds arbitrary bytes on every channel (and on invalid
// channel values). Classify must not panic, must fail with a zero Message
// and an *rrc.Error, and on success must name the message from its first
// Bits bits alone.
func FuzzClassify(f *testing.F) {
	for _, b := range builders() {
		f.Add(uint8(b.ch), b.pdu)
	}
	for _, ch := range rrc.Channels() {
		for _, p := range rrctest.Paths(ch) {
			f.Add(uint8(ch), rrctest.Header(ch, p, []byte{0xff}))
		}
	}
	f.Add(uint8(rrc.ULDCCH), []byte{})
	f.Add(uint8(0), []byte{0})
	f.Add(uint8(200), []byte{0})
	// testdata/fuzz/FuzzClassify holds the builders' encodings as seed
	// files; the shared vectors are added when they are present.
	if _, ok := rrctest.SharedDir(); ok {
		for _, v := range rrctest.Vectors(f) {
			if ch, ok := rrc.ChannelFromName(v.Channel); ok && v.RAT == "nr" {
				if pdu, err := v.PDU(); err == nil {
					f.Add(uint8(ch), pdu)
				}
			}
		}
	}

	f.Fuzz(func(t *testing.T, c uint8, pdu []byte) {
		ch := rrc.Channel(c)
		m, err := rrc.Classify(ch, pdu)
		if err != nil {
			var re *rrc.Error
			if !errors.As(err, &re) || re.Channel != ch {
				t.Fatalf("error %v (%T) is not an *rrc.Error for %v", err, err, ch)
			}
			if m != (rrc.Message{}) {
				t.Fatalf("Message on error = %+v, want zero", m)
			}
			if !strings.HasPrefix(err.Error(), "rrc: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		switch {
		case m.Channel != ch:
			t.Fatalf("Channel = %v, want %v", m.Channel, ch)
		case m.Bits < 1 || m.Bits > 8*len(pdu) || m.Bits > 8:
			t.Fatalf("Bits = %d for %d octets", m.Bits, len(pdu))
		case m.Name == "" || m.Alt == "" || !strings.HasSuffix(m.Path, m.Alt):
			t.Fatalf("names %q %q %q", m.Name, m.Alt, m.Path)
		case m.TxID < -1 || m.TxID > 3:
			t.Fatalf("TxID = %d", m.TxID)
		case m.Spare != strings.HasPrefix(m.Alt, "spare"):
			t.Fatalf("Spare = %v for %q", m.Spare, m.Alt)
		}
		// Only the first Bits bits count: cut the PDU after them and
		// invert everything that follows.
		n := (m.Bits + 7) / 8
		other := append([]byte(nil), pdu[:n]...)
		if rest := m.Bits % 8; rest != 0 {
			other[n-1] ^= byte(0xff >> rest)
		}
		for _, p := range [][]byte{pdu[:n], other} {
			if m2, err := rrc.Classify(ch, p); err != nil || m2 != m {
				t.Fatalf("Classify(% x) = %+v, %v; Classify(% x) = %+v", pdu, m, err, p, m2)
			}
		}
	})
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzClassify and FuzzDecode equal to the
// encodings of the rrctest builders (one seed file each), so that the fuzz
// corpus in the repository is built by the project's own code. Run with
// -update to rewrite the files.
func TestFuzzSeedFiles(t *testing.T) {
	for _, target := range []string{"FuzzClassify", "FuzzDecode"} {
		t.Run(target, func(t *testing.T) { checkSeedFiles(t, filepath.Join("testdata", "fuzz", target)) })
	}
}

// checkSeedFiles keeps one corpus directory equal to the builders' encodings.
func checkSeedFiles(t *testing.T, dir string) {
	want := map[string]string{}
	unsafe := regexp.MustCompile(`[^A-Za-z0-9]+`)
	for _, b := range builders() {
		name := "builder-" + strings.Trim(unsafe.ReplaceAllString(b.name, "-"), "-")
		want[name] = fmt.Sprintf("go test fuzz v1\nuint8(%d)\n[]byte(%q)\n", b.ch, b.pdu)
	}
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("seed file missing (run go test -run TestFuzzSeedFiles -update): %v", err)
			continue
		}
		if string(got) != content {
			t.Errorf("%s is stale (run go test -run TestFuzzSeedFiles -update):\n got %q\nwant %q", name, got, content)
		}
	}
}
