package rrctest

import (
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/parse/uper"
)

// Values of EstablishmentCause and ResumeCause (both 16 root values, no
// extension marker) used by the tests.
const (
	Emergency    = 0
	MTAccess     = 2
	MOSignalling = 3
	MOData       = 4
)

// Values of CipheringAlgorithm and IntegrityProtAlgorithm.
const (
	NEA0, NIA0 = 0, 0
	NEA1, NIA1 = 1, 1
	NEA2, NIA2 = 2, 2
	NEA3, NIA3 = 3, 3
)

// ReestablishmentCause values.
const (
	ReconfigurationFailure = 0
	HandoverFailure        = 1
	OtherFailure           = 2
)

// ---- UL-CCCH, UL-CCCH1 ----

// RRCSetupRequest is a UL-CCCH RRCSetupRequest whose ue-Identity is a
// randomValue (randomValue must fit 39 bits) with the given
// EstablishmentCause.
func RRCSetupRequest(randomValue uint64, cause int) []byte {
	return rrcSetupRequest(1, randomValue, cause)
}

// RRCSetupRequestTMSIPart1 is a UL-CCCH RRCSetupRequest whose ue-Identity
// is ng-5G-S-TMSI-Part1 (39 bits).
func RRCSetupRequestTMSIPart1(part1 uint64, cause int) []byte {
	return rrcSetupRequest(0, part1, cause)
}

func rrcSetupRequest(identity int, value uint64, cause int) []byte {
	w := start(rrc.ULCCCH, 0)
	// RRCSetupRequest ::= SEQUENCE { rrcSetupRequest RRCSetupRequest-IEs }
	w.Choice(identity, 2, false) // InitialUE-Identity
	w.Bits(value, 39)
	w.Enumerated(cause, 16, false)
	w.Bits(0, 1) // spare
	return finish(w)
}

// RRCResumeRequest is a UL-CCCH RRCResumeRequest with a 24-bit
// ShortI-RNTI-Value, resumeMAC-I and ResumeCause.
func RRCResumeRequest(shortIRNTI uint32, resumeMACI uint16, cause int) []byte {
	w := start(rrc.ULCCCH, 1)
	w.Bits(uint64(shortIRNTI), 24)
	w.Bits(uint64(resumeMACI), 16)
	w.Enumerated(cause, 16, false)
	w.Bits(0, 1) // spare
	return finish(w)
}

// RRCReestablishmentRequest is a UL-CCCH RRCReestablishmentRequest.
func RRCReestablishmentRequest(cRNTI uint16, physCellID int, shortMACI uint16, cause int) []byte {
	w := start(rrc.ULCCCH, 2)
	// ReestabUE-Identity
	w.Bits(uint64(cRNTI), 16)
	w.Constrained(int64(physCellID), 0, 1007)
	w.Bits(uint64(shortMACI), 16)
	w.Enumerated(cause, 4, false)
	w.Bits(0, 1) // spare
	return finish(w)
}

// RRCSystemInfoRequest is a UL-CCCH RRCSystemInfoRequest for the SI
// messages whose bits are set in requestedSI (bit 31 = first SI message).
func RRCSystemInfoRequest(requestedSI uint32) []byte {
	w := start(rrc.ULCCCH, 3)
	w.Choice(0, 2, false) // criticalExtensions: rrcSystemInfoRequest
	w.Bits(uint64(requestedSI), 32)
	w.Bits(0, 12) // spare
	return finish(w)
}

// RRCResumeRequest1 is a UL-CCCH1 RRCResumeRequest1 with a 40-bit
// I-RNTI-Value.
func RRCResumeRequest1(fullIRNTI uint64, resumeMACI uint16, cause int) []byte {
	w := start(rrc.ULCCCH1, 0)
	w.Bits(fullIRNTI, 40)
	w.Bits(uint64(resumeMACI), 16)
	w.Enumerated(cause, 16, false)
	w.Bits(0, 1) // spare
	return finish(w)
}

// ---- DL-CCCH ----

// RRCReject is a DL-CCCH RRCReject; waitTime 1..16 seconds, 0 for absent.
func RRCReject(waitTime int) []byte {
	w := start(rrc.DLCCCH, 0)
	w.Choice(0, 2, false) // criticalExtensions: rrcReject
	w.Bool(waitTime != 0)
	absent(w, 2) // lateNonCriticalExtension, nonCriticalExtension
	if waitTime != 0 {
		w.Constrained(int64(waitTime), 1, 16)
	}
	return finish(w)
}

// RRCSetup is a minimal valid DL-CCCH RRCSetup: radioBearerConfig with
// srb-ToAddModList {{srb-Identity 1}} and masterCellGroup holding
// CellGroupConfig {cellGroupId 0}.
func RRCSetup(txid int) []byte {
	w := start(rrc.DLCCCH, 1)
	writeTxID(w, txid)
	w.Choice(0, 2, false) // criticalExtensions: rrcSetup
	absent(w, 2)          // lateNonCriticalExtension, nonCriticalExtension
	// RadioBearerConfig ::= SEQUENCE { srb-ToAddModList, srb3-ToRelease,
	// drb-ToAddModList, drb-ToReleaseList, securityConfig (all OPTIONAL), ... }
	w.Bool(false) // extension bit
	w.Bits(0b10000, 5)
	w.Constrained(1, 1, 2) // SRB-ToAddModList SIZE (1..2)
	// SRB-ToAddMod ::= SEQUENCE { srb-Identity, reestablishPDCP, discardOnPDCP, pdcp-Config (OPTIONAL), ... }
	w.Bool(false)
	absent(w, 3)
	w.Constrained(1, 1, 3) // SRB-Identity
	w.OctetString(CellGroupConfig(0))
	return finish(w)
}

// CellGroupConfig is the encoding of CellGroupConfig {cellGroupId cellGroupID},
// the content of a masterCellGroup OCTET STRING.
func CellGroupConfig(cellGroupID int) []byte {
	var w uper.Writer
	w.Bool(false) // extension bit
	absent(&w, 7) // rlc-BearerToAddModList .. sCellToReleaseList
	w.Constrained(int64(cellGroupID), 0, 3)
	return finish(&w)
}

// ---- DL-DCCH ----

// RRCReconfiguration is an empty DL-DCCH RRCReconfiguration.
func RRCReconfiguration(txid int) []byte {
	w := start(rrc.DLDCCH, 0)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 5) // radioBearerConfig, secondaryCellGroup, measConfig, lateNonCriticalExtension, nonCriticalExtension
	return finish(w)
}

// RRCResume is an empty DL-DCCH RRCResume.
func RRCResume(txid int) []byte {
	w := start(rrc.DLDCCH, 1)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 6) // radioBearerConfig, masterCellGroup, measConfig, fullConfig, late.., non..
	return finish(w)
}

// RRCRelease is a plain DL-DCCH RRCRelease (no suspendConfig: to RRC_IDLE).
func RRCRelease(txid int) []byte {
	w := start(rrc.DLDCCH, 2)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 6) // redirectedCarrierInfo, cellReselectionPriorities, suspendConfig, deprioritisationReq, late.., non..
	return finish(w)
}

// RRCReestablishment is a DL-DCCH RRCReestablishment with the given
// nextHopChainingCount (0..7).
func RRCReestablishment(txid, nextHopChainingCount int) []byte {
	w := start(rrc.DLDCCH, 3)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 2)
	w.Constrained(int64(nextHopChainingCount), 0, 7)
	return finish(w)
}

// SecurityModeCommand is a DL-DCCH SecurityModeCommand selecting the
// CipheringAlgorithm (NEA0..NEA3) and IntegrityProtAlgorithm (NIA0..NIA3;
// -1 leaves it absent).
func SecurityModeCommand(txid, ciphering, integrity int) []byte {
	w := start(rrc.DLDCCH, 4)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 2)  // lateNonCriticalExtension, nonCriticalExtension
	w.Bool(false) // SecurityConfigSMC extension bit
	w.Bool(false) // SecurityAlgorithmConfig extension bit
	w.Bool(integrity >= 0)
	w.Enumerated(ciphering, 8, true)
	if integrity >= 0 {
		w.Enumerated(integrity, 8, true)
	}
	return finish(w)
}

// DLInformationTransfer is a DL-DCCH DLInformationTransfer carrying the
// NAS PDU nas (absent when nil).
func DLInformationTransfer(txid int, nas []byte) []byte {
	w := start(rrc.DLDCCH, 5)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	w.Bool(nas != nil)
	absent(w, 2)
	if nas != nil {
		w.OctetString(nas)
	}
	return finish(w)
}

// UECapabilityEnquiry is a DL-DCCH UECapabilityEnquiry asking for the nr
// capability without a filter.
func UECapabilityEnquiry(txid int) []byte {
	w := start(rrc.DLDCCH, 6)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 2)           // lateNonCriticalExtension, ue-CapabilityEnquiryExt
	w.Constrained(1, 1, 8) // UE-CapabilityRAT-RequestList SIZE (1..maxRAT-CapabilityContainers)
	w.Bool(false)          // UE-CapabilityRAT-Request extension bit
	absent(w, 1)           // capabilityRequestFilter
	w.Enumerated(0, 4, true)
	return finish(w)
}

// UEInformationRequest is an empty DL-DCCH UEInformationRequest-r16.
func UEInformationRequest(txid int) []byte {
	w := start(rrc.DLDCCH, 10)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 8)
	return finish(w)
}

// ---- UL-DCCH ----

// RRCReconfigurationComplete is an empty UL-DCCH RRCReconfigurationComplete.
func RRCReconfigurationComplete(txid int) []byte {
	return emptyULDCCH(1, txid, 2)
}

// RRCSetupComplete is a UL-DCCH RRCSetupComplete with
// selectedPLMN-Identity 1 and the NAS PDU nas.
func RRCSetupComplete(txid int, nas []byte) []byte {
	w := start(rrc.ULDCCH, 2)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 6) // registeredAMF, guami-Type, s-NSSAI-List, ng-5G-S-TMSI-Value, late.., non..
	w.Constrained(1, 1, 12)
	w.OctetString(nas)
	return finish(w)
}

// RRCReestablishmentComplete is an empty UL-DCCH RRCReestablishmentComplete.
func RRCReestablishmentComplete(txid int) []byte {
	return emptyULDCCH(3, txid, 2)
}

// RRCResumeComplete is an empty UL-DCCH RRCResumeComplete.
func RRCResumeComplete(txid int) []byte {
	return emptyULDCCH(4, txid, 5)
}

// SecurityModeComplete is a UL-DCCH SecurityModeComplete.
func SecurityModeComplete(txid int) []byte {
	return emptyULDCCH(5, txid, 2)
}

// SecurityModeFailure is a UL-DCCH SecurityModeFailure.
func SecurityModeFailure(txid int) []byte {
	return emptyULDCCH(6, txid, 2)
}

// ULInformationTransfer is a UL-DCCH ULInformationTransfer carrying the
// NAS PDU nas (absent when nil).
func ULInformationTransfer(nas []byte) []byte {
	w := start(rrc.ULDCCH, 7)
	w.Choice(0, 2, false)
	w.Bool(nas != nil)
	absent(w, 2)
	if nas != nil {
		w.OctetString(nas)
	}
	return finish(w)
}

// CounterCheckResponse is a UL-DCCH CounterCheckResponse with an empty
// drb-CountInfoList.
func CounterCheckResponse(txid int) []byte {
	w := start(rrc.ULDCCH, 10)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 2)
	w.Constrained(0, 0, 29) // DRB-CountInfoList SIZE (0..maxDRB)
	return finish(w)
}

// UEInformationResponse is an empty UL-DCCH UEInformationResponse-r16
// (messageClassExtension.c2).
func UEInformationResponse(txid int) []byte {
	w := new(uper.Writer)
	writeHeader(w, rrc.ULDCCH, []int{1, 0, 3})
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, 9)
	return finish(w)
}

// emptyULDCCH is c1 alternative idx with a transaction id and an IEs
// SEQUENCE of opt absent OPTIONAL components.
func emptyULDCCH(idx, txid, opt int) []byte {
	w := start(rrc.ULDCCH, idx)
	writeTxID(w, txid)
	w.Choice(0, 2, false)
	absent(w, opt)
	return finish(w)
}

// ---- BCCH, PCCH ----

// MIBFields are the fields of a MIB. The zero value is SFN MSBs 0, scs15or60,
// offset 0, pos2, CORESET#0 0, search space 0, notBarred, allowed.
type MIBFields struct {
	SystemFrameNumber              uint8 // the 6 most significant bits of the SFN
	SubCarrierSpacingCommon        int   // 0 scs15or60, 1 scs30or120
	SSBSubcarrierOffset            int   // 0..15
	DMRSTypeAPosition              int   // 0 pos2, 1 pos3
	ControlResourceSetZero         int   // 0..15
	SearchSpaceZero                int   // 0..15
	CellBarred                     bool
	IntraFreqReselectionNotAllowed bool
}

// MIB is a BCCH-BCH MIB.
func MIB(f MIBFields) []byte {
	var w uper.Writer
	writeHeader(&w, rrc.BCCHBCH, []int{0})
	w.Bits(uint64(f.SystemFrameNumber), 6)
	w.Enumerated(f.SubCarrierSpacingCommon, 2, false)
	w.Constrained(int64(f.SSBSubcarrierOffset), 0, 15)
	w.Enumerated(f.DMRSTypeAPosition, 2, false)
	w.Constrained(int64(f.ControlResourceSetZero), 0, 15)
	w.Constrained(int64(f.SearchSpaceZero), 0, 15)
	w.Bool(!f.CellBarred)                    // ENUMERATED {barred, notBarred}
	w.Bool(f.IntraFreqReselectionNotAllowed) // ENUMERATED {allowed, notAllowed}
	w.Bits(0, 1)                             // spare
	return finish(&w)
}

// Paging is a PCCH Paging with one PagingRecord for the 48-bit
// ng-5G-S-TMSI.
func Paging(ng5GSTMSI uint64) []byte {
	w := start(rrc.PCCH, 0)
	w.Bool(true)            // pagingRecordList
	absent(w, 2)            // lateNonCriticalExtension, nonCriticalExtension
	w.Constrained(1, 1, 32) // PagingRecordList SIZE (1..maxNrofPageRec)
	w.Bool(false)           // PagingRecord extension bit
	absent(w, 1)            // accessType
	w.Choice(0, 2, true)    // PagingUE-Identity: ng-5G-S-TMSI
	w.Bits(ng5GSTMSI, 48)
	return finish(w)
}
