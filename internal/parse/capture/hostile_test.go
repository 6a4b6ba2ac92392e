package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/capturetest"
)

type hostileCase struct {
	name    string
	data    []byte
	opts    Options
	packets int    // read before the error
	err     string // the error's full text
	limit   bool   // errors.Is(err, ErrLimit)
}

// check reads tc.data and compares what ends the reading with tc.
func (tc hostileCase) check(t *testing.T) {
	t.Helper()
	_, pkts, err := readAll(t, tc.data, tc.opts)
	got := struct {
		Packets int
		Err     string
		Limit   bool
	}{len(pkts), "<nil>", errors.Is(err, ErrLimit)}
	if err != nil {
		got.Err = err.Error()
	}
	want := got
	want.Packets, want.Err, want.Limit = tc.packets, tc.err, tc.limit
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestHostilePcapng(t *testing.T) {
	le := func() *ngFile { return newNG(false).shb().idb(1, 0) } // 28 + 20 bytes
	epb := le().epb(0, 1, seq(16, 0), 0).bytes()
	bigOption := newNG(false)
	bigOption.shb().idb(1, 0, bigOption.opt(2, make([]byte, 65535)))
	manyIfaces := newNG(false).shb()
	for range maxIfaces + 1 {
		manyIfaces.idb(1, 0)
	}
	n, be := newNG(false), newNG(true)
	tests := []hostileCase{
		{name: "block length 7", data: le().hand(blockEPB, 7, nil, 7).bytes(),
			err: "capture: pcapng: packet 1: block length 7 is invalid"},
		{name: "block length 0", data: le().raw(n.u32s(blockIDB, 0, 0, 0)).bytes(),
			err: "capture: pcapng: interface description block at byte 48: block length 0 is invalid"},
		{name: "block length not a multiple of 4", data: le().hand(blockNRB, 13, []byte{0}, 13).bytes(),
			err: "capture: pcapng: name resolution block at byte 48: block length 13 is invalid"},
		{name: "block length 4 GiB", data: le().hand(blockEPB, 0xfffffffc, n.u32s(0, 0, 0, 16, 16), 0).bytes(),
			err: "capture: pcapng: packet 1: block length 4294967292 exceeds the 67108864-byte limit", limit: true},
		{name: "block too short for its type", data: le().hand(blockEPB, 28, n.u32s(0, 0, 0, 0), 28).bytes(),
			err: "capture: pcapng: packet 1: block length 28 is too short for its type"},
		{name: "section header too short", data: newNG(false).hand(blockSHB, 24, n.u32s(0x1a2b3c4d, 1, 0), 24).bytes(),
			err: "capture: pcapng: section header block at byte 0: block length 24 is too short for its type"},
		{name: "captured length beyond the block", data: le().hand(blockEPB, 48, n.u32s(0, 0, 0, 1000, 1000, 0, 0, 0, 0), 48).bytes(),
			err: "capture: pcapng: packet 1: captured length 1000 does not fit in block length 48"},
		{name: "captured length 4 GiB", data: le().hand(blockEPB, 32, n.u32s(0, 0, 0, 0xffffffff, 0xffffffff), 32).bytes(),
			err: "capture: packet 1: captured length 4294967295 exceeds the 262144-byte limit", limit: true},
		{name: "simple packet longer than its block", data: le().spb(100, seq(8, 0)).bytes(),
			err: "capture: pcapng: packet 1: captured length 100 does not fit in block length 24"},
		{name: "simple packet before any interface", data: newNG(false).shb().spb(8, seq(8, 0)).bytes(),
			err: "capture: pcapng: packet 1: simple packet block before any interface description block"},
		{name: "trailing length differs", data: append(epb, le().hand(blockEPB, 32, n.u32s(0, 0, 0, 0, 0), 36).bytes()[48:]...),
			packets: 1, err: "capture: pcapng: packet 2: trailing block length 36 does not match the leading 32"},
		{name: "trailing length differs in a held block", data: newNG(false).shb().hand(blockIDB, 20, n.u32s(1, 0), 24).bytes(),
			err: "capture: pcapng: interface description block at byte 28: trailing block length 24 does not match the leading 20"},
		{name: "option past the block", data: newNG(false).shb().hand(blockIDB, 28, append(n.u32s(1, 0), n.opt(2, make([]byte, 200))[:8]...), 28).bytes(),
			err: "capture: pcapng: interface description block at byte 28: option 2: length 200 runs past the end of the block"},
		{name: "option length 65535", data: bigOption.bytes(),
			err: "capture: pcapng: interface description block at byte 28: option 2: length 65535 is invalid"},
		{name: "timestamp resolution 2^-64", data: n.shb().idb(1, 0, n.opt(optTSResol, []byte{0x80 | 64})).bytes(),
			err: "capture: pcapng: interface description block at byte 28: interface 0: timestamp resolution 2^-64 s is not supported"},
		{name: "timestamp resolution 10^-20", data: be.shb().idb(1, 0, be.opt(optTSResol, []byte{20})).bytes(),
			err: "capture: pcapng: interface description block at byte 28: interface 0: timestamp resolution 10^-20 s is not supported"},
		{name: "packet on an undefined interface", data: le().epb(3, 0, nil, 0).bytes(),
			err: "capture: pcapng: packet 1: interface 3 is not defined (the section has 1)"},
		{name: "obsolete packet block on an undefined interface", data: le().pb(1, 0, nil).bytes(),
			err: "capture: pcapng: packet 1: interface 1 is not defined (the section has 1)"},
		{name: "interfaces do not outlive their section", data: le().shb().epb(0, 0, nil, 0).bytes(),
			err: "capture: pcapng: packet 1: interface 0 is not defined (the section has 0)"},
		{name: "statistics for an undefined interface", data: le().isb(1).bytes(),
			err: "capture: pcapng: interface statistics block at byte 48: interface 1 is not defined (the section has 1)"},
		{name: "byte-order magic", data: newNG(false).hand(blockSHB, 28, n.u32s(0x12345678, 1, 0, 0), 28).bytes(),
			err: "capture: pcapng: section header block at byte 0: byte-order magic 78 56 34 12 is invalid"},
		{name: "version 2.0", data: newNG(false).shbVersion(2, 0).bytes(),
			err: "capture: pcapng: section header block at byte 0: unsupported version 2.0"},
		{name: "version 1.1 in a second section", data: append(epb, newNG(true).shbVersion(1, 1).bytes()...),
			packets: 1, err: "capture: pcapng: section header block at byte 96: unsupported version 1.1"},
		{name: "too many interfaces", data: manyIfaces.bytes(),
			err: "capture: pcapng: interface description block at byte 81948: more than 4096 interfaces in one section", limit: true},
		{name: "huge held block", data: newNG(false).shb().hand(blockIDB, 2<<20, nil, 0).bytes(),
			err: "capture: pcapng: interface description block at byte 28: block length 2097152 exceeds the 1048576-byte limit for its type", limit: true},
		{name: "custom block without enterprise number", data: le().hand(blockCustom, 12, nil, 12).bytes(),
			err: "capture: pcapng: custom block at byte 48: block length 12 is too short for its type"},
		{name: "non-empty end of options", data: newNG(false).shb(n.u32s(0x00040000), n.u32s(0)).idb(1, 0).epb(0, 0, nil, 0).bytes(),
			packets: 1, err: "EOF"},
		{name: "garbage after the last block", data: append(epb, "garbage!"...),
			packets: 1, err: "capture: pcapng: block of type 0x62726167 at byte 96: block length 560293729 is invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

func TestHostilePcap(t *testing.T) {
	o := binary.LittleEndian
	header := func(magic uint32, major, minor uint16, linkType uint32) []byte {
		b := o.AppendUint32(nil, magic)
		b = o.AppendUint16(b, major)
		b = o.AppendUint16(b, minor)
		b = append(b, make([]byte, 8)...)
		b = o.AppendUint32(b, 65535)
		return o.AppendUint32(b, linkType)
	}
	good := capturetest.File{Format: capturetest.Pcap, LinkType: 1, Packets: samplePackets()[:4]}.Bytes()
	huge := append(bytes.Clone(good), o.AppendUint32(o.AppendUint32(make([]byte, 8), 0xffffffff), 0xffffffff)...)
	tests := []hostileCase{
		{name: "captured length 4 GiB", data: huge, packets: 4,
			err: "capture: packet 5: captured length 4294967295 exceeds the 262144-byte limit", limit: true},
		{name: "captured length above MaxPacketLen", data: good, opts: Options{MaxPacketLen: 99}, packets: 2,
			err: "capture: packet 3: captured length 100 exceeds the 99-byte limit", limit: true},
		{name: "version 1.0", data: header(0xa1b2c3d4, 1, 0, 1),
			err: "capture: pcap: unsupported version 1.0"},
		{name: "reserved link type bits", data: header(0xa1b2c3d4, 2, 4, 0x00010001),
			err: "capture: pcap: link type field 0x00010001 has reserved bits set"},
		{name: "modified pcap", data: header(0xa1b2cd34, 2, 4, 1),
			err: "capture: not a pcap or pcapng file (first bytes 34 cd b2 a1: the modified pcap format, not supported)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

func TestNotCapture(t *testing.T) {
	tests := []hostileCase{
		{name: "empty", data: nil, err: "capture: not a pcap or pcapng file (empty file)"},
		{name: "zip", data: []byte("PK\x03\x04\x14\x00"), err: "capture: not a pcap or pcapng file (first bytes 50 4b 03 04)"},
		{name: "text", data: []byte("hello, world\n"), err: "capture: not a pcap or pcapng file (first bytes 68 65 6c 6c)"},
		{name: "three bytes", data: []byte{0x0a, 0x0d, 0x0d}, err: "capture: not a pcap or pcapng file (first bytes 0a 0d 0d)"},
		{name: "one gzip byte", data: []byte{0x1f}, err: "capture: not a pcap or pcapng file (first bytes 1f)"},
		{name: "gzip'd text", data: capturetest.Gzip([]byte("hello, world\n")),
			err: "capture: not a pcap or pcapng file (gzip-compressed; first bytes 68 65 6c 6c)"},
		{name: "gzip'd nothing", data: capturetest.Gzip(nil), err: "capture: not a pcap or pcapng file (empty after gzip decompression)"},
		{name: "gzip'd gzip", data: capturetest.Gzip(capturetest.Gzip(fixtures()[0].file.Bytes())),
			err: "capture: not a pcap or pcapng file (gzip-compressed; first bytes 1f 8b 08 00)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t)
			if _, err := NewReader(bytes.NewReader(tc.data), Options{}); !errors.Is(err, ErrNotCapture) {
				t.Errorf("errors.Is(%v, ErrNotCapture) = false", err)
			}
		})
	}
}

func TestGzipErrors(t *testing.T) {
	b := fixtures()[4].file.Bytes()
	z := capturetest.Gzip(b)
	corrupt := bytes.Clone(z)
	corrupt[10] = 0x07 // first deflate block of the reserved type
	badSum := bytes.Clone(z)
	badSum[len(badSum)-8] ^= 0xff
	tests := []struct {
		name, data, prefix string
	}{
		{"corrupt deflate data", string(corrupt), "capture: gzip: flate: corrupt input"},
		{"checksum", string(badSum), "capture: gzip: invalid checksum"},
		{"bad header", "\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\x00\x00", "capture: gzip: invalid header"},
		{"garbage after the stream", string(z) + "0123456789abcdef", "capture: gzip: invalid header"},
	}
	for _, tt := range tests {
		_, _, err := readAll(t, []byte(tt.data), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.prefix) {
			t.Errorf("%s: got %v; want an error starting %q", tt.name, err, tt.prefix)
		}
	}
}

func TestLimits(t *testing.T) {
	f := capturetest.File{Format: capturetest.Pcap, LinkType: 1, Packets: samplePackets()}
	b := f.Bytes()
	z := capturetest.Gzip(b)
	ng := capturetest.File{Format: capturetest.Pcapng, Packets: samplePackets()}.Bytes()
	tests := []hostileCase{
		{name: "packets at the limit", data: b, opts: Options{MaxPackets: 5}, packets: 5, err: "EOF"},
		{name: "packets beyond the limit", data: b, opts: Options{MaxPackets: 3}, packets: 3,
			err: "capture: more than 3 packets", limit: true},
		{name: "pcapng packets beyond the limit", data: ng, opts: Options{MaxPackets: 1}, packets: 1,
			err: "capture: more than 1 packets", limit: true},
		{name: "size at the limit", data: b, opts: Options{MaxExpanded: int64(len(b))}, packets: 5, err: "EOF"},
		{name: "size beyond the limit", data: b, opts: Options{MaxExpanded: int64(len(b) - 1)}, packets: 4,
			err: fmt.Sprintf("capture: file exceeds the %d-byte limit", len(b)-1), limit: true},
		{name: "decompressed size at the limit", data: z, opts: Options{MaxExpanded: int64(len(b))}, packets: 5, err: "EOF"},
		{name: "decompressed size beyond the limit", data: z, opts: Options{MaxExpanded: 100}, packets: 1,
			err: "capture: gzip: decompressed data exceeds the 100-byte limit", limit: true},
		{name: "pcapng size beyond the limit", data: ng, opts: Options{MaxExpanded: 100}, packets: 0,
			err: "capture: file exceeds the 100-byte limit", limit: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

// TestGzipBomb: a small upload that expands enormously stops at MaxExpanded
// without decompressing the rest.
func TestGzipBomb(t *testing.T) {
	f := capturetest.File{Format: capturetest.Pcap, LinkType: 1}
	for range 2000 {
		f.Packets = append(f.Packets, capturetest.Packet{Time: t0, Data: make([]byte, 200_000)})
	}
	z := capturetest.Gzip(f.Bytes()) // 400 MB of zeros, under 1 MB compressed
	start := time.Now()
	_, pkts, err := readAll(t, z, Options{MaxExpanded: 10 << 20})
	if !errors.Is(err, ErrLimit) || len(pkts) != 52 {
		t.Errorf("got %d packets, %v; want 52 then an ErrLimit", len(pkts), err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	t.Logf("%d compressed bytes, %d packets read in %v, then %v", len(z), len(pkts), time.Since(start), err)
}

func TestConcatenatedGzip(t *testing.T) {
	b := fixtures()[4].file.Bytes()
	_, want, _ := readAll(t, b, Options{})
	for _, k := range []int{1, 4, 50, len(b) / 2, len(b) - 1} {
		z := append(capturetest.Gzip(b[:k]), capturetest.Gzip(b[k:])...)
		r, got, err := readAll(t, z, Options{})
		if err != io.EOF || !r.Compressed() {
			t.Errorf("split at %d: %v", k, err)
		}
		if diff := cmp.Diff(want, got, normalise); diff != "" {
			t.Errorf("split at %d (-want +got):\n%s", k, diff)
		}
	}
}

// countingReader counts the bytes taken from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestStreaming: reading the first packet of a large file takes only a
// buffer's worth of it, and hostile lengths allocate nothing.
func TestStreaming(t *testing.T) {
	f := benchFile(capturetest.Pcapng, 10<<20)
	for _, gz := range []bool{false, true} {
		b := f
		if gz {
			b = capturetest.Gzip(f)
		}
		c := &countingReader{r: bytes.NewReader(b)}
		r, err := NewReader(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		if c.n > 256<<10 {
			t.Errorf("gzip %v: first packet took %d bytes of a %d-byte file", gz, c.n, len(b))
		}
	}

	hostile := newNG(false).shb().idb(1, 0)
	hostile.hand(blockEPB, 64<<20, hostile.u32s(0, 0, 0, 0xfffffff0, 0xfffffff0), 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := readAll(t, hostile.bytes(), Options{MaxPacketLen: 1 << 30})
	runtime.ReadMemStats(&after)
	if err == nil || after.TotalAlloc-before.TotalAlloc > 1<<20 {
		t.Errorf("hostile length: %v after allocating %d bytes", err, after.TotalAlloc-before.TotalAlloc)
	}
}
