// Package ap holds what the ASN.1 application protocols F1AP (TS 38.473)
// and NGAP (TS 38.413) share: an envelope (the PDU) that carries a message
// of an elementary procedure as an open type, IE containers whose
// open-type values are decoded in place by IE id, the byte offsets of
// those values in the PDU, the readable tree of the whole PDU, and
// readable causes, cell ids and PLMN ids.
//
// A protocol package (f1ap, ngap) describes itself with a Protocol: its
// schema, its tables of procedures and IEs, and how it wraps a failure in
// its own error type. It keeps its own Message and reads from the decoded
// message what a ladder needs.
//
// To add a protocol of the same family (X2AP, XnAP, E1AP): 1. write its
// schema and tables as f1ap does; 2. fill a Protocol; 3. call
// Protocol.Decode and summarise PDU.Message.
//
// It imports only per from the project.
package ap

import (
	"errors"
	"io/fs"
	"strconv"
	"sync"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// options are the PER options of the application protocols: ALIGNED.
var options = per.Options{Aligned: true}

// Outcome names: the alternatives of the PDU.
const (
	InitiatingMessage   = "initiatingMessage"
	SuccessfulOutcome   = "successfulOutcome"
	UnsuccessfulOutcome = "unsuccessfulOutcome"
)

// Procedure is one elementary procedure: its name, as the constant
// id-<name> spells it, and its messages by outcome: initiating message,
// successful outcome, unsuccessful outcome ("" when the procedure has
// none).
type Procedure struct {
	Name     string
	Messages [3]string
}

// Protocol is what an application protocol gives the shared decoding.
type Protocol struct {
	// PDU is the envelope's type: "F1AP-PDU", "NGAP-PDU".
	PDU string
	// Files holds the schema, its ASN.1 modules as asn/*.asn.
	Files fs.FS
	// Procedures lists the elementary procedures by procedure code; a
	// code without a name is not defined.
	Procedures []Procedure
	// IENames names the IE ids, by id; "" for an id the specification
	// does not assign.
	IENames []string
	// IETypes gives, by IE id, the value type of the IEs the schema names.
	IETypes map[int]string
	// Error wraps a failure with the path where it happened; every error
	// Decode returns and every entry of PDU.Undecoded is made by it.
	Error func(path string, err error) error
	// ErrUnknownProcedure and ErrUnknownIE are the protocol's sentinels
	// for a procedure code (or an outcome) and an IE id its specification
	// does not define.
	ErrUnknownProcedure, ErrUnknownIE error

	once   sync.Once
	schema *per.Schema
	err    error
}

// Schema returns the compiled schema (ALIGNED PER), compiling Files on
// first use.
func (p *Protocol) Schema() (*per.Schema, error) {
	p.once.Do(func() { p.schema, p.err = per.CompileFS(p.Files, "asn/*.asn") })
	return p.schema, p.err
}

// Procedure returns the elementary procedure of a procedure code and its
// message for an outcome ("initiatingMessage", "successfulOutcome",
// "unsuccessfulOutcome"); ok is false when the protocol defines none.
func (p *Protocol) Procedure(code int, outcome string) (name, message string, ok bool) {
	if code < 0 || code >= len(p.Procedures) || p.Procedures[code].Name == "" {
		return "", "", false
	}
	pr := &p.Procedures[code]
	i := outcomeIndex(outcome)
	if i < 0 || pr.Messages[i] == "" {
		return pr.Name, "", false
	}
	return pr.Name, pr.Messages[i], true
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

// IEName returns the name of an IE id as the specification spells it, or
// "ie <id>" for an id it does not assign.
func (p *Protocol) IEName(id int) string {
	if p.known(id) {
		return p.IENames[id]
	}
	return "ie " + itoa(id)
}

// IEType returns the ASN.1 type of an IE id's value, or "" when the
// schema does not name it.
func (p *Protocol) IEType(id int) string { return p.IETypes[id] }

func (p *Protocol) known(id int) bool {
	return id >= 0 && id < len(p.IENames) && p.IENames[id] != ""
}

// ErrorText is the text of an error of the protocol package proto:
// "f1ap: <path>: <err>", or "f1ap: <err>" when path is "".
func ErrorText(proto, path string, err error) string {
	if path == "" {
		return proto + ": " + err.Error()
	}
	return proto + ": " + path + ": " + err.Error()
}

// PDU is one decoded PDU, as far as Decode got.
type PDU struct {
	// Procedure, Name, ProcedureCode and Outcome are the elementary
	// procedure, the message, the procedure code (-1 until known) and the
	// alternative of the envelope.
	Procedure, Name string
	ProcedureCode   int
	Outcome         string
	// ASN1 is the whole PDU in JER with every open type decoded in place.
	ASN1 []byte
	// Lines is the readable tree of the whole PDU, open types decoded in
	// place; each IE field's line has the IE name as its Value, each id
	// line the IE name as its Note.
	Lines []per.Line
	// Undecoded lists the IEs kept as octets, one Protocol.Error each.
	Undecoded []error
	// Trailing counts the octets after the complete PDU.
	Trailing int
	// Value is the decoded PDU, open types in place; nil when the
	// envelope failed.
	Value *per.Value
	// Message is the decoded message, IE values in place; nil unless
	// Decode succeeded.
	Message *per.Value
}

// Decode decodes one PDU into d. On failure of the envelope d.Value is
// nil; on failure of the message d holds what is known (procedure,
// message name, envelope tree). IEs that cannot be decoded do not fail the
// message (PDU.Undecoded). The error is made by p.Error.
func (p *Protocol) Decode(d *PDU, pdu []byte) error {
	*d = PDU{ProcedureCode: -1}
	s, err := p.Schema()
	if err != nil {
		return p.Error("schema", err)
	}
	top, err := s.Decode(p.PDU, pdu, options)
	trailing := 0
	if n := complete(pdu, err); n > 0 {
		// Some senders pass SCTP a buffer longer than the PDU: the rest
		// is zero padding or stale bytes (the MobiWatch captures).
		top, err = s.Decode(p.PDU, pdu[:n], options)
		trailing = len(pdu) - n
	}
	if err != nil {
		return p.Error("", err)
	}
	d.Value, d.Trailing = top, trailing
	defer p.render(d)
	alt := top.Chosen()
	if alt == nil || alt.Kind != per.Sequence {
		return p.Error("", p.ErrUnknownProcedure) // an extension alternative of the PDU
	}
	d.Outcome = alt.Name
	code, value := alt.Field("procedureCode"), alt.Field("value")
	if code == nil || value == nil {
		return p.Error(d.Outcome, p.ErrUnknownProcedure)
	}
	d.ProcedureCode = int(code.Int)
	name, msg, ok := p.Procedure(d.ProcedureCode, d.Outcome)
	d.Procedure, d.Name = name, msg
	if !ok {
		return p.Error("procedure "+itoa(d.ProcedureCode)+" "+d.Outcome, p.ErrUnknownProcedure)
	}
	mv, err := s.Decode(msg, value.Octets, options)
	if err != nil {
		return p.Error(msg+" at byte "+itoa(msgOffset(value.Octets)), err)
	}
	value.Container, value.Contained = msg, mv
	dec := ieDecoder{p: p, schema: s, pdu: d}
	dec.message(mv, msgOffset(value.Octets))
	d.Message = mv
	return nil
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
func (p *Protocol) render(d *PDU) {
	if d.Value == nil {
		return
	}
	d.ASN1 = d.Value.AppendJER(nil)
	d.Lines = d.Value.Tree()
	for i := range d.Lines {
		l := &d.Lines[i]
		switch l.Type {
		case "ProcedureCode":
			if pr, _, _ := p.Procedure(atoi(l.Value), InitiatingMessage); pr != "" {
				l.Note = pr
			}
		case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
			if i+1 < len(d.Lines) && d.Lines[i+1].Name == "id" {
				l.Value = p.IEName(atoi(d.Lines[i+1].Value))
			}
		case "ProtocolIE-ID", "ProtocolExtensionID":
			l.Note = p.IEName(atoi(l.Value))
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
