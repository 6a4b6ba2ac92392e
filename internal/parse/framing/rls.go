package framing

import (
	"encoding/binary"
	"fmt"
)

// UERANSIM's Radio Link Simulation protocol between nr-ue and nr-gnb, UDP
// port 4997 (aligungr/UERANSIM, src/lib/rls/rls_pdu.cpp: EncodeRlsMessage;
// src/utils/constants.hpp: RadioLinkPort). Big-endian:
//
//	0x03(1, "for old RLS compatibility"), version major(1) minor(1)
//	patch(1), message type(1), STI(8), then for message type 6 (PDU
//	transmission): PDU type(1: 1 RRC, 2 user data), PDU id(4),
//	payload(4: the RRC channel for RRC PDUs), PDU length(4), PDU
//
// The RRC channel is UERANSIM's enum RrcChannel (src/lib/rrc/rrc.hpp):
// 0 BCCH-BCH, 1 BCCH-DL-SCH, 2 DL-CCCH, 3 DL-DCCH, 4 PCCH, 5 UL-CCCH,
// 6 UL-CCCH1, 7 UL-DCCH; some forks add 8 DL_CHO and 9 DL_SIB19 (not
// handled). The PDU is plain RRC: no PDCP, no MAC-I. Checked against
// nextmn/RLS-wireshark-dissector's rls_3-2-0.pcapng (UERANSIM 3.2.0): the
// gNB sends MIB on 0 (3 bytes), SIB1 on 1, RRCSetup on 2, DLInformation-
// Transfer on 3; the UE sends RRCSetupRequest on 5 and RRCSetupComplete
// and ULInformationTransfer on 7. Other message types (4 heartbeat,
// 5 heartbeat ack, 7 PDU transmission ack) carry no RRC.
const (
	rlsMagic       = 0x03
	rlsPDUTransmit = 6
	rlsPDURRC      = 1
	rlsHeader      = 13 // up to and including the STI
	rlsPDUHeader   = 26 // up to and including the PDU length
)

var rlsChannels = [...]string{
	0: NRRRCBCCHBCH,
	1: NRRRCBCCHDLSCH,
	2: NRRRCDLCCCH,
	3: NRRRCDLDCCH,
	4: NRRRCPCCH,
	5: NRRRCULCCCH,
	6: NRRRCULCCCH1,
	7: NRRRCULDCCH,
}

func (d *Decoder) rls(u Unit, b []byte, off int) {
	if len(b) < rlsHeader {
		d.warnAt("rls", off, "header needs %d bytes, %d left", rlsHeader, len(b))
		return
	}
	if b[0] != rlsMagic {
		d.warnOnce("rls magic", "rls", off, "first byte 0x%02x is not 0x03 (RLS of UERANSIM 3.1 or later)", b[0])
		return
	}
	r := RLSDetail{
		Version: [3]uint8{b[1], b[2], b[3]},
		MsgType: b[4],
		STI:     binary.BigEndian.Uint64(b[5:]),
	}
	if r.MsgType != rlsPDUTransmit {
		d.skip() // heartbeats and acknowledgements
		return
	}
	if len(b) < rlsPDUHeader {
		d.warnAt("rls", off, "PDU transmission header needs %d bytes, %d left", rlsPDUHeader, len(b))
		return
	}
	r.PDUType = b[13]
	r.PDUID = binary.BigEndian.Uint32(b[14:])
	r.Channel = binary.BigEndian.Uint32(b[18:])
	n := binary.BigEndian.Uint32(b[22:])
	if n > uint32(len(b)-rlsPDUHeader) {
		d.warnAt("rls", off+22, "PDU length %d exceeds the %d bytes left", n, len(b)-rlsPDUHeader)
		return
	}
	if r.PDUType != rlsPDURRC {
		d.skip() // user-plane data
		return
	}
	if r.Channel >= uint32(len(rlsChannels)) {
		d.warnOnce(fmt.Sprintf("rls channel %d", r.Channel), "rls", off+18, "RRC channel %d is not one of UERANSIM's 0 (BCCH-BCH) to 7 (UL-DCCH)", r.Channel)
		return
	}
	u.Protocol = rlsChannels[r.Channel]
	u.Detail.Carrier, u.Detail.RLS = CarrierRLS, r
	d.emit(u, b[rlsPDUHeader:rlsPDUHeader+int(n)])
}
