package framing

import (
	"encoding/binary"
	"fmt"
)

// QCSuper (P1sec/QCSuper) writes NR RRC as raw IPv4 (link type 228) from
// 0.0.0.0 to 0.0.0.0, UDP port 47928 to 47928 (src/protocol/gsmtap.py:
// build_nr_rrc_log_ip, checksums zero), whose payload is the body of the
// Qualcomm DIAG log packet 0xB821 "NR RRC OTA" exactly as the modem sent
// it, without the DIAG log header (src/modules/pcap_dump.py). The body is
// little-endian and its layout depends on the log version in its first
// four bytes:
//
//	offset 0  version(4)
//	       4  RRC release major(1), 5 minor(1), 6 radio bearer id(1)
//	       7  physical cell id(2)
//	version 9 (24-byte header):
//	       9  NR-ARFCN(4), 13 SFN/subframe(4), 17 PDU number(1),
//	       18 SIB mask(4), 22 message length(2), 24 message
//	versions 12, 14 (23-byte header):
//	       9  NR-ARFCN(4), 13 SFN/subframe(3), 16 PDU number(1),
//	       17 SIB mask(4), 21 message length(2), 23 message
//	versions 17, 19, 20 (31, 32, 32-byte headers):
//	       9  NR CGI(8), 17 NR-ARFCN(4), 21 SFN/subframe(3), 24 PDU number(1),
//	       25 SIB mask(4), 29 message length(2), [31 unknown(1)], message
//	versions 23, 26 (35-byte header): as 19, then 32 unknown(2),
//	       34 segment id(1: 0 whole, 1–7 a segment), 35 message
//
// Sources: QCSuper's Wireshark plug-in (src/modules/wireshark_plugin/
// diag_nr_rrc_dissector.lua) reads the version-9 layout whatever the
// version, with PDU numbers 0x01 BCCH-BCH, 0x02 BCCH-DL-SCH, 0x03 DL-CCCH,
// 0x04 DL-DCCH, 0x05 PCCH, 0x06 UL-CCCH, 0x08 and 0x0a UL-DCCH, 0x09
// RRCReconfiguration (bare, "nr-rrc.rrc_reconf_msg"). SCAT (fgsect/scat,
// src/scat/parsers/qualcomm/diagnrlogparser.py: parse_nr_rrc) gives the
// per-version layouts above and per-version PDU numbers: 7 is UL-CCCH1,
// and from version 20 on MCCH is inserted at 5, shifting PCCH … UL-DCCH up
// by one. SCAT calls PDU 10 (11 from version 20, 12 in version 26)
// RRCReconfigurationComplete where QCSuper's plug-in decodes it as a
// UL-DCCH message; the decoder follows QCSuper (nr-rrc.ul.dcch) and keeps
// the PDU number in QCSuperDetail so that a later stage can tell. Segmented
// messages (versions 23 and 26, segment id ≠ 0) are reported, not
// reassembled.
type qcsuperLayout struct {
	header, pdu, length, arfcn, segment int
	channels                            []string
}

var (
	qcsuperChannels = []string{
		1: NRRRCBCCHBCH, 2: NRRRCBCCHDLSCH, 3: NRRRCDLCCCH, 4: NRRRCDLDCCH,
		5: NRRRCPCCH, 6: NRRRCULCCCH, 7: NRRRCULCCCH1, 8: NRRRCULDCCH,
		9: NRRRCReconfiguration, 10: NRRRCULDCCH,
	}
	qcsuperChannelsV20 = []string{
		1: NRRRCBCCHBCH, 2: NRRRCBCCHDLSCH, 3: NRRRCDLCCCH, 4: NRRRCDLDCCH,
		5: NRRRCMCCH, 6: NRRRCPCCH, 7: NRRRCULCCCH, 8: NRRRCULCCCH1, 9: NRRRCULDCCH,
		10: NRRRCReconfiguration, 11: NRRRCULDCCH,
	}
	qcsuperChannelsV26 = []string{
		1: NRRRCBCCHBCH, 2: NRRRCBCCHDLSCH, 3: NRRRCDLCCCH, 4: NRRRCDLDCCH,
		5: NRRRCMCCH, 6: NRRRCPCCH, 7: NRRRCULCCCH, 8: NRRRCULCCCH1, 9: NRRRCULDCCH,
		11: NRRRCReconfiguration, 12: NRRRCULDCCH,
	}
)

func qcsuperLayoutOf(version uint32) (qcsuperLayout, bool) {
	switch version {
	case 9:
		return qcsuperLayout{header: 24, pdu: 17, length: 22, arfcn: 9, channels: qcsuperChannels}, true
	case 12, 14:
		return qcsuperLayout{header: 23, pdu: 16, length: 21, arfcn: 9, channels: qcsuperChannels}, true
	case 17:
		return qcsuperLayout{header: 31, pdu: 24, length: 29, arfcn: 17, channels: qcsuperChannels}, true
	case 19:
		return qcsuperLayout{header: 32, pdu: 24, length: 29, arfcn: 17, channels: qcsuperChannels}, true
	case 20:
		return qcsuperLayout{header: 32, pdu: 24, length: 29, arfcn: 17, channels: qcsuperChannelsV20}, true
	case 23:
		return qcsuperLayout{header: 35, pdu: 24, length: 29, arfcn: 17, segment: 34, channels: qcsuperChannelsV20}, true
	case 26:
		return qcsuperLayout{header: 35, pdu: 24, length: 29, arfcn: 17, segment: 34, channels: qcsuperChannelsV26}, true
	}
	return qcsuperLayout{}, false
}

func (d *Decoder) qcsuper(u Unit, b []byte, off int) {
	if len(b) < 4 {
		d.warnAt("qcsuper", off, "log version needs 4 bytes, %d left", len(b))
		return
	}
	version := binary.LittleEndian.Uint32(b)
	l, ok := qcsuperLayoutOf(version)
	if !ok {
		d.warnOnce(fmt.Sprintf("qcsuper version %d", version), "qcsuper", off, "NR RRC OTA log version %d is not supported", version)
		return
	}
	if len(b) < l.header {
		d.warnAt("qcsuper", off, "log version %d header needs %d bytes, %d left", version, l.header, len(b))
		return
	}
	q := QCSuperDetail{
		LogVersion:  version,
		RRCRelease:  b[4],
		RRCVersion:  b[5],
		RadioBearer: b[6],
		PCI:         binary.LittleEndian.Uint16(b[7:]),
		NRARFCN:     binary.LittleEndian.Uint32(b[l.arfcn:]),
		PDUNumber:   b[l.pdu],
	}
	n := int(binary.LittleEndian.Uint16(b[l.length:]))
	if n > len(b)-l.header {
		d.warnAt("qcsuper", off+l.length, "message length %d exceeds the %d bytes after the %d-byte header", n, len(b)-l.header, l.header)
		return
	}
	if l.segment > 0 && b[l.segment] != 0 {
		d.warnAt("qcsuper", off+l.segment, "segment %d of a segmented RRC message is not reassembled", b[l.segment])
		return
	}
	if int(q.PDUNumber) >= len(l.channels) || l.channels[q.PDUNumber] == "" {
		d.warnOnce(fmt.Sprintf("qcsuper pdu %d/%d", version, q.PDUNumber), "qcsuper", off+l.pdu,
			"PDU number %d of log version %d is not an RRC message on a logical channel", q.PDUNumber, version)
		return
	}
	u.Protocol = l.channels[q.PDUNumber]
	u.Detail.Carrier, u.Detail.QCSuper = CarrierQCSuper, q
	d.emit(u, b[l.header:l.header+n])
}
