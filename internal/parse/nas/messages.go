package nas

import "fmt"

// IE formats (TS 24.007 §11.2.1.1).
type format uint8

const (
	fV    format = iota + 1 // value of n octets (mandatory)
	fHalf                   // two half-octet values in one octet (mandatory): name/dec the low nibble, hi the high one
	fLV                     // 1-octet length, value (mandatory)
	fLVE                    // 2-octet length, value (mandatory)
	fTV1                    // type 1: IEI in the high nibble, value in the low nibble
	fT                      // type 2: IEI only
	fTV                     // type 3: IEI, value of n octets
	fTLV                    // type 4: IEI, 1-octet length, value
	fTLVE                   // type 6: IEI, 2-octet length, value
)

// valueFunc fills ie.Value (and Children) from the value octets v, which
// start at byte off of the PDU; it may set structured fields of c.m. For
// half-octet IEs v holds the nibble.
type valueFunc func(c *ctx, ie *IE, v []byte, off int)

// ie describes one IE of a message: its IEI (optional IEs; for type 1 the
// high nibble, e.g. 0xc0), format, fixed value length n (V, TV), TS 24.501
// name in the message, and value decoder (nil shows the octets in hex).
type ie struct {
	iei    byte
	format format
	n      int
	name   string
	dec    valueFunc
	hi     *ie // fHalf: the IE in the high nibble; nil for a spare half octet
}

type msgSpec struct {
	name      string
	typeValue string // the Message type IE's value: "Registration request (0x41)"
	mandatory []ie
	optional  []ie
}

func (s *msgSpec) lookup(iei byte) *ie {
	for i := range s.optional {
		p := &s.optional[i]
		if p.iei == iei || p.format == fTV1 && p.iei == iei&0xf0 {
			return p
		}
	}
	return nil
}

// Table constructors.
func half(name string, dec valueFunc, hi *ie) ie {
	return ie{format: fHalf, name: name, dec: dec, hi: hi}
}
func hiHalf(name string, dec valueFunc) *ie  { return &ie{format: fHalf, name: name, dec: dec} }
func v(name string, n int, dec valueFunc) ie { return ie{format: fV, n: n, name: name, dec: dec} }
func lv(name string, dec valueFunc) ie       { return ie{format: fLV, name: name, dec: dec} }
func lve(name string, dec valueFunc) ie      { return ie{format: fLVE, name: name, dec: dec} }
func tv1(iei byte, name string, dec valueFunc) ie {
	return ie{iei: iei, format: fTV1, name: name, dec: dec}
}
func tv(iei byte, n int, name string, dec valueFunc) ie {
	return ie{iei: iei, format: fTV, n: n, name: name, dec: dec}
}
func tlv(iei byte, name string, dec valueFunc) ie {
	return ie{iei: iei, format: fTLV, name: name, dec: dec}
}
func tlve(iei byte, name string, dec valueFunc) ie {
	return ie{iei: iei, format: fTLVE, name: name, dec: dec}
}

// IEs that recur across messages.
var (
	ngKSILow      = half("ngKSI", ksiValue, nil)
	cause5GMM     = v("5GMM cause", 1, mmCauseValue)
	cause5GSM     = v("5GSM cause", 1, smCauseValue)
	optEAP        = tlve(0x78, "EAP message", eapValue)
	optEPCO       = tlve(0x7b, "Extended protocol configuration options", nil)
	optPDUStatus  = tlv(0x50, "PDU session status", nil)
	optT3346      = tlv(0x5f, "T3346 value", gprsTimer2Value)
	optT3448      = tlv(0x6b, "T3448 value", gprsTimer2Value)
	optCAG        = tlve(0x75, "CAG information list", nil)
	optExtCAG     = tlve(0x71, "Extended CAG information list", nil)
	optExtRejNS   = tlv(0x68, "Extended rejected NSSAI", nil)
	optReturnWait = tlv(0x2c, "Disaster return wait range", nil)
	optLowerBound = tlv(0x3a, "Lower bound timer value", gprsTimer3Value)
	optForbidRoam = tlv(0x1d, "Forbidden TAI(s) for the list of \"5GS forbidden tracking areas for roaming\"", nil)
	optForbidReg  = tlv(0x1e, "Forbidden TAI(s) for the list of \"5GS forbidden tracking areas for regional provision of service\"", nil)
	optSLAA       = tlve(0x72, "Service-level-AA container", nil)
	optBackOff    = tlv(0x37, "Back-off timer value", gprsTimer3Value)
	optReattempt  = tlv(0x1d, "Re-attempt indicator", nil)
	optCongestion = tlv(0x61, "5GSM congestion re-attempt indicator", nil)
	optSMCause    = tv(0x59, 1, "5GSM cause", smCauseValue)
	optNASCont    = tlve(0x71, "NAS message container", nasContainerValue)
	optAddInfo    = tlv(0x24, "Additional information", nil)
	optAllowedPDU = tlv(0x25, "Allowed PDU session status", nil)
	optULData     = tlv(0x40, "Uplink data status", nil)
	optUEReqType  = tlv(0x29, "UE request type", nil)
	optPagingRest = tlv(0x28, "Paging restriction", nil)
	optPSI        = tv(0x12, 1, "PDU session ID", pduSessionIDIE)
	optReactRes   = tlv(0x26, "PDU session reactivation result", nil)
	optReactErr   = tlve(0x72, "PDU session reactivation result error cause", nil)
	optMICO       = tv1(0xb0, "MICO indication", nil)
	optSlicingInd = tv1(0x90, "Network slicing indication", nil)
	optReleaseAI  = tv1(0xf0, "Release assistance indication", nil)
	payloadPair   = half("Payload container type", payloadTypeValue, nil)
	payload       = lve("Payload container", payloadValue)
	eapMandatory  = lve("EAP message", eapValue)
	nssaaBody     = []ie{lv("S-NSSAI", snssaiValue), eapMandatory}
)

// mmMessages and smMessages hold every 5GMM and 5GSM message type of
// TS 24.501 Tables 9.7.1 and 9.7.2 (Rel-17) and their IEs (§8.2, §8.3).
// They are filled in init: their value decoders decode nested messages
// with them.
var mmMessages, smMessages map[byte]*msgSpec

func init() {
	mmMessages = mmTable()
	smMessages = smTable()
	for _, t := range []map[byte]*msgSpec{mmMessages, smMessages} {
		for typ, s := range t {
			s.typeValue = fmt.Sprintf("%s (0x%02x)", s.name, typ)
		}
	}
	for i, s := range securityHeaderNames {
		securityHeaderValues[i] = withValue(s, i)
	}
}

var (
	epd5GMMValue         = withValue("5G mobility management messages", EPD5GMM)
	epd5GSMValue         = withValue("5G session management messages", EPD5GSM)
	securityHeaderValues [len(securityHeaderNames)]string
)

func mmTable() map[byte]*msgSpec {
	return map[byte]*msgSpec{
		0x41: {name: "Registration request",
			mandatory: []ie{
				half("5GS registration type", registrationTypeValue, hiHalf("ngKSI", ksiValue)),
				lve("5GS mobile identity", mobileIdentityValue),
			},
			optional: []ie{
				tv1(0xc0, "Non-current native NAS key set identifier", ksiValue),
				tlv(0x10, "5GMM capability", nil),
				tlv(0x2e, "UE security capability", ueSecurityCapabilityValue),
				tlv(0x2f, "Requested NSSAI", nssaiValue),
				tv(0x52, 6, "Last visited registered TAI", taiValue),
				tlv(0x17, "S1 UE network capability", nil),
				optULData,
				optPDUStatus,
				optMICO,
				tlv(0x2b, "UE status", nil),
				tlve(0x77, "Additional GUTI", mobileIdentityValue),
				optAllowedPDU,
				tlv(0x18, "UE's usage setting", nil),
				tlv(0x51, "Requested DRX parameters", nil),
				tlve(0x70, "EPS NAS message container", nil),
				tlve(0x74, "LADN indication", nil),
				tv1(0x80, "Payload container type", payloadTypeValue),
				tlve(0x7b, "Payload container", payloadValue),
				optSlicingInd,
				tlv(0x53, "5GS update type", nil),
				tlv(0x41, "Mobile station classmark 2", nil),
				tlv(0x42, "Supported codecs", nil),
				optNASCont,
				tlv(0x60, "EPS bearer context status", nil),
				tlv(0x6e, "Requested extended DRX parameters", nil),
				tlv(0x6a, "T3324 value", gprsTimer3Value),
				tlv(0x67, "UE radio capability ID", nil),
				tlv(0x35, "Requested mapped NSSAI", nil),
				tlv(0x48, "Additional information requested", nil),
				tlv(0x1a, "Requested WUS assistance information", nil),
				tv1(0xa0, "N5GC indication", nil),
				tlv(0x30, "Requested NB-N1 mode DRX parameters", nil),
				optUEReqType,
				optPagingRest,
				optSLAA,
				tlv(0x32, "NID", nil),
				tlv(0x16, "MS determined PLMN with disaster condition", nil),
				tlv(0x2a, "Requested PEIPS assistance information", nil),
				tlv(0x3b, "Requested T3512 value", gprsTimer3Value),
			}},
		0x42: {name: "Registration accept",
			mandatory: []ie{lv("5GS registration result", registrationResultValue)},
			optional: []ie{
				tlve(0x77, "5G-GUTI", mobileIdentityValue),
				tlv(0x4a, "Equivalent PLMNs", nil),
				tlv(0x54, "TAI list", nil),
				tlv(0x15, "Allowed NSSAI", nssaiValue),
				tlv(0x11, "Rejected NSSAI", nil),
				tlv(0x31, "Configured NSSAI", nssaiValue),
				tlv(0x21, "5GS network feature support", nil),
				optPDUStatus,
				optReactRes,
				optReactErr,
				tlve(0x79, "LADN information", nil),
				optMICO,
				optSlicingInd,
				tlv(0x27, "Service area list", nil),
				tlv(0x5e, "T3512 value", gprsTimer3Value),
				tlv(0x5d, "Non-3GPP de-registration timer value", gprsTimer2Value),
				tlv(0x16, "T3502 value", gprsTimer2Value),
				tlv(0x34, "Emergency number list", nil),
				tlve(0x7a, "Extended emergency number list", nil),
				tlve(0x73, "SOR transparent container", nil),
				optEAP,
				tv1(0xa0, "NSSAI inclusion mode", nil),
				tlve(0x76, "Operator-defined access category definitions", nil),
				tlv(0x51, "Negotiated DRX parameters", nil),
				tv1(0xd0, "Non-3GPP NW policies", nil),
				tlv(0x60, "EPS bearer context status", nil),
				tlv(0x6e, "Negotiated extended DRX parameters", nil),
				tlv(0x6c, "T3447 value", gprsTimer3Value),
				optT3448,
				tlv(0x6a, "T3324 value", gprsTimer3Value),
				tlv(0x67, "UE radio capability ID", nil),
				tv1(0xe0, "UE radio capability ID deletion indication", nil),
				tlv(0x39, "Pending NSSAI", nssaiValue),
				tlve(0x74, "Ciphering key data", nil),
				optCAG,
				tlv(0x1b, "Truncated 5G-S-TMSI configuration", nil),
				tlv(0x1c, "Negotiated WUS assistance information", nil),
				tlv(0x29, "Negotiated NB-N1 mode DRX parameters", nil),
				optExtRejNS,
				tlve(0x7b, "Service-level-AA container", nil),
				tlv(0x33, "Negotiated PEIPS assistance information", nil),
				tlv(0x35, "5GS additional request result", nil),
				tlve(0x70, "NSSRG information", nil),
				tlv(0x14, "Disaster roaming wait range", nil),
				optReturnWait,
				tlv(0x13, "List of PLMNs to be used in disaster condition", nil),
				optForbidRoam,
				optForbidReg,
				optExtCAG,
				tlve(0x7c, "NSAG information", nil),
			}},
		0x43: {name: "Registration complete",
			optional: []ie{tlve(0x73, "SOR transparent container", nil)}},
		0x44: {name: "Registration reject",
			mandatory: []ie{cause5GMM},
			optional: []ie{
				optT3346,
				tlv(0x16, "T3502 value", gprsTimer2Value),
				optEAP,
				tlv(0x69, "Rejected NSSAI", nil),
				optCAG,
				optExtRejNS,
				optReturnWait,
				optExtCAG,
				optLowerBound,
				optForbidRoam,
				optForbidReg,
			}},
		0x45: {name: "Deregistration request (UE originating)",
			mandatory: []ie{
				half("De-registration type", deregistrationTypeValue, hiHalf("ngKSI", ksiValue)),
				lve("5GS mobile identity", mobileIdentityValue),
			}},
		0x46: {name: "Deregistration accept (UE originating)"},
		0x47: {name: "Deregistration request (UE terminated)",
			mandatory: []ie{half("De-registration type", deregistrationTypeValue, nil)},
			optional: []ie{
				tv(0x58, 1, "5GMM cause", mmCauseValue),
				optT3346,
				tlv(0x6d, "Rejected NSSAI", nil),
				optCAG,
				optExtRejNS,
				optReturnWait,
				optExtCAG,
				optLowerBound,
				optForbidRoam,
				optForbidReg,
			}},
		0x48: {name: "Deregistration accept (UE terminated)"},
		0x4c: {name: "Service request",
			mandatory: []ie{
				half("ngKSI", ksiValue, hiHalf("Service type", serviceTypeValue)),
				lve("5G-S-TMSI", mobileIdentityValue),
			},
			optional: []ie{optULData, optPDUStatus, optAllowedPDU, optNASCont, optUEReqType, optPagingRest}},
		0x4d: {name: "Service reject",
			mandatory: []ie{cause5GMM},
			optional:  []ie{optPDUStatus, optT3346, optEAP, optT3448, optCAG, optReturnWait, optExtCAG, optLowerBound, optForbidRoam, optForbidReg}},
		0x4e: {name: "Service accept",
			optional: []ie{optPDUStatus, optReactRes, optReactErr, optEAP, optT3448,
				tlv(0x34, "5GS additional request result", nil), optForbidRoam, optForbidReg}},
		0x4f: {name: "Control plane service request",
			mandatory: []ie{half("Control plane service type", controlPlaneServiceTypeValue, hiHalf("ngKSI", ksiValue))},
			optional: []ie{
				tlv(0x6f, "CIoT small data container", nil),
				tv1(0x80, "Payload container type", payloadTypeValue),
				tlve(0x7b, "Payload container", payloadValue),
				optPSI,
				optPDUStatus,
				optReleaseAI,
				optULData,
				optNASCont,
				optAddInfo,
				optAllowedPDU,
				optUEReqType,
				optPagingRest,
			}},
		0x50: {name: "Network slice-specific authentication command", mandatory: nssaaBody},
		0x51: {name: "Network slice-specific authentication complete", mandatory: nssaaBody},
		0x52: {name: "Network slice-specific authentication result", mandatory: nssaaBody},
		0x54: {name: "Configuration update command",
			optional: []ie{
				tv1(0xd0, "Configuration update indication", nil),
				tlve(0x77, "5G-GUTI", mobileIdentityValue),
				tlv(0x54, "TAI list", nil),
				tlv(0x15, "Allowed NSSAI", nssaiValue),
				tlv(0x27, "Service area list", nil),
				tlv(0x43, "Full name for network", nil),
				tlv(0x45, "Short name for network", nil),
				tv(0x46, 1, "Local time zone", nil),
				tv(0x47, 7, "Universal time and local time zone", nil),
				tlv(0x49, "Network daylight saving time", nil),
				tlve(0x79, "LADN information", nil),
				optMICO,
				optSlicingInd,
				tlv(0x31, "Configured NSSAI", nssaiValue),
				tlv(0x11, "Rejected NSSAI", nil),
				tlve(0x76, "Operator-defined access category definitions", nil),
				tv1(0xf0, "SMS indication", nil),
				tlv(0x6c, "T3447 value", gprsTimer3Value),
				optCAG,
				tlv(0x67, "UE radio capability ID", nil),
				tv1(0xa0, "UE radio capability ID deletion indication", nil),
				tlv(0x44, "5GS registration result", registrationResultValue),
				tlv(0x1b, "Truncated 5G-S-TMSI configuration", nil),
				tv1(0xc0, "Additional configuration indication", nil),
				optExtRejNS,
				optSLAA,
				tlve(0x70, "NSSRG information", nil),
				tlv(0x14, "Disaster roaming wait range", nil),
				optReturnWait,
				tlv(0x13, "List of PLMNs to be used in disaster condition", nil),
				optExtCAG,
				tlv(0x1f, "Updated PEIPS assistance information", nil),
				tlve(0x73, "NSAG information", nil),
				tv1(0xe0, "Priority indicator", nil),
			}},
		0x55: {name: "Configuration update complete"},
		0x56: {name: "Authentication request",
			mandatory: []ie{ngKSILow, lv("ABBA", nil)},
			optional: []ie{
				tv(0x21, 16, "Authentication parameter RAND (5G authentication challenge)", nil),
				tlv(0x20, "Authentication parameter AUTN (5G authentication challenge)", nil),
				optEAP,
			}},
		0x57: {name: "Authentication response",
			optional: []ie{tlv(0x2d, "Authentication response parameter", nil), optEAP}},
		0x58: {name: "Authentication reject", optional: []ie{optEAP}},
		0x59: {name: "Authentication failure",
			mandatory: []ie{cause5GMM},
			optional:  []ie{tlv(0x30, "Authentication failure parameter", nil)}},
		0x5a: {name: "Authentication result",
			mandatory: []ie{ngKSILow, eapMandatory},
			optional:  []ie{tlv(0x38, "ABBA", nil)}},
		0x5b: {name: "Identity request", mandatory: []ie{half("Identity type", identityTypeValue, nil)}},
		0x5c: {name: "Identity response", mandatory: []ie{lve("Mobile identity", mobileIdentityValue)}},
		0x5d: {name: "Security mode command",
			mandatory: []ie{
				v("Selected NAS security algorithms", 1, algorithmsValue),
				ngKSILow,
				lv("Replayed UE security capabilities", ueSecurityCapabilityValue),
			},
			optional: []ie{
				tv1(0xe0, "IMEISV request", imeisvRequestValue),
				tv(0x57, 1, "Selected EPS NAS security algorithms", nil),
				tlv(0x36, "Additional 5G security information", additionalSecurityValue),
				optEAP,
				tlv(0x38, "ABBA", nil),
				tlv(0x19, "Replayed S1 UE security capabilities", nil),
			}},
		0x5e: {name: "Security mode complete",
			optional: []ie{
				tlve(0x77, "IMEISV", mobileIdentityValue),
				optNASCont,
				tlve(0x78, "non-IMEISV PEI", mobileIdentityValue),
			}},
		0x5f: {name: "Security mode reject", mandatory: []ie{cause5GMM}},
		0x64: {name: "5GMM status", mandatory: []ie{cause5GMM}},
		0x65: {name: "Notification", mandatory: []ie{half("Access type", accessTypeValue, nil)}},
		0x66: {name: "Notification response", optional: []ie{optPDUStatus}},
		0x67: {name: "UL NAS transport",
			mandatory: []ie{payloadPair, payload},
			optional: []ie{
				optPSI,
				tv(0x59, 1, "Old PDU session ID", pduSessionIDIE),
				tv1(0x80, "Request type", requestTypeValue),
				tlv(0x22, "S-NSSAI", snssaiValue),
				tlv(0x25, "DNN", dnnValue),
				optAddInfo,
				tv1(0xa0, "MA PDU session information", nil),
				optReleaseAI,
			}},
		0x68: {name: "DL NAS transport",
			mandatory: []ie{payloadPair, payload},
			optional: []ie{
				optPSI,
				optAddInfo,
				tv(0x58, 1, "5GMM cause", mmCauseValue),
				optBackOff,
				optLowerBound,
			}},
		0x69: {name: "Relay key request",
			mandatory: []ie{v("ProSe relay transaction identity", 1, nil), lve("Relay key request parameters", nil)}},
		0x6a: {name: "Relay key accept",
			mandatory: []ie{v("ProSe relay transaction identity", 1, nil), lve("Relay key response parameters", nil)},
			optional:  []ie{optEAP}},
		0x6b: {name: "Relay key reject",
			mandatory: []ie{v("ProSe relay transaction identity", 1, nil)},
			optional:  []ie{optEAP}},
		0x6c: {name: "Relay authentication request",
			mandatory: []ie{v("ProSe relay transaction identity", 1, nil), eapMandatory}},
		0x6d: {name: "Relay authentication response",
			mandatory: []ie{v("ProSe relay transaction identity", 1, nil), eapMandatory}},
	}
}

func smTable() map[byte]*msgSpec {
	return map[byte]*msgSpec{
		0xc1: {name: "PDU session establishment request",
			mandatory: []ie{v("Integrity protection maximum data rate", 2, integrityRateValue)},
			optional: []ie{
				tv1(0x90, "PDU session type", pduSessionTypeValue),
				tv1(0xa0, "SSC mode", sscModeValue),
				tlv(0x28, "5GSM capability", nil),
				tv(0x55, 2, "Maximum number of supported packet filters", packetFiltersValue),
				tv1(0xb0, "Always-on PDU session requested", nil),
				tlv(0x39, "SM PDU DN request container", nil),
				optEPCO,
				tlv(0x66, "IP header compression configuration", nil),
				tlv(0x6e, "DS-TT Ethernet port MAC address", nil),
				tlv(0x6f, "UE-DS-TT residence time", nil),
				tlve(0x74, "Port management information container", nil),
				tlv(0x1f, "Ethernet header compression configuration", nil),
				tlv(0x29, "Suggested interface identifier", nil),
				optSLAA,
				tlve(0x70, "Requested MBS container", nil),
				tlv(0x34, "PDU session pair ID", nil),
				tlv(0x35, "RSN", nil),
			}},
		0xc2: {name: "PDU session establishment accept",
			mandatory: []ie{
				half("Selected PDU session type", pduSessionTypeValue, hiHalf("Selected SSC mode", sscModeValue)),
				lve("Authorized QoS rules", nil),
				lv("Session-AMBR", nil),
			},
			optional: []ie{
				optSMCause,
				tlv(0x29, "PDU address", nil),
				tv(0x56, 1, "RQ timer value", nil),
				tlv(0x22, "S-NSSAI", snssaiValue),
				tv1(0x80, "Always-on PDU session indication", nil),
				tlve(0x75, "Mapped EPS bearer contexts", nil),
				optEAP,
				tlve(0x79, "Authorized QoS flow descriptions", nil),
				optEPCO,
				tlv(0x25, "DNN", dnnValue),
				tlv(0x17, "5GSM network feature support", nil),
				tlv(0x18, "Serving PLMN rate control", nil),
				tlve(0x77, "ATSSS container", nil),
				tv1(0xc0, "Control plane only indication", nil),
				tlv(0x66, "IP header compression configuration", nil),
				tlv(0x1f, "Ethernet header compression configuration", nil),
				optSLAA,
				tlve(0x71, "Received MBS container", nil),
			}},
		0xc3: {name: "PDU session establishment reject",
			mandatory: []ie{cause5GSM},
			optional:  []ie{optBackOff, tv1(0xf0, "Allowed SSC mode", nil), optEAP, optCongestion, optEPCO, optReattempt, optSLAA}},
		0xc5: {name: "PDU session authentication command", mandatory: []ie{eapMandatory}, optional: []ie{optEPCO}},
		0xc6: {name: "PDU session authentication complete", mandatory: []ie{eapMandatory}, optional: []ie{optEPCO}},
		0xc7: {name: "PDU session authentication result", optional: []ie{optEAP, optEPCO}},
		0xc9: {name: "PDU session modification request",
			optional: []ie{
				tlv(0x28, "5GSM capability", nil),
				optSMCause,
				tv(0x55, 2, "Maximum number of supported packet filters", packetFiltersValue),
				tv1(0xb0, "Always-on PDU session requested", nil),
				tv(0x13, 2, "Integrity protection maximum data rate", integrityRateValue),
				tlve(0x7a, "Requested QoS rules", nil),
				tlve(0x79, "Requested QoS flow descriptions", nil),
				tlve(0x75, "Mapped EPS bearer contexts", nil),
				optEPCO,
				tlve(0x74, "Port management information container", nil),
				tlv(0x66, "IP header compression configuration", nil),
				tlv(0x1f, "Ethernet header compression configuration", nil),
				tlve(0x70, "Requested MBS container", nil),
				optSLAA,
			}},
		0xca: {name: "PDU session modification reject",
			mandatory: []ie{cause5GSM},
			optional:  []ie{optBackOff, optCongestion, optEPCO, optReattempt}},
		0xcb: {name: "PDU session modification command",
			optional: []ie{
				optSMCause,
				tlv(0x2a, "Session-AMBR", nil),
				tv(0x56, 1, "RQ timer value", nil),
				tv1(0x80, "Always-on PDU session indication", nil),
				tlve(0x7a, "Authorized QoS rules", nil),
				tlve(0x75, "Mapped EPS bearer contexts", nil),
				tlve(0x79, "Authorized QoS flow descriptions", nil),
				optEPCO,
				tlve(0x77, "ATSSS container", nil),
				tlv(0x66, "IP header compression configuration", nil),
				tlve(0x74, "Port management information container", nil),
				tlv(0x1e, "Serving PLMN rate control", nil),
				tlv(0x1f, "Ethernet header compression configuration", nil),
				tlve(0x71, "Received MBS container", nil),
				optSLAA,
			}},
		0xcc: {name: "PDU session modification complete",
			optional: []ie{optEPCO, tlve(0x74, "Port management information container", nil)}},
		0xcd: {name: "PDU session modification command reject", mandatory: []ie{cause5GSM}, optional: []ie{optEPCO}},
		0xd1: {name: "PDU session release request", optional: []ie{optSMCause, optEPCO}},
		0xd2: {name: "PDU session release reject", mandatory: []ie{cause5GSM}, optional: []ie{optEPCO}},
		0xd3: {name: "PDU session release command",
			mandatory: []ie{cause5GSM},
			optional:  []ie{optBackOff, optEAP, optCongestion, optEPCO, tv1(0xd0, "Access type", accessTypeValue), optSLAA}},
		0xd4: {name: "PDU session release complete", optional: []ie{optSMCause, optEPCO}},
		0xd6: {name: "5GSM status", mandatory: []ie{cause5GSM}},
		0xd8: {name: "Service-level authentication command", mandatory: []ie{lve("Service-level-AA container", nil)}},
		0xd9: {name: "Service-level authentication complete", mandatory: []ie{lve("Service-level-AA container", nil)}},
		0xda: {name: "Remote UE report",
			optional: []ie{tlve(0x76, "Remote UE context connected", nil), tlve(0x70, "Remote UE context disconnected", nil)}},
		0xdb: {name: "Remote UE report response"},
	}
}
