package redact

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/ap"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/pdcp"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// aligned are the PER options of F1AP and NGAP.
var aligned = per.Options{Aligned: true}

// IE ids of the paging identities, whose types the schemas leave
// UNMODELLED.
const (
	f1apPagingIdentity   = 127 // F1AP PagingIdentity
	ngapUEPagingIdentity = 115 // NGAP UEPagingIdentity
)

// maskF1AP masks an F1AP PDU (TS 38.473): the RRC messages in its RRC
// containers (maskRRC; on SRB1..3 inside their PDCP PDU, whose MAC-I then
// no longer matches), the PagingIdentity, the UEIdentityIndexValue (the
// 5G-S-TMSI modulo 1024), the MaskedIMEISV, and with Options.RNTI the
// C-RNTI. uplink says the message goes from the gNB-DU: its SRB containers
// hold UL-DCCH messages, the others' DL-DCCH.
func maskF1AP(pdu []byte, uplink bool, opts Options) masked {
	m, err := f1ap.Decode(pdu)
	if m == nil || err != nil {
		return withhold("pdu, asn1 and tree", errOr(err))
	}
	s, err := f1ap.Schema()
	if err != nil {
		return withhold("pdu, asn1 and tree", err)
	}
	w := apWalker{schema: s, opts: opts, f1ap: true, containers: m.Containers, uplink: uplink}
	if !w.walk(m.Value) {
		return masked{}
	}
	if w.err != nil {
		return withhold("pdu, asn1 and tree", w.err)
	}
	enc, err := s.Encode("F1AP-PDU", m.Value, aligned)
	if err != nil {
		return withhold("pdu, asn1 and tree", fmt.Errorf("encoding the masked pdu: %w", err))
	}
	enc = append(enc, make([]byte, m.Trailing)...)
	m2, err := f1ap.Decode(enc)
	if m2 == nil || err != nil {
		return withhold("pdu, asn1 and tree", fmt.Errorf("the masked pdu does not decode: %w", errOr(err)))
	}
	return masked{changed: true, pdu: enc, asn1: m2.ASN1, tree: noteDropped(displayLines(m2.Lines, m.Lines), w.dropped)}
}

// maskNGAP masks an NGAP PDU (TS 38.413): every NAS-PDU (maskNAS), the
// 5G-TMSI of FiveG-S-TMSI and of the UEPagingIdentity, and the
// MaskedIMEISV.
func maskNGAP(pdu []byte, opts Options) masked {
	m, err := ngap.Decode(pdu)
	if m == nil || err != nil {
		return withhold("pdu, asn1 and tree", errOr(err))
	}
	s, err := ngap.Schema()
	if err != nil {
		return withhold("pdu, asn1 and tree", err)
	}
	w := apWalker{schema: s, opts: opts}
	if !w.walk(m.Value) {
		return masked{}
	}
	if w.err != nil {
		return withhold("pdu, asn1 and tree", w.err)
	}
	enc, err := s.Encode("NGAP-PDU", m.Value, aligned)
	if err != nil {
		return withhold("pdu, asn1 and tree", fmt.Errorf("encoding the masked pdu: %w", err))
	}
	enc = append(enc, make([]byte, m.Trailing)...)
	m2, err := ngap.Decode(enc)
	if m2 == nil || err != nil {
		return withhold("pdu, asn1 and tree", fmt.Errorf("the masked pdu does not decode: %w", errOr(err)))
	}
	return masked{changed: true, pdu: enc, asn1: m2.ASN1, tree: noteDropped(displayLines(m2.Lines, m.Lines), w.dropped)}
}

func errOr(err error) error {
	if err == nil {
		return errors.New("not decoded")
	}
	return err
}

// apWalker masks an F1AP or NGAP value whose open types were decoded in
// place (the IE values, the message in the PDU): an open type with
// something masked inside is encoded again from its value.
type apWalker struct {
	schema     *per.Schema
	opts       Options
	f1ap       bool
	containers []f1ap.Container // F1AP: the RRC containers of the message
	uplink     bool
	err        error // the first failure to encode an open type again
	dropped    int   // extension additions dropped from the values encoded again
}

func (w *apWalker) walk(v *per.Value) bool {
	changed := false
	switch v.Kind {
	case per.Sequence:
		if val := ap.FieldValue(v); val != nil && val.Contained == nil {
			if out, ok := w.pagingIdentity(ap.FieldID(v), val.Octets); ok {
				val.Octets = out
				changed = true
			}
		}
	case per.BitString:
		if v.Type == "MaskedIMEISV" || w.f1ap && v.Name == "indexLength10" {
			changed = zeroBits(v, 0, v.Len)
		}
	case per.Integer:
		if w.f1ap && w.opts.RNTI && v.Type == "C-RNTI" && v.Int != 0 {
			v.Int = 0
			changed = true
		}
	case per.OctetString:
		switch {
		case v.Type == "NAS-PDU":
			if out, ok := maskNAS(v.Octets); ok {
				v.Octets = out
				changed = true
			}
		case v.Type == "FiveG-TMSI":
			if out := make([]byte, len(v.Octets)); !bytes.Equal(out, v.Octets) {
				v.Octets = out
				changed = true
			}
		case w.f1ap:
			if out := w.container(v.Octets); !bytes.Equal(out, v.Octets) {
				v.Octets = out
				changed = true
			}
		}
		if v.Contained != nil && w.walk(v.Contained) {
			changed = true
			if v.Container != "" {
				// An open type decoded in place, or a contained value:
				// its octets are what the encoder writes.
				w.dropped += dropUnwritable(v.Contained)
				enc, err := w.schema.Encode(v.Container, v.Contained, aligned)
				if err != nil && w.err == nil {
					w.err = fmt.Errorf("encoding the masked %s: %w", v.Container, err)
				}
				if err == nil {
					v.Octets = enc
				}
			}
		}
	}
	for i := range v.Fields {
		if w.walk(&v.Fields[i]) {
			changed = true
		}
	}
	return changed
}

// pagingIdentity masks the value of a paging identity IE, which the
// schemas leave UNMODELLED, at the places ALIGNED PER puts the identity.
//
// F1AP PagingIdentity ::= CHOICE (2-bit index) {
//
//	rANUEPagingIdentity SEQUENCE { iRNTI BIT STRING (SIZE(40)), iE-Extensions OPTIONAL, ... }
//	    extension and presence bits, then iRNTI octet-aligned: octets 1..5
//	cNUEPagingIdentity CHOICE (1-bit index) { fiveGSTMSI BIT STRING (SIZE(48)), … }
//	    the 5G-S-TMSI octet-aligned at octets 1..6, its 5G-TMSI octets 3..6 }
//
// NGAP UEPagingIdentity ::= CHOICE (1-bit index) {
//
//	fiveG-S-TMSI FiveG-S-TMSI: extension and presence bits, aMFSetID (10
//	bits), aMFPointer (6 bits), then fiveG-TMSI octet-aligned: octets 3..6 }
func (w *apWalker) pagingIdentity(id int, b []byte) ([]byte, bool) {
	var from, to int
	switch {
	case w.f1ap && id == f1apPagingIdentity && len(b) >= 6 && b[0]>>6 == 0:
		from, to = 1, 6
	case w.f1ap && id == f1apPagingIdentity && len(b) >= 7 && b[0]>>5 == 0b010:
		from, to = 3, 7
	case !w.f1ap && id == ngapUEPagingIdentity && len(b) >= 7 && b[0]>>7 == 0:
		from, to = 3, 7
	default:
		return b, false
	}
	out := bytes.Clone(b)
	clear(out[from:to])
	return out, !bytes.Equal(out, b)
}

// container masks an F1AP RRC container, found by its octets among those
// f1ap.Decode listed.
func (w *apWalker) container(data []byte) []byte {
	for _, c := range w.containers {
		if !sameSlice(c.Data, data) {
			continue
		}
		switch c.Kind {
		case f1ap.KindULCCCH:
			return maskRRCBytes(rrc.ULCCCH, data, w.opts)
		case f1ap.KindULCCCH1:
			return maskRRCBytes(rrc.ULCCCH1, data, w.opts)
		case f1ap.KindDLCCCH:
			return maskRRCBytes(rrc.DLCCCH, data, w.opts)
		case f1ap.KindPDCPSRB:
			ch := rrc.DLDCCH
			if w.uplink {
				ch = rrc.ULDCCH
			}
			return maskPDCP(ch, data, w.opts)
		case f1ap.KindRRC:
			// No SRB given: a PDCP PDU on SRB1..3 or DL-CCCH on SRB0.
			if out := maskPDCP(rrc.DLDCCH, data, w.opts); !bytes.Equal(out, data) {
				return out
			}
			return maskRRCBytes(rrc.DLCCCH, data, w.opts)
		}
	}
	return data
}

// maskPDCP masks the RRC message in a PDCP data PDU of an SRB.
func maskPDCP(ch rrc.Channel, data []byte, opts Options) []byte {
	p, err := pdcp.ParseSRB(data)
	if err != nil {
		return data
	}
	rrcPDU := maskRRCBytes(ch, p.Payload, opts)
	if bytes.Equal(rrcPDU, p.Payload) {
		return data
	}
	out := make([]byte, 0, pdcp.HeaderLen+len(rrcPDU)+len(p.MACI))
	out = append(out, data[:pdcp.HeaderLen]...)
	out = append(out, rrcPDU...)
	return append(out, p.MACI...)
}

// sameSlice reports whether a and b are the same bytes in memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
