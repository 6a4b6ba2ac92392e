// Package aptest builds F1AP and NGAP PDUs for tests, with package per's
// encoder and the schemas of packages f1ap and ngap (ALIGNED PER), and
// reads the shared captures that carry such PDUs (pcap and pcapng,
// Ethernet or raw IPv4 with SCTP, and srsRAN's raw NGAP link type).
//
// The builders take the values a test cares about and fill the rest the
// way real gNBs and AMFs do; they panic when the schema rejects a value,
// which is a bug of the test, not of the decoder. F1Decoder and NGDecoder
// run the tests both decoders share: fuzzing, the fuzz seed files, the
// tables against the schema, byte offsets, benchmarks, the shared
// captures, and the differential tests against tshark. It is test support
// only.
package aptest

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// Int is an INTEGER component.
func Int(name string, v int64) per.Value { return per.Value{Kind: per.Integer, Name: name, Int: v} }

// Enum is an ENUMERATED component.
func Enum(name, ident string) per.Value {
	return per.Value{Kind: per.Enumerated, Name: name, Ident: ident}
}

// Octets is an OCTET STRING component.
func Octets(name string, b []byte) per.Value {
	return per.Value{Kind: per.OctetString, Name: name, Octets: b}
}

// Bits is a BIT STRING component of n bits, left-aligned in b.
func Bits(name string, b []byte, n int) per.Value {
	return per.Value{Kind: per.BitString, Name: name, Bits: b, Len: n}
}

// Seq is a SEQUENCE component with the components present, in order.
func Seq(name string, fields ...per.Value) per.Value {
	return per.Value{Kind: per.Sequence, Name: name, Fields: fields}
}

// SeqOf is a SEQUENCE OF component.
func SeqOf(name string, elems ...per.Value) per.Value {
	return per.Value{Kind: per.SequenceOf, Name: name, Fields: elems}
}

// Choice is a CHOICE component with its chosen alternative.
func Choice(name string, alt per.Value) per.Value {
	return per.Value{Kind: per.Choice, Name: name, Fields: []per.Value{alt}}
}

// Protocol is one of the two application protocols.
type Protocol struct {
	name   string // "F1AP-PDU", "NGAP-PDU"
	schema func() (*per.Schema, error)
}

// The protocols.
var (
	F1AP = Protocol{"F1AP-PDU", f1ap.Schema}
	NGAP = Protocol{"NGAP-PDU", ngap.Schema}
)

func (p Protocol) must() *per.Schema {
	s, err := p.schema()
	if err != nil {
		panic(err)
	}
	return s
}

// Encode encodes v as the schema's type typ (ALIGNED PER).
func (p Protocol) Encode(typ string, v per.Value) []byte {
	b, err := p.must().Encode(typ, &v, per.Options{Aligned: true})
	if err != nil {
		panic(fmt.Sprintf("aptest: encoding %s: %v", typ, err))
	}
	return b
}

// IE is an IE field (ProtocolIE-Field, also a ProtocolIE-SingleContainer
// item of a list) whose value v, of type typ, is encoded into the open
// type. crit is "reject", "ignore" or "notify".
func (p Protocol) IE(id int, crit, typ string, v per.Value) per.Value {
	return p.RawIE(id, crit, p.Encode(typ, v))
}

// RawIE is an IE field whose open type holds value as it is.
func (p Protocol) RawIE(id int, crit string, value []byte) per.Value {
	return Seq("", Int("id", int64(id)), Enum("criticality", crit), Octets("value", value))
}

// Ext is a protocol extension field (an item of iE-Extensions).
func (p Protocol) Ext(id int, crit, typ string, v per.Value) per.Value {
	return Seq("", Int("id", int64(id)), Enum("criticality", crit), Octets("extensionValue", p.Encode(typ, v)))
}

// PDU builds a complete PDU: the message msg of procedure code with the
// IE fields ies, in the outcome ("initiatingMessage", "successfulOutcome",
// "unsuccessfulOutcome") with the procedure's criticality crit.
func (p Protocol) PDU(outcome string, code int, crit, msg string, ies ...per.Value) []byte {
	value := p.Encode(msg, Seq("", SeqOf("protocolIEs", ies...)))
	return p.Encode(p.name, Choice("", Seq(outcome,
		Int("procedureCode", int64(code)), Enum("criticality", crit), Octets("value", value))))
}

// PDCP wraps an RRC message in a PDCP data PDU of an SRB (TS 38.323
// 6.2.2.1): a 12-bit SN after four reserved bits, the message, and a
// 4-byte MAC-I (zero: no integrity protection yet, or not checked).
func PDCP(sn uint16, rrc []byte) []byte {
	b := make([]byte, 0, 2+len(rrc)+4)
	b = append(b, byte(sn>>8)&0x0f, byte(sn))
	b = append(b, rrc...)
	return append(b, 0, 0, 0, 0)
}
