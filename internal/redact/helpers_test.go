package redact

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// The identities the test captures carry, and how they show.
const (
	msin       = "0123456789"
	msinBCD    = "1032547698" // the MSIN's octets in hex
	imeisv     = "3534900698733019"
	imeisvBCD  = "5335490960783710f9" // all but the first digit, in hex
	tmsi       = 0xc0ffee01
	tmsiHex    = "c0ffee01"
	tmsiDec    = "3237998081"
	amfSetID   = 0x3f1
	amfPointer = 1
	crnti      = 0x4601
	fullIRNTI  = 0x9876543210
	shortIRNTI = 0xabcdef
)

// sTMSI is the 48-bit 5G-S-TMSI: AMF set ID, AMF pointer, 5G-TMSI.
const sTMSI = uint64(amfSetID)<<38 | uint64(amfPointer)<<32 | tmsi

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

// rrcSteps is a UE's life in exported NR RRC PDUs: a setup with the
// 5G-S-TMSI's part 1, a Registration request with a null-scheme SUCI, an
// Identity response with the IMEISV, the Registration accept with a
// 5G-GUTI, a Service request with the 5G-S-TMSI, a paging, a
// re-establishment on the C-RNTI, a release to inactive and the two
// resumes, and a SecurityModeCommand with nothing to mask.
func rrcSteps() []tracetest.Step {
	suci := nastest.SUCI("001", "01", "0000", msin)
	return []tracetest.Step{
		{At: 0, Channel: rrc.ULCCCH, PDU: rrctest.RRCSetupRequestTMSIPart1(sTMSI&(1<<39-1), rrctest.MOSignalling)},
		{At: ms(1.8), Channel: rrc.DLCCCH, PDU: rrctest.RRCSetup(0)},
		{At: ms(9.6), Channel: rrc.ULDCCH, PDU: rrctest.RRCSetupComplete(0, nastest.RegistrationRequest(suci, 0xe0, 0xe0))},
		{At: ms(20), Channel: rrc.DLDCCH, PDU: rrctest.DLInformationTransfer(1, nastest.IdentityRequest(5))},
		{At: ms(25), Channel: rrc.ULDCCH, PDU: rrctest.ULInformationTransfer(nastest.IdentityResponse(nastest.IMEISV(imeisv)))},
		{At: ms(60), Channel: rrc.DLDCCH, PDU: rrctest.SecurityModeCommand(2, rrctest.NEA0, rrctest.NIA2)},
		{At: ms(70), Channel: rrc.DLDCCH, PDU: rrctest.DLInformationTransfer(3, nastest.RegistrationAccept(nastest.GUTI("001", "01", 0xca, amfSetID, amfPointer, tmsi)))},
		{At: ms(80), Channel: rrc.ULDCCH, PDU: rrctest.ULInformationTransfer(nastest.ServiceRequest(1, 0, nastest.STMSI(amfSetID, amfPointer, tmsi)))},
		{At: ms(90), Channel: rrc.PCCH, PDU: rrctest.Paging(sTMSI)},
		{At: ms(100), Channel: rrc.ULCCCH, PDU: rrctest.RRCReestablishmentRequest(crnti, 5, 0x1234, rrctest.OtherFailure)},
		{At: ms(110), Channel: rrc.ULCCCH, PDU: rrctest.RRCResumeRequest(shortIRNTI, 0x5555, rrctest.MOData)},
		{At: ms(120), Channel: rrc.ULCCCH1, PDU: rrctest.RRCResumeRequest1(fullIRNTI, 0x5555, rrctest.MOData)},
	}
}

// build parses a capture and builds its ladder.
func build(t testing.TB, capture []byte) *ladder.Trace {
	t.Helper()
	res, err := parse.Trace(bytes.NewReader(capture), parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ladder.Build(res, ladder.Options{})
}

// message returns the first message of a trace called name.
func message(t testing.TB, tr *ladder.Trace, name string) ladder.Message {
	t.Helper()
	for _, m := range tr.Messages {
		if m.Message == name {
			return m
		}
	}
	t.Fatalf("no %s in the trace", name)
	return ladder.Message{}
}

// carrying returns the first RRC message of a trace that carries the NAS
// message summary.
func carrying(t testing.TB, tr *ladder.Trace, summary string) ladder.Message {
	t.Helper()
	for _, m := range tr.Messages {
		for _, n := range m.NAS {
			if m.Protocol == "NR-RRC" && n.Summary == summary {
				return m
			}
		}
	}
	t.Fatalf("no RRC message carries a %s", summary)
	return ladder.Message{}
}

// apMsg is one F1AP or NGAP message of a test capture.
type apMsg struct {
	ngap   bool
	uplink bool // from the gNB-DU (F1AP), from the gNB (NGAP)
	pdu    []byte
}

// apCapture writes F1AP and NGAP messages as SCTP over raw IPv4, one
// DATA chunk each, on the ports their standards give.
func apCapture(msgs []apMsg) []byte {
	var pkts []framingtest.Packet
	tsn := map[bool]uint32{}
	for _, m := range msgs {
		src, dst := framingtest.DU, framingtest.CU
		sport, dport := uint16(38472), uint16(38472)
		ppid := uint32(62)
		if m.ngap {
			src, dst, sport, dport, ppid = framingtest.CU, framingtest.AMF, 38412, 38412, 60
		}
		a, b := netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport)
		if !m.uplink {
			a, b = b, a
		}
		key := m.ngap
		tsn[key]++
		chunk := framingtest.Whole(tsn[key], 0, uint16(tsn[key]), ppid, m.pdu).Chunk()
		pkts = append(pkts, framingtest.Packet{LinkType: framingtest.LinkRaw, Data: framingtest.SCTPPacket(a, b, 1, chunk)})
	}
	return framingtest.File(pkts...)
}

// apSteps are the F1AP and NGAP messages of a registration, a paging on
// both interfaces, and a UE context setup with the MaskedIMEISV.
func apSteps() []apMsg {
	cell := aptest.F1NRCGI(aptest.PLMN("001", "01"), 0x66c000)
	f1 := aptest.F1UE{CU: 1, DU: 7}
	ng := aptest.NGUE{AMF: 3, RAN: 1}
	register := nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", msin), 0xe0, 0xe0)
	accept := nastest.RegistrationAccept(nastest.GUTI("001", "01", 0xca, amfSetID, amfPointer, tmsi))
	loc := aptest.NGUserLocationNR(aptest.PLMN("001", "01"), 0x66c000, []byte{0, 0, 1})
	sTMSIIE := aptest.NGAP.IE(26, "reject", "FiveG-S-TMSI", aptest.Seq("",
		aptest.Bits("aMFSetID", []byte{byte(amfSetID >> 2), byte(amfSetID << 6 & 0xff)}, 10),
		aptest.Bits("aMFPointer", []byte{amfPointer << 2}, 6),
		aptest.Octets("fiveG-TMSI", binary.BigEndian.AppendUint32(nil, tmsi))))
	maskedIMEISV := aptest.NGAP.IE(34, "ignore", "MaskedIMEISV", aptest.Bits("", []byte{0x35, 0x34, 0x90, 0x06, 0xff, 0xff, 0x30, 0x19}, 64))
	return []apMsg{
		{uplink: true, pdu: aptest.F1InitialULRRCMessageTransfer(f1.DU, cell, crnti, rrctest.RRCSetupRequestTMSIPart1(sTMSI&(1<<39-1), rrctest.MOSignalling), nil)},
		{uplink: true, pdu: aptest.F1ULRRCMessageTransfer(f1, 1, aptest.PDCP(0, rrctest.RRCSetupComplete(0, register)))},
		{ngap: true, uplink: true, pdu: aptest.NGInitialUEMessage(ng.RAN, register, loc, "mo-Signalling", sTMSIIE)},
		{ngap: true, pdu: aptest.NGDownlinkNASTransport(ng, accept)},
		{pdu: aptest.F1DLRRCMessageTransfer(f1, 1, aptest.PDCP(1, rrctest.DLInformationTransfer(0, accept)))},
		{ngap: true, pdu: aptest.NGInitialContextSetupRequest(ng, aptest.PLMN("001", "01"), aptest.NGSecurityCapabilities(0xe000, 0xe000, 0xe000, 0xe000), make([]byte, 32), nil)},
		{ngap: true, pdu: aptest.NGAP.PDU("initiatingMessage", 24, "ignore", "Paging",
			aptest.NGAP.RawIE(ngapUEPagingIdentity, "ignore", ngPagingIdentity(amfSetID, amfPointer, tmsi)),
			maskedIMEISV)},
		{pdu: aptest.F1AP.PDU("initiatingMessage", 18, "ignore", "Paging",
			aptest.F1AP.IE(117, "reject", "UEIdentityIndexValue", aptest.Choice("", aptest.Bits("indexLength10", []byte{0x40, 0x40}, 10))),
			aptest.F1AP.RawIE(f1apPagingIdentity, "reject", f1CNPagingIdentity(sTMSI)))},
		{pdu: aptest.F1AP.PDU("initiatingMessage", 18, "ignore", "Paging",
			aptest.F1AP.IE(117, "reject", "UEIdentityIndexValue", aptest.Choice("", aptest.Bits("indexLength10", []byte{0x40, 0x40}, 10))),
			aptest.F1AP.RawIE(f1apPagingIdentity, "reject", f1RANPagingIdentity(fullIRNTI)))},
	}
}

// ngPagingIdentity is an NGAP UEPagingIdentity holding a FiveG-S-TMSI
// (ALIGNED PER): choice, extension and presence bits, AMF set ID and
// pointer, padding, then the 5G-TMSI.
func ngPagingIdentity(set uint16, pointer byte, tmsi uint32) []byte {
	x := uint32(set&0x3ff)<<11 | uint32(pointer&0x3f)<<5
	return binary.BigEndian.AppendUint32([]byte{byte(x >> 16), byte(x >> 8), byte(x)}, tmsi)
}

// f1CNPagingIdentity is an F1AP PagingIdentity holding a
// cNUEPagingIdentity: choice 1, inner choice 0, padding, the 48-bit
// 5G-S-TMSI.
func f1CNPagingIdentity(s uint64) []byte {
	return append([]byte{0x40}, binary.BigEndian.AppendUint64(nil, s<<16)[:6]...)
}

// f1RANPagingIdentity is an F1AP PagingIdentity holding a
// rANUEPagingIdentity: choice 0, extension and presence bits, padding,
// the 40-bit I-RNTI.
func f1RANPagingIdentity(irnti uint64) []byte {
	return append([]byte{0x00}, binary.BigEndian.AppendUint64(nil, irnti<<24)[:5]...)
}
