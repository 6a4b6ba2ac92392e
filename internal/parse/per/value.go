package per

import (
	"strconv"
	"strings"
)

// Value is a decoded ASN.1 value. Which fields hold it depends on Kind:
//
//	Boolean      Bool
//	Integer      Int
//	Enumerated   Ident, and Int the index (extension values follow the
//	             root ones; Ident is "" for an extension value the
//	             schema does not know)
//	BitString    Bits (left-aligned) and Len bits
//	OctetString  Octets; with CONTAINING also Container (the type name)
//	             and Contained (nil when not decoded: opaque, undefined
//	             or broken, Err then says why when it failed)
//	Sequence     Fields: the components present, in schema order,
//	             extension additions (group members flattened) after the
//	             root ones; Skipped and SkippedBits count the extension
//	             additions the schema does not know
//	SequenceOf   Fields: the elements, with empty Name
//	Choice       Fields[0]: the chosen alternative; Int its index
//	Open         Octets: the encoding of an extension alternative of a
//	             CHOICE that the schema does not know
//
// Values made by hand for Encode need only Kind, Name and the fields of
// their kind.
type Value struct {
	Kind Kind
	// Name is the identifier of the component or alternative ("" for the
	// top value and SEQUENCE OF elements).
	Name string
	// Type is the name of the type reference the value is of
	// ("SecurityConfigSMC"), "" for a type written inline.
	Type string

	Int    int64
	Bool   bool
	Ident  string
	Bits   []byte
	Len    int
	Octets []byte
	Fields []Value

	Container string
	Contained *Value
	// Err is why a contained value could not be decoded.
	Err error

	// Extension marks an extension addition, an extension alternative or
	// an extension value of an ENUMERATED.
	Extension bool
	// Skipped unknown extension additions of a SEQUENCE, and their size.
	Skipped, SkippedBits int
	// Trailing counts the octets after the top-level value that
	// Options.AllowTrailing let pass (padding of the layer below).
	Trailing int

	t *Type
}

// Field returns the component or chosen alternative called name, or nil.
func (v *Value) Field(name string) *Value {
	if v == nil {
		return nil
	}
	for i := range v.Fields {
		if v.Fields[i].Name == name && v.Kind != SequenceOf {
			return &v.Fields[i]
		}
	}
	return nil
}

// Chosen returns the alternative of a CHOICE, or nil.
func (v *Value) Chosen() *Value {
	if v == nil || v.Kind != Choice || len(v.Fields) == 0 {
		return nil
	}
	return &v.Fields[0]
}

// Get follows a dotted path of component and alternative names and
// SEQUENCE OF indexes, entering contained values on the way:
// v.Get("c1.securityModeCommand.criticalExtensions") or
// v.Get("srb-ToAddModList.0.srb-Identity"). It returns nil when a step is
// absent.
func (v *Value) Get(path string) *Value {
	for path != "" && v != nil {
		step, rest, _ := strings.Cut(path, ".")
		path = rest
		if v.Kind == OctetString && v.Contained != nil {
			v = v.Contained
		}
		if v.Kind == SequenceOf {
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(v.Fields) {
				return nil
			}
			v = &v.Fields[i]
			continue
		}
		v = v.Field(step)
	}
	return v
}

// Fixed reports whether a BIT STRING value is of a type of fixed size
// (JER writes it as a plain hex string).
func (v *Value) Fixed() bool {
	t := v.t
	return t != nil && t.kind == BitString && t.sized && t.sizeLo == t.sizeHi && !t.sizeExt
}
