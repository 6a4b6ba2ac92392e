package ap

import (
	"iter"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// maxIEDepth bounds the nesting of IE fields inside IE values (a list
// item's extension container is depth 3). Every level decodes its octets
// anew, so the bound keeps a hostile PDU's work within maxIEDepth passes.
const maxIEDepth = 12

// ieDecoder decodes the open types of IE fields in place.
type ieDecoder struct {
	p      *Protocol
	schema *per.Schema
	pdu    *PDU
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
		d.field(f, d.pdu.Name, pos, 1)
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

// FieldValue returns the open type of v when v is an IE field
// (ProtocolIE-Field, ProtocolIE-SingleContainer, ProtocolExtensionField),
// else nil.
func FieldValue(v *per.Value) *per.Value {
	if !isField(v) {
		return nil
	}
	return fieldValue(v)
}

// FieldID returns the id of an IE field (ProtocolIE-Field,
// ProtocolIE-SingleContainer, ProtocolExtensionField), or -1 for a private
// IE (PrivateIE-ID).
func FieldID(f *per.Value) int {
	if id := f.Field("id"); id != nil && id.Kind == per.Integer {
		return int(id.Int)
	}
	return -1
}

// field decodes the value of the IE field f in place. path names where f
// is; off is the offset of the value in the PDU, or -1 inside an IE.
func (d *ieDecoder) field(f *per.Value, path string, off int, depth int) {
	val := fieldValue(f)
	if val == nil || val.Contained != nil {
		return
	}
	id := FieldID(f)
	if id < 0 {
		return
	}
	path += ": ie " + itoa(id) + " " + d.p.IEName(id)
	if off >= 0 {
		path += " at byte " + itoa(off)
	}
	typ := d.p.IETypes[id]
	switch {
	case !d.p.known(id):
		d.note(path, d.p.ErrUnknownIE)
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
	d.pdu.Undecoded = append(d.pdu.Undecoded, d.p.Error(path, err))
}

// IEs yields, in order, the IE fields of a message (its protocolIEs)
// whose value is decoded: their id and decoded value.
func IEs(mv *per.Value) iter.Seq2[int, *per.Value] {
	return func(yield func(int, *per.Value) bool) {
		ies := mv.Field("protocolIEs")
		if ies == nil {
			return
		}
		for i := range ies.Fields {
			f := &ies.Fields[i]
			if v := Contained(f); v != nil && !yield(FieldID(f), v) {
				return
			}
		}
	}
}

// Contained returns the decoded value of an IE field, or nil.
func Contained(f *per.Value) *per.Value {
	if val := fieldValue(f); val != nil {
		return val.Contained
	}
	return nil
}

// Uint64 returns a non-negative INTEGER value (a UE id), or nil.
func Uint64(v *per.Value) *uint64 {
	if v.Kind != per.Integer || v.Int < 0 {
		return nil
	}
	u := uint64(v.Int)
	return &u
}
