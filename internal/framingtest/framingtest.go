// Package framingtest builds the packets that the framing decoder reads, for
// tests, fuzz seeds and benchmarks: Ethernet (with 802.1Q/802.1ad tags),
// Linux SLL and SLL2, BSD loopback and raw IP frames around IPv4 or IPv6
// (fragmented or not), UDP and SCTP (several DATA or I-DATA chunks,
// fragmented user messages, control chunks), and the payloads that ride on
// them: the mac-nr/rlc-nr framings, GSMTAP v3 NR RRC, QCSuper's NR RRC log,
// UERANSIM RLS, exported PDUs and F1AP/NGAP-shaped APER PDUs.
//
// IPv4, IPv6, UDP, Ethernet, 802.1Q and loopback headers are written by
// gopacket's layers (an encoder independent of the decoder under test),
// checksums included (SCTP's CRC32c too), so that tshark accepts every
// packet. It is test support only and imports nothing from the project but
// capture and capturetest.
package framingtest

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/capture"
)

// Link types the builders write.
const (
	LinkNull        = 0
	LinkEthernet    = 1
	LinkRaw         = 101
	LinkLinuxSLL    = 113
	LinkIPv4        = 228
	LinkIPv6        = 229
	LinkExportedPDU = 252
	LinkLinuxSLL2   = 276
)

// IP protocol numbers.
const (
	ProtoUDP  = 17
	ProtoSCTP = 132
)

// Addresses of a small RAN: gNB-CU, gNB-DU and AMF, in IPv4 and IPv6.
var (
	CU  = netip.MustParseAddr("10.10.1.1")
	DU  = netip.MustParseAddr("10.10.1.2")
	AMF = netip.MustParseAddr("10.10.2.1")

	CU6  = netip.MustParseAddr("2001:db8::1")
	DU6  = netip.MustParseAddr("2001:db8::2")
	AMF6 = netip.MustParseAddr("2001:db8::a")
)

// Start is the time of the first packet of every capture built here.
var Start = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

var serializeOpts = gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}

func serialize(ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, serializeOpts, ls...); err != nil {
		panic("framingtest: " + err.Error())
	}
	return append([]byte(nil), buf.Bytes()...)
}

func ipv4Layer(src, dst netip.Addr, proto uint8) *layers.IPv4 {
	return &layers.IPv4{
		Version: 4, TTL: 64, Protocol: layers.IPProtocol(proto),
		SrcIP: src.AsSlice(), DstIP: dst.AsSlice(),
	}
}

func ipv6Layer(src, dst netip.Addr, next uint8) *layers.IPv6 {
	return &layers.IPv6{
		Version: 6, HopLimit: 64, NextHeader: layers.IPProtocol(next),
		SrcIP: src.AsSlice(), DstIP: dst.AsSlice(),
	}
}

// IP returns an IPv4 or IPv6 packet (by the family of src) around a
// transport segment.
func IP(src, dst netip.Addr, proto uint8, segment []byte) []byte {
	if src.Is4() {
		return IPv4(src, dst, proto, segment)
	}
	return IPv6(src, dst, proto, segment)
}

// IPv4 returns an IPv4 packet (header checksum set).
func IPv4(src, dst netip.Addr, proto uint8, payload []byte) []byte {
	return serialize(ipv4Layer(src, dst, proto), gopacket.Payload(payload))
}

// IPv4Fragments splits a transport segment into IPv4 fragments carrying
// size bytes each (size is rounded down to a multiple of 8), in order.
func IPv4Fragments(src, dst netip.Addr, proto uint8, id uint16, segment []byte, size int) [][]byte {
	size = max(8, size&^7)
	var out [][]byte
	for off := 0; off < len(segment); off += size {
		end := min(off+size, len(segment))
		ip := ipv4Layer(src, dst, proto)
		ip.Id = id
		ip.FragOffset = uint16(off / 8)
		if end < len(segment) {
			ip.Flags = layers.IPv4MoreFragments
		}
		out = append(out, serialize(ip, gopacket.Payload(segment[off:end])))
	}
	return out
}

// IPv6 returns an IPv6 packet.
func IPv6(src, dst netip.Addr, next uint8, payload []byte) []byte {
	return serialize(ipv6Layer(src, dst, next), gopacket.Payload(payload))
}

// IPv6WithDestOpts returns an IPv6 packet whose payload follows a
// hop-by-hop and a destination options header (8 bytes each, PadN).
func IPv6WithDestOpts(src, dst netip.Addr, next uint8, payload []byte) []byte {
	hbh := []byte{60, 0, 1, 4, 0, 0, 0, 0}    // next: destination options; length 8; PadN
	dest := []byte{next, 0, 1, 4, 0, 0, 0, 0} // next: the payload; length 8; PadN
	body := append(append(hbh, dest...), payload...)
	return serialize(ipv6Layer(src, dst, 0), gopacket.Payload(body))
}

// IPv6Fragments splits a transport segment into IPv6 fragments (a fragment
// header each) carrying size bytes each (rounded down to a multiple of 8).
func IPv6Fragments(src, dst netip.Addr, next uint8, id uint32, segment []byte, size int) [][]byte {
	size = max(8, size&^7)
	var out [][]byte
	for off := 0; off < len(segment); off += size {
		end := min(off+size, len(segment))
		fh := make([]byte, 8, 8+end-off)
		fh[0] = next
		fo := uint16(off/8) << 3
		if end < len(segment) {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], fo)
		binary.BigEndian.PutUint32(fh[4:], id)
		out = append(out, serialize(ipv6Layer(src, dst, 44), gopacket.Payload(append(fh, segment[off:end]...))))
	}
	return out
}

// UDP returns a UDP header and payload, with the checksum over the
// pseudo-header of src and dst (IPv4 or IPv6).
func UDP(src, dst netip.AddrPort, payload []byte) []byte {
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	var ip gopacket.SerializableLayer
	var hdr int
	if src.Addr().Is4() {
		l := ipv4Layer(src.Addr(), dst.Addr(), ProtoUDP)
		udp.SetNetworkLayerForChecksum(l)
		ip, hdr = l, 20
	} else {
		l := ipv6Layer(src.Addr(), dst.Addr(), ProtoUDP)
		udp.SetNetworkLayerForChecksum(l)
		ip, hdr = l, 40
	}
	return serialize(ip, udp, gopacket.Payload(payload))[hdr:]
}

// UDPPacket returns an IP packet carrying a UDP datagram.
func UDPPacket(src, dst netip.AddrPort, payload []byte) []byte {
	return IP(src.Addr(), dst.Addr(), ProtoUDP, UDP(src, dst, payload))
}

// Link wraps an IP packet in the given link type: Ethernet (1), Linux SLL
// (113), Linux SLL2 (276), BSD loopback (0, little-endian family), raw IP
// (101), raw IPv4 (228) or raw IPv6 (229).
func Link(linkType uint32, ip []byte) []byte {
	switch linkType {
	case LinkEthernet:
		return Ethernet(ip)
	case LinkLinuxSLL:
		return SLL(ip)
	case LinkLinuxSLL2:
		return SLL2(ip)
	case LinkNull:
		return Loopback(ip, false)
	case LinkRaw, LinkIPv4, LinkIPv6:
		return append([]byte(nil), ip...)
	}
	panic("framingtest: Link: unsupported link type")
}

func etherTypeOf(ip []byte) layers.EthernetType {
	if len(ip) > 0 && ip[0]>>4 == 6 {
		return layers.EthernetTypeIPv6
	}
	return layers.EthernetTypeIPv4
}

var (
	macDU = []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}
	macCU = []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}
)

// Ethernet wraps an IP packet in an Ethernet frame, with VLAN tags (outer
// first): one tag is 802.1Q, two or more make 802.1ad QinQ.
func Ethernet(ip []byte, vlans ...uint16) []byte {
	et := etherTypeOf(ip)
	ls := []gopacket.SerializableLayer{}
	eth := &layers.Ethernet{SrcMAC: macDU, DstMAC: macCU, EthernetType: et}
	ls = append(ls, eth)
	for i, v := range vlans {
		next := et
		if i+1 < len(vlans) {
			next = layers.EthernetTypeDot1Q
		}
		if i == 0 {
			eth.EthernetType = layers.EthernetTypeDot1Q
			if len(vlans) > 1 {
				eth.EthernetType = layers.EthernetTypeQinQ
			}
		}
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: v, Type: next})
	}
	return serialize(append(ls, gopacket.Payload(ip))...)
}

// SLL wraps an IP packet in a Linux cooked capture (v1) header: packet
// type "to us", ARPHRD_ETHER, a 6-byte address.
func SLL(ip []byte) []byte {
	h := make([]byte, 16, 16+len(ip))
	binary.BigEndian.PutUint16(h[0:], 0) // LINUX_SLL_HOST
	binary.BigEndian.PutUint16(h[2:], 1) // ARPHRD_ETHER
	binary.BigEndian.PutUint16(h[4:], 6)
	copy(h[6:], macDU)
	binary.BigEndian.PutUint16(h[14:], uint16(etherTypeOf(ip)))
	return append(h, ip...)
}

// SLL2 wraps an IP packet in a Linux cooked capture v2 header (which
// gopacket does not know): protocol, reserved, interface index 3,
// ARPHRD_ETHER, packet type "to us", a 6-byte address.
func SLL2(ip []byte) []byte {
	h := make([]byte, 20, 20+len(ip))
	binary.BigEndian.PutUint16(h[0:], uint16(etherTypeOf(ip)))
	binary.BigEndian.PutUint32(h[4:], 3)
	binary.BigEndian.PutUint16(h[8:], 1)
	h[10] = 0
	h[11] = 6
	copy(h[12:], macDU)
	return append(h, ip...)
}

// Loopback wraps an IP packet in a BSD loopback header: the address family
// (2 for IPv4, 24 for IPv6) in little-endian (as gopacket writes it) or
// big-endian byte order.
func Loopback(ip []byte, bigEndian bool) []byte {
	fam := layers.ProtocolFamilyIPv4
	if etherTypeOf(ip) == layers.EthernetTypeIPv6 {
		fam = layers.ProtocolFamilyIPv6BSD
	}
	if !bigEndian {
		return serialize(&layers.Loopback{Family: fam}, gopacket.Payload(ip))
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(fam)), ip...)
}

// SCTP returns an SCTP packet (common header, CRC32c checksum) holding the
// chunks in order.
func SCTP(src, dst netip.AddrPort, vtag uint32, chunks ...[]byte) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint16(b[0:], src.Port())
	binary.BigEndian.PutUint16(b[2:], dst.Port())
	binary.BigEndian.PutUint32(b[4:], vtag)
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return b
}

// SCTPPacket returns an IP packet carrying an SCTP packet.
func SCTPPacket(src, dst netip.AddrPort, vtag uint32, chunks ...[]byte) []byte {
	return IP(src.Addr(), dst.Addr(), ProtoSCTP, SCTP(src, dst, vtag, chunks...))
}

// Chunk returns an SCTP chunk of any type, padded to 4 bytes.
func Chunk(typ, flags uint8, value []byte) []byte {
	b := []byte{typ, flags, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(4+len(value)))
	b = append(b, value...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// SACK returns a SACK chunk acknowledging cumTSN.
func SACK(cumTSN uint32) []byte {
	v := binary.BigEndian.AppendUint32(nil, cumTSN)
	v = binary.BigEndian.AppendUint32(v, 65536) // a_rwnd
	v = append(v, 0, 0, 0, 0)                   // no gap blocks, no duplicate TSNs
	return Chunk(3, 0, v)
}

// Heartbeat returns a HEARTBEAT chunk with an 8-byte heartbeat info.
func Heartbeat() []byte {
	return Chunk(4, 0, []byte{0, 1, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8})
}

// Data describes a DATA chunk.
type Data struct {
	TSN        uint32
	Stream     uint16
	SSN        uint16
	PPID       uint32
	Begin, End bool
	Unordered  bool
	Payload    []byte
}

// Whole is a DATA chunk holding a whole user message.
func Whole(tsn uint32, stream uint16, ssn uint16, ppid uint32, payload []byte) Data {
	return Data{TSN: tsn, Stream: stream, SSN: ssn, PPID: ppid, Begin: true, End: true, Payload: payload}
}

// Chunk encodes the DATA chunk.
func (c Data) Chunk() []byte {
	v := binary.BigEndian.AppendUint32(nil, c.TSN)
	v = binary.BigEndian.AppendUint16(v, c.Stream)
	v = binary.BigEndian.AppendUint16(v, c.SSN)
	v = binary.BigEndian.AppendUint32(v, c.PPID)
	return Chunk(0, dataFlags(c.Begin, c.End, c.Unordered), append(v, c.Payload...))
}

func dataFlags(begin, end, unordered bool) uint8 {
	var f uint8
	if end {
		f |= 1
	}
	if begin {
		f |= 2
	}
	if unordered {
		f |= 4
	}
	return f
}

// Fragments splits a user message into DATA chunks of at most size bytes
// with consecutive TSNs from c.TSN (B on the first, E on the last).
func (c Data) Fragments(size int) []Data {
	var out []Data
	for off := 0; off < len(c.Payload); off += size {
		end := min(off+size, len(c.Payload))
		f := c
		f.TSN = c.TSN + uint32(len(out))
		f.Begin, f.End = off == 0, end == len(c.Payload)
		f.Payload = c.Payload[off:end]
		out = append(out, f)
	}
	return out
}

// IData describes an I-DATA chunk (RFC 8260).
type IData struct {
	TSN        uint32
	Stream     uint16
	MID        uint32
	PPID       uint32 // first fragment only
	FSN        uint32 // the other fragments
	Begin, End bool
	Unordered  bool
	Payload    []byte
}

// Chunk encodes the I-DATA chunk.
func (c IData) Chunk() []byte {
	v := binary.BigEndian.AppendUint32(nil, c.TSN)
	v = binary.BigEndian.AppendUint16(v, c.Stream)
	v = append(v, 0, 0)
	v = binary.BigEndian.AppendUint32(v, c.MID)
	if c.Begin {
		v = binary.BigEndian.AppendUint32(v, c.PPID)
	} else {
		v = binary.BigEndian.AppendUint32(v, c.FSN)
	}
	return Chunk(64, dataFlags(c.Begin, c.End, c.Unordered), append(v, c.Payload...))
}

// Fragments splits an I-DATA user message into chunks of at most size
// bytes: consecutive TSNs from c.TSN, FSN 0, 1, 2, ….
func (c IData) Fragments(size int) []IData {
	var out []IData
	for off := 0; off < len(c.Payload); off += size {
		end := min(off+size, len(c.Payload))
		f := c
		f.TSN = c.TSN + uint32(len(out))
		f.FSN = uint32(len(out))
		f.Begin, f.End = off == 0, end == len(c.Payload)
		f.Payload = c.Payload[off:end]
		out = append(out, f)
	}
	return out
}

// Packet is one packet of a capture being built.
type Packet struct {
	LinkType uint32
	Data     []byte
}

// Packets numbers the packets as a capture reader would (frames from 1,
// one millisecond apart from Start).
func Packets(pkts ...Packet) []capture.Packet {
	out := make([]capture.Packet, len(pkts))
	for i, p := range pkts {
		out[i] = capture.Packet{
			Frame:    i + 1,
			Time:     Start.Add(time.Duration(i) * time.Millisecond),
			LinkType: p.LinkType,
			Data:     p.Data,
			OrigLen:  len(p.Data),
		}
	}
	return out
}

// File returns a capture file of the packets: classic pcap when they
// share one link type, pcapng (one interface per link type) otherwise.
func File(pkts ...Packet) []byte {
	f := capturetest.File{Format: capturetest.Pcap}
	for i, p := range pkts {
		if i == 0 {
			f.LinkType = p.LinkType
		} else if p.LinkType != f.LinkType {
			f.Format = capturetest.Pcapng
		}
		f.Packets = append(f.Packets, capturetest.Packet{
			Time:     Start.Add(time.Duration(i) * time.Millisecond),
			LinkType: p.LinkType,
			Data:     p.Data,
		})
	}
	return f.Bytes()
}
