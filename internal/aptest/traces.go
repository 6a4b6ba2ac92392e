package aptest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// SharedDir returns the shared material directory holding traces/: the
// directory $NRLADDER_SHARED, or the first directory named shared found
// beside the working directory or one of its parents (a test runs in its
// package directory). When there is none the test is skipped, saying so.
func SharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		if !hasTraces(d) {
			t.Skipf("NRLADDER_SHARED=%s has no traces/: shared-trace test SKIPPED", d)
		}
		return d
	}
	dir, err := os.Getwd()
	if err == nil {
		for range 8 {
			if d := filepath.Join(dir, "shared"); hasTraces(d) {
				return d
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	t.Skip("shared/traces not found (set NRLADDER_SHARED): shared-trace test SKIPPED")
	return ""
}

func hasTraces(shared string) bool {
	st, err := os.Stat(filepath.Join(shared, "traces"))
	return err == nil && st.IsDir()
}

// Link types of the shared captures.
const (
	LinkEthernet = 1
	LinkRawIPv4  = 228
	LinkUser5    = 152 // srsRAN: one raw NGAP PDU per record
)

// PPIDs of SCTP DATA chunks (RFC 4960 payload protocol identifiers).
const (
	PPIDNGAP = 60
	PPIDF1AP = 62
)

// PDU is one SCTP user message (or one raw NGAP record of link type 152).
type PDU struct {
	Frame int    // 1-based record number in the capture
	PPID  uint32 // payload protocol identifier; PPIDNGAP for link type 152
	Data  []byte
}

// ErrFormat is a capture this reader does not understand.
var ErrFormat = errors.New("aptest: not a pcap or pcapng file")

// Record is one packet of a capture with the link type of its interface.
type Record struct {
	Link uint32
	Data []byte
}

// ReadCapture reads a classic pcap file (either byte order, micro- or
// nanosecond timestamps) or a pcapng file (enhanced and simple packet
// blocks, one link type per interface) and returns its records in order.
func ReadCapture(b []byte) ([]Record, error) {
	if len(b) >= 4 && binary.BigEndian.Uint32(b) == 0x0a0d0d0a {
		return readPcapng(b)
	}
	if len(b) < 24 {
		return nil, ErrFormat
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		order = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	default:
		return nil, ErrFormat
	}
	link := order.Uint32(b[20:])
	var records []Record
	for off := 24; off < len(b); {
		if len(b)-off < 16 {
			return records, fmt.Errorf("aptest: record header at byte %d: truncated", off)
		}
		n := int(order.Uint32(b[off+8:]))
		off += 16
		if n > len(b)-off {
			return records, fmt.Errorf("aptest: record at byte %d: %d bytes, %d left", off, n, len(b)-off)
		}
		records = append(records, Record{Link: link, Data: b[off : off+n]})
		off += n
	}
	return records, nil
}

func readPcapng(b []byte) ([]Record, error) {
	var order binary.ByteOrder = binary.LittleEndian
	var links []uint32
	var records []Record
	for off := 0; off < len(b); {
		if len(b)-off < 12 {
			return records, fmt.Errorf("aptest: pcapng block at byte %d: truncated", off)
		}
		typ := order.Uint32(b[off:])
		if typ == 0x0a0d0d0a { // section header: its byte-order magic decides
			if binary.LittleEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = binary.LittleEndian
			} else {
				order = binary.BigEndian
			}
			links = links[:0]
		}
		n := int(order.Uint32(b[off+4:]))
		if n < 12 || n%4 != 0 || n > len(b)-off {
			return records, fmt.Errorf("aptest: pcapng block at byte %d: length %d", off, n)
		}
		body := b[off+8 : off+n-4]
		switch typ {
		case 1: // interface description
			if len(body) >= 2 {
				links = append(links, uint32(order.Uint16(body)))
			}
		case 6: // enhanced packet
			if len(body) >= 20 {
				iface, capLen := int(order.Uint32(body)), int(order.Uint32(body[12:]))
				if iface < len(links) && capLen <= len(body)-20 {
					records = append(records, Record{Link: links[iface], Data: body[20 : 20+capLen]})
				}
			}
		case 3: // simple packet
			if len(body) >= 4 && len(links) > 0 {
				capLen := min(int(order.Uint32(body)), len(body)-4)
				records = append(records, Record{Link: links[0], Data: body[4 : 4+capLen]})
			}
		}
		off += n
	}
	return records, nil
}

// PDUs returns the SCTP user messages of the F1AP and NGAP PPIDs carried
// by a capture's records (Ethernet or raw IPv4, IPv4, SCTP DATA chunks;
// fragmented user messages reassembled in order) or, for link type 152,
// the records themselves as NGAP.
func PDUs(records []Record) []PDU {
	var out []PDU
	partial := map[uint32][]byte{} // stream id<<16 | ssn → fragments so far
	for i, rec := range records {
		frame := i + 1
		if rec.Link == LinkUser5 {
			out = append(out, PDU{Frame: frame, PPID: PPIDNGAP, Data: rec.Data})
			continue
		}
		ip := rec.Data
		if rec.Link == LinkEthernet {
			ip = ethernetPayload(rec.Data)
		} else if rec.Link != LinkRawIPv4 {
			continue
		}
		sctp := ipv4SCTP(ip)
		if len(sctp) < 12 {
			continue
		}
		for c := sctp[12:]; len(c) >= 4; {
			typ, flags := c[0], c[1]
			n := int(binary.BigEndian.Uint16(c[2:]))
			if n < 4 || n > len(c) {
				break
			}
			if typ == 0 && n >= 16 {
				key := uint32(binary.BigEndian.Uint16(c[8:]))<<16 | uint32(binary.BigEndian.Uint16(c[10:]))
				ppid := binary.BigEndian.Uint32(c[12:])
				data := c[16:n]
				switch flags & 3 {
				case 3: // B and E: a whole message
					out = append(out, PDU{Frame: frame, PPID: ppid, Data: data})
				case 2: // B: first fragment
					partial[key] = append([]byte(nil), data...)
				case 0: // middle
					partial[key] = append(partial[key], data...)
				case 1: // E: last fragment
					out = append(out, PDU{Frame: frame, PPID: ppid, Data: append(partial[key], data...)})
					delete(partial, key)
				}
			}
			pad := (n + 3) &^ 3
			if pad > len(c) {
				break
			}
			c = c[pad:]
		}
	}
	return out
}

func ethernetPayload(f []byte) []byte {
	if len(f) < 14 {
		return nil
	}
	typ, p := binary.BigEndian.Uint16(f[12:]), f[14:]
	for typ == 0x8100 && len(p) >= 4 { // 802.1Q
		typ, p = binary.BigEndian.Uint16(p[2:]), p[4:]
	}
	if typ != 0x0800 {
		return nil
	}
	return p
}

// ipv4SCTP returns the SCTP packet of an unfragmented IPv4 datagram.
func ipv4SCTP(p []byte) []byte {
	if len(p) < 20 || p[0]>>4 != 4 || p[9] != 132 {
		return nil
	}
	hl := int(p[0]&15) * 4
	total := int(binary.BigEndian.Uint16(p[2:]))
	if hl < 20 || total < hl || total > len(p) || binary.BigEndian.Uint16(p[6:])&0x3fff != 0 {
		return nil
	}
	return p[hl:total]
}

// TracePDUs reads a capture of the shared traces directory and returns its
// PDUs of the given PPID. The test is skipped when shared/ is absent and
// fails when the file cannot be read.
func TracePDUs(t testing.TB, name string, ppid uint32) []PDU {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(SharedDir(t), "traces", name))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := ReadCapture(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []PDU
	for _, p := range PDUs(recs) {
		if p.PPID == ppid {
			out = append(out, p)
		}
	}
	return out
}
