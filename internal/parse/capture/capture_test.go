package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nrladder/nrladder/internal/capturetest"
)

var update = flag.Bool("update", false, "rewrite the golden files and seed captures in testdata/")

var t0 = time.Date(2025, 11, 26, 4, 52, 0, 123456789, time.UTC)

// seq returns n bytes counting from seed.
func seq(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return b
}

func samplePackets() []capturetest.Packet {
	return []capturetest.Packet{
		{Time: t0, LinkType: capturetest.LinkTypeEthernet, Data: seq(60, 0)},
		{Time: t0.Add(1500*time.Microsecond + 7), LinkType: capturetest.LinkTypeExportedPDU,
			Data: capturetest.ExportedPDU("nr-rrc.ul.ccch", []byte{0x14, 0x80, 0x01, 0x02, 0x03, 0x16})},
		// Linux SLL2 (276) does not fit the uint8 that pcapgo v1.1.19 keeps link types in.
		{Time: t0.Add(2 * time.Second), LinkType: 276, Data: seq(100, 1), OrigLen: 1500},
		{Time: t0.Add(3 * time.Second), LinkType: capturetest.LinkTypeEthernet, Data: []byte{}},
		// Larger than the pcap header's snap length (256): Wireshark reads it.
		{Time: t0.Add(4*time.Second + 876543210), LinkType: capturetest.LinkTypeExportedPDU, Data: seq(300, 2)},
	}
}

type fixture struct {
	name string
	file capturetest.File
}

func fixtures() []fixture {
	pcap := func(format capturetest.Format, big bool) capturetest.File {
		return capturetest.File{Format: format, BigEndian: big, LinkType: capturetest.LinkTypeExportedPDU, Snaplen: 256, Packets: samplePackets()}
	}
	return []fixture{
		{"pcap-le-usec", pcap(capturetest.Pcap, false)},
		{"pcap-be-usec", pcap(capturetest.Pcap, true)},
		{"pcap-le-nsec", pcap(capturetest.PcapNano, false)},
		{"pcap-be-nsec", pcap(capturetest.PcapNano, true)},
		{"pcapng-le", capturetest.File{Format: capturetest.Pcapng, Packets: samplePackets()}},
		{"pcapng-be", capturetest.File{Format: capturetest.Pcapng, BigEndian: true, Packets: samplePackets()}},
	}
}

// want is what reading f must give.
func want(f capturetest.File) []Packet {
	var out []Packet
	ifaces := map[uint32]int{}
	for i, p := range f.Packets {
		w := Packet{Frame: i + 1, Time: p.Time, Data: p.Data, OrigLen: max(p.OrigLen, len(p.Data))}
		switch f.Format {
		case capturetest.Pcap:
			w.Time = p.Time.Truncate(time.Microsecond)
			w.LinkType = f.LinkType
		case capturetest.PcapNano:
			w.LinkType = f.LinkType
		case capturetest.Pcapng:
			w.Time = p.Time.Truncate(time.Microsecond)
			w.LinkType = p.LinkType
			if _, ok := ifaces[p.LinkType]; !ok {
				ifaces[p.LinkType] = len(ifaces)
			}
			w.Iface = ifaces[p.LinkType]
		}
		out = append(out, w)
	}
	return out
}

// readAll reads every packet of b; err is what ended the reading (io.EOF at
// a clean end), from NewReader or Next.
func readAll(t *testing.T, b []byte, opts Options) (*Reader, []Packet, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), opts)
	if err != nil {
		return nil, nil, err
	}
	var pkts []Packet
	for {
		p, err := r.Next()
		if err != nil {
			if err2 := func() error { _, err := r.Next(); return err }(); err2 != err {
				t.Errorf("Next after %v returned %v; want the same error again", err, err2)
			}
			return r, pkts, err
		}
		pkts = append(pkts, p)
	}
}

// normalise makes empty and nil slices compare equal.
var normalise = cmpopts.EquateEmpty()

func TestFormats(t *testing.T) {
	for _, fx := range fixtures() {
		for _, gz := range []bool{false, true} {
			name := fx.name
			b := fx.file.Bytes()
			if gz {
				name += ".gz"
				b = capturetest.Gzip(b)
			}
			t.Run(name, func(t *testing.T) {
				r, got, err := readAll(t, b, Options{})
				if err != io.EOF {
					t.Fatalf("reading ended with %v; want io.EOF", err)
				}
				if diff := cmp.Diff(want(fx.file), got, normalise); diff != "" {
					t.Errorf("packets (-want +got):\n%s", diff)
				}
				wantFormat, wantLinkTypes := "pcap", []uint32{capturetest.LinkTypeExportedPDU}
				if fx.file.Format == capturetest.Pcapng {
					wantFormat, wantLinkTypes = "pcapng", []uint32{1, 252, 276}
				}
				if r.Format() != wantFormat || r.Compressed() != gz {
					t.Errorf("Format, Compressed = %q, %v; want %q, %v", r.Format(), r.Compressed(), wantFormat, gz)
				}
				if diff := cmp.Diff(wantLinkTypes, r.LinkTypes()); diff != "" {
					t.Errorf("LinkTypes (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestDataNotReused checks that a packet's Data survives later calls to Next.
func TestDataNotReused(t *testing.T) {
	for _, fx := range fixtures() {
		r, err := NewReader(bytes.NewReader(fx.file.Bytes()), Options{})
		if err != nil {
			t.Fatal(err)
		}
		first, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		keep := bytes.Clone(first.Data)
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
		if !bytes.Equal(first.Data, keep) {
			t.Errorf("%s: first packet's data changed by later reads", fx.name)
		}
	}
}

// special is a valid file exercising what capturetest does not write.
type special struct {
	name string
	data []byte
}

func specials() []special {
	ns := uint64(t0.UnixNano())
	var out []special
	add := func(name string, b []byte) { out = append(out, special{name, b}) }

	// Per-interface timestamp resolution: nanoseconds, 2^-10 s and the
	// default (microseconds) side by side, one offset by if_tsoffset.
	n := newNG(false)
	n.shb(n.opt(4, []byte("nrladder test")), n.end())
	n.idb(252, 0, n.opt(2, []byte("ns")), n.opt(optTSResol, []byte{9}), n.end())
	n.idb(1, 65535, n.opt(optTSResol, []byte{0x80 | 10}), n.end())
	n.idb(228, 0, n.opt(optTSOffset, binary.LittleEndian.AppendUint64(nil, 1_000_000_000)), n.end())
	n.epb(0, ns, seq(20, 0), 0)
	n.epb(1, 1025*1024+1023, seq(21, 1), 0)
	n.epb(2, 5_000_001, seq(22, 2), 0, n.opt(1, []byte("a comment")), n.end()) // epb options
	add("pcapng-tsresol", n.bytes())

	// Two sections, little- then big-endian, interfaces renumbered in each;
	// every other kind of block: obsolete packet block, simple packet block
	// (cut to the snap length), statistics, name resolution, decryption
	// secrets, and a systemd journal export block and a custom block, which
	// Wireshark numbers as frames.
	n = newNG(false)
	n.shb().idb(1, 0).epb(0, 1, seq(14, 3), 0)
	n.block(blockNRB, n.u32s(0))
	n.o = binary.BigEndian
	n.shbVersion(1, 2) // 1.2 reads like 1.0
	n.idb(101, 0).idb(113, 40)
	n.pb(1, 2_000_000, seq(17, 4))
	n.block(blockJournal, []byte("__REALTIME_TIMESTAMP=1\nMESSAGE=hello\n"))
	n.isb(0, n.opt(4, make([]byte, 8)), n.end())
	n.block(0x00000bad, n.u32s(32473, 7))
	n.block(blockDSB, append(n.u32s(0x544c534b, 4), "abcd"...))
	n.epb(0, 3_000_000, seq(18, 5), 0)
	add("pcapng-sections", n.bytes())

	n = newNG(false)
	n.shb().idb(147, 40).spb(60, seq(40, 6)).spb(30, seq(30, 7))
	add("pcapng-simple", n.bytes())

	// An if_tsresol of the wrong length is ignored, as Wireshark does.
	n = newNG(false)
	n.shb().idb(1, 0, n.opt(optTSResol, []byte{9, 9}), n.end()).epb(0, 1_500_000, seq(14, 8), 0)
	add("pcapng-bad-tsresol-length", n.bytes())

	// recs: seconds, subseconds, the two length fields, bytes of data.
	pcap := func(major, minor uint16, linkType uint32, recs ...[5]uint32) []byte {
		o := binary.LittleEndian
		b := o.AppendUint32(nil, 0xa1b2c3d4)
		b = o.AppendUint16(b, major)
		b = o.AppendUint16(b, minor)
		b = append(b, make([]byte, 8)...)
		b = o.AppendUint32(b, 65535)
		b = o.AppendUint32(b, linkType)
		for _, r := range recs {
			for _, v := range r[:4] {
				b = o.AppendUint32(b, v)
			}
			b = append(b, seq(int(r[4]), byte(r[0]))...)
		}
		return b
	}
	// Before 2.3 the two lengths were swapped; 2.3 swaps them back only when
	// the captured length is the larger.
	add("pcap-2.2", pcap(2, 2, 1, [5]uint32{1, 0, 60, 20, 20}))
	add("pcap-2.3", pcap(2, 3, 1, [5]uint32{1, 0, 60, 20, 20}, [5]uint32{2, 0, 20, 60, 20}))
	// A captured length above the original length (Wireshark reads it), a
	// microsecond field that wraps when scaled, FCS-length bits in the link
	// type field.
	b := pcap(2, 4, 0x20000001, [5]uint32{1, 0, 60, 20, 60}, [5]uint32{2, 5_000_000, 10, 10, 10})
	add("pcap-odd", b)
	return out
}

func TestSpecials(t *testing.T) {
	at := func(sec int64, nsec int64) time.Time { return time.Unix(sec, nsec).UTC() }
	tests := map[string][]Packet{
		"pcapng-tsresol": {
			{Frame: 1, Time: t0, LinkType: 252, Data: seq(20, 0), OrigLen: 20},
			{Frame: 2, Time: at(1025, 999023437), LinkType: 1, Iface: 1, Data: seq(21, 1), OrigLen: 21},
			{Frame: 3, Time: at(1_000_000_005, 1000), LinkType: 228, Iface: 2, Data: seq(22, 2), OrigLen: 22},
		},
		"pcapng-sections": {
			{Frame: 1, Time: at(0, 1000), LinkType: 1, Data: seq(14, 3), OrigLen: 14},
			{Frame: 2, Time: at(2, 0), LinkType: 113, Iface: 1, Data: seq(17, 4), OrigLen: 17},
			// frame 3 is the journal export block, frame 4 the custom block
			{Frame: 5, Time: at(3, 0), LinkType: 101, Data: seq(18, 5), OrigLen: 18},
		},
		"pcapng-simple": {
			{Frame: 1, LinkType: 147, Data: seq(40, 6), OrigLen: 60},
			{Frame: 2, LinkType: 147, Data: seq(30, 7), OrigLen: 30},
		},
		"pcapng-bad-tsresol-length": {
			{Frame: 1, Time: at(1, 500_000_000), LinkType: 1, Data: seq(14, 8), OrigLen: 14},
		},
		"pcap-2.2": {{Frame: 1, Time: at(1, 0), LinkType: 1, Data: seq(20, 1), OrigLen: 60}},
		"pcap-2.3": {
			{Frame: 1, Time: at(1, 0), LinkType: 1, Data: seq(20, 1), OrigLen: 60},
			{Frame: 2, Time: at(2, 0), LinkType: 1, Data: seq(20, 2), OrigLen: 60},
		},
		"pcap-odd": {
			{Frame: 1, Time: at(1, 0), LinkType: 1, Data: seq(60, 1), OrigLen: 20},
			{Frame: 2, Time: at(2, 705032704), LinkType: 1, Data: seq(10, 2), OrigLen: 10},
		},
	}
	for _, s := range specials() {
		t.Run(s.name, func(t *testing.T) {
			_, got, err := readAll(t, s.data, Options{})
			if err != io.EOF {
				t.Fatalf("reading ended with %v; want io.EOF", err)
			}
			w, ok := tests[s.name]
			if !ok {
				t.Fatalf("no expectation for %s", s.name)
			}
			if diff := cmp.Diff(w, got, normalise); diff != "" {
				t.Errorf("packets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPcapSnaplenHeader: a packet longer than the pcap header's snap length
// (pcapgo's default rejects it) reads, and so does one up to MaxPacketLen.
func TestPcapSnaplenHeader(t *testing.T) {
	f := capturetest.File{Format: capturetest.Pcap, LinkType: 1, Snaplen: 64,
		Packets: []capturetest.Packet{{Time: t0, Data: seq(DefaultMaxPacketLen, 0)}}}
	_, got, err := readAll(t, f.Bytes(), Options{})
	if err != io.EOF || len(got) != 1 || len(got[0].Data) != DefaultMaxPacketLen {
		t.Fatalf("got %d packets, %v; want one packet of %d bytes and io.EOF", len(got), err, DefaultMaxPacketLen)
	}
}

func dump(r *Reader, pkts []Packet, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %s, compressed %v, link types %v\n", r.Format(), r.Compressed(), r.LinkTypes())
	for _, p := range pkts {
		head := p.Data[:min(8, len(p.Data))]
		fmt.Fprintf(&b, "frame %d  %s  link %d (%s)  iface %d  len %d  orig %d  data % x\n",
			p.Frame, p.Time.Format(time.RFC3339Nano), p.LinkType, LinkTypeName(p.LinkType), p.Iface, len(p.Data), p.OrigLen, head)
	}
	fmt.Fprintf(&b, "end: %v\n", err)
	return b.String()
}

// goldenFiles are the built captures whose reading is pinned in testdata/
// (NAME.golden) and which seed FuzzReader (NAME.pcap, NAME.pcapng).
func goldenFiles() []special {
	var out []special
	for _, fx := range fixtures() {
		out = append(out, special{fx.name, fx.file.Bytes()})
	}
	out = append(out, specials()...)
	out = append(out, special{"pcapng-le.gz", capturetest.Gzip(fixtures()[4].file.Bytes())})
	return out
}

func seedName(s special) string {
	switch {
	case strings.HasSuffix(s.name, ".gz"):
		return s.name
	case strings.HasPrefix(s.name, "pcapng"):
		return s.name + ".pcapng"
	}
	return s.name + ".pcap"
}

func TestGolden(t *testing.T) {
	for _, s := range goldenFiles() {
		t.Run(s.name, func(t *testing.T) {
			r, pkts, err := readAll(t, s.data, Options{})
			if r == nil {
				t.Fatalf("NewReader: %v", err)
			}
			got := dump(r, pkts, err)
			golden := filepath.Join("testdata", s.name+".golden")
			seed := filepath.Join("testdata", seedName(s))
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(seed, s.data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			w, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(w), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
			if b, err := os.ReadFile(seed); err != nil || !bytes.Equal(b, s.data) {
				t.Errorf("%s is missing or stale (run go test -update)", seed)
			}
		})
	}
}

func TestLinkTypeName(t *testing.T) {
	for lt, want := range map[uint32]string{
		0: "BSD loopback", 1: "Ethernet", 101: "raw IP", 113: "Linux SLL", 228: "raw IPv4",
		229: "raw IPv6", 252: "Wireshark upper PDU export", 276: "Linux SLL2",
		147: "user DLT 0", 149: "user DLT 2", 162: "user DLT 15", 146: "link type 146", 163: "link type 163",
		4294967295: "link type 4294967295",
	} {
		if got := LinkTypeName(lt); got != want {
			t.Errorf("LinkTypeName(%d) = %q; want %q", lt, got, want)
		}
	}
}

func TestErrorsAreLabelled(t *testing.T) {
	// An error from the caller's reader is wrapped, not replaced.
	boom := errors.New("connection reset")
	b := fixtures()[0].file.Bytes()
	for _, gz := range []bool{false, true} {
		in := b
		if gz {
			in = capturetest.Gzip(b)
		}
		r, err := NewReader(io.MultiReader(bytes.NewReader(in[:len(in)-10]), iotestErr{boom}), Options{})
		if err == nil {
			for err == nil {
				_, err = r.Next()
			}
		}
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "capture: read: ") {
			t.Errorf("gzip %v: got %v; want it to wrap %v with prefix \"capture: read: \"", gz, err, boom)
		}
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }
