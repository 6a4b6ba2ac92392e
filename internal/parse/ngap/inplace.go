package ngap

import (
	"github.com/nrladder/nrladder/internal/parse/per"
)

// maxIEDepth bounds the nesting of IE fields inside IE values (a list
// item's extension container is depth 3). Every level decodes its octets
// anew, so the bound keeps a hostile PDU's work within maxIEDepth passes.
const maxIEDepth = 12

// ieDecoder decodes the open types of IE fields in place.
type ieDecoder struct {
	schema *per.Schema
	msg    *Message
}

// message decodes the IE values of a message whose encoding starts at
// byte off of the PDU. Byte offsets of the IE values follow from the
// ALIGNED PER layout of SEQUENCE { protocolIEs ProtocolIE-Container, ... }:
// the extension bit and padding, a 16-bit count, then per IE a 16-bit id,
// the criticality (one padded octet) and the open type.
func (d *ieDecoder) message(mv *per.Value, off int) {
	ies := mv.Field("protocolIEs")
	if ies == nil {
		ies = mv.Field("privateIEs")
		if ies == nil {
			return
		}
	}
	pos := off + 3
	for i := range ies.Fields {
		f := &ies.Fields[i]
		val := fieldValue(f)
		if val == nil {
			continue
		}
		pos += 3 + lengthSize(len(val.Octets))
		d.field(f, d.msg.Name, pos, 1)
		pos += len(val.Octets)
	}
}

// isField reports whether v is an IE field: ProtocolIE-Field (also as
// ProtocolIE-SingleContainer) or ProtocolExtensionField.
func isField(v *per.Value) bool {
	switch v.Type {
	case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
		return v.Kind == per.Sequence
	}
	return false
}

// fieldValue returns the open type of an IE field: "value" or
// "extensionValue".
func fieldValue(f *per.Value) *per.Value {
	if len(f.Fields) != 3 || f.Fields[2].Kind != per.OctetString {
		return nil
	}
	return &f.Fields[2]
}

func fieldID(f *per.Value) int {
	if id := f.Field("id"); id != nil && id.Kind == per.Integer {
		return int(id.Int)
	}
	return -1 // a private IE (PrivateIE-ID)
}

// field decodes the value of the IE field f in place. path names where f
// is; off is the offset of the value in the PDU, or -1 inside an IE.
func (d *ieDecoder) field(f *per.Value, path string, off int, depth int) {
	val := fieldValue(f)
	if val == nil || val.Contained != nil {
		return
	}
	id := fieldID(f)
	if id < 0 {
		return
	}
	path += ": ie " + itoa(id) + " " + IEName(id)
	if off >= 0 {
		path += " at byte " + itoa(off)
	}
	typ := ieTypes[id]
	switch {
	case id >= len(ieNames) || ieNames[id] == "":
		d.note(path, ErrUnknownIE)
		return
	case typ == "":
		d.note(path, per.ErrUnmodelled)
		return
	case depth > maxIEDepth:
		d.note(path, per.ErrLimit)
		return
	}
	v, err := d.schema.Decode(typ, val.Octets, options)
	val.Container = typ
	if err != nil {
		val.Err = err
		d.note(path, err)
		return
	}
	val.Contained = v
	d.walk(v, path, depth+1)
}

// walk decodes in place the IE fields found inside a decoded value.
func (d *ieDecoder) walk(v *per.Value, path string, depth int) {
	if isField(v) {
		d.field(v, path, -1, depth)
		return
	}
	switch v.Kind {
	case per.Sequence, per.SequenceOf, per.Choice:
		for i := range v.Fields {
			d.walk(&v.Fields[i], path, depth)
		}
	case per.OctetString: // OCTET STRING (CONTAINING X)
		switch {
		case v.Contained != nil:
			d.walk(v.Contained, path, depth)
		case v.Err != nil:
			d.note(path+": "+v.Name, v.Err)
		}
	}
}

func (d *ieDecoder) note(path string, err error) {
	d.msg.Undecoded = append(d.msg.Undecoded, &Error{Path: path, Err: err})
}

// contained returns the decoded value of an IE field, or nil.
func contained(f *per.Value) *per.Value {
	if val := fieldValue(f); val != nil {
		return val.Contained
	}
	return nil
}

// summarize fills the Message's fields from the message's IEs.
func (m *Message) summarize(mv *per.Value) {
	ies := mv.Field("protocolIEs")
	if ies == nil {
		return
	}
	for i := range ies.Fields {
		f := &ies.Fields[i]
		v := contained(f)
		if v == nil {
			continue
		}
		switch fieldID(f) {
		case 85:
			m.RANUEID = uint64p(v)
		case 10:
			m.AMFUEID = uint64p(v)
		case 114:
			switch c := v.Chosen(); {
			case c == nil:
			case c.Name == "uE-NGAP-ID-pair":
				if a := c.Field("aMF-UE-NGAP-ID"); a != nil {
					m.AMFUEID = uint64p(a)
				}
				if r := c.Field("rAN-UE-NGAP-ID"); r != nil {
					m.RANUEID = uint64p(r)
				}
			case c.Name == "aMF-UE-NGAP-ID":
				m.AMFUEID = uint64p(c)
			}
		case 15:
			m.Cause = causeText(v)
		case 119:
			m.UESecurityCapabilities = securityCapabilities(v)
		case 121:
			if nr := v.Get("userLocationInformationNR.nR-CGI"); nr != nil {
				m.NRCGI = nrcgi(nr)
			}
		}
	}
	m.NASPDUs = appendNAS(m.NASPDUs, mv)
}

// appendNAS appends the NAS-PDU values found in v, depth first.
func appendNAS(out [][]byte, v *per.Value) [][]byte {
	if v.Type == "NAS-PDU" && v.Kind == per.OctetString {
		return append(out, v.Octets)
	}
	switch v.Kind {
	case per.Sequence, per.SequenceOf, per.Choice:
		for i := range v.Fields {
			out = appendNAS(out, &v.Fields[i])
		}
	case per.OctetString:
		if v.Contained != nil {
			out = appendNAS(out, v.Contained)
		}
	}
	return out
}

func securityCapabilities(v *per.Value) *SecurityCapabilities {
	var c SecurityCapabilities
	for _, f := range []struct {
		name string
		dst  *uint16
	}{
		{"nRencryptionAlgorithms", &c.NREncryption},
		{"nRintegrityProtectionAlgorithms", &c.NRIntegrity},
		{"eUTRAencryptionAlgorithms", &c.EUTRAEncryption},
		{"eUTRAintegrityProtectionAlgorithms", &c.EUTRAIntegrity},
	} {
		b := v.Field(f.name)
		if b == nil || b.Kind != per.BitString {
			return nil
		}
		*f.dst = first16(b)
	}
	return &c
}

// first16 returns the first 16 bits of a BIT STRING, zero-padded.
func first16(b *per.Value) uint16 {
	var u uint16
	for i := 0; i < 16 && i < b.Len && i/8 < len(b.Bits); i++ {
		if b.Bits[i/8]>>(7-i%8)&1 == 1 {
			u |= 0x8000 >> i
		}
	}
	return u
}

func uint64p(v *per.Value) *uint64 {
	if v.Kind != per.Integer || v.Int < 0 {
		return nil
	}
	u := uint64(v.Int)
	return &u
}
