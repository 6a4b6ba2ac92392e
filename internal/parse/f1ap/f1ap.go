// Package f1ap decodes F1AP PDUs (TS 38.473, ALIGNED PER), the signalling
// between a gNB-CU and its gNB-DUs, and names what a ladder diagram needs
// from them: the elementary procedure and message, the UE's F1AP ids and
// C-RNTI, the cell, the cause, and every RRC container with the SRB it
// travels on.
//
// It holds the F1AP schema (asn/*.asn, in the specification's syntax: the
// envelope, every message of every elementary procedure, and the value
// types of the IEs it models), a table of all elementary procedures by
// procedure code (procedures.go) and a table of all IE ids with the value
// type of those it models (names.go, ies.go). Decode reads the PDU with
// package per, then decodes each IE value, an open type, by its id, in
// place (package ap): lists of ProtocolIE-SingleContainer and protocol
// extension containers inside IE values are decoded the same way.
//
// An IE whose value cannot be decoded (malformed, of a type the schema
// declares UNMODELLED or does not name, or of an unknown id) is kept as its
// octets and reported in Message.Undecoded; it never fails the message.
// Decode never panics.
//
// It imports only per and ap from the project.
package f1ap

import (
	"embed"

	"github.com/nrladder/nrladder/internal/parse/ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// The F1AP schema: 38.473's ASN.1 as far as the project models it.
//
//go:embed asn/*.asn
var schemaFiles embed.FS

// Schema returns the compiled F1AP schema (ALIGNED PER): "F1AP-PDU", the
// messages by name ("UEContextSetupRequest") and the IE value types
// ("GNB-CU-UE-F1AP-ID").
func Schema() (*per.Schema, error) { return protocol.Schema() }

// Message is one decoded F1AP PDU.
type Message struct {
	// Procedure is the elementary procedure as its procedure code constant
	// spells it ("UEContextSetup", "InitialULRRCMessageTransfer",
	// "gNBDUConfigurationUpdate"); "" for an unknown code.
	Procedure string
	// Name is the message: "UEContextSetupRequest", "DLRRCMessageTransfer".
	Name          string
	ProcedureCode int
	// Outcome is the alternative of F1AP-PDU: "initiatingMessage",
	// "successfulOutcome", "unsuccessfulOutcome" (or "choice-extension").
	Outcome string
	// CUUEID and DUUEID are the gNB-CU-UE-F1AP-ID (IE 40) and
	// gNB-DU-UE-F1AP-ID (IE 41) of the message; nil when absent.
	CUUEID, DUUEID *uint64
	// CRNTI is the C-RNTI (IE 95); nil when absent.
	CRNTI *uint16
	// NRCGI is the cell of the NRCGI IE (111), or else of the SpCell-ID IE
	// (63), readable: "PLMN 208-99 NCI 0x000BC614E"; "" when absent.
	NRCGI string
	// Containers are the RRC-bearing IEs of the message, in order.
	Containers []Container
	// Cause is the Cause IE (0), readable: "radioNetwork: normal-release";
	// "" when absent.
	Cause string
	// ASN1 is the whole PDU in JER (X.697 JSON, package per's conventions)
	// with every open type decoded in place: where the specification has
	// an open type (the message in F1AP-PDU, an IE value, an extension
	// value) the JSON holds {"<type name>": value} instead of the hex of
	// its octets, e.g.
	//
	//	{"initiatingMessage":{"procedureCode":12,"criticality":"ignore","value":
	//	  {"DLRRCMessageTransfer":{"protocolIEs":[{"id":40,"criticality":"reject",
	//	  "value":{"GNB-CU-UE-F1AP-ID":1}}, ...]}}}}
	//
	// An open type that was not decoded stays a hex string.
	ASN1 []byte
	// Lines is the readable tree of the whole PDU (per.Value.Tree), open
	// types decoded in place; each IE field's line has the IE name as its
	// Value, each id line the IE name as its Note.
	Lines []per.Line
	// Undecoded lists the IEs kept as octets, one *Error each: unknown id
	// (ErrUnknownIE), a type the schema does not model (per.ErrUnmodelled)
	// or a value that failed to decode (*per.Error).
	Undecoded []error
	// Trailing counts the octets after the complete PDU in the SCTP user
	// message, ignored as tshark ignores them: some senders pass SCTP a
	// buffer longer than the PDU (zero padding or stale bytes).
	Trailing int
	// Value is the decoded PDU, open types in place.
	Value *per.Value
}

// Container is one RRC-bearing IE of a message.
type Container struct {
	// IE names the IE, or the component of an IE: "RRCContainer",
	// "RRCContainer-RRCSetupComplete", "DUtoCURRCContainer",
	// "CUtoDURRCInformation.uE-CapabilityRAT-ContainerList",
	// "CUtoDURRCInformation.CellGroupConfig" (an extension IE),
	// "DUtoCURRCInformation.cellGroupConfig".
	IE string
	// SRBID is the SRB the container travels on: the message's SRBID IE
	// (64); 0 for InitialULRRCMessageTransfer's RRCContainer; 1 for the
	// RRCContainer of UEContextSetupRequest and UEContextModificationRequest
	// and for RRCContainer-RRCSetupComplete, which TS 38.473 sends on SRB1;
	// -1 when the message does not say or the container does not travel on
	// an SRB.
	SRBID int
	// Data is the content: plain RRC on SRB0, a PDCP PDU on SRB1..3
	// (2-byte header, RRC, 4-byte MAC-I), otherwise the RRC structure Kind
	// names.
	Data []byte
	// Kind says what Data is (the Kind constants).
	Kind string
}

// Kinds of Container.Data.
const (
	KindULCCCH  = "rrc-ul-ccch"  // UL-CCCH-Message (SRB0, 48 bits)
	KindULCCCH1 = "rrc-ul-ccch1" // UL-CCCH1-Message (SRB0, 64 bits: RRCResumeRequest1)
	KindDLCCCH  = "rrc-dl-ccch"  // DL-CCCH-Message (SRB0)
	KindPDCPSRB = "pdcp-srb"     // a PDCP data PDU of SRB1..3 holding a UL- or DL-DCCH-Message
	// KindRRC: an RRC container whose SRB the message does not give (a
	// UEContextReleaseCommand without SRB ID): a PDCP PDU on SRB1..3 or
	// plain DL-CCCH on SRB0.
	KindRRC                            = "rrc"
	KindCellGroupConfig                = "cellgroupconfig"                  // CellGroupConfig
	KindUECapability                   = "ue-capability"                    // UE-CapabilityRAT-ContainerList
	KindCGConfigInfo                   = "cg-configinfo"                    // CG-ConfigInfo
	KindCGConfig                       = "cg-config"                        // CG-Config
	KindMeasConfig                     = "measconfig"                       // MeasConfig
	KindMeasGapConfig                  = "measgapconfig"                    // MeasGapConfig
	KindPMax                           = "p-max"                            // P-Max
	KindHandoverPreparationInformation = "handover-preparation-information" // HandoverPreparationInformation
	KindMeasurementTimingConfiguration = "measurement-timing-configuration" // MeasurementTimingConfiguration
	KindUEAssistanceInformation        = "ue-assistance-information"        // UEAssistanceInformation
)

// Outcome names: the alternatives of F1AP-PDU.
const (
	InitiatingMessage   = ap.InitiatingMessage
	SuccessfulOutcome   = ap.SuccessfulOutcome
	UnsuccessfulOutcome = ap.UnsuccessfulOutcome
)

// protocol is what package ap needs of F1AP.
var protocol = &ap.Protocol{
	PDU:                 "F1AP-PDU",
	Files:               schemaFiles,
	Procedures:          procedures[:],
	IENames:             ieNames[:],
	IETypes:             ieTypes,
	Error:               func(path string, err error) error { return &Error{Path: path, Err: err} },
	ErrUnknownProcedure: ErrUnknownProcedure,
	ErrUnknownIE:        ErrUnknownIE,
}

// Procedure returns the elementary procedure of a procedure code and its
// message for an outcome ("initiatingMessage", "successfulOutcome",
// "unsuccessfulOutcome"); ok is false when TS 38.473 defines none.
func Procedure(code int, outcome string) (name, message string, ok bool) {
	return protocol.Procedure(code, outcome)
}

// Decode decodes one F1AP PDU. On failure of the envelope it returns nil
// and an *Error; on failure of the message it returns an *Error and the
// Message as far as it is known (procedure, message name, envelope tree).
// IEs that cannot be decoded do not fail the message (Message.Undecoded).
func Decode(pdu []byte) (*Message, error) {
	var d ap.PDU
	err := protocol.Decode(&d, pdu)
	if d.Value == nil {
		return nil, err
	}
	m := &Message{
		Procedure: d.Procedure, Name: d.Name, ProcedureCode: d.ProcedureCode, Outcome: d.Outcome,
		ASN1: d.ASN1, Lines: d.Lines, Undecoded: d.Undecoded, Trailing: d.Trailing, Value: d.Value,
	}
	if d.Message != nil {
		m.summarize(d.Message)
	}
	return m, err
}
