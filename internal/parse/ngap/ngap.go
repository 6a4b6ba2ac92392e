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
// place: protocol extension containers, CHOICE extensions and the PDU
// session resource transfers inside IE values are decoded too.
//
// An IE whose value cannot be decoded (malformed, of a type the schema
// declares UNMODELLED or does not name, or of an unknown id) is kept as its
// octets and reported in Message.Undecoded; it never fails the message.
// Decode never panics.
//
// It imports only per from the project.
package ngap

import (
	"embed"
	"errors"
	"strconv"
	"sync"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// The NGAP schema: 38.413's ASN.1 as far as the project models it.
//
//go:embed asn/*.asn
var schemaFiles embed.FS

var schema = sync.OnceValues(func() (*per.Schema, error) {
	return per.CompileFS(schemaFiles, "asn/*.asn")
})

// Schema returns the compiled NGAP schema (ALIGNED PER): "NGAP-PDU", the
// messages by name ("InitialUEMessage") and the IE value types
// ("RAN-UE-NGAP-ID").
func Schema() (*per.Schema, error) { return schema() }

// options are the PER options of NGAP: ALIGNED.
var options = per.Options{Aligned: true}

// Sentinel errors, reported wrapped in *Error.
var (
	// ErrUnknownProcedure: a procedure code (or an outcome of a known
	// procedure) that TS 38.413 does not define.
	ErrUnknownProcedure = errors.New("unknown procedure")
	// ErrUnknownIE: an IE id that TS 38.413 does not assign.
	ErrUnknownIE = errors.New("unknown ie")
)

// Error is a failure to decode a PDU, a message or an IE value.
type Error struct {
	// Path says where: the message, then the IEs from the message down to
	// the value that failed, each with its id and, for an IE of the
	// message, the byte offset of its value in the PDU:
	// "InitialUEMessage: ie 121 UserLocationInformation at byte 30". Empty
	// when the envelope failed.
	Path string
	// Err is a *per.Error (with its own path and bit offset, counted from
	// the start of the value that failed), ErrUnknownProcedure,
	// ErrUnknownIE or per.ErrUnmodelled.
	Err error
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "ngap: " + e.Err.Error()
	}
	return "ngap: " + e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

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
	InitiatingMessage   = "initiatingMessage"
	SuccessfulOutcome   = "successfulOutcome"
	UnsuccessfulOutcome = "unsuccessfulOutcome"
)

type procedure struct {
	name string
	msg  [3]string // initiatingMessage, successfulOutcome, unsuccessfulOutcome
}

// Procedure returns the elementary procedure of a procedure code and its
// message for an outcome ("initiatingMessage", "successfulOutcome",
// "unsuccessfulOutcome"); ok is false when TS 38.413 defines none.
func Procedure(code int, outcome string) (name, message string, ok bool) {
	if code < 0 || code >= len(procedures) || procedures[code].name == "" {
		return "", "", false
	}
	p := &procedures[code]
	i := outcomeIndex(outcome)
	if i < 0 || p.msg[i] == "" {
		return p.name, "", false
	}
	return p.name, p.msg[i], true
}

func outcomeIndex(outcome string) int {
	switch outcome {
	case InitiatingMessage:
		return 0
	case SuccessfulOutcome:
		return 1
	case UnsuccessfulOutcome:
		return 2
	}
	return -1
}

// Decode decodes one NGAP PDU. On failure of the envelope it returns nil
// and an *Error; on failure of the message it returns an *Error and the
// Message as far as it is known (procedure, message name, envelope tree).
// IEs that cannot be decoded do not fail the message (Message.Undecoded).
func Decode(pdu []byte) (*Message, error) {
	s, err := schema()
	if err != nil {
		return nil, &Error{Path: "schema", Err: err}
	}
	top, err := s.Decode("NGAP-PDU", pdu, options)
	trailing := 0
	if n := complete(pdu, err); n > 0 {
		// Some senders pass SCTP a buffer longer than the PDU: the rest
		// is zero padding or stale bytes (the MobiWatch captures).
		top, err = s.Decode("NGAP-PDU", pdu[:n], options)
		trailing = len(pdu) - n
	}
	if err != nil {
		return nil, &Error{Err: err}
	}
	m := &Message{Value: top, ProcedureCode: -1, Trailing: trailing}
	defer m.render()
	alt := top.Chosen()
	if alt == nil || alt.Kind != per.Sequence {
		return m, &Error{Err: ErrUnknownProcedure} // an extension alternative of NGAP-PDU
	}
	m.Outcome = alt.Name
	code, value := alt.Field("procedureCode"), alt.Field("value")
	if code == nil || value == nil {
		return m, &Error{Path: m.Outcome, Err: ErrUnknownProcedure}
	}
	m.ProcedureCode = int(code.Int)
	name, msg, ok := Procedure(m.ProcedureCode, m.Outcome)
	m.Procedure, m.Name = name, msg
	if !ok {
		return m, &Error{Path: "procedure " + itoa(m.ProcedureCode) + " " + m.Outcome, Err: ErrUnknownProcedure}
	}
	mv, err := s.Decode(msg, value.Octets, options)
	if err != nil {
		return m, &Error{Path: msg + " at byte " + itoa(msgOffset(value.Octets)), Err: err}
	}
	value.Container, value.Contained = msg, mv
	d := ieDecoder{schema: s, msg: m}
	d.message(mv, msgOffset(value.Octets))
	m.summarize(mv)
	return m, nil
}

// complete returns the length of the PDU when err says that whole octets
// follow a complete encoding; 0 otherwise.
func complete(pdu []byte, err error) int {
	var pe *per.Error
	if !errors.As(err, &pe) || !errors.Is(err, per.ErrTrailing) {
		return 0
	}
	if n := (pe.Bit + 7) / 8; n > 0 && n < len(pdu) {
		return n
	}
	return 0
}

// msgOffset is the offset of the message in the PDU: the choice index and
// procedure code, the criticality, then the open type's length.
func msgOffset(value []byte) int { return 3 + lengthSize(len(value)) }

// lengthSize is the size in octets of the ALIGNED PER length determinant
// of an open type of n octets (X.691 11.9.3.8: fragments of 16K octets).
func lengthSize(n int) int {
	size := 0
	for n >= 16384 {
		k := min(n/16384, 4)
		size++
		n -= k * 16384
	}
	if n < 128 {
		return size + 1
	}
	return size + 2
}

func itoa(i int) string { return strconv.Itoa(i) }

// render fills ASN1 and Lines from the decoded value.
func (m *Message) render() {
	if m.Value == nil {
		return
	}
	m.ASN1 = m.Value.AppendJER(nil)
	m.Lines = m.Value.Tree()
	for i := range m.Lines {
		l := &m.Lines[i]
		switch l.Type {
		case "ProcedureCode":
			if p, _, _ := Procedure(atoi(l.Value), InitiatingMessage); p != "" {
				l.Note = p
			}
		case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
			if i+1 < len(m.Lines) && m.Lines[i+1].Name == "id" {
				l.Value = IEName(atoi(m.Lines[i+1].Value))
			}
		case "ProtocolIE-ID", "ProtocolExtensionID":
			l.Note = IEName(atoi(l.Value))
		}
	}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
