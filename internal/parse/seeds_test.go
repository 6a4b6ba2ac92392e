package parse

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// seedCaptures are the fuzz seeds kept in testdata/fuzz/FuzzTrace.
func seedCaptures() map[string][]byte {
	smf := tracetest.SecurityModeFailure()
	return map[string][]byte{
		"smf-pcap":       tracetest.Pcap(smf),
		"smf-pcap-nano":  tracetest.File(capturetest.PcapNano, smf),
		"smf-pcapng":     tracetest.File(capturetest.Pcapng, smf),
		"normal-pcap-gz": capturetest.Gzip(tracetest.Pcap(tracetest.Normal())),
		"mixed-pcapng":   capturetest.File{Format: capturetest.Pcapng, Packets: mixed()}.Bytes(),
		"mixed-pcap-be":  capturetest.File{Format: capturetest.Pcap, BigEndian: true, LinkType: 252, Packets: mixed()}.Bytes(),
		"smf-pcap-cut":   tracetest.Pcap(smf)[:100],
	}
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzTrace equal to seedCaptures;
// run with -update to rewrite it.
func TestFuzzSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzTrace")
	for name, b := range seedCaptures() {
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		p := filepath.Join(dir, name)
		if *update {
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run go test ./internal/parse -run TestFuzzSeedFiles -update", p)
		}
	}
}
