package per

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// MarshalJSON returns v in X.697 JSON encoding rules (JER) as the
// project's vectors write it (shared/vectors/README.md):
//
//	SEQUENCE            object keyed by component identifier; absent
//	                    OPTIONAL and DEFAULT components omitted
//	CHOICE              {"alternative": value}
//	ENUMERATED          "identifier"
//	INTEGER             number
//	BOOLEAN, NULL       true/false, null
//	OCTET STRING        "lowercase hex"
//	BIT STRING          fixed size: "hex" of the bits left-aligned and
//	                    zero-padded; otherwise {"value": "hex", "length": bits}
//	SEQUENCE OF         array
//	CONTAINING X        {"X": value of X}; "hex" when not decoded
//
// Parts the schema does not model: an unknown extension alternative of a
// CHOICE is the hex string of its encoding (in place of the whole
// CHOICE object), an unknown extension value of an ENUMERATED is its
// index as a number, unknown extension additions of a SEQUENCE are
// omitted, and so are the extension additions that reach a type declared
// UNMODELLED (the tree shows their octets).
func (v Value) MarshalJSON() ([]byte, error) {
	return v.AppendJER(nil), nil
}

// AppendJER appends the JER of v (see MarshalJSON) to b.
func (v *Value) AppendJER(b []byte) []byte {
	switch v.Kind {
	case Boolean:
		return strconv.AppendBool(b, v.Bool)
	case Null:
		return append(b, "null"...)
	case Integer:
		return strconv.AppendInt(b, v.Int, 10)
	case Enumerated:
		if v.Ident == "" {
			return strconv.AppendInt(b, v.Int, 10)
		}
		return appendString(b, v.Ident)
	case BitString:
		if v.Fixed() {
			return appendHex(b, v.bitBytes())
		}
		b = append(b, `{"value":`...)
		b = appendHex(b, v.bitBytes())
		b = append(b, `,"length":`...)
		b = strconv.AppendInt(b, int64(v.Len), 10)
		return append(b, '}')
	case OctetString:
		if v.Contained != nil {
			b = append(b, '{')
			b = appendString(b, v.Container)
			b = append(b, ':')
			b = v.Contained.AppendJER(b)
			return append(b, '}')
		}
		return appendHex(b, v.Octets)
	case Open:
		return appendHex(b, v.Octets)
	case Sequence:
		b = append(b, '{')
		first := true
		for i := range v.Fields {
			if v.Fields[i].Kind == Open {
				continue // an extension addition kept as octets: not modelled
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendString(b, v.Fields[i].Name)
			b = append(b, ':')
			b = v.Fields[i].AppendJER(b)
		}
		return append(b, '}')
	case SequenceOf:
		b = append(b, '[')
		for i := range v.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.Fields[i].AppendJER(b)
		}
		return append(b, ']')
	case Choice:
		if len(v.Fields) == 0 {
			return append(b, "null"...)
		}
		c := &v.Fields[0]
		if c.Kind == Open {
			return c.AppendJER(b)
		}
		b = append(b, '{')
		b = appendString(b, c.Name)
		b = append(b, ':')
		b = c.AppendJER(b)
		return append(b, '}')
	}
	return append(b, "null"...)
}

func appendHex(b, src []byte) []byte {
	b = append(b, '"')
	b = hex.AppendEncode(b, src)
	return append(b, '"')
}

// appendString appends s as a JSON string. ASN.1 identifiers need no
// escaping; type names neither, but quote defensively.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// bitBytes returns the octets holding the Len bits of a BIT STRING, the
// unused low bits of the last one cleared.
func (v *Value) bitBytes() []byte {
	n := (v.Len + 7) / 8
	if len(v.Bits) >= n && (v.Len&7 == 0 || v.Bits[n-1]<<(v.Len&7) == 0) {
		return v.Bits[:n]
	}
	b := make([]byte, n)
	copy(b, v.Bits)
	if r := v.Len & 7; r != 0 {
		b[n-1] &= 0xff << (8 - r)
	}
	return b
}
