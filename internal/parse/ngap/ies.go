package ngap

// ieTypes gives, by IE id, the ASN.1 type of the IE's value as the object
// sets of TS 38.413 (NGAP-PDU-Contents, NGAP-IEs) give it, for the IEs the
// schema names (asn/ngap-ies.asn); types declared UNMODELLED there are
// kept as octets. Other IEs are named (ieNames) and kept as octets.
//
// To decode another IE: 1. write its value type in asn/ngap-ies.asn, as the
// specification writes it (iE-Extensions and choice-Extensions decode by
// id on their own); 2. add its id here; 3. add it to an aptest builder and
// to the table test.
var ieTypes = map[int]string{
	0:   "AllowedNSSAI",
	1:   "AMFName",
	3:   "AMFSetID",
	10:  "AMF-UE-NGAP-ID",
	15:  "Cause",
	18:  "CoreNetworkAssistanceInformationForInactive",
	19:  "CriticalityDiagnostics",
	21:  "PagingDRX",
	24:  "EmergencyFallbackIndicator",
	25:  "EUTRA-CGI",
	26:  "FiveG-S-TMSI",
	27:  "GlobalRANNodeID",
	28:  "GUAMI",
	29:  "HandoverType",
	31:  "IndexToRFSP",
	33:  "LocationReportingRequestType",
	34:  "MaskedIMEISV",
	36:  "MobilityRestrictionList",
	37:  "NAS-PDU",
	38:  "NAS-PDU",
	39:  "NASSecurityParametersFromNGRAN",
	40:  "AMF-UE-NGAP-ID",
	41:  "NewSecurityContextInd",
	45:  "NR-CGI",
	46:  "NRPPa-PDU",
	48:  "AMFName",
	50:  "PagingDRX",
	52:  "PagingPriority",
	55:  "PDUSessionResourceFailedToSetupListCxtRes",
	58:  "PDUSessionResourceFailedToSetupListSURes",
	60:  "PDUSessionResourceListCxtRelCpl",
	70:  "PDUSessionResourceReleasedListRelRes",
	71:  "PDUSessionResourceSetupListCxtReq",
	72:  "PDUSessionResourceSetupListCxtRes",
	74:  "PDUSessionResourceSetupListSUReq",
	75:  "PDUSessionResourceSetupListSURes",
	79:  "PDUSessionResourceToReleaseListRelCmd",
	80:  "PLMNSupportList",
	82:  "RANNodeName",
	83:  "RANPagingPriority",
	85:  "RAN-UE-NGAP-ID",
	86:  "RelativeAMFCapacity",
	89:  "RoutingID",
	90:  "RRCEstablishmentCause",
	91:  "RRCInactiveTransitionReportRequest",
	93:  "SecurityContext",
	94:  "SecurityKey",
	96:  "ServedGUAMIList",
	100: "AMF-UE-NGAP-ID",
	101: "SourceToTarget-TransparentContainer",
	102: "SupportedTAList",
	103: "TAIListForPaging",
	106: "TargetToSource-TransparentContainer",
	107: "TimeToWait",
	108: "TraceActivation",
	110: "UEAggregateMaximumBitRate",
	112: "UEContextRequest",
	114: "UE-NGAP-IDs",
	115: "UEPagingIdentity",
	117: "UERadioCapability",
	118: "UERadioCapabilityForPaging",
	119: "UESecurityCapabilities",
	121: "UserLocationInformation",
	127: "DataForwardingNotPossible",
	129: "NetworkInstance",
	130: "PDUSessionAggregateMaximumBitRate",
	132: "PDUSessionResourceFailedToSetupListCxtFail",
	133: "PDUSessionResourceListCxtRelReq",
	134: "PDUSessionType",
	136: "QosFlowSetupRequestList",
	138: "SecurityIndication",
	139: "UPTransportLayerInformation",
	146: "RedirectionVoiceFallback",
	147: "UERetentionInformation",
	148: "S-NSSAI",
	213: "TAI",
}

// IEName returns the name of an IE id as TS 38.413 spells it
// ("RAN-UE-NGAP-ID"), or "ie <id>" for an id it does not assign.
func IEName(id int) string { return protocol.IEName(id) }

// IEType returns the ASN.1 type of an IE id's value ("RAN-UE-NGAP-ID"), or
// "" when the schema does not name it.
func IEType(id int) string { return protocol.IEType(id) }
