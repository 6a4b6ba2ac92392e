package mactest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// SharedTraces returns the shared captures directory: $NRLADDER_SHARED/traces,
// or the first shared/traces found beside the working directory or one of
// its parents. It skips the test, saying so, when there is none.
func SharedTraces(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		p := filepath.Join(d, "traces")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		t.Skipf("SKIPPED: NRLADDER_SHARED=%s has no traces directory: trace comparison not run", d)
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("SKIPPED: %v", err)
	}
	for range 8 {
		p := filepath.Join(dir, "shared", "traces")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skip("SKIPPED: shared/traces not found beside the repository (set NRLADDER_SHARED): trace comparison with tshark not run")
	return ""
}

// Packet is one record of a capture file.
type Packet struct {
	Frame int // 1-based, as Wireshark numbers it
	Time  time.Time
	Data  []byte
}

// ReadPcap reads a classic pcap file (either byte order, micro- or
// nanosecond timestamps) and returns its link type and packets.
func ReadPcap(b []byte) (uint32, []Packet, error) {
	if len(b) < 24 {
		return 0, nil, fmt.Errorf("pcap: %d bytes, too short", len(b))
	}
	var o binary.ByteOrder
	nano := false
	switch {
	case bytes.Equal(b[:4], []byte{0xd4, 0xc3, 0xb2, 0xa1}):
		o = binary.LittleEndian
	case bytes.Equal(b[:4], []byte{0x4d, 0x3c, 0xb2, 0xa1}):
		o, nano = binary.LittleEndian, true
	case bytes.Equal(b[:4], []byte{0xa1, 0xb2, 0xc3, 0xd4}):
		o = binary.BigEndian
	case bytes.Equal(b[:4], []byte{0xa1, 0xb2, 0x3c, 0x4d}):
		o, nano = binary.BigEndian, true
	default:
		return 0, nil, fmt.Errorf("pcap: magic %x", b[:4])
	}
	lt := o.Uint32(b[20:])
	var ps []Packet
	for off := 24; off < len(b); {
		if off+16 > len(b) {
			return lt, ps, fmt.Errorf("pcap: record %d: truncated header", len(ps)+1)
		}
		sec, sub, incl := o.Uint32(b[off:]), o.Uint32(b[off+4:]), int(o.Uint32(b[off+8:]))
		off += 16
		if incl > len(b)-off {
			return lt, ps, fmt.Errorf("pcap: record %d: truncated data", len(ps)+1)
		}
		ns := int64(sub) * 1000
		if nano {
			ns = int64(sub)
		}
		ps = append(ps, Packet{Frame: len(ps) + 1, Time: time.Unix(int64(sec), ns).UTC(), Data: b[off : off+incl]})
		off += incl
	}
	return lt, ps, nil
}

// Link types the MAC-NR captures use.
const (
	LinkTypeUser2   = 149 // srsRAN: 8-byte UDP header + mac-nr / rlc-nr framing
	LinkTypeRawIPv4 = 228 // OpenAirInterface --opt: IPv4 + UDP + mac-nr framing
)

// UDPPayload strips the outer layers of a MAC-NR capture record: the fake
// UDP header of DLT 149, or IPv4 (any header length, no fragments) and
// UDP of link type 228. It reports false for anything else.
func UDPPayload(linkType uint32, data []byte) ([]byte, bool) {
	switch linkType {
	case LinkTypeUser2:
		if len(data) < 8 {
			return nil, false
		}
		return data[8:], true
	case LinkTypeRawIPv4:
		if len(data) < 20 || data[0]>>4 != 4 || data[9] != 17 {
			return nil, false
		}
		ihl := int(data[0]&15) * 4
		if ihl < 20 || len(data) < ihl+8 {
			return nil, false
		}
		return data[ihl+8:], true
	}
	return nil, false
}
