package rrc

import (
	"embed"
	"fmt"
	"sync"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// The NR RRC schema: 38.331's ASN.1, as far as the project models it,
// written in the specification's own syntax.
//
//go:embed asn/*.asn
var schemaFiles embed.FS

var schema = sync.OnceValues(func() (*per.Schema, error) {
	return per.CompileFS(schemaFiles, "asn/*.asn")
})

// Schema returns the compiled NR RRC schema.
func Schema() (*per.Schema, error) { return schema() }

// MessageType is the ASN.1 type of a whole PDU on the channel:
// "UL-DCCH-Message" for UL-DCCH.
func (c Channel) MessageType() string {
	if c == ChannelUnknown || c >= numChannels {
		return ""
	}
	return c.String() + "-Message"
}

// Decode decodes a whole RRC PDU field by field. Whole octets after the
// message (padding of the layer below, as MAC and some F1AP containers
// add) are let pass and counted in the value's Trailing. Containers the schema does
// not model (CellGroupConfig, UE capability containers, SIB contents beyond
// SIB1's top level) stay as octets, labelled with the type they contain.
func Decode(ch Channel, pdu []byte) (*per.Value, error) {
	s, err := schema()
	if err != nil {
		return nil, fmt.Errorf("rrc: schema: %w", err)
	}
	typ := ch.MessageType()
	if typ == "" {
		return nil, &Error{Channel: ch, Err: ErrUnknownChannel}
	}
	return s.Decode(typ, pdu, per.Options{AllowTrailing: true})
}
