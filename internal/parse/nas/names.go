package nas

import "strconv"

// Value names from TS 24.501 (Rel-17), spelled as tshark's nas-5gs
// dissector spells them where it knows the value.

// MessageName returns the TS 24.501 name of a message type under an
// extended protocol discriminator (Tables 9.7.1 and 9.7.2), or "" for a
// value the specification does not assign.
func MessageName(epd, typ byte) string {
	switch epd {
	case EPD5GMM:
		if s := mmMessages[typ]; s != nil {
			return s.name
		}
	case EPD5GSM:
		if s := smMessages[typ]; s != nil {
			return s.name
		}
	}
	return ""
}

// MMCauseName names a 5GMM cause value (TS 24.501 §9.11.3.2); an
// unassigned value is "unknown 5GMM cause".
func MMCauseName(v int) string {
	if s, ok := mmCauses[v]; ok {
		return s
	}
	return "unknown 5GMM cause"
}

// SMCauseName names a 5GSM cause value (TS 24.501 §9.11.4.2); an
// unassigned value is "unknown 5GSM cause".
func SMCauseName(v int) string {
	if s, ok := smCauses[v]; ok {
		return s
	}
	return "unknown 5GSM cause"
}

// CipheringAlgorithmName names 5G-EA<v>: "128-5G-EA2".
func CipheringAlgorithmName(v int) string { return enumName(eaNames[:], v) }

// IntegrityAlgorithmName names 5G-IA<v>: "128-5G-IA2".
func IntegrityAlgorithmName(v int) string { return enumName(iaNames[:], v) }

func enumName(names []string, v int) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return names[v]
	}
	return "unknown"
}

// withValue writes "name (v)", as tshark shows an enumerated field.
func withValue(name string, v int) string { return name + " (" + strconv.Itoa(v) + ")" }

var mmCauses = map[int]string{
	3:   "Illegal UE",
	5:   "PEI not accepted",
	6:   "Illegal ME",
	7:   "5GS services not allowed",
	9:   "UE identity cannot be derived by the network",
	10:  "Implicitly deregistered",
	11:  "PLMN not allowed",
	12:  "Tracking area not allowed",
	13:  "Roaming not allowed in this tracking area",
	15:  "No suitable cells in tracking area",
	20:  "MAC failure",
	21:  "Synch failure",
	22:  "Congestion",
	23:  "UE security capabilities mismatch",
	24:  "Security mode rejected, unspecified",
	26:  "Non-5G authentication unacceptable",
	27:  "N1 mode not allowed",
	28:  "Restricted service area",
	31:  "Redirection to EPC required",
	36:  "IAB-node operation not authorized",
	43:  "LADN not available",
	62:  "No network slices available",
	65:  "Maximum number of PDU sessions reached",
	67:  "Insufficient resources for specific slice and DNN",
	69:  "Insufficient resources for specific slice",
	71:  "ngKSI already in use",
	72:  "Non-3GPP access to 5GCN not allowed",
	73:  "Serving network not authorized",
	74:  "Temporarily not authorized for this SNPN",
	75:  "Permanently not authorized for this SNPN",
	76:  "Not authorized for this CAG or authorized for CAG cells only",
	77:  "Wireline access area not allowed",
	78:  "PLMN not allowed to operate at the present UE location",
	79:  "UAS services not allowed",
	80:  "Disaster roaming for the determined PLMN with disaster condition not allowed",
	81:  "Selected N3IWF is not compatible with the allowed NSSAI",
	82:  "Selected TNGF is not compatible with the allowed NSSAI",
	90:  "Payload was not forwarded",
	91:  "DNN not supported or not subscribed in the slice",
	92:  "Insufficient user-plane resources for the PDU session",
	93:  "Onboarding services terminated",
	95:  "Semantically incorrect message",
	96:  "Invalid mandatory information",
	97:  "Message type non-existent or not implemented",
	98:  "Message type not compatible with the protocol state",
	99:  "Information element non-existent or not implemented",
	100: "Conditional IE error",
	101: "Message not compatible with the protocol state",
	111: "Protocol error, unspecified",
}

var smCauses = map[int]string{
	8:   "Operator determined barring",
	26:  "Insufficient resources",
	27:  "Missing or unknown DNN",
	28:  "Unknown PDU session type",
	29:  "User authentication or authorization failed",
	31:  "Request rejected, unspecified",
	32:  "Service option not supported",
	33:  "Requested service option not subscribed",
	34:  "Service option temporarily out of order",
	35:  "PTI already in use",
	36:  "Regular deactivation",
	37:  "5GS QoS not accepted",
	38:  "Network failure",
	39:  "Reactivation requested",
	41:  "Semantic error in the TFT operation",
	42:  "Syntactical error in the TFT operation",
	43:  "Invalid PDU session identity",
	44:  "Semantic errors in packet filter(s)",
	45:  "Syntactical error in packet filter(s)",
	46:  "Out of LADN service area",
	47:  "PTI mismatch",
	50:  "PDU session type IPv4 only allowed",
	51:  "PDU session type IPv6 only allowed",
	54:  "PDU session does not exist",
	57:  "PDU session type IPv4v6 only allowed",
	58:  "PDU session type Unstructured only allowed",
	59:  "Unsupported 5QI value",
	61:  "PDU session type Ethernet only allowed",
	67:  "Insufficient resources for specific slice and DNN",
	68:  "Not supported SSC mode",
	69:  "Insufficient resources for specific slice",
	70:  "Missing or unknown DNN in a slice",
	81:  "Invalid PTI value",
	82:  "Maximum data rate per UE for user-plane integrity protection is too low",
	83:  "Semantic error in the QoS operation",
	84:  "Syntactical error in the QoS operation",
	85:  "Invalid mapped EPS bearer identity",
	86:  "UAS services not allowed",
	95:  "Semantically incorrect message",
	96:  "Invalid mandatory information",
	97:  "Message type non-existent or not implemented",
	98:  "Message type not compatible with the protocol state",
	99:  "Information element non-existent or not implemented",
	100: "Conditional IE error",
	101: "Message not compatible with the protocol state",
	111: "Protocol error, unspecified",
}

var securityHeaderNames = [...]string{
	"Plain NAS message, not security protected",
	"Integrity protected",
	"Integrity protected and ciphered",
	"Integrity protected with new 5GS security context",
	"Integrity protected and ciphered with new 5GS security context",
}

var eaNames = [...]string{"5G-EA0 (null ciphering algorithm)", "128-5G-EA1", "128-5G-EA2", "128-5G-EA3", "5G-EA4", "5G-EA5", "5G-EA6", "5G-EA7"}
var iaNames = [...]string{"5G-IA0 (null integrity protection algorithm)", "128-5G-IA1", "128-5G-IA2", "128-5G-IA3", "5G-IA4", "5G-IA5", "5G-IA6", "5G-IA7"}

// Bit names of the UE security capability, most significant bit first.
var (
	capEANames  = [...]string{"5G-EA0", "128-5G-EA1", "128-5G-EA2", "128-5G-EA3", "5G-EA4", "5G-EA5", "5G-EA6", "5G-EA7"}
	capIANames  = [...]string{"5G-IA0", "128-5G-IA1", "128-5G-IA2", "128-5G-IA3", "5G-IA4", "5G-IA5", "5G-IA6", "5G-IA7"}
	capEEANames = [...]string{"EEA0", "128-EEA1", "128-EEA2", "128-EEA3", "EEA4", "EEA5", "EEA6", "EEA7"}
	capEIANames = [...]string{"EIA0", "128-EIA1", "128-EIA2", "128-EIA3", "EIA4", "EIA5", "EIA6", "EIA7"}
)

var registrationTypes = [...]string{1: "initial registration", 2: "mobility registration updating", 3: "periodic registration updating",
	4: "emergency registration", 5: "SNPN onboarding registration", 6: "disaster roaming mobility registration updating",
	7: "disaster roaming initial registration"}

var identityTypes = [...]string{"No identity", "SUCI", "5G-GUTI", "IMEI", "5G-S-TMSI", "IMEISV", "MAC address", "EUI-64"}

var supiFormats = [...]string{"IMSI", "Network Specific Identifier", "GCI", "GLI"}

var protectionSchemes = [...]string{"NULL scheme", "ECIES scheme profile A", "ECIES scheme profile B"}

var payloadContainerTypes = [...]string{1: "N1 SM information", 2: "SMS", 3: "LTE Positioning Protocol (LPP) message container",
	4: "SOR transparent container", 5: "UE policy container", 6: "UE parameters update transparent container",
	7: "Location services message container", 8: "CIoT user data container", 9: "Service-level-AA container",
	10: "Event notification", 15: "Multiple payloads"}

var accessTypes = [...]string{1: "3GPP access", 2: "Non-3GPP access", 3: "3GPP access and non-3GPP access"}

var serviceTypes = [...]string{"Signalling", "Data", "Mobile terminated services", "Emergency services",
	"Emergency services fallback", "High priority access", "Elevated signalling"}

var requestTypes = [...]string{1: "Initial request", 2: "Existing PDU session", 3: "Initial emergency request",
	4: "Existing emergency PDU session", 5: "Modification request", 6: "MA PDU request", 7: "Reserved"}

var pduSessionTypes = [...]string{1: "IPv4", 2: "IPv6", 3: "IPv4v6", 4: "Unstructured", 5: "Ethernet"}

var sscModes = [...]string{1: "SSC mode 1", 2: "SSC mode 2", 3: "SSC mode 3"}

var sstNames = [...]string{1: "eMBB", 2: "URLLC", 3: "MIoT", 4: "V2X", 5: "HMTC"}

var eapCodes = [...]string{1: "Request", 2: "Response", 3: "Success", 4: "Failure", 5: "Initiate", 6: "Finish"}

var controlPlaneServiceTypes = [...]string{"mobile originating request", "mobile terminating request", "emergency services", "emergency services fallback"}

func name(names []string, v int) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return withValue(names[v], v)
	}
	return withValue("unknown", v)
}
