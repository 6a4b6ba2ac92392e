package framing

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ft "github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/parse/capture"
)

// fuzzLinkTypes are the link types a fuzz input can choose from: all the
// decoder reads, and one it does not.
var fuzzLinkTypes = [...]uint32{1, 113, 276, 0, 108, 228, 229, 101, 252, 149, 152, 153, 154, 155, 157, 147, 105}

// fuzzPackets splits a fuzz input into packets: each is a link-type index
// (modulo len(fuzzLinkTypes)), a big-endian 16-bit length and that many
// bytes (fewer at the end of the input).
func fuzzPackets(b []byte) []capture.Packet {
	var out []capture.Packet
	for len(b) >= 3 {
		lt := fuzzLinkTypes[int(b[0])%len(fuzzLinkTypes)]
		n := min(int(binary.BigEndian.Uint16(b[1:])), len(b)-3)
		out = append(out, capture.Packet{
			Frame:    len(out) + 1,
			Time:     ft.Start.Add(time.Duration(len(out)) * time.Millisecond),
			LinkType: lt,
			Data:     b[3 : 3+n],
			OrigLen:  n,
		})
		b = b[3+n:]
	}
	return out
}

// fuzzInput is the inverse of fuzzPackets, for seeds.
func fuzzInput(pkts []ft.Packet) []byte {
	var b []byte
	for _, p := range pkts {
		i := 0
		for fuzzLinkTypes[i] != p.LinkType {
			i++
		}
		b = append(b, byte(i))
		b = binary.BigEndian.AppendUint16(b, uint16(len(p.Data)))
		b = append(b, p.Data...)
	}
	return b
}

// fuzzOptions are small limits, so that short inputs reach them.
var fuzzOptions = Options{MaxPendingBytes: 4096, MaxPendingDatagrams: 4, MaxPendingChunks: 8, MaxMessageSize: 3000, Timeout: 6, Unknown: true}

// FuzzDecoder feeds sequences of packets of random link types and checks
// the invariants: no panic; units belong to the packet that completes them;
// payloads are no larger than the input allows; warnings name their frame
// and layer; the pending state stays within the limits and Flush empties
// it.
func FuzzDecoder(f *testing.F) {
	for _, sc := range append(scenarios(), malformedScenario()) {
		f.Add(fuzzInput(sc.pkts))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pkts := fuzzPackets(b)
		d := NewDecoder(fuzzOptions)
		total := 0
		for _, p := range pkts {
			total += len(p.Data)
			units, warns := d.Packet(p)
			for _, u := range units {
				if u.Frame != p.Frame || u.Detail.FirstFrame < 1 || u.Detail.FirstFrame > u.Frame {
					t.Fatalf("frame %d: unit with frame %d, first frame %d", p.Frame, u.Frame, u.Detail.FirstFrame)
				}
				if len(u.Payload) > total || len(u.Payload) > max(fuzzOptions.MaxMessageSize, maxIPPayload) {
					t.Fatalf("frame %d: %d-byte payload from %d bytes of input", p.Frame, len(u.Payload), total)
				}
				if u.Protocol != "" && !validProtocol(u.Protocol) {
					t.Fatalf("frame %d: protocol %q", p.Frame, u.Protocol)
				}
			}
			for _, w := range warns {
				if w.Frame < 1 || w.Frame > p.Frame || !strings.HasPrefix(w.Error, fmt.Sprintf("framing: frame %d: %s: ", w.Frame, w.Layer)) {
					t.Fatalf("frame %d: warning %+v", p.Frame, w)
				}
			}
			s := d.Stats()
			if s.PendingBytes < 0 || s.PendingBytes > fuzzOptions.MaxPendingBytes ||
				len(d.frags) > fuzzOptions.MaxPendingDatagrams || len(d.chunks) > fuzzOptions.MaxPendingChunks ||
				len(d.once) > maxOnce || len(d.tsns) > maxAssociations {
				t.Fatalf("frame %d: state over the limits: %d bytes, %d datagrams, %d fragments", p.Frame, s.PendingBytes, len(d.frags), len(d.chunks))
			}
		}
		d.Flush()
		if s := d.Stats(); s.PendingBytes != 0 || len(d.frags) != 0 || len(d.chunks) != 0 {
			t.Fatalf("after Flush: %d bytes, %d datagrams, %d fragments", s.PendingBytes, len(d.frags), len(d.chunks))
		}
	})
}

func validProtocol(p string) bool {
	switch p {
	case ProtocolF1AP, ProtocolNGAP, ProtocolE1AP, ProtocolE2AP, ProtocolXnAP, ProtocolMACNR, ProtocolMACNRFramed,
		ProtocolRLCNR, ProtocolPDCPNR, ProtocolNAS5GS:
		return true
	}
	return strings.HasPrefix(p, ProtocolNRRRC)
}

// TestFuzzSeeds keeps testdata/fuzz/FuzzDecoder in step with the scenarios
// (go test -update rewrites the seed files).
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecoder")
	for _, sc := range append(scenarios(), malformedScenario()) {
		path := filepath.Join(dir, "seed-"+sc.name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", fuzzInput(sc.pkts))
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale (go test -update rewrites it)", path)
		}
	}
}

// TestMutations is a small deterministic fuzz run: every scenario packet
// cut at every length, and with every byte flipped, through one decoder.
func TestMutations(t *testing.T) {
	d := NewDecoder(fuzzOptions)
	frame := 0
	feed := func(lt uint32, data []byte) {
		frame++
		units, warns := d.Packet(capture.Packet{Frame: frame, LinkType: lt, Data: data})
		for _, u := range units {
			if u.Frame != frame {
				t.Fatalf("frame %d: unit of frame %d", frame, u.Frame)
			}
		}
		for _, w := range warns {
			if !strings.HasPrefix(w.Error, "framing: frame ") {
				t.Fatalf("warning %q", w.Error)
			}
		}
	}
	for _, sc := range append(scenarios(), malformedScenario()) {
		for _, p := range sc.pkts {
			for n := range len(p.Data) {
				feed(p.LinkType, p.Data[:n])
			}
			for i := range p.Data {
				for _, x := range []byte{0xff, 0x80, 0x01} {
					feed(p.LinkType, edit(p.Data, func(b []byte) { b[i] ^= x }))
				}
			}
		}
	}
	d.Flush()
	if d.Stats().PendingBytes != 0 {
		t.Errorf("%d bytes pending after Flush", d.Stats().PendingBytes)
	}
	t.Logf("%d mutated packets: %+v", frame, d.Stats())
}
