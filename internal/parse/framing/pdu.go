package framing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/exportpdu"
)

// exportedPDU reads a link type 252 record: the exported-PDU options
// (exportpdu.Parse), then the PDU for the dissector named by tag 12.
func (d *Decoder) exportedPDU(b []byte) {
	h, pdu, err := exportpdu.Parse(b)
	if err != nil {
		var pe *exportpdu.Error
		if errors.As(err, &pe) {
			d.warnAt("exported-pdu", pe.Offset, "%s", pe.Msg)
		} else {
			d.warnAt("exported-pdu", 0, "%v", err)
		}
		return
	}
	name := h.Dissector
	if name == "" {
		name = h.Heuristic
	}
	u := Unit{Transport: Raw}
	u.Detail.Carrier = CarrierExportedPDU
	u.Detail.Exported = ExportedDetail{Dissector: name, OrigFrame: h.OrigFrame, HasDirection: h.HasDirection, Direction: h.Direction}
	off := h.PDUOffset
	switch {
	case name == ProtocolF1AP, name == ProtocolNGAP, name == ProtocolE1AP, name == ProtocolE2AP, name == ProtocolXnAP,
		name == ProtocolNAS5GS, name == ProtocolMACNRFramed:
		u.Protocol = name
		d.emit(u, pdu)
	case strings.HasPrefix(name, ProtocolNRRRC):
		u.Protocol = name
		d.emit(u, pdu)
	case name == "udp":
		payload, ok := d.udpHeader(pdu, off, "the exported-PDU options")
		if !ok {
			return
		}
		src, dst := exportedAddrs(b[:h.PDUOffset])
		u.Transport = UDP
		u.Src = netip.AddrPortFrom(src, binary.BigEndian.Uint16(pdu[0:]))
		u.Dst = netip.AddrPortFrom(dst, binary.BigEndian.Uint16(pdu[2:]))
		d.udpPayload(u, payload, off+8)
	case name == "mac_nr_udp" || name == "rlc_nr_udp" || name == "pdcp_nr_udp":
		// A heuristic dissector of UDP payloads: the PDU is the payload.
		if u.Protocol = framingPrefix(pdu); u.Protocol == "" {
			d.warnAt("exported-pdu", off, "PDU for heuristic dissector %s does not start with its framing prefix", name)
			return
		}
		d.emit(u, pdu)
	default:
		if name == "" {
			name = "(none)"
		}
		d.warnOnce("exported "+name, "exported-pdu", off, "PDU for dissector %q is not supported", name)
	}
}

// exportedAddrs returns the addresses the exported-PDU options name (tags
// 20/21 IPv4, 22/23 IPv6). The options have already been checked by
// exportpdu.Parse.
func exportedAddrs(opts []byte) (src, dst netip.Addr) {
	for len(opts) >= 4 {
		tag, n := binary.BigEndian.Uint16(opts), int(binary.BigEndian.Uint16(opts[2:]))
		if tag == exportpdu.TagEnd || n > len(opts)-4 {
			break
		}
		v := opts[4 : 4+n]
		switch {
		case tag == exportpdu.TagIPv4Src && n == 4:
			src = netip.AddrFrom4([4]byte(v))
		case tag == exportpdu.TagIPv4Dst && n == 4:
			dst = netip.AddrFrom4([4]byte(v))
		case tag == exportpdu.TagIPv6Src && n == 16:
			src = netip.AddrFrom16([16]byte(v))
		case tag == exportpdu.TagIPv6Dst && n == 16:
			dst = netip.AddrFrom16([16]byte(v))
		}
		opts = opts[4+n:]
	}
	return src, dst
}

// User DLTs (147–162) describe nothing; these are the assignments srsRAN
// uses (srsRAN Project up to September 2025; srsRAN 4G uses 149 for its UDP
// framing too). A DLT holding a UDP header and a mac-nr/rlc-nr/pdcp-nr
// framing is recognised whatever its number.
var userDLTProtocols = map[uint32]string{
	152: ProtocolNGAP,
	153: ProtocolE1AP,
	154: ProtocolF1AP,
	155: ProtocolE2AP,
	157: ProtocolMACNRFramed,
}

func (d *Decoder) userDLT(lt uint32, b []byte) {
	u := Unit{Transport: Raw}
	u.Detail.Carrier = CarrierUserDLT
	if len(b) >= 8 {
		if proto := framingPrefix(b[8:]); proto != "" {
			payload, ok := d.udpHeader(b, 0, "the start of the packet")
			if !ok {
				return
			}
			u.Transport, u.Protocol = UDP, proto
			u.Src = netip.AddrPortFrom(netip.Addr{}, binary.BigEndian.Uint16(b[0:]))
			u.Dst = netip.AddrPortFrom(netip.Addr{}, binary.BigEndian.Uint16(b[2:]))
			d.emit(u, payload)
			return
		}
	}
	proto, ok := userDLTProtocols[lt]
	switch {
	case !ok:
		d.warnOnce(fmt.Sprintf("user dlt %d", lt), "user-dlt", 0, "user DLT %d (link type %d) holds neither a UDP header with mac-nr, rlc-nr or pdcp-nr framing nor anything else recognised", lt-linkUser0, lt)
		return
	case proto == ProtocolMACNRFramed:
		if at, msg := checkMACNRFramed(b); msg != "" {
			d.warnAt("user-dlt", at, "link type %d should carry mac-nr-framed: %s", lt, msg)
			return
		}
	default:
		if at, msg := checkAPPDU(b); msg != "" {
			d.warnAt("user-dlt", at, "link type %d should carry %s: %s", lt, strings.ToUpper(proto), msg)
			return
		}
	}
	u.Protocol = proto
	d.emit(u, b)
}

// checkAPPDU sanity-checks the outermost bytes of an NGAP, F1AP, E1AP,
// E2AP or XnAP PDU in APER: the CHOICE of initiatingMessage (0x00),
// successfulOutcome (0x20) or unsuccessfulOutcome (0x40), the
// procedureCode, the criticality (0x00 reject, 0x40 ignore, 0x80 notify)
// and the open type's length determinant, which must cover exactly the
// rest. It returns the offending byte and what is wrong, or "".
func checkAPPDU(b []byte) (int, string) {
	if len(b) < 4 {
		return 0, fmt.Sprintf("%d bytes are too few for a PDU", len(b))
	}
	if b[0] != 0x00 && b[0] != 0x20 && b[0] != 0x40 {
		return 0, fmt.Sprintf("first byte 0x%02x is not a PDU type (0x00, 0x20 or 0x40)", b[0])
	}
	if b[2]&0x3f != 0 || b[2] == 0xc0 {
		return 2, fmt.Sprintf("criticality byte 0x%02x is not 0x00, 0x40 or 0x80", b[2])
	}
	var n, at int
	switch {
	case b[3]&0x80 == 0:
		n, at = int(b[3]), 4
	case b[3]&0xc0 == 0x80:
		if len(b) < 5 {
			return 3, "length determinant needs 2 bytes, 1 left"
		}
		n, at = int(b[3]&0x3f)<<8|int(b[4]), 5
	default:
		return 0, "" // fragmented (≥ 16K): accepted unchecked
	}
	if at+n != len(b) {
		return 3, fmt.Sprintf("value length %d does not match the %d bytes that follow", n, len(b)-at)
	}
	return 0, ""
}

// checkMACNRFramed sanity-checks a mac-nr framing without its "mac-nr"
// prefix: radio type (1 FDD, 2 TDD), direction (0 UL, 1 DL), RNTI type
// (0–6).
func checkMACNRFramed(b []byte) (int, string) {
	switch {
	case len(b) < 3:
		return 0, fmt.Sprintf("%d bytes are too few for the framing", len(b))
	case b[0] != 1 && b[0] != 2:
		return 0, fmt.Sprintf("radio type %d is neither 1 (FDD) nor 2 (TDD)", b[0])
	case b[1] > 1:
		return 1, fmt.Sprintf("direction %d is neither 0 (uplink) nor 1 (downlink)", b[1])
	case b[2] > 6:
		return 2, fmt.Sprintf("RNTI type %d is above 6", b[2])
	}
	return 0, ""
}
