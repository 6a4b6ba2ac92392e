package parse

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// render prints a result one line per event, for golden files.
func render(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format=%s compressed=%v linktypes=%v packets=%d\n", res.Format, res.Compressed, res.LinkTypes, res.Packets)
	for _, e := range res.Events {
		dir := "DL"
		if e.Uplink {
			dir = "UL"
		}
		fmt.Fprintf(&b, "frame %d %s %s %s %s txid=%d alt=%s pdu=%x", e.Frame, e.Time.Format(time.RFC3339Nano), dir, e.Channel, e.Message, e.TxID, e.Alt, e.PDU)
		if e.Error != "" {
			fmt.Fprintf(&b, " error=%q", e.Error)
		}
		b.WriteString("\n")
		if len(e.ASN1) > 0 {
			fmt.Fprintf(&b, "  asn1 %s\n", e.ASN1)
		}
		if e.DecodeError != "" {
			fmt.Fprintf(&b, "  decode error %s\n", e.DecodeError)
		}
		for _, n := range e.NAS {
			fmt.Fprintf(&b, "  nas %q header=%d ciphered=%v error=%q\n", n.Summary, n.SecurityHeader, n.Ciphered, n.Error)
		}
		if e.Algorithms != nil {
			fmt.Fprintf(&b, "  algorithms %s %s\n", e.Algorithms.Ciphering, e.Algorithms.Integrity)
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning frame %d %s: %s\n", w.Frame, w.Layer, w.Error)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(&b, "skipped %s: %d packets, frames %d-%d\n", s.What, s.Packets, s.FirstFrame, s.LastFrame)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

// mixed is an exported-PDU capture with every channel, padded and unpadded
// dissector names, other dissectors and an undecodable PDU.
func mixed() []capturetest.Packet {
	at := func(ms int) time.Time { return tracetest.Start.Add(time.Duration(ms) * time.Millisecond) }
	pkt := func(ms int, data []byte) capturetest.Packet {
		return capturetest.Packet{Time: at(ms), LinkType: capturetest.LinkTypeExportedPDU, Data: data}
	}
	return []capturetest.Packet{
		pkt(0, capturetest.ExportedPDU("nr-rrc.bcch.bch", rrctest.MIB(rrctest.MIBFields{}))),
		pkt(1, capturetest.ExportedPDUPadded("nr-rrc.ul.ccch", rrctest.RRCSetupRequest(0x1234, 3))),
		pkt(2, capturetest.ExportedPDU("nr-rrc.dl.ccch", rrctest.RRCSetup(0))),
		pkt(3, capturetest.ExportedPDU("ngap", []byte{0x00, 0x0f})),
		pkt(4, capturetest.ExportedPDU("nr-rrc.ul.dcch", rrctest.RRCSetupComplete(0, []byte{0x7e, 0x00, 0x41}))),
		pkt(5, capturetest.ExportedPDUPadded("nr-rrc.dl.dcch", rrctest.SecurityModeCommand(1, 2, 2))),
		pkt(6, capturetest.ExportedPDU("nr-rrc.ul.dcch", rrctest.SecurityModeFailure(1))),
		pkt(7, capturetest.ExportedPDU("nr-rrc.dl.dcch", rrctest.RRCRelease(2))),
		pkt(8, capturetest.ExportedPDU("nr-rrc.pcch", rrctest.Paging(0x123456789a))),
		pkt(9, capturetest.ExportedPDU("nr-rrc.ul.ccch1", rrctest.RRCResumeRequest1(0xabcdef, 0x1234, 2))),
		pkt(10, capturetest.ExportedPDU("nr-rrc.ul.dcch", nil)),
		pkt(11, capturetest.ExportedPDU("ngap", []byte{0x00, 0x0f})),
		pkt(12, []byte{0x00, 0x0c, 0x00, 0xff}),
		pkt(13, capturetest.ExportedPDU("nr-rrc.rrc_reconf", []byte{0x00})),
	}
}

func TestTraceGolden(t *testing.T) {
	tests := []struct {
		name string
		file []byte
	}{
		{"smf-pcap", tracetest.Pcap(tracetest.SecurityModeFailure())},
		{"mixed-pcap", capturetest.File{Format: capturetest.Pcap, LinkType: 252, Packets: mixed()}.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Trace(bytes.NewReader(tt.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, render(res))
		})
	}
}

// Every container variant gives the same events.
func TestContainers(t *testing.T) {
	steps := tracetest.SecurityModeFailure()
	want, err := Trace(bytes.NewReader(tracetest.Pcap(steps)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]capturetest.File{
		"pcap BE":    {Format: capturetest.Pcap, BigEndian: true},
		"pcap ns LE": {Format: capturetest.PcapNano},
		"pcap ns BE": {Format: capturetest.PcapNano, BigEndian: true},
		"pcapng":     {Format: capturetest.Pcapng},
		"pcapng BE":  {Format: capturetest.Pcapng, BigEndian: true},
	}
	for name, f := range files {
		t.Run(name, func(t *testing.T) {
			f.LinkType = 252
			for _, s := range steps {
				f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start.Add(s.At), LinkType: 252, Data: capturetest.ExportedPDU(s.Channel.Dissector(), s.PDU)})
			}
			for _, gz := range []bool{false, true} {
				b := f.Bytes()
				if gz {
					b = capturetest.Gzip(b)
				}
				got, err := Trace(bytes.NewReader(b), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got.Compressed != gz {
					t.Errorf("Compressed = %v, want %v", got.Compressed, gz)
				}
				if diff := cmp.Diff(want.Events, got.Events); diff != "" {
					t.Errorf("gzip=%v events (-want +got):\n%s", gz, diff)
				}
			}
		})
	}
}

// A pcapng with an exported-PDU interface and an Ethernet one: the RRC is
// read, the Ethernet packets counted and reported.
func TestSeveralInterfaces(t *testing.T) {
	f := capturetest.File{Format: capturetest.Pcapng}
	for i, s := range tracetest.SecurityModeFailure() {
		f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start.Add(s.At), LinkType: 252, Data: capturetest.ExportedPDU(s.Channel.Dissector(), s.PDU)})
		if i%3 == 0 {
			f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start.Add(s.At), LinkType: 105, Data: make([]byte, 64)})
		}
	}
	res, err := Trace(bytes.NewReader(f.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 8 || !cmp.Equal(res.LinkTypes, []uint32{105, 252}) {
		t.Errorf("events %d, link types %v", len(res.Events), res.LinkTypes)
	}
	want := []Skipped{{What: "link type 105", Why: "not supported yet", Packets: 3, FirstFrame: 2, LastFrame: 10}}
	if diff := cmp.Diff(want, res.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Frame != 2 {
		t.Errorf("warnings = %+v", res.Warnings)
	}
}

func TestUnreadable(t *testing.T) {
	eth := capturetest.File{Format: capturetest.Pcap, LinkType: 1, Packets: []capturetest.Packet{{Time: tracetest.Start, Data: make([]byte, 60)}}}.Bytes()
	wifi := capturetest.File{Format: capturetest.Pcap, LinkType: 105, Packets: []capturetest.Packet{{Time: tracetest.Start, Data: make([]byte, 60)}}}.Bytes()
	ngapOnly := capturetest.File{Format: capturetest.Pcap, LinkType: 252, Packets: []capturetest.Packet{
		{Time: tracetest.Start, Data: capturetest.ExportedPDU("ngap", []byte{0})},
		{Time: tracetest.Start, Data: capturetest.ExportedPDU("ngap", []byte{0})},
	}}.Bytes()
	smf := tracetest.Pcap(tracetest.SecurityModeFailure())
	tests := []struct {
		name string
		in   []byte
		want string
		is   error
	}{
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), "not a pcap or pcapng file", ErrNotCapture},
		{"ethernet without signalling", eth, "no NR RRC, F1AP or NGAP messages in 1 packet: packets without signalling (ARP, TCP, SCTP control, …): not signalling (1 packet)", nil},
		{"unsupported link type", wifi, "no NR RRC, F1AP or NGAP messages in 1 packet: link type 105: not supported yet (1 packet)", nil},
		{"broken ngap only", ngapOnly, "no NR RRC, F1AP or NGAP messages in 2 packets; 2 problems, the first in frame 1: ngap: frame 1: ngap: ", nil},
		{"header only", smf[:24], "the capture holds no packets", nil},
		{"cut in packet 1", smf[:30], "file ends inside packet 1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Trace(bytes.NewReader(tt.in), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to say %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

// A capture cut in the middle keeps what came before, with a warning.
func TestTruncatedKeepsEvents(t *testing.T) {
	b := tracetest.Pcap(tracetest.SecurityModeFailure())
	res, err := Trace(bytes.NewReader(b[:len(b)-3]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 7 {
		t.Errorf("%d events, want 7", len(res.Events))
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Frame != 8 || !strings.Contains(res.Warnings[0].Error, "file ends inside packet 8") {
		t.Errorf("warnings = %+v", res.Warnings)
	}
}

func TestWarningLimit(t *testing.T) {
	f := capturetest.File{Format: capturetest.Pcap, LinkType: 252}
	f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start, Data: capturetest.ExportedPDU("nr-rrc.ul.dcch", rrctest.SecurityModeFailure(0))})
	for i := 0; i < 50; i++ {
		f.Packets = append(f.Packets, capturetest.Packet{Time: tracetest.Start, Data: []byte{0, 12, 0, 99}})
	}
	res, err := Trace(bytes.NewReader(f.Bytes()), Options{MaxWarnings: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 10 || res.WarningsDropped != 40 {
		t.Errorf("warnings %d dropped %d, want 10 and 40", len(res.Warnings), res.WarningsDropped)
	}
}

func FuzzTrace(f *testing.F) {
	// Seeds: testdata/fuzz/FuzzTrace (see TestFuzzSeedFiles).
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Trace(bytes.NewReader(b), Options{Capture: captureLimits})
		if err != nil {
			return
		}
		for _, e := range res.Events {
			if e.Frame < 1 || e.Frame > res.Packets || e.Protocol == "NR-RRC" && e.Channel == rrc.ChannelUnknown || e.Protocol == "" {
				t.Fatalf("bad event %+v (packets %d)", e, res.Packets)
			}
		}
	})
}

func BenchmarkTrace(b *testing.B) {
	file := tracetest.Pcap(tracetest.Repeat(1000)) // 9 200 messages
	res, err := Trace(bytes.NewReader(file), Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := len(res.Events)
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := Trace(bytes.NewReader(file), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// captureLimits keep fuzzing fast: small inputs cannot hide large work.
var captureLimits = capture.Options{MaxPackets: 10000, MaxExpanded: 1 << 20}

// BenchmarkTraceFile parses the capture named by $NRLADDER_BENCH_FILE
// (scripts/bench.sh sets it, to time tshark on the same file).
func BenchmarkTraceFile(b *testing.B) {
	path := os.Getenv("NRLADDER_BENCH_FILE")
	if path == "" {
		b.Skip("NRLADDER_BENCH_FILE not set")
	}
	file, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	res, err := Trace(bytes.NewReader(file), Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := len(res.Events)
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := Trace(bytes.NewReader(file), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(n), "msgs")
}

// A capture beyond a limit is refused, not cut.
func TestLimit(t *testing.T) {
	_, err := Trace(bytes.NewReader(tracetest.Pcap(tracetest.Normal())), Options{Capture: capture.Options{MaxPackets: 5}})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("error = %v, want ErrLimit", err)
	}
}
