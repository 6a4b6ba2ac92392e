package framing

import (
	"bytes"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	ft "github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// tsharkBuiltArgs map the user DLTs of the built captures as srsRAN uses
// them (149 UDP framing, 152 NGAP, 154 F1AP).
// tshark is asked to verify the checksums too.
var tsharkBuiltArgs = append(slices.Clone(tsharkTraceArgs),
	"-o", `uat:user_dlts:"User 7 (DLT=154)","f1ap","0","","0",""`,
	"-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "sctp.checksum:crc-32c")

// tsharkSees reports whether tshark 4.0 can decode a unit's carrier: it
// has no GSMTAP v3, QCSuper or mac-nr-framed dissector.
func tsharkSees(u Unit) bool {
	switch {
	case u.Detail.Carrier == CarrierGSMTAP, u.Detail.Carrier == CarrierQCSuper:
		return false
	case u.Protocol == ProtocolMACNRFramed && u.Detail.Carrier == CarrierUserDLT:
		return false
	}
	return true
}

// TestDifferentialTshark writes the scenarios into one capture and checks
// that tshark finds the same units in the same frames (what it can
// decode), that every unit's payload is the bytes tshark shows for that
// frame once its dissectors are turned off (or their tail, for the
// carriers whose header the decoder removes), and that tshark finds every
// checksum right.
func TestDifferentialTshark(t *testing.T) {
	tshark := tsharktest.Path(t)
	var (
		pkts   []ft.Packet
		starts []int // first frame of each scenario
		names  []string
	)
	for _, sc := range scenarios() {
		starts = append(starts, len(pkts)+1)
		names = append(names, sc.name)
		pkts = append(pkts, sc.pkts...)
	}
	scenarioOf := func(frame int) string {
		i, _ := slices.BinarySearch(starts, frame+1)
		return names[i-1]
	}
	path := filepath.Join(t.TempDir(), "scenarios.pcapng")
	if err := os.WriteFile(path, ft.File(pkts...), 0o644); err != nil {
		t.Fatal(err)
	}
	units, warns, _ := decodeAll(Options{}, ft.Packets(pkts...))
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warningTexts(warns))
	}

	// 1. The same units in the same frames, and checksums tshark accepts.
	var visible []Unit
	for _, u := range units {
		if tsharkSees(u) {
			visible = append(visible, u)
		}
	}
	ours, theirs := unitCounts(visible), tsharkBuiltCounts(t, tshark, path)
	for frame := range theirs["bad checksum"] {
		t.Errorf("%s frame %d: tshark finds a bad checksum", scenarioOf(frame), frame)
	}
	delete(theirs, "bad checksum")
	for _, proto := range slices.Sorted(maps.Keys(mergeKeys(ours, theirs))) {
		for _, frame := range slices.Sorted(maps.Keys(mergeFrames(ours[proto], theirs[proto]))) {
			if o, th := ours[proto][frame], theirs[proto][frame]; o != th {
				t.Errorf("%s frame %d: %d %s units, tshark finds %d", scenarioOf(frame), frame, o, proto, th)
			}
		}
	}

	// 2. The same bytes.
	data := tsharkData(t, tshark, path)
	checked := map[string]int{}
	for _, u := range units {
		if u.Transport == Raw {
			continue
		}
		found := false
		for _, d := range data[u.Frame] {
			if bytes.Equal(d, u.Payload) || (u.Detail.Carrier != CarrierNone && u.Detail.Carrier != CarrierUserDLT && bytes.HasSuffix(d, u.Payload)) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s frame %d: %s payload %x is not among tshark's data %x", scenarioOf(u.Frame), u.Frame, u.Protocol, u.Payload, data[u.Frame])
		}
		checked[scenarioOf(u.Frame)]++
	}
	t.Logf("%d units in %d frames; payloads compared per scenario: %v", len(units), len(pkts), checked)
}

func mergeFrames(a, b map[int]int) map[int]bool {
	m := map[int]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func tsharkBuiltCounts(t *testing.T, tshark, path string) frameCounts {
	t.Helper()
	return tsharkTraceCounts(t, tshark, path, tsharkBuiltArgs)
}

// tsharkData returns, per frame, the payloads tshark hands to its "data"
// dissector once the protocol dissectors above UDP and SCTP are turned
// off: the SCTP user messages (reassembled) and the UDP payloads.
func tsharkData(t *testing.T, tshark, path string) map[int][][]byte {
	t.Helper()
	args := []string{"-n", "-r", path,
		"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`}
	for _, p := range []string{"f1ap", "ngap", "mac-nr", "rlc-nr", "pdcp-nr", "gsmtap", "e1ap"} {
		args = append(args, "--disable-protocol", p)
	}
	args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
		"-e", "frame.number", "-e", "data.data")
	out := runTshark(t, tshark, args...)
	data := map[int][][]byte{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[1] == "" {
			continue
		}
		frame, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("tshark line %q", line)
		}
		for _, h := range strings.Split(f[1], ",") {
			b, err := hex.DecodeString(h)
			if err != nil {
				t.Fatalf("tshark data %q: %v", h, err)
			}
			data[frame] = append(data[frame], b)
		}
	}
	return data
}
