package capture

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
)

// benchFile builds a capture of about size bytes: packets of 60 to 1500
// bytes, alternating between two link types (two interfaces in pcapng).
func benchFile(format capturetest.Format, size int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	f := capturetest.File{Format: format, LinkType: capturetest.LinkTypeExportedPDU}
	ts := t0
	for n := 0; n < size; {
		data := make([]byte, 60+rng.IntN(1441))
		for i := range data[:len(data)/2] { // half random, half zeros: gzip to about 60 %
			data[i] = byte(rng.Uint32())
		}
		lt := uint32(capturetest.LinkTypeExportedPDU)
		if len(f.Packets)%2 == 1 {
			lt = capturetest.LinkTypeEthernet
		}
		f.Packets = append(f.Packets, capturetest.Packet{Time: ts, LinkType: lt, Data: data})
		ts = ts.Add(time.Duration(rng.IntN(1e6)))
		n += len(data) + 32
	}
	return f.Bytes()
}

func BenchmarkReader(b *testing.B) {
	pcap, ng := benchFile(capturetest.Pcap, 10<<20), benchFile(capturetest.Pcapng, 10<<20)
	for _, bc := range []struct {
		name string
		data []byte
		size int // MB/s counts the bytes of the capture, decompressed
	}{
		{"pcap", pcap, len(pcap)},
		{"pcapng", ng, len(ng)},
		{"pcap.gz", capturetest.Gzip(pcap), len(pcap)},
		{"pcapng.gz", capturetest.Gzip(ng), len(ng)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bc.size))
			var packets int
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(bc.data), Options{})
				if err != nil {
					b.Fatal(err)
				}
				packets = 0
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					packets++
				}
			}
			b.ReportMetric(float64(packets), "packets/op")
		})
	}
}
