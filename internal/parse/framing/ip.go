package framing

import (
	"encoding/binary"
	"net/netip"
)

// IP protocol numbers (IPv4 protocol, IPv6 next header).
const (
	ipHopByHop = 0
	ipUDP      = 17
	ipRouting  = 43
	ipFragment = 44
	ipESP      = 50
	ipAH       = 51
	ipNoNext   = 59
	ipDestOpts = 60
	ipMobility = 135
	ipHIP      = 139
	ipShim6    = 140
	ipSCTP     = 132
)

// maxExtHeaders bounds the IPv6 extension headers followed in one packet.
const maxExtHeaders = 16

// ipv4 reads an IPv4 header at b (byte off of the frame).
func (d *Decoder) ipv4(b []byte, off int) {
	if len(b) < 20 {
		d.warnAt("ipv4", off, "header needs 20 bytes, %d captured", len(b))
		return
	}
	if v := b[0] >> 4; v != 4 {
		d.warnAt("ipv4", off, "version %d is not 4", v)
		return
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 {
		d.warnAt("ipv4", off, "header length %d is below 20", hl)
		return
	}
	if hl > len(b) {
		d.warnAt("ipv4", off, "header length %d exceeds the %d bytes captured", hl, len(b))
		return
	}
	tl := int(binary.BigEndian.Uint16(b[2:]))
	if tl == 0 {
		tl = len(b) // left zero by TCP segmentation offload
	}
	if tl < hl {
		d.warnAt("ipv4", off, "total length %d is below the header length %d", tl, hl)
		return
	}
	if tl > len(b) {
		d.warnAt("ipv4", off, "total length %d exceeds the %d bytes captured", tl, len(b))
		return
	}
	b = b[:tl] // drop Ethernet padding and trailers
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	proto := b[9]
	ff := binary.BigEndian.Uint16(b[6:])
	more, foff := ff&0x2000 != 0, int(ff&0x1fff)*8
	if !more && foff == 0 {
		d.transport(proto, src, dst, b[hl:], off+hl)
		return
	}
	key := fragKey{src: src, dst: dst, id: uint32(binary.BigEndian.Uint16(b[4:])), proto: proto}
	data, _, ok := d.fragment(key, "ipv4", off, foff, b[hl:], more, proto)
	if !ok {
		return
	}
	d.cur.reasm = "reassembled ipv4 payload"
	d.transport(proto, src, dst, data, 0)
}

// ipv6 reads an IPv6 header at b (byte off of the frame).
func (d *Decoder) ipv6(b []byte, off int) {
	if len(b) < 40 {
		d.warnAt("ipv6", off, "header needs 40 bytes, %d captured", len(b))
		return
	}
	if v := b[0] >> 4; v != 6 {
		d.warnAt("ipv6", off, "version %d is not 6", v)
		return
	}
	pl := int(binary.BigEndian.Uint16(b[4:]))
	if pl == 0 && b[6] == ipHopByHop {
		d.warnAt("ipv6", off, "payload length 0 with a hop-by-hop header (jumbogram) is not supported")
		return
	}
	if pl > len(b)-40 {
		d.warnAt("ipv6", off, "payload length %d exceeds the %d bytes captured after the header", pl, len(b)-40)
		return
	}
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	d.ipv6Next(b[6], src, dst, b[40:40+pl], off+40)
}

// ipv6Next follows the next-header chain from b (byte off) to a transport.
func (d *Decoder) ipv6Next(nh uint8, src, dst netip.Addr, b []byte, off int) {
	for range maxExtHeaders {
		switch nh {
		case ipHopByHop, ipRouting, ipDestOpts, ipMobility, ipHIP, ipShim6, ipAH:
			if len(b) < 8 {
				d.warnAt("ipv6", off, "extension header %d needs 8 bytes, %d left", nh, len(b))
				return
			}
			n := (int(b[1]) + 1) * 8
			if nh == ipAH {
				n = (int(b[1]) + 2) * 4
			}
			if n > len(b) {
				d.warnAt("ipv6", off, "extension header %d length %d exceeds the %d bytes left", nh, n, len(b))
				return
			}
			nh, b, off = b[0], b[n:], off+n
		case ipFragment:
			if len(b) < 8 {
				d.warnAt("ipv6", off, "fragment header needs 8 bytes, %d left", len(b))
				return
			}
			fo := binary.BigEndian.Uint16(b[2:])
			more, foff := fo&1 != 0, int(fo>>3)*8
			next, id := b[0], binary.BigEndian.Uint32(b[4:])
			if !more && foff == 0 { // atomic fragment (RFC 6946)
				nh, b, off = next, b[8:], off+8
				continue
			}
			key := fragKey{src: src, dst: dst, id: id, v6: true}
			data, first, ok := d.fragment(key, "ipv6", off, foff, b[8:], more, next)
			if !ok {
				return
			}
			d.cur.reasm = "reassembled ipv6 payload"
			nh, b, off = first, data, 0
		case ipNoNext, ipESP:
			d.skip()
			return
		default:
			d.transport(nh, src, dst, b, off)
			return
		}
	}
	d.warnAt("ipv6", off, "more than %d extension headers", maxExtHeaders)
}

// transport hands an IP payload to UDP or SCTP.
func (d *Decoder) transport(proto uint8, src, dst netip.Addr, b []byte, off int) {
	switch proto {
	case ipUDP:
		d.udp(src, dst, b, off)
	case ipSCTP:
		d.sctp(src, dst, b, off)
	default:
		d.skip() // TCP, ICMP, IGMP, GRE, …
	}
}
