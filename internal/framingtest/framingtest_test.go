package framingtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"testing"
)

// onesSum is the Internet checksum of b: 0 when b holds a correct one.
func onesSum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

func TestChecksums(t *testing.T) {
	src, dst := netip.AddrPortFrom(CU, 1), netip.AddrPortFrom(DU, 2)
	ip := UDPPacket(src, dst, []byte("mac-nr\x02\x01\x03"))
	if onesSum(ip[:20]) != 0 {
		t.Error("IPv4 header checksum wrong")
	}
	pseudo := append(append(append([]byte{}, ip[12:20]...), 0, ProtoUDP), ip[24:26]...)
	if onesSum(append(pseudo, ip[20:]...)) != 0 {
		t.Error("UDP checksum wrong")
	}
	s := SCTP(src, dst, 7, Whole(1, 0, 0, 62, []byte{1, 2, 3}).Chunk())
	sum := binary.LittleEndian.Uint32(s[8:])
	binary.LittleEndian.PutUint32(s[8:], 0)
	if crc32.Checksum(s, crc32.MakeTable(crc32.Castagnoli)) != sum {
		t.Error("SCTP CRC32c wrong")
	}
}

func TestFragmentsCoverTheSegment(t *testing.T) {
	seg := bytes.Repeat([]byte{1, 2, 3, 4, 5}, 100)
	var got []byte
	frags := IPv4Fragments(CU, DU, ProtoSCTP, 9, seg, 100)
	for i, f := range frags {
		off := int(binary.BigEndian.Uint16(f[6:])&0x1fff) * 8
		more := f[6]&0x20 != 0
		if off != len(got) || more != (i < len(frags)-1) {
			t.Fatalf("fragment %d: offset %d more %v", i, off, more)
		}
		got = append(got, f[20:]...)
	}
	if !bytes.Equal(got, seg) {
		t.Error("IPv4 fragments do not add up to the segment")
	}
	got = nil
	for _, f := range IPv6Fragments(CU6, DU6, ProtoSCTP, 9, seg, 100) {
		got = append(got, f[48:]...)
	}
	if !bytes.Equal(got, seg) {
		t.Error("IPv6 fragments do not add up to the segment")
	}
	var msg []byte
	fr := Whole(10, 1, 0, 62, seg).Fragments(64)
	for i, c := range fr {
		if c.TSN != 10+uint32(i) || c.Begin != (i == 0) || c.End != (i == len(fr)-1) {
			t.Fatalf("DATA fragment %d: %+v", i, c)
		}
		msg = append(msg, c.Payload...)
	}
	if !bytes.Equal(msg, seg) {
		t.Error("DATA fragments do not add up to the message")
	}
}

func TestAPPDULength(t *testing.T) {
	for _, n := range []int{0, 100, 127, 128, 1000, 16000} {
		pdu := APPDU(InitiatingMessage, 13, Ignore, IE(50, Reject, make([]byte, n)))
		var l, at int
		if pdu[3]&0x80 == 0 {
			l, at = int(pdu[3]), 4
		} else {
			l, at = int(pdu[3]&0x3f)<<8|int(pdu[4]), 5
		}
		if at+l != len(pdu) {
			t.Errorf("IE of %d bytes: open type length %d, %d bytes follow", n, l, len(pdu)-at)
		}
	}
}
