// Package ngap decodes NGAP PDUs (TS 38.413, ALIGNED PER), the signalling
// between a gNB (its gNB-CU) and the AMF, and names what a ladder diagram
// needs from them: the elementary procedure and message, the UE's NGAP
// ids, the NAS PDUs it carries, the cause and the UE security
// capabilities.
//
// It holds the NGAP schema (asn/*.asn, in the specification's syntax: the
// envelope, every message of every elementary procedure, and the value
// types of the IEs it models), a table of all elementary procedures by
// procedure code (procedures.go) and a table of all IE ids with the value
// type of those it models (names.go, ies.go). Decode reads the PDU with
// package per, then decodes each IE value, an open type, by its id, in
// place (package ap): protocol extension containers, CHOICE extensions and
// the PDU session resource transfers inside IE values are decoded too.
//
// An IE whose value cannot be decoded (malformed, of a type the schema
// declares UNMODELLED or does not name, or of an unknown id) is kept as its
// octets and reported in Message.Undecoded; it never fails the message.
// Decode never panics.
//
// It imports only per and ap from the project.
package ngap

import (
	"embed"

	"github.com/nrladder/nrladder/internal/parse/ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// The NGAP schema: 38.413's ASN.1 as far as the project models it.
//
//go:embed asn/*.asn
var schemaFiles embed.FS

// Schema returns the compiled NGAP schema (ALIGNED PER): "NGAP-PDU", the
// messages by name ("InitialUEMessage") and the IE value types
// ("RAN-UE-NGAP-ID").
func Schema() (*per.Schema, error) { return protocol.Schema() }

// Message is one decoded NGAP PDU.
type Message struct {
	// Procedure is the elementary procedure as its procedure code constant
	// spells it ("InitialContextSetup", "UEContextRelease"); "" for an
	// unknown code.
	Procedure string
	// Name is the message: "InitialContextSetupRequest",
	// "DownlinkNASTransport".
	Name          string
	ProcedureCode int
	// Outcome is the alternative of NGAP-PDU: "initiatingMessage",
	// "successfulOutcome", "unsuccessfulOutcome".
	Outcome string
	// RANUEID and AMFUEID are the RAN-UE-NGAP-ID (IE 85) and
	// AMF-UE-NGAP-ID (IE 10) of the message, or those of its UE-NGAP-IDs
	// (IE 114: the pair, or the AMF-UE-NGAP-ID alone); nil when absent.
	RANUEID, AMFUEID *uint64
	// NASPDUs are the NAS PDUs of the message in order: the NAS-PDU IE
	// (38) and those inside IE values (the pDUSessionNAS-PDU and nAS-PDU
	// of PDU session resource items).
	NASPDUs [][]byte
	// UESecurityCapabilities is the UESecurityCapabilities IE (119), nil
	// when absent.
	UESecurityCapabilities *SecurityCapabilities
	// NRCGI is the NR cell of the UserLocationInformation IE (121),
	// readable: "PLMN 208-99 NCI 0x000BC614E"; "" when absent.
	NRCGI string
	// Cause is the Cause IE (15), readable: "nas: normal-release"; "" when
	// absent.
	Cause string
	// ASN1 is the whole PDU in JER (X.697 JSON, package per's conventions)
	// with every open type decoded in place: where the specification has
	// an open type (the message in NGAP-PDU, an IE value, an extension
	// value) the JSON holds {"<type name>": value} instead of the hex of
	// its octets, e.g.
	//
	//	{"initiatingMessage":{"procedureCode":4,"criticality":"ignore","value":
	//	  {"DownlinkNASTransport":{"protocolIEs":[{"id":10,"criticality":"reject",
	//	  "value":{"AMF-UE-NGAP-ID":1}}, ...]}}}}
	//
	// and so does a PDU session resource transfer (OCTET STRING CONTAINING).
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

// SecurityCapabilities are the four algorithm bitmaps of the
// UESecurityCapabilities IE (TS 38.413 9.3.1.86), each as its first 16
// bits with the first bit as the most significant: bit 15 (0x8000) is the
// first algorithm after the null one. For NREncryption 0x8000 is 128-NEA1,
// 0x4000 128-NEA2, 0x2000 128-NEA3; for NRIntegrity 0x8000 128-NIA1,
// 0x4000 128-NIA2, 0x2000 128-NIA3; EUTRAEncryption and EUTRAIntegrity
// likewise for 128-EEA1..3 and 128-EIA1..3 (TS 33.501 5.11.1.1). The
// other bits are reserved. NEA0/NIA0/EEA0/EIA0 have no bit: every UE
// supports them.
type SecurityCapabilities struct {
	NREncryption, NRIntegrity, EUTRAEncryption, EUTRAIntegrity uint16
}

// NEA reports whether the UE supports 128-NEA<n> (n = 0..15; 0 always).
func (c SecurityCapabilities) NEA(n int) bool { return algorithm(c.NREncryption, n) }

// NIA reports whether the UE supports 128-NIA<n> (n = 0..15; 0 always).
func (c SecurityCapabilities) NIA(n int) bool { return algorithm(c.NRIntegrity, n) }

// EEA reports whether the UE supports 128-EEA<n> (n = 0..15; 0 always).
func (c SecurityCapabilities) EEA(n int) bool { return algorithm(c.EUTRAEncryption, n) }

// EIA reports whether the UE supports 128-EIA<n> (n = 0..15; 0 always).
func (c SecurityCapabilities) EIA(n int) bool { return algorithm(c.EUTRAIntegrity, n) }

func algorithm(bits uint16, n int) bool {
	switch {
	case n == 0:
		return true
	case n < 0 || n > 16:
		return false
	}
	return bits&(0x8000>>(n-1)) != 0
}

// Outcome names: the alternatives of NGAP-PDU.
const (
	InitiatingMessage   = ap.InitiatingMessage
	SuccessfulOutcome   = ap.SuccessfulOutcome
	UnsuccessfulOutcome = ap.UnsuccessfulOutcome
)

// protocol is what package ap needs of NGAP.
var protocol = &ap.Protocol{
	PDU:                 "NGAP-PDU",
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
// "unsuccessfulOutcome"); ok is false when TS 38.413 defines none.
func Procedure(code int, outcome string) (name, message string, ok bool) {
	return protocol.Procedure(code, outcome)
}

// Decode decodes one NGAP PDU. On failure of the envelope it returns nil
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
