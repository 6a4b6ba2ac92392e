package framing

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files and fuzz seeds in testdata")

// tsharkTraceArgs are PROVENANCE.md's options for the shared captures:
// user DLT 149 is UDP (then the mac_nr_udp heuristic), 152 is NGAP.
var tsharkTraceArgs = []string{
	"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`,
	"-o", `uat:user_dlts:"User 5 (DLT=152)","ngap","0","","0",""`,
	"--enable-heuristic", "mac_nr_udp",
	"--enable-heuristic", "rlc_nr_udp",
}

// frameCounts counts units per protocol and frame.
type frameCounts map[string]map[int]int

func (c frameCounts) add(proto string, frame, n int) {
	if c[proto] == nil {
		c[proto] = map[int]int{}
	}
	c[proto][frame] += n
}

func unitCounts(units []Unit) frameCounts {
	c := frameCounts{}
	for _, u := range units {
		c.add(u.Protocol, u.Frame, 1)
	}
	return c
}

// TestSharedTraces decodes every capture in ../shared/traces, compares the
// units per protocol and frame with what tshark finds in the same frames,
// and keeps the per-file counts in testdata/traces.golden.
func TestSharedTraces(t *testing.T) {
	dir, ok := sharedTraces()
	if !ok {
		t.Skip("SKIPPED: shared/traces not found above the package directory (set NRLADDER_SHARED): real-capture test NOT run")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
	if len(files) == 0 {
		t.Fatalf("no captures in %s", dir)
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Log("tshark not installed: shared traces checked against the golden file only, NOT against tshark")
	}
	var golden strings.Builder
	for _, file := range files {
		name := filepath.Base(file)
		units, warns, d := decodeAll(Options{}, readCapture(t, file))
		for _, w := range warns {
			t.Errorf("%s: %s", name, w.Error)
		}
		ours := unitCounts(units)
		fmt.Fprintf(&golden, "%s: %s\n", name, summary(ours, d.Stats()))
		if tshark == "" {
			continue
		}
		theirs := tsharkTraceCounts(t, tshark, file, tsharkTraceArgs)
		for _, proto := range slices.Sorted(maps.Keys(mergeKeys(ours, theirs))) {
			if diff := cmp.Diff(theirs[proto], ours[proto]); diff != "" {
				t.Errorf("%s: %s units per frame differ from tshark's (-tshark +ours):\n%s", name, proto, diff)
			}
		}
	}
	compareGolden(t, filepath.Join("testdata", "traces.golden"), golden.String())
}

func mergeKeys(a, b frameCounts) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// summary is one golden line: units and frames per protocol, then stats.
func summary(c frameCounts, s Stats) string {
	var parts []string
	for _, proto := range slices.Sorted(maps.Keys(c)) {
		n := 0
		for _, v := range c[proto] {
			n += v
		}
		parts = append(parts, fmt.Sprintf("%s %d in %d frames", proto, n, len(c[proto])))
	}
	if len(parts) == 0 {
		parts = append(parts, "no units")
	}
	return fmt.Sprintf("%d packets; %s; unknown %d, skipped %d, warnings %d", s.Packets, strings.Join(parts, ", "), s.Unknown, s.Skipped, s.Warnings)
}

// tsharkTraceCounts asks tshark what each frame of a capture carries:
// F1AP and NGAP PDUs (one procedureCode each), mac-nr and rlc-nr UDP
// framings, exported PDUs by dissector name, and the RRC channel of
// UERANSIM RLS PDU transmissions (from the UDP payload bytes tshark shows
// as data, tshark having no RLS dissector).
//
// Frames where a checksum tshark verified is wrong (only when the options
// ask it to verify them) count as "bad checksum".
func tsharkTraceCounts(t *testing.T, tshark, file string, opts []string) frameCounts {
	t.Helper()
	args := append([]string{"-n", "-r", file}, opts...)
	args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
		"-e", "frame.number", "-e", "frame.protocols", "-e", "f1ap.procedureCode", "-e", "ngap.procedureCode",
		"-e", "exported_pdu.prot_name", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "data.data",
		"-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "sctp.checksum.status")
	out := runTshark(t, tshark, args...)
	c := frameCounts{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 11 {
			continue
		}
		frame, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("tshark line %q", line)
		}
		protos, exported := ":"+f[1]+":", f[4]
		for _, status := range f[8:11] {
			if slices.Contains(strings.Split(status, ","), "0") {
				c.add("bad checksum", frame, 1)
			}
		}
		switch {
		case exported != "" && exported != "udp":
			c.add(exported, frame, 1)
			continue
		case strings.Contains(protos, ":udp:mac-nr:"):
			c.add(ProtocolMACNR, frame, 1)
		case strings.Contains(protos, ":udp:rlc-nr:"):
			c.add(ProtocolRLCNR, frame, 1)
		}
		if f[2] != "" {
			c.add(ProtocolF1AP, frame, strings.Count(f[2], ",")+1)
		}
		if f[3] != "" {
			c.add(ProtocolNGAP, frame, strings.Count(f[3], ",")+1)
		}
		if (f[5] == "4997" || f[6] == "4997") && f[7] != "" {
			if ch := rlsChannelOf(f[7]); ch != "" {
				c.add(ch, frame, 1)
			}
		}
	}
	return c
}

// rlsChannelOf reads the RRC channel of an RLS PDU transmission from its
// hex bytes: magic 3, message type 6 at byte 4, PDU type 1 at byte 13,
// channel at byte 18.
func rlsChannelOf(hexData string) string {
	b, err := hex.DecodeString(hexData)
	if err != nil || len(b) < 26 || b[0] != 3 || b[4] != 6 || b[13] != 1 {
		return ""
	}
	ch := binary.BigEndian.Uint32(b[18:])
	if ch >= uint32(len(rlsChannels)) {
		return ""
	}
	return rlsChannels[ch]
}

func runTshark(t testing.TB, tshark string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// compareGolden compares got with a golden file, or rewrites the file
// with -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}
