package aptest

import (
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// F1Decoder is package f1ap's decoder under test.
var F1Decoder = &Decoder[f1ap.Message]{
	Proto:     "f1ap",
	PPID:      PPIDF1AP,
	Protocol:  F1AP,
	Decode:    f1ap.Decode,
	Procedure: f1ap.Procedure,
	IEName:    f1ap.IEName,
	IEType:    f1ap.IEType,
	View: func(m *f1ap.Message) Decoded {
		return Decoded{Procedure: m.Procedure, Name: m.Name, Outcome: m.Outcome, Code: m.ProcedureCode,
			ASN1: m.ASN1, Lines: m.Lines, Undecoded: m.Undecoded, Trailing: m.Trailing, Value: m.Value}
	},
	IsError: isError[*f1ap.Error],
}

// F1UE is a UE's pair of F1AP ids.
type F1UE struct {
	CU, DU uint32 // gNB-CU-UE-F1AP-ID, gNB-DU-UE-F1AP-ID
}

// PLMN encodes an MCC and a 2- or 3-digit MNC as a PLMN identity (TS
// 38.413 9.3.3.5, also F1AP's PLMN-Identity): "208", "93" gives 02 F8 39.
func PLMN(mcc, mnc string) []byte {
	d := func(s string, i int) byte {
		if i < len(s) {
			return s[i] - '0'
		}
		return 0xf
	}
	return []byte{d(mcc, 1)<<4 | d(mcc, 0), d(mnc, 2)<<4 | d(mcc, 2), d(mnc, 1)<<4 | d(mnc, 0)}
}

// NCI returns a 36-bit NR cell identity as BIT STRING octets.
func NCI(nci uint64) []byte {
	nci <<= 4
	return []byte{byte(nci >> 32), byte(nci >> 24), byte(nci >> 16), byte(nci >> 8), byte(nci)}
}

// F1NRCGI is an F1AP NRCGI value.
func F1NRCGI(plmn []byte, nci uint64) per.Value {
	return Seq("", Octets("pLMN-Identity", plmn), Bits("nRCellIdentity", NCI(nci), 36))
}

// F1Cause is an F1AP Cause value: group "radioNetwork", "transport",
// "protocol" or "misc", and the cause ("normal-release").
func F1Cause(group, cause string) per.Value { return Choice("", Enum(group, cause)) }

func f1ids(ue F1UE) []per.Value {
	return []per.Value{
		F1AP.IE(40, "reject", "GNB-CU-UE-F1AP-ID", Int("", int64(ue.CU))),
		F1AP.IE(41, "reject", "GNB-DU-UE-F1AP-ID", Int("", int64(ue.DU))),
	}
}

// F1InitialULRRCMessageTransfer is the DU's InitialULRRCMessageTransfer
// of a new UE: its DU id, the cell, its C-RNTI, the UL-CCCH message and,
// unless nil, the CellGroupConfig the DU chose (DUtoCURRCContainer);
// transaction id 0. extra IE fields follow.
func F1InitialULRRCMessageTransfer(du uint32, cell per.Value, crnti uint16, rrc, cellGroupConfig []byte, extra ...per.Value) []byte {
	ies := []per.Value{
		F1AP.IE(41, "reject", "GNB-DU-UE-F1AP-ID", Int("", int64(du))),
		F1AP.IE(111, "reject", "NRCGI", cell),
		F1AP.IE(95, "reject", "C-RNTI", Int("", int64(crnti))),
		F1AP.IE(50, "reject", "RRCContainer", Octets("", rrc)),
	}
	if cellGroupConfig != nil {
		ies = append(ies, F1AP.IE(128, "reject", "DUtoCURRCContainer", Octets("", cellGroupConfig)))
	}
	ies = append(ies, F1AP.IE(78, "ignore", "TransactionID", Int("", 0)))
	ies = append(ies, extra...)
	return F1AP.PDU("initiatingMessage", 11, "ignore", "InitialULRRCMessageTransfer", ies...)
}

// F1DLRRCMessageTransfer carries an RRC message to the UE on an SRB: plain
// DL-CCCH on SRB0, a PDCP PDU on SRB1..3. extra IE fields follow.
func F1DLRRCMessageTransfer(ue F1UE, srb int, rrc []byte, extra ...per.Value) []byte {
	ies := append(f1ids(ue),
		F1AP.IE(64, "reject", "SRBID", Int("", int64(srb))),
		F1AP.IE(50, "reject", "RRCContainer", Octets("", rrc)))
	ies = append(ies, extra...)
	return F1AP.PDU("initiatingMessage", 12, "ignore", "DLRRCMessageTransfer", ies...)
}

// F1ULRRCMessageTransfer carries the UE's PDCP PDU of an SRB to the CU.
func F1ULRRCMessageTransfer(ue F1UE, srb int, pdcp []byte, extra ...per.Value) []byte {
	ies := append(f1ids(ue),
		F1AP.IE(64, "reject", "SRBID", Int("", int64(srb))),
		F1AP.IE(50, "reject", "RRCContainer", Octets("", pdcp)))
	ies = append(ies, extra...)
	return F1AP.PDU("initiatingMessage", 13, "ignore", "ULRRCMessageTransfer", ies...)
}

// F1UEContextSetupRequest is the CU's UEContextSetupRequest: the SpCell,
// serving cell index 0, the UE's capabilities (CUtoDURRCInformation's
// uE-CapabilityRAT-ContainerList, left out when nil), SRB1 and SRB2 to set
// up, and the RRC container (the PDCP PDU of a SecurityModeCommand, left
// out when nil). extra IE fields follow.
func F1UEContextSetupRequest(ue F1UE, spCell per.Value, ueCapability, rrc []byte, extra ...per.Value) []byte {
	info := Seq("")
	if ueCapability != nil {
		info = Seq("", Octets("uE-CapabilityRAT-ContainerList", ueCapability))
	}
	srb := func(id int64) per.Value {
		return F1AP.IE(73, "reject", "SRBs-ToBeSetup-Item", Seq("", Int("sRBID", id)))
	}
	ies := append(f1ids(ue),
		F1AP.IE(63, "reject", "NRCGI", spCell),
		F1AP.IE(107, "reject", "ServCellIndex", Int("", 0)),
		F1AP.IE(9, "reject", "CUtoDURRCInformation", info),
		F1AP.IE(74, "reject", "SRBs-ToBeSetup-List", SeqOf("", srb(1), srb(2))))
	if rrc != nil {
		ies = append(ies, F1AP.IE(50, "reject", "RRCContainer", Octets("", rrc)))
	}
	ies = append(ies, extra...)
	return F1AP.PDU("initiatingMessage", 5, "reject", "UEContextSetupRequest", ies...)
}

// F1UEContextSetupResponse is the DU's answer: the CellGroupConfig
// (DUtoCURRCInformation), the C-RNTI and SRB1 and SRB2 set up on LCID 1
// and 2.
func F1UEContextSetupResponse(ue F1UE, cellGroupConfig []byte, crnti uint16) []byte {
	srb := func(id int64) per.Value {
		return F1AP.IE(203, "ignore", "SRBs-Setup-Item", Seq("", Int("sRBID", id), Int("lCID", id)))
	}
	ies := append(f1ids(ue),
		F1AP.IE(39, "reject", "DUtoCURRCInformation", Seq("", Octets("cellGroupConfig", cellGroupConfig))),
		F1AP.IE(95, "ignore", "C-RNTI", Int("", int64(crnti))),
		F1AP.IE(202, "ignore", "SRBs-Setup-List", SeqOf("", srb(1), srb(2))))
	return F1AP.PDU("successfulOutcome", 5, "reject", "UEContextSetupResponse", ies...)
}

// F1UEContextReleaseCommand is the CU's UEContextReleaseCommand with the
// cause and the RRC container (the PDCP PDU of an RRCRelease) sent on
// srb; rrc nil leaves out the container and the SRB ID.
func F1UEContextReleaseCommand(ue F1UE, cause per.Value, srb int, rrc []byte) []byte {
	ies := append(f1ids(ue), F1AP.IE(0, "ignore", "Cause", cause))
	if rrc != nil {
		ies = append(ies,
			F1AP.IE(50, "ignore", "RRCContainer", Octets("", rrc)),
			F1AP.IE(64, "ignore", "SRBID", Int("", int64(srb))))
	}
	return F1AP.PDU("initiatingMessage", 6, "reject", "UEContextReleaseCommand", ies...)
}

// F1UEContextReleaseComplete is the DU's UEContextReleaseComplete.
func F1UEContextReleaseComplete(ue F1UE) []byte {
	return F1AP.PDU("successfulOutcome", 6, "reject", "UEContextReleaseComplete", f1ids(ue)...)
}

// F1UEContextReleaseRequest is the DU's UEContextReleaseRequest.
func F1UEContextReleaseRequest(ue F1UE, cause per.Value) []byte {
	ies := append(f1ids(ue), F1AP.IE(0, "ignore", "Cause", cause))
	return F1AP.PDU("initiatingMessage", 10, "ignore", "UEContextReleaseRequest", ies...)
}
