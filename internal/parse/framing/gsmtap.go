package framing

import (
	"encoding/binary"
	"fmt"
)

// GSMTAP version 3, as SCAT ≥ 1.4 writes it for NR (fgsect/scat,
// src/scat/util.py: create_gsmtap_header and the gsmtapv3_* enums), UDP
// port 4729:
//
//	version(1) = 3, reserved(1), header length(2, in 32-bit words, the
//	metadata included), type(2), sub type(2), then metadata as
//	tag(2) length(2) value up to the header length (SCAT pads the last word
//	with zeros) or to tag 0xFFFE, then the payload. All big-endian.
//
// Type 0x0503 is NR RRC, its sub type the logical channel: 0x0001 BCCH-BCH,
// 0x0002 BCCH-DL-SCH, 0x0003 DL-CCCH, 0x0004 DL-DCCH, 0x0005 MCCH, 0x0006
// PCCH, 0x0007 UL-CCCH, 0x0008 UL-CCCH1, 0x0009 UL-DCCH (0x01xx are sidelink
// and 0x02xx PDU-level types, not handled). Type 0x0504 is NAS-5GS (sub type
// 0 plain, 1 security protected). Metadata read: 0x0002 channel number
// (ARFCN, 4 bytes), 0x0005 BSIC/PSC/PCI (2 bytes).
//
// GSMTAP version 2 (SCAT's LTE and older output, QCSuper's 2G/3G/4G
// output) has no NR RRC type; stock tshark 4.0 decodes only version 2.
const (
	gsmtapNRRRC   = 0x0503
	gsmtapNAS5GS  = 0x0504
	gsmtapEnd     = 0xfffe
	gsmtapTagARFC = 0x0002
	gsmtapTagPCI  = 0x0005
)

var gsmtapNRRRCChannels = [...]string{
	1: NRRRCBCCHBCH,
	2: NRRRCBCCHDLSCH,
	3: NRRRCDLCCCH,
	4: NRRRCDLDCCH,
	5: NRRRCMCCH,
	6: NRRRCPCCH,
	7: NRRRCULCCCH,
	8: NRRRCULCCCH1,
	9: NRRRCULDCCH,
}

func (d *Decoder) gsmtap(u Unit, b []byte, off int) {
	if len(b) == 0 {
		d.warnAt("gsmtap", off, "empty payload")
		return
	}
	switch b[0] {
	case 3:
	case 2:
		d.warnOnce("gsmtap v2", "gsmtap", off, "GSMTAP v2 carries no NR RRC")
		return
	default:
		d.warnAt("gsmtap", off, "version %d is neither 2 nor 3", b[0])
		return
	}
	if len(b) < 8 {
		d.warnAt("gsmtap", off, "header needs 8 bytes, %d left", len(b))
		return
	}
	hl := int(binary.BigEndian.Uint16(b[2:])) * 4
	if hl < 8 {
		d.warnAt("gsmtap", off+2, "header length %d bytes is below 8", hl)
		return
	}
	if hl > len(b) {
		d.warnAt("gsmtap", off+2, "header length %d bytes exceeds the %d bytes of the packet", hl, len(b))
		return
	}
	g := GSMTAPDetail{Type: binary.BigEndian.Uint16(b[4:]), SubType: binary.BigEndian.Uint16(b[6:])}
	for p := 8; hl-p >= 4; {
		tag, n := binary.BigEndian.Uint16(b[p:]), int(binary.BigEndian.Uint16(b[p+2:]))
		if tag == gsmtapEnd {
			break
		}
		if n > hl-p-4 {
			d.warnAt("gsmtap", off+p, "metadata tag 0x%04x length %d exceeds the %d bytes left in the header", tag, n, hl-p-4)
			break
		}
		v := b[p+4 : p+4+n]
		switch {
		case tag == gsmtapTagARFC && n == 4:
			g.ARFCN, g.HasARFCN = binary.BigEndian.Uint32(v), true
		case tag == gsmtapTagPCI && n == 2:
			g.PCI, g.HasPCI = binary.BigEndian.Uint16(v), true
		}
		p += 4 + n
	}
	u.Detail.Carrier, u.Detail.GSMTAP = CarrierGSMTAP, g
	switch g.Type {
	case gsmtapNRRRC:
		if int(g.SubType) >= len(gsmtapNRRRCChannels) || gsmtapNRRRCChannels[g.SubType] == "" {
			d.warnOnce(fmt.Sprintf("gsmtap nr-rrc %d", g.SubType), "gsmtap", off+6, "NR RRC sub type 0x%04x is not a logical channel", g.SubType)
			return
		}
		u.Protocol = gsmtapNRRRCChannels[g.SubType]
	case gsmtapNAS5GS:
		u.Protocol = ProtocolNAS5GS
	default:
		d.warnOnce(fmt.Sprintf("gsmtap type %d", g.Type), "gsmtap", off+4, "type 0x%04x is neither NR RRC (0x0503) nor NAS-5GS (0x0504)", g.Type)
		return
	}
	d.emit(u, b[hl:])
}
