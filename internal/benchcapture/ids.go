package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// idRanges are the UE ids shifted per repetition, by ASN.1 type name, with
// the largest value of each type (TS 38.473 9.3.1.4-5, TS 38.413 9.3.3.1-2).
var idRanges = map[string]int64{
	"GNB-CU-UE-F1AP-ID": 4294967295,
	"GNB-DU-UE-F1AP-ID": 4294967295,
	"RAN-UE-NGAP-ID":    4294967295,
	"AMF-UE-NGAP-ID":    1099511627775,
}

// errRoundTrip: the PDU does not re-encode to its own octets, so a shifted
// copy would differ in more than its ids.
var errRoundTrip = errors.New("does not re-encode to its own octets")

// apPDU is one F1AP or NGAP PDU, decoded once, whose ids are shifted and
// which is re-encoded for every repetition.
type apPDU struct {
	schema   *per.Schema
	top      string // "F1AP-PDU", "NGAP-PDU"
	value    *per.Value
	ids      []*per.Value // the INTEGER values of idRanges types
	orig     []int64      // their values in the capture
	trailing []byte       // octets after the PDU in the SCTP user message, kept as they are
}

// decodeAP decodes an F1AP or NGAP PDU (protocol "f1ap" or "ngap") and checks
// that it re-encodes to its own octets. It returns nil, nil for a PDU that
// nrladder cannot decode either: such a PDU is copied unchanged.
func decodeAP(protocol string, pdu []byte) (*apPDU, error) {
	p := &apPDU{}
	var err error
	switch protocol {
	case "f1ap":
		var m *f1ap.Message
		if m, _ = f1ap.Decode(pdu); m == nil {
			return nil, nil
		}
		p.value, p.top = m.Value, "F1AP-PDU"
		p.trailing = pdu[len(pdu)-m.Trailing:]
		p.schema, err = f1ap.Schema()
	case "ngap":
		var m *ngap.Message
		if m, _ = ngap.Decode(pdu); m == nil {
			return nil, nil
		}
		p.value, p.top = m.Value, "NGAP-PDU"
		p.trailing = pdu[len(pdu)-m.Trailing:]
		p.schema, err = ngap.Schema()
	default:
		return nil, fmt.Errorf("protocol %q", protocol)
	}
	if err != nil {
		return nil, err
	}
	p.collect(p.value)
	for _, v := range p.ids {
		p.orig = append(p.orig, v.Int)
	}
	b, err := p.encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(b, pdu) {
		return nil, errRoundTrip
	}
	return p, nil
}

// collect finds the ids in v, open types and contained values included.
func (p *apPDU) collect(v *per.Value) {
	if v.Kind == per.Integer {
		if _, ok := idRanges[v.Type]; ok {
			p.ids = append(p.ids, v)
		}
		return
	}
	for i := range v.Fields {
		p.collect(&v.Fields[i])
	}
	if v.Contained != nil {
		p.collect(v.Contained)
	}
}

// shift sets every id to its value in the capture plus k times the stride
// of its type.
func (p *apPDU) shift(k int64, stride map[string]int64) {
	for i, v := range p.ids {
		v.Int = p.orig[i] + k*stride[v.Type]
	}
}

// encode writes the PDU, ALIGNED PER, with its trailing octets: every open
// type decoded in place is re-encoded first, innermost first, since the
// encoder writes an open type from its octets.
func (p *apPDU) encode() ([]byte, error) {
	if err := p.reencode(p.value); err != nil {
		return nil, err
	}
	b, err := p.schema.Encode(p.top, p.value, per.Options{Aligned: true})
	if err != nil {
		return nil, err
	}
	return append(b, p.trailing...), nil
}

func (p *apPDU) reencode(v *per.Value) error {
	for i := range v.Fields {
		if err := p.reencode(&v.Fields[i]); err != nil {
			return err
		}
	}
	if v.Kind != per.OctetString || v.Contained == nil || v.Container == "" {
		return nil
	}
	if err := p.reencode(v.Contained); err != nil {
		return err
	}
	b, err := p.schema.Encode(v.Container, v.Contained, per.Options{Aligned: true})
	if err != nil {
		return fmt.Errorf("%s: %w", v.Container, err)
	}
	v.Octets = b
	return nil
}
