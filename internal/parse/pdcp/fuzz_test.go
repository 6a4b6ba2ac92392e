package pdcp_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/pdcp"
)

var update = flag.Bool("update", false, "rewrite the fuzz seed files in testdata/fuzz")

func seeds() map[string][]byte {
	return map[string][]byte{
		"srb-sn6":      mactest.PDCPSRB(6, []byte{0x22, 0x80, 0x00}, nil),
		"srb-sn4095":   mactest.PDCPSRB(4095, []byte{0x10, 0x00}, []byte{1, 2, 3, 4}),
		"header-only":  {0x00, 0x01},
		"drb-data-pdu": {0x80, 0x01, 1, 0, 0, 0, 0},
		"empty":        {},
	}
}

// FuzzParseSRB: ParseSRB never panics; on success the payload and MAC-I
// partition the input after the header and the SN is the header's.
func FuzzParseSRB(f *testing.F) {
	for _, b := range seeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := pdcp.ParseSRB(b)
		if err != nil {
			var pe *pdcp.Error
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "pdcp: ") {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		if len(p.MACI) != 4 || len(p.Payload) == 0 || 2+len(p.Payload)+4 != len(b) {
			t.Fatalf("%d bytes parsed as payload %d + mac-i %d", len(b), len(p.Payload), len(p.MACI))
		}
		if !bytes.Equal(b[2:len(b)-4], p.Payload) || p.SN != int(b[0]&15)<<8|int(b[1]) {
			t.Fatalf("payload or sn wrong: %+v", p)
		}
		if again := mactest.PDCPSRB(p.SN, p.Payload, p.MACI); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding %x, input %x", again, b)
		}
	})
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzParseSRB equal to seeds()
// (built by mactest); run with -update to rewrite it.
func TestFuzzSeedFiles(t *testing.T) {
	checkSeeds(t, "FuzzParseSRB", seeds())
}

func checkSeeds(t *testing.T, target string, seeds map[string][]byte) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range seeds {
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		p := filepath.Join(dir, name)
		if *update {
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run go test -run TestFuzzSeedFiles -update", p)
		}
	}
}
