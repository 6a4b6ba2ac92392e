package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// The shared captures repeated by scripts/bench.sh.
const (
	f1apTrace = "5GSEC__MobiWatch__F1AP_NGAP_Pixel5_00101_1.pcap"
	macTrace  = "srsran__srsRAN_Project_docs__moto_edge_30_pro.pcap"
)

// tsharkMAC are the options tshark needs for srsRAN's DLT 149 MAC-NR.
var tsharkMAC = []string{"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`, "--enable-heuristic", "mac_nr_udp"}

// sharedTrace reads a capture of ../shared/traces, or skips saying so.
func sharedTrace(t *testing.T, name string) []byte {
	t.Helper()
	dir, ok := rrctest.SharedDir()
	if !ok {
		t.Skip("SKIPPED: ../shared is absent (set NRLADDER_SHARED): the generator is NOT tested on real captures")
	}
	b, err := os.ReadFile(filepath.Join(dir, "traces", name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("SKIPPED: " + name + " is not in " + filepath.Join(dir, "traces") + ": the generator is NOT tested on it")
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func repeat(t *testing.T, in []byte, n int) ([]byte, Stats) {
	t.Helper()
	var out bytes.Buffer
	st, err := Repeat(&out, in, n)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(out.Len()) {
		t.Errorf("Stats.Bytes = %d, wrote %d", st.Bytes, out.Len())
	}
	return out.Bytes(), st
}

// copies parses a repeated capture with the project's reader and parser and
// splits its events by copy.
func copies(t *testing.T, file []byte, st Stats, n int) [][]parse.Event {
	t.Helper()
	res, err := parse.Trace(bytes.NewReader(file), parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Packets != n*st.Packets {
		t.Fatalf("parse read %d packets, want %d × %d", res.Packets, n, st.Packets)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("%d warnings, the first: %+v", len(res.Warnings), res.Warnings[0])
	}
	out := make([][]parse.Event, n)
	for _, e := range res.Events {
		k := (e.Frame - 1) / st.Packets
		out[k] = append(out[k], e)
	}
	return out
}

// summary is what a copy's events must repeat: the messages in order and
// how each was read.
func summary(evs []parse.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, strings.Join([]string{e.Protocol, e.Message, e.Alt, e.Bearer, e.Error, e.Cipher, strconv.Itoa(e.Retransmissions)}, "|"))
	}
	return out
}

func TestRepeatF1AP(t *testing.T) {
	in := sharedTrace(t, f1apTrace)
	const n = 3
	file, st := repeat(t, in, n)
	if st.F1AP == 0 || st.NGAP == 0 || st.IDs == 0 || st.Kept != 0 {
		t.Errorf("stats %+v: want F1AP and NGAP PDUs with ids, none kept as they are", st)
	}
	reps := copies(t, file, st, n)
	seen := map[string]int{}  // id → copy
	perCopy := make([]int, n) // distinct ids
	for k, evs := range reps {
		if diff := cmp.Diff(summary(reps[0]), summary(evs)); diff != "" {
			t.Errorf("copy %d does not repeat copy 0 (-want +got):\n%s", k, diff)
		}
		var ids int
		for _, e := range evs {
			for _, id := range []struct {
				name string
				v    int64
			}{{"gNB-DU-UE-F1AP-ID", e.IDs.DUUEID}, {"gNB-CU-UE-F1AP-ID", e.IDs.CUUEID}, {"RAN-UE-NGAP-ID", e.IDs.RANUEID}, {"AMF-UE-NGAP-ID", e.IDs.AMFUEID}} {
				if id.v < 0 {
					continue
				}
				ids++
				key := id.name + " " + strconv.FormatInt(id.v, 10)
				c, ok := seen[key]
				if ok && c != k {
					t.Fatalf("%s in copies %d and %d", key, c, k)
				}
				if !ok {
					perCopy[k]++
				}
				seen[key] = k
			}
		}
		if ids == 0 {
			t.Errorf("copy %d: no UE ids", k)
		}
	}
	// Different ids, as many: copy k is the same set of connections.
	for k := range perCopy {
		if perCopy[k] != perCopy[0] {
			t.Errorf("distinct ids per copy %v: want the same number in each", perCopy)
			break
		}
	}
}

// Copy 0 is the capture itself, but for the SCTP checksums, which the
// original leaves zero (checksum offload) and the copies compute.
func TestRepeatCopyZeroIsTheCapture(t *testing.T) {
	in := sharedTrace(t, f1apTrace)
	file, st := repeat(t, in, 1)
	want, got := packets(t, in), packets(t, file)
	if len(got) != st.Packets || len(want) != len(got) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if !w.Time.Equal(g.Time) {
			t.Errorf("frame %d: time %v, want %v", i+1, g.Time, w.Time)
		}
		if off := sctpChecksumOffset(w.Data); off > 0 && len(g.Data) == len(w.Data) {
			w.Data = append([]byte(nil), w.Data...)
			copy(w.Data[off:off+4], g.Data[off:off+4])
		}
		if !bytes.Equal(w.Data, g.Data) {
			t.Errorf("frame %d differs beyond the SCTP checksum", i+1)
		}
	}
}

func packets(t *testing.T, file []byte) []capture.Packet {
	t.Helper()
	r, err := capture.NewReader(bytes.NewReader(file), capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []capture.Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
}

// sctpChecksumOffset is the offset of the SCTP checksum of an
// Ethernet/IPv4/SCTP packet, or 0.
func sctpChecksumOffset(b []byte) int {
	if len(b) < 34 || binary.BigEndian.Uint16(b[12:]) != 0x0800 || b[23] != 132 {
		return 0
	}
	return 14 + int(b[14]&0x0f)*4 + 8
}

func TestRepeatMAC(t *testing.T) {
	in := sharedTrace(t, macTrace)
	const n = 3
	file, st := repeat(t, in, n)
	if st.RNTIs != st.Packets {
		t.Errorf("%d of %d PDUs have their C-RNTI shifted, want all", st.RNTIs, st.Packets)
	}
	reps := copies(t, file, st, n)
	rntis := map[int]int{} // C-RNTI → copy
	for k, evs := range reps {
		if diff := cmp.Diff(summary(reps[0]), summary(evs)); diff != "" {
			t.Errorf("copy %d does not repeat copy 0 (-want +got):\n%s", k, diff)
		}
		for _, e := range evs {
			if c, ok := rntis[e.IDs.RNTI]; ok && c != k {
				t.Fatalf("C-RNTI 0x%04x in copies %d and %d", e.IDs.RNTI, c, k)
			}
			rntis[e.IDs.RNTI] = k
		}
	}
	if len(rntis) != n {
		t.Errorf("C-RNTIs %v: want one per copy", rntis)
	}
}

// tshark counts n times the NR RRC frames of the capture in n copies, and
// finds every SCTP checksum right.
func TestRepeatTshark(t *testing.T) {
	tshark := tsharktest.Path(t)
	for _, c := range []struct {
		trace string
		opts  []string
	}{
		{f1apTrace, []string{"-o", "sctp.checksum:CRC-32C"}},
		{macTrace, tsharkMAC},
	} {
		t.Run(c.trace, func(t *testing.T) {
			in := sharedTrace(t, c.trace)
			dir := t.TempDir()
			base := tsharkCount(t, tshark, writeFile(t, dir, "in.pcap", in), c.opts, "nr-rrc")
			if base == 0 {
				t.Fatal("tshark finds no NR RRC in the capture")
			}
			for _, n := range []int{1, 4} {
				file, _ := repeat(t, in, n)
				path := writeFile(t, dir, "out.pcap", file)
				if got := tsharkCount(t, tshark, path, c.opts, "nr-rrc"); got != n*base {
					t.Errorf("%d copies: tshark counts %d NR RRC frames, want %d × %d", n, got, n, base)
				}
				if bad := tsharkCount(t, tshark, path, c.opts, "sctp.checksum.status == 0 || sctp.retransmission"); bad != 0 {
					t.Errorf("%d copies: %d frames with a bad SCTP checksum or taken for retransmissions", n, bad)
				}
			}
		})
	}
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func tsharkCount(t *testing.T, tshark, path string, opts []string, filter string) int {
	t.Helper()
	args := append(append([]string{"-r", path}, opts...), "-Y", filter, "-T", "fields", "-e", "frame.number")
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", strings.Join(args, " "), err)
	}
	return bytes.Count(out, []byte("\n"))
}

// The ids must stay in their ranges: too many copies is an error, before
// anything is written.
func TestRepeatTooMany(t *testing.T) {
	in := sharedTrace(t, f1apTrace)
	var out bytes.Buffer
	_, err := Repeat(&out, in, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "beyond its range") {
		t.Errorf("error = %v, want an id beyond its range", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %d bytes", out.Len())
	}
}

func TestRepeatErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		n    int
		want string
	}{
		{"no copies", nil, 0, "at least 1"},
		{"not a capture", []byte("hello world, no pcap"), 2, "not a pcap"},
		{"exported PDUs", pcapHeader(252), 2, "link type 252"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Repeat(io.Discard, c.in, c.n)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want %q", err, c.want)
			}
		})
	}
}

// pcapHeader is a pcap of one empty packet of the given link type.
func pcapHeader(link uint32) []byte {
	b := make([]byte, 24+16)
	binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], 65535)
	binary.LittleEndian.PutUint32(b[20:], link)
	return b
}

func TestIPChecksum(t *testing.T) {
	// RFC 1071 style example header (Wikipedia "IPv4 header checksum").
	h := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	if got := ipChecksum(h); got != 0xb861 {
		t.Errorf("checksum = %#04x, want 0xb861", got)
	}
}

// The parse command prints the keys scripts/bench.sh reads.
func TestRunParse(t *testing.T) {
	in := sharedTrace(t, macTrace)
	path := writeFile(t, t.TempDir(), "in.pcap", in)
	var out bytes.Buffer
	if err := run([]string{"parse", path}, &out); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"events=", "rrc_frames=", "maxrss_kib="} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("output %q lacks %s", out.String(), key)
		}
	}
}
