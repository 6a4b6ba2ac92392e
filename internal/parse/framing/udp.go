package framing

import (
	"bytes"
	"encoding/binary"
	"net/netip"
)

// UDP ports of the carriers recognised by port.
const (
	portGSMTAP  = 4729
	portRLS     = 4997  // UERANSIM cons::RadioLinkPort
	portQCSuper = 47928 // QCSuper's NR RRC log "UDP port"
)

// udp reads a UDP header at b (byte off).
func (d *Decoder) udp(src, dst netip.Addr, b []byte, off int) {
	payload, ok := d.udpHeader(b, off, "the IP header")
	if !ok {
		return
	}
	u := Unit{
		Transport: UDP,
		Src:       netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
		Dst:       netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
	}
	d.udpPayload(u, payload, off+8)
}

// udpHeader checks a UDP header at b (byte off; after is what precedes it,
// for messages) and returns the payload its length field delimits.
func (d *Decoder) udpHeader(b []byte, off int, after string) ([]byte, bool) {
	if len(b) < 8 {
		d.warnAt("udp", off, "header needs 8 bytes, %d left", len(b))
		return nil, false
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if n == 0 {
		n = len(b) // IPv6 jumbogram or segmentation offload
	}
	if n < 8 {
		d.warnAt("udp", off, "length %d is below 8", n)
		return nil, false
	}
	if n > len(b) {
		d.warnAt("udp", off, "length %d exceeds the %d bytes after %s", n, len(b), after)
		return nil, false
	}
	return b[8:n], true
}

// framingPrefix recognises the srsRAN/OAI UDP framings (Wireshark's
// mac_nr_udp, rlc_nr_udp and pdcp_nr_udp heuristics) by their ASCII
// prefix, on any port.
func framingPrefix(p []byte) string {
	switch {
	case bytes.HasPrefix(p, []byte("mac-nr")):
		return ProtocolMACNR
	case bytes.HasPrefix(p, []byte("rlc-nr")):
		return ProtocolRLCNR
	case bytes.HasPrefix(p, []byte("pdcp-nr")):
		return ProtocolPDCPNR
	}
	return ""
}

// udpPayload classifies a UDP payload (byte off): by content first, then by
// port. u holds the transport fields and any detail known so far.
func (d *Decoder) udpPayload(u Unit, p []byte, off int) {
	if proto := framingPrefix(p); proto != "" {
		u.Protocol = proto
		d.emit(u, p)
		return
	}
	sp, dp := u.Src.Port(), u.Dst.Port()
	switch {
	case sp == portGSMTAP || dp == portGSMTAP:
		d.gsmtap(u, p, off)
	case sp == portQCSuper || dp == portQCSuper:
		d.qcsuper(u, p, off)
	case sp == portRLS || dp == portRLS:
		d.rls(u, p, off)
	default:
		d.emit(u, p) // unknown: DNS, GTP-U, PFCP, …
	}
}
