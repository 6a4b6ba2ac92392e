package framingtest

import "encoding/binary"

// APER building blocks of the RAN application protocols (F1AP, NGAP, …):
// enough to write small, well-formed PDUs that tshark decodes.

// PDU types (the outer CHOICE) and criticalities, as the bytes APER makes
// of them.
const (
	InitiatingMessage   = 0x00
	SuccessfulOutcome   = 0x20
	UnsuccessfulOutcome = 0x40

	Reject = 0x00
	Ignore = 0x40
	Notify = 0x80
)

// apLength returns an APER length determinant for n < 16384.
func apLength(n int) []byte {
	if n < 128 {
		return []byte{byte(n)}
	}
	return []byte{0x80 | byte(n>>8), byte(n)}
}

// IE returns one ProtocolIE-Field: id, criticality and the value as an
// open type.
func IE(id uint16, crit byte, value []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	b = append(b, crit)
	b = append(b, apLength(len(value))...)
	return append(b, value...)
}

// APPDU returns an F1AP/NGAP/E1AP-PDU: the PDU type, procedure code and
// criticality, then the message (an extensible SEQUENCE holding a
// ProtocolIE-Container of the IEs) as an open type.
func APPDU(pduType, procedureCode, crit byte, ies ...[]byte) []byte {
	msg := []byte{0x00} // SEQUENCE extension bit
	msg = binary.BigEndian.AppendUint16(msg, uint16(len(ies)))
	for _, ie := range ies {
		msg = append(msg, ie...)
	}
	b := []byte{pduType, procedureCode, crit}
	b = append(b, apLength(len(msg))...)
	return append(b, msg...)
}

// apUint32 encodes an INTEGER (0..4294967295) value in APER: a 2-bit byte
// count, then the bytes, octet-aligned.
func apUint32(v uint32) []byte {
	n := 1
	for v>>(8*n) != 0 && n < 4 {
		n++
	}
	b := []byte{byte(n-1) << 6}
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// apOctets encodes an unconstrained OCTET STRING.
func apOctets(v []byte) []byte {
	return append(apLength(len(v)), v...)
}

// F1AP procedure codes and IE ids (TS 38.473).
const (
	F1InitialULRRCMessageTransfer = 11
	F1DLRRCMessageTransfer        = 12
	F1ULRRCMessageTransfer        = 13

	f1GNBCUUEF1APID = 40
	f1GNBDUUEF1APID = 41
	f1RRCContainer  = 50
	f1SRBID         = 64
)

// F1APULRRCMessageTransfer returns an F1AP ULRRCMessageTransfer carrying
// a PDCP PDU (for SRB1: 2-byte header, RRC, 4-byte MAC-I).
func F1APULRRCMessageTransfer(cuID, duID uint32, srb uint8, pdcp []byte) []byte {
	return APPDU(InitiatingMessage, F1ULRRCMessageTransfer, Ignore,
		IE(f1GNBCUUEF1APID, Reject, apUint32(cuID)),
		IE(f1GNBDUUEF1APID, Reject, apUint32(duID)),
		IE(f1SRBID, Reject, []byte{srb << 5}),
		IE(f1RRCContainer, Reject, apOctets(pdcp)),
	)
}

// F1APDLRRCMessageTransfer returns an F1AP DLRRCMessageTransfer.
func F1APDLRRCMessageTransfer(cuID, duID uint32, srb uint8, pdcp []byte) []byte {
	return APPDU(InitiatingMessage, F1DLRRCMessageTransfer, Ignore,
		IE(f1GNBCUUEF1APID, Reject, apUint32(cuID)),
		IE(f1GNBDUUEF1APID, Reject, apUint32(duID)),
		IE(f1SRBID, Reject, []byte{srb << 5}),
		IE(f1RRCContainer, Reject, apOctets(pdcp)),
	)
}

// NGAP procedure codes and IE ids (TS 38.413).
const (
	NGDownlinkNASTransport = 4
	NGUplinkNASTransport   = 46

	ngAMFUENGAPID = 10
	ngNASPDU      = 38
	ngRANUENGAPID = 85
)

// NGAPDownlinkNASTransport returns an NGAP DownlinkNASTransport carrying a
// NAS PDU.
func NGAPDownlinkNASTransport(amfID, ranID uint32, nas []byte) []byte {
	return APPDU(InitiatingMessage, NGDownlinkNASTransport, Ignore,
		IE(ngAMFUENGAPID, Reject, apUint40(uint64(amfID))),
		IE(ngRANUENGAPID, Reject, apUint32(ranID)),
		IE(ngNASPDU, Reject, apOctets(nas)),
	)
}

// apUint40 encodes an INTEGER (0..1099511627775) (AMF-UE-NGAP-ID): a 3-bit
// byte count, then the bytes, octet-aligned.
func apUint40(v uint64) []byte {
	n := 1
	for v>>(8*n) != 0 && n < 5 {
		n++
	}
	b := []byte{byte(n-1) << 5}
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// Sample payloads: an RRC message inside the carriers and a PDCP PDU around
// one (SRB1: SN 0, RRC, zero MAC-I).
var (
	// RRCSetupRequest (UL-CCCH, 6 bytes).
	RRCSetupRequest = []byte{0x14, 0x3a, 0x5c, 0x8e, 0x21, 0x06}
	// ULInformationTransfer (UL-DCCH) with a 5-byte NAS PDU.
	ULInformationTransfer = []byte{0x3a, 0x02, 0xbf, 0x00, 0x2b, 0x96, 0x88, 0x00}
	// RegistrationReject (5GMM cause 3), a NAS-5GS PDU.
	RegistrationReject = []byte{0x7e, 0x00, 0x44, 0x03}
	// MIB (BCCH-BCH, 3 bytes).
	MIB = []byte{0x00, 0x00, 0x04}
)

// PDCP wraps an RRC message in an SRB PDCP PDU: 12-bit SN, the message, a
// zero MAC-I.
func PDCP(sn uint16, rrc []byte) []byte {
	b := []byte{byte(sn>>8) & 0x0f, byte(sn)}
	b = append(b, rrc...)
	return append(b, 0, 0, 0, 0)
}
