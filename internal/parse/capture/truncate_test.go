package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/capturetest"
)

// span is one record of a built file, found by walking it independently of
// the reader.
type span struct {
	start, end int
	frame      int    // frame number a cut inside reports
	inside     string // what a cut inside reports
	packets    int    // packets complete once this record is
}

func pcapSpans(b []byte, o binary.ByteOrder) []span {
	spans := []span{{0, 24, 1, "pcap file header", 0}}
	for off, n := 24, 0; off < len(b); n++ {
		end := off + 16 + int(o.Uint32(b[off+8:]))
		spans = append(spans, span{off, end, n + 1, insidePacket, n + 1})
		off = end
	}
	return spans
}

func pcapngSpans(b []byte) []span {
	var o binary.ByteOrder = binary.LittleEndian
	var spans []span
	frames, packets := 0, 0
	for off := 0; off < len(b); {
		if string(b[off:off+4]) == "\x0a\x0d\x0d\x0a" {
			o = binary.LittleEndian
			if string(b[off+8:off+12]) == "\x1a\x2b\x3c\x4d" {
				o = binary.BigEndian
			}
		}
		typ, end := o.Uint32(b[off:]), off+int(o.Uint32(b[off+4:]))
		s := span{start: off, end: end, frame: frames + 1, inside: blockName(typ)}
		if frameBlock(typ) {
			frames++
		}
		switch typ {
		case blockEPB, blockPB, blockSPB:
			packets++
		}
		s.packets = packets
		spans = append(spans, s)
		off = end
	}
	return spans
}

type outcome struct {
	Packets   int
	NotCap    bool
	EOF       bool
	Truncated *TruncatedError
}

func outcomeOf(pkts []Packet, err error) outcome {
	o := outcome{Packets: len(pkts), NotCap: errors.Is(err, ErrNotCapture), EOF: err == io.EOF}
	errors.As(err, &o.Truncated)
	return o
}

// expect says what reading b[:cut] must give.
func expect(spans []span, cut int, ng bool) outcome {
	if cut < 4 {
		return outcome{NotCap: true}
	}
	for i, s := range spans {
		switch {
		case cut == s.start && i > 0:
			return outcome{Packets: spans[i-1].packets, EOF: true}
		case cut > s.start && cut < s.end:
			before := 0
			if i > 0 {
				before = spans[i-1].packets
			}
			if ng && cut-s.start < 4 {
				return outcome{Packets: before, Truncated: &TruncatedError{Frame: s.frame, Inside: "block header"}}
			}
			return outcome{Packets: before, Truncated: &TruncatedError{Frame: s.frame, Inside: s.inside}}
		}
	}
	return outcome{Packets: spans[len(spans)-1].packets, EOF: true}
}

// TestTruncatedEveryOffset cuts small files at every byte: the packets before
// the cut read intact, then a TruncatedError naming the record cut, or a
// clean io.EOF exactly at record boundaries.
func TestTruncatedEveryOffset(t *testing.T) {
	pkts := samplePackets()[:4]
	type cutFile struct {
		name  string
		b     []byte
		spans []span
	}
	var files []cutFile
	for _, big := range []bool{false, true} {
		f := capturetest.File{Format: capturetest.PcapNano, BigEndian: big, LinkType: 1, Packets: pkts}
		var o binary.ByteOrder = binary.LittleEndian
		if big {
			o = binary.BigEndian
		}
		b := f.Bytes()
		files = append(files, cutFile{fmt.Sprintf("pcap-big%v", big), b, pcapSpans(b, o)})
		f.Format = capturetest.Pcapng
		b = f.Bytes()
		files = append(files, cutFile{fmt.Sprintf("pcapng-big%v", big), b, pcapngSpans(b)})
	}
	for _, s := range specials() {
		if s.name == "pcapng-sections" || s.name == "pcapng-simple" {
			files = append(files, cutFile{s.name, s.data, pcapngSpans(s.data)})
		}
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			_, full, err := readAll(t, f.b, Options{})
			if err != io.EOF {
				t.Fatalf("whole file: %v", err)
			}
			for cut := 0; cut <= len(f.b); cut++ {
				_, got, err := readAll(t, f.b[:cut], Options{})
				if err != io.EOF && (err == nil || !strings.HasPrefix(err.Error(), "capture: ")) {
					t.Errorf("cut %d: error %v lacks the \"capture: \" prefix", cut, err)
				}
				want := expect(f.spans, cut, strings.HasPrefix(f.name, "pcapng"))
				if diff := cmp.Diff(want, outcomeOf(got, err)); diff != "" {
					t.Fatalf("cut at %d of %d (err %v) (-want +got):\n%s", cut, len(f.b), err, diff)
				}
				if diff := cmp.Diff(full[:len(got)], got, normalise); diff != "" {
					t.Fatalf("cut at %d: packets differ (-want +got):\n%s", cut, diff)
				}
			}
		})
	}
}

// TestTruncatedGzip cuts a gzip'd file at every byte: packets read are a
// prefix of the whole, and the end is always a TruncatedError (the gzip
// trailer is missing), except too short to sniff.
func TestTruncatedGzip(t *testing.T) {
	plain := capturetest.File{Format: capturetest.Pcapng, Packets: samplePackets()}.Bytes()
	b := capturetest.Gzip(plain)
	_, full, _ := readAll(t, plain, Options{})
	for cut := 0; cut < len(b); cut++ {
		_, got, err := readAll(t, b[:cut], Options{})
		var te *TruncatedError
		switch {
		case cut < 2:
			if !errors.Is(err, ErrNotCapture) {
				t.Errorf("cut %d: got %v; want ErrNotCapture", cut, err)
			}
		case !errors.As(err, &te) || !errors.Is(err, io.ErrUnexpectedEOF):
			t.Fatalf("cut %d of %d: got %v; want a *TruncatedError", cut, len(b), err)
		}
		if diff := cmp.Diff(full[:len(got)], got, normalise); diff != "" {
			t.Fatalf("cut %d: packets differ (-want +got):\n%s", cut, diff)
		}
	}
	// Cut exactly between two records of the decompressed data.
	s := pcapngSpans(plain)[5]
	z := capturetest.Gzip(plain[:s.end])
	_, got, err := readAll(t, z[:len(z)-8], Options{})
	want := &TruncatedError{Frame: s.packets + 1}
	if diff := cmp.Diff(error(want), err); diff != "" || len(got) != s.packets {
		t.Errorf("gzip without its trailer: %d packets, %v; want %d and %v", len(got), err, s.packets, want)
	}
}

func TestTruncatedErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  TruncatedError
		want string
	}{
		{TruncatedError{Frame: 812, Inside: "packet"}, "capture: file ends inside packet 812"},
		{TruncatedError{Frame: 1, Inside: "pcap file header"}, "capture: file ends inside the pcap file header before the first packet"},
		{TruncatedError{Frame: 6, Inside: "interface description block"}, "capture: file ends inside the interface description block after packet 5"},
		{TruncatedError{Frame: 12}, "capture: file is cut short after packet 11"},
		{TruncatedError{Frame: 1, Inside: "gzip header"}, "capture: file ends inside the gzip header before the first packet"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%+v: %q; want %q", tt.err, got, tt.want)
		}
	}
}
