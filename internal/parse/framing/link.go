package framing

import (
	"encoding/binary"
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/capture"
)

// Link types (LINKTYPE_ values; see capture.LinkTypeName). gopacket's
// layers.LinkType is a uint8 and cannot hold 276, so these are plain
// numbers.
const (
	linkNull        = 0
	linkEthernet    = 1
	linkRaw         = 101
	linkLoop        = 108
	linkLinuxSLL    = 113
	linkUser0       = 147
	linkUser15      = 162
	linkIPv4        = 228
	linkIPv6        = 229
	linkExportedPDU = 252
	linkLinuxSLL2   = 276
)

// EtherTypes the decoder follows.
const (
	etherIPv4   = 0x0800
	etherIPv6   = 0x86dd
	etherVLAN   = 0x8100 // 802.1Q
	etherQinQ   = 0x88a8 // 802.1ad
	etherQinQ91 = 0x9100 // pre-standard QinQ
	etherQinQ92 = 0x9200
)

// maxVLANTags bounds the VLAN tags followed in one frame.
const maxVLANTags = 4

func (d *Decoder) link(lt uint32, b []byte) {
	switch {
	case lt == linkEthernet:
		d.ethernet(b)
	case lt == linkLinuxSLL:
		d.sll(b)
	case lt == linkLinuxSLL2:
		d.sll2(b)
	case lt == linkNull || lt == linkLoop:
		d.loopback(b, lt == linkLoop)
	case lt == linkIPv4:
		d.ipv4(b, 0)
	case lt == linkIPv6:
		d.ipv6(b, 0)
	case lt == linkRaw:
		d.rawIP(b)
	case lt == linkExportedPDU:
		d.exportedPDU(b)
	case lt >= linkUser0 && lt <= linkUser15:
		d.userDLT(lt, b)
	default:
		name := ""
		if n := capture.LinkTypeName(lt); n != fmt.Sprintf("link type %d", lt) {
			name = " (" + n + ")"
		}
		d.warnOnce(fmt.Sprintf("link %d", lt), "link", 0, "link type %d%s is not supported", lt, name)
	}
}

// ethernet: destination(6) source(6) EtherType(2), VLAN tags in between.
func (d *Decoder) ethernet(b []byte) {
	if len(b) < 14 {
		d.warnAt("ethernet", 0, "header needs 14 bytes, %d captured", len(b))
		return
	}
	d.etherType(binary.BigEndian.Uint16(b[12:]), b[14:], 14)
}

// etherType follows an EtherType (and any VLAN tags: TCI(2) EtherType(2)) to
// IPv4 or IPv6.
func (d *Decoder) etherType(et uint16, b []byte, off int) {
	for tags := 0; et == etherVLAN || et == etherQinQ || et == etherQinQ91 || et == etherQinQ92; tags++ {
		if tags == maxVLANTags {
			d.warnAt("vlan", off, "more than %d VLAN tags", maxVLANTags)
			return
		}
		if len(b) < 4 {
			d.warnAt("vlan", off, "tag needs 4 bytes, %d left", len(b))
			return
		}
		et = binary.BigEndian.Uint16(b[2:])
		b, off = b[4:], off+4
	}
	switch et {
	case etherIPv4:
		d.ipv4(b, off)
	case etherIPv6:
		d.ipv6(b, off)
	default:
		d.skip() // ARP, LLDP, 802.3 length field, …
	}
}

// sll is Linux cooked capture v1: packet type(2) ARPHRD type(2) address
// length(2) address(8) protocol(2).
func (d *Decoder) sll(b []byte) {
	if len(b) < 16 {
		d.warnAt("sll", 0, "header needs 16 bytes, %d captured", len(b))
		return
	}
	if binary.BigEndian.Uint16(b[2:]) == arphrdNetlink {
		d.skip()
		return
	}
	d.etherType(binary.BigEndian.Uint16(b[14:]), b[16:], 16)
}

// sll2 is Linux cooked capture v2: protocol(2) reserved(2) interface
// index(4) ARPHRD type(2) packet type(1) address length(1) address(8).
func (d *Decoder) sll2(b []byte) {
	if len(b) < 20 {
		d.warnAt("sll2", 0, "header needs 20 bytes, %d captured", len(b))
		return
	}
	if binary.BigEndian.Uint16(b[8:]) == arphrdNetlink {
		d.skip()
		return
	}
	d.etherType(binary.BigEndian.Uint16(b[0:]), b[20:], 20)
}

const arphrdNetlink = 824

// loopback is the 4-byte address family of DLT_NULL, in the byte order of
// the capturing host (big-endian when the two high bytes are zero, as
// every family value is below 256), or always big-endian for DLT_LOOP.
func (d *Decoder) loopback(b []byte, alwaysBig bool) {
	if len(b) < 4 {
		d.warnAt("loopback", 0, "header needs 4 bytes, %d captured", len(b))
		return
	}
	fam := binary.LittleEndian.Uint32(b)
	if alwaysBig || (b[0] == 0 && b[1] == 0) {
		fam = binary.BigEndian.Uint32(b)
	}
	switch fam {
	case 2: // AF_INET everywhere
		d.ipv4(b[4:], 4)
	case 10, 24, 28, 30: // AF_INET6: Linux, NetBSD/OpenBSD, FreeBSD, Darwin
		d.ipv6(b[4:], 4)
	default:
		d.skip()
	}
}

// rawIP is link type 101: IPv4 or IPv6 by the version nibble.
func (d *Decoder) rawIP(b []byte) {
	if len(b) == 0 {
		d.warnAt("ip", 0, "empty packet")
		return
	}
	switch b[0] >> 4 {
	case 4:
		d.ipv4(b, 0)
	case 6:
		d.ipv6(b, 0)
	default:
		d.warnAt("ip", 0, "version %d is neither 4 nor 6", b[0]>>4)
	}
}
