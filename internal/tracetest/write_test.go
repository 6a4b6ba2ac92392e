package tracetest

import (
	"flag"
	"os"
	"testing"

	"github.com/nrladder/nrladder/internal/capturetest"
)

var (
	writePath   = flag.String("write", "", "write a generated capture to this path (used by scripts/bench.sh)")
	writeConns  = flag.Int("connections", 1000, "connections in the generated capture (about 9.2 messages each)")
	writeFormat = flag.String("format", "pcap", "pcap or pcapng")
)

// TestWrite writes a generated capture when -write is given; otherwise it
// checks the generators' message counts.
func TestWrite(t *testing.T) {
	if *writePath == "" {
		if n := len(Repeat(10)); n != 9*10+8 {
			t.Errorf("Repeat(10) has %d steps, want 98", n)
		}
		return
	}
	format := capturetest.Pcap
	if *writeFormat == "pcapng" {
		format = capturetest.Pcapng
	}
	if err := os.WriteFile(*writePath, File(format, Repeat(*writeConns)), 0o644); err != nil {
		t.Fatal(err)
	}
}
