package rrc

// The message-type tables of TS 38.331 v17.x §6.2.1, one per channel, in
// the order of the ASN.1 (the order is the encoding: alternative i is
// encoded as i).
//
// To add a message of a later release:
//  1. Replace the spare it takes (spares are numbered downwards, so the
//     first spare after the last message goes): set name, id and txid.
//  2. Check in the message's own definition whether its SEQUENCE starts
//     with rrc-TransactionIdentifier; set txid accordingly.
//  3. Add it to the table test in rrc_test.go and build it in the tshark
//     differential test (a header from rrctest.Header is enough).

// alt is one alternative of a message-type CHOICE.
type alt struct {
	name  string // ASN.1 type name: "SecurityModeCommand"
	id    string // alternative identifier: "securityModeCommand"
	path  string // "c1.securityModeCommand"
	txid  bool   // the type's SEQUENCE starts with rrc-TransactionIdentifier
	spare bool
}

// table is the layout of one channel's *-MessageType:
//
//	CHOICE { c1 CHOICE {...}, messageClassExtension ... }
//
// BCCH-BCH has mib in place of c1 (c1Bits 0, c1 = [mib]). UL-DCCH's
// messageClassExtension is itself a CHOICE { c2 CHOICE {...},
// messageClassExtensionFuture-r16 SEQUENCE {} }; elsewhere it is an empty
// SEQUENCE.
type table struct {
	c1Bits int
	c1     []alt // 1<<c1Bits entries
	ext    alt   // messageClassExtension, when c2 is nil
	c2     []alt // UL-DCCH: 16 entries
	future alt   // UL-DCCH: messageClassExtensionFuture-r16
}

// msg is a c1 alternative; tx says whether it carries a transaction id.
func msg(id, name string, tx bool) alt {
	return alt{name: name, id: id, path: "c1." + id, txid: tx}
}

func spare(n string) alt { return alt{name: n, id: n, path: "c1." + n, spare: true} }

// c2 turns c1-style alternatives into UL-DCCH messageClassExtension.c2 ones.
func c2(alts ...alt) []alt {
	for i := range alts {
		alts[i].path = "messageClassExtension.c2." + alts[i].id
	}
	return alts
}

const (
	txid   = true
	noTxid = false
)

var extension = alt{name: "messageClassExtension", id: "messageClassExtension", path: "messageClassExtension"}

var tables = [numChannels]*table{
	BCCHBCH: {
		c1Bits: 0,
		c1:     []alt{{name: "MIB", id: "mib", path: "mib"}},
		ext:    extension,
	},
	BCCHDLSCH: {
		c1Bits: 1,
		c1: []alt{
			msg("systemInformation", "SystemInformation", noTxid),
			msg("systemInformationBlockType1", "SIB1", noTxid),
		},
		ext: extension,
	},
	DLCCCH: {
		c1Bits: 2,
		c1: []alt{
			msg("rrcReject", "RRCReject", noTxid),
			msg("rrcSetup", "RRCSetup", txid),
			spare("spare2"),
			spare("spare1"),
		},
		ext: extension,
	},
	DLDCCH: {
		c1Bits: 4,
		c1: []alt{
			msg("rrcReconfiguration", "RRCReconfiguration", txid),
			msg("rrcResume", "RRCResume", txid),
			msg("rrcRelease", "RRCRelease", txid),
			msg("rrcReestablishment", "RRCReestablishment", txid),
			msg("securityModeCommand", "SecurityModeCommand", txid),
			msg("dlInformationTransfer", "DLInformationTransfer", txid),
			msg("ueCapabilityEnquiry", "UECapabilityEnquiry", txid),
			msg("counterCheck", "CounterCheck", txid),
			msg("mobilityFromNRCommand", "MobilityFromNRCommand", txid),
			msg("dlDedicatedMessageSegment-r16", "DLDedicatedMessageSegment-r16", noTxid),
			msg("ueInformationRequest-r16", "UEInformationRequest-r16", txid),
			// DLInformationTransferMRDC-r16 ::= SEQUENCE { criticalExtensions ... }: no transaction id.
			msg("dlInformationTransferMRDC-r16", "DLInformationTransferMRDC-r16", noTxid),
			msg("loggedMeasurementConfiguration-r16", "LoggedMeasurementConfiguration-r16", noTxid),
			spare("spare3"),
			spare("spare2"),
			spare("spare1"),
		},
		ext: extension,
	},
	PCCH: {
		c1Bits: 1,
		c1: []alt{
			msg("paging", "Paging", noTxid),
			spare("spare1"),
		},
		ext: extension,
	},
	ULCCCH: {
		c1Bits: 2,
		c1: []alt{
			msg("rrcSetupRequest", "RRCSetupRequest", noTxid),
			msg("rrcResumeRequest", "RRCResumeRequest", noTxid),
			msg("rrcReestablishmentRequest", "RRCReestablishmentRequest", noTxid),
			msg("rrcSystemInfoRequest", "RRCSystemInfoRequest", noTxid),
		},
		ext: extension,
	},
	ULCCCH1: {
		c1Bits: 2,
		c1: []alt{
			msg("rrcResumeRequest1", "RRCResumeRequest1", noTxid),
			spare("spare3"),
			spare("spare2"),
			spare("spare1"),
		},
		ext: extension,
	},
	ULDCCH: {
		c1Bits: 4,
		c1: []alt{
			msg("measurementReport", "MeasurementReport", noTxid),
			msg("rrcReconfigurationComplete", "RRCReconfigurationComplete", txid),
			msg("rrcSetupComplete", "RRCSetupComplete", txid),
			msg("rrcReestablishmentComplete", "RRCReestablishmentComplete", txid),
			msg("rrcResumeComplete", "RRCResumeComplete", txid),
			msg("securityModeComplete", "SecurityModeComplete", txid),
			msg("securityModeFailure", "SecurityModeFailure", txid),
			msg("ulInformationTransfer", "ULInformationTransfer", noTxid),
			msg("locationMeasurementIndication", "LocationMeasurementIndication", noTxid),
			msg("ueCapabilityInformation", "UECapabilityInformation", txid),
			msg("counterCheckResponse", "CounterCheckResponse", txid),
			msg("ueAssistanceInformation", "UEAssistanceInformation", noTxid),
			msg("failureInformation", "FailureInformation", noTxid),
			msg("ulInformationTransferMRDC", "ULInformationTransferMRDC", noTxid),
			msg("scgFailureInformation", "SCGFailureInformation", noTxid),
			msg("scgFailureInformationEUTRA", "SCGFailureInformationEUTRA", noTxid),
		},
		c2: c2(
			msg("ulDedicatedMessageSegment-r16", "ULDedicatedMessageSegment-r16", noTxid),
			msg("dedicatedSIBRequest-r16", "DedicatedSIBRequest-r16", noTxid),
			msg("mcgFailureInformation-r16", "MCGFailureInformation-r16", noTxid),
			msg("ueInformationResponse-r16", "UEInformationResponse-r16", txid),
			msg("sidelinkUEInformationNR-r16", "SidelinkUEInformationNR-r16", noTxid),
			msg("ulInformationTransferIRAT-r16", "ULInformationTransferIRAT-r16", noTxid),
			msg("iabOtherInformation-r16", "IABOtherInformation-r16", txid),
			msg("mbsInterestIndication-r17", "MBSInterestIndication-r17", noTxid),
			msg("uePositioningAssistanceInfo-r17", "UEPositioningAssistanceInfo-r17", noTxid),
			msg("measurementReportAppLayer-r17", "MeasurementReportAppLayer-r17", noTxid),
			spare("spare6"),
			spare("spare5"),
			spare("spare4"),
			spare("spare3"),
			spare("spare2"),
			spare("spare1"),
		),
		future: alt{
			name: "messageClassExtensionFuture-r16",
			id:   "messageClassExtensionFuture-r16",
			path: "messageClassExtension.messageClassExtensionFuture-r16",
		},
	},
}
