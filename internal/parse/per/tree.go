package per

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
)

// Line is one line of the readable tree of a value (Value.Tree).
type Line struct {
	// Depth is 0 for the top value, one more for each level below.
	Depth int
	// Name is the component or alternative identifier as 38.331 spells
	// it, "[i]" for a SEQUENCE OF element, the type name on the top line
	// and on the top line of a contained value that is not a SEQUENCE.
	Name string
	// Value is the value for display: "nea2", "17921", "true",
	// "'0101'B (4 bits)", "'0123456789AB'H (48 bits)", "7e0054" for an
	// OCTET STRING, "CellGroupConfig, 42 bytes" for a container, the
	// chosen alternative of a CHOICE, "3 items" for a SEQUENCE OF; empty
	// for a SEQUENCE or NULL.
	Value string
	// Kind is the ASN.1 built-in type: "INTEGER", "SEQUENCE OF".
	Kind string
	// Type is the type reference name, "" for a type written inline.
	Type string
	// Note adds what the value does not say: "extension value 5",
	// "2 unknown extensions skipped (40 bits)", "not decoded", or why a
	// contained value failed to decode.
	Note string
	// Hex is the value in hexadecimal when the component names an
	// identity (its name contains Identity, RNTI, TMSI or ID): "0x4601";
	// also the content of a container that was not decoded.
	Hex string
}

// Tree returns v as lines for display, depth first in schema order. A
// contained value follows its container one level deeper: the
// components of a SEQUENCE directly, any other value as one line named
// by its type.
func (v *Value) Tree() []Line {
	name := v.Name
	if name == "" {
		name = v.Type
	}
	ls := v.appendLines(nil, 0, name)
	if v.Trailing > 0 && len(ls) > 0 {
		note := plural(v.Trailing, "octet") + " of padding after the message"
		if ls[0].Note != "" {
			note = ls[0].Note + "; " + note
		}
		ls[0].Note = note
	}
	return ls
}

func isIdentity(name string) bool {
	return strings.Contains(name, "Identity") || strings.Contains(name, "RNTI") ||
		strings.Contains(name, "TMSI") || strings.Contains(name, "ID")
}

func (v *Value) appendLines(ls []Line, depth int, name string) []Line {
	l := Line{Depth: depth, Name: name, Kind: v.Kind.String(), Type: v.Type}
	var kids []Value
	switch v.Kind {
	case Boolean:
		l.Value = strconv.FormatBool(v.Bool)
	case Integer:
		l.Value = strconv.FormatInt(v.Int, 10)
		if v.t != nil && v.t.named != nil {
			l.Note = v.t.named[v.Int]
		}
		if isIdentity(name) {
			if v.Int < 0 {
				l.Hex = "-0x" + strings.ToUpper(strconv.FormatUint(-uint64(v.Int), 16))
			} else {
				l.Hex = "0x" + strings.ToUpper(strconv.FormatUint(uint64(v.Int), 16))
			}
		}
	case Enumerated:
		l.Value = v.Ident
		if v.Ident == "" {
			l.Value = "extension value " + strconv.FormatInt(v.Int, 10)
			l.Note = "unknown extension value"
		}
	case BitString:
		l.Value = bitString(v)
		l.Note = namedBits(v)
		if isIdentity(name) {
			l.Hex = "0x" + strings.ToUpper(hex.EncodeToString(v.bitBytes()))
		}
	case OctetString:
		if v.Container == "" {
			l.Value = hex.EncodeToString(v.Octets)
			l.Note = plural(len(v.Octets), "byte")
			break
		}
		l.Value = v.Container + ", " + plural(len(v.Octets), "byte")
		switch {
		case v.Contained != nil:
			if v.Contained.Kind == Sequence {
				l.Note = skipped(v.Contained)
				ls = append(ls, l)
				for i := range v.Contained.Fields {
					ls = v.Contained.Fields[i].appendLines(ls, depth+1, v.Contained.Fields[i].Name)
				}
				return ls
			}
			ls = append(ls, l)
			return v.Contained.appendLines(ls, depth+1, v.Container)
		case v.Err != nil:
			l.Note = "not decoded: " + v.Err.Error()
		default:
			l.Note = "not decoded"
		}
		l.Hex = hex.EncodeToString(v.Octets)
	case Open:
		l.Value = "unknown extension, " + plural(len(v.Octets), "byte")
		if v.Err != nil && errors.Is(v.Err, ErrUnmodelled) {
			l.Value = plural(len(v.Octets), "byte") + " not decoded"
			l.Note = "reaches " + unmodelledName(v.Err) + ", which nrladder does not model yet"
		}
		l.Hex = hex.EncodeToString(v.Octets)
	case Sequence:
		l.Note = skipped(v)
		kids = v.Fields
	case SequenceOf:
		l.Value = plural(len(v.Fields), "item")
		kids = v.Fields
	case Choice:
		if c := v.Chosen(); c != nil {
			l.Value = c.Name
			if c.Kind == Open && c.Err == nil {
				l.Value = "extension alternative " + strconv.FormatInt(v.Int, 10)
				l.Note = "unknown extension"
			}
			kids = v.Fields
		}
	}
	ls = append(ls, l)
	for i := range kids {
		n := kids[i].Name
		if v.Kind == SequenceOf {
			n = "[" + strconv.Itoa(i) + "]"
		}
		if v.Kind == Choice && kids[i].Kind == Open {
			n = "[" + strconv.FormatInt(v.Int, 10) + "]"
		}
		ls = kids[i].appendLines(ls, depth+1, n)
	}
	return ls
}

func skipped(v *Value) string {
	if v.Skipped == 0 {
		return ""
	}
	return plural(v.Skipped, "unknown extension") + " skipped (" + plural(v.SkippedBits, "bit") + ")"
}

func plural(n int, unit string) string {
	s := strconv.Itoa(n) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}

// bitString formats a BIT STRING as ASN.1 writes it: '0101'B up to 16
// bits, 'hex'H beyond, with its length.
func bitString(v *Value) string {
	var b strings.Builder
	b.WriteByte('\'')
	if v.Len <= 16 {
		bs := v.bitBytes()
		for i := range v.Len {
			b.WriteByte('0' + bs[i/8]>>(7-i&7)&1)
		}
		b.WriteString("'B (")
	} else {
		h := strings.ToUpper(hex.EncodeToString(v.bitBytes()))
		b.WriteString(h[:(v.Len+3)/4])
		b.WriteString("'H (")
	}
	b.WriteString(plural(v.Len, "bit"))
	b.WriteByte(')')
	return b.String()
}

// namedBits lists the named bits that are set: "nr, eutra".
func namedBits(v *Value) string {
	if v.t == nil || len(v.t.bitNames) == 0 {
		return ""
	}
	bs := v.bitBytes()
	var names []string
	for i, n := range v.t.bitNames {
		if n != "" && i < v.Len && bs[i/8]>>(7-i&7)&1 == 1 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// unmodelledName is the type an ErrUnmodelled failure stopped at.
func unmodelledName(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Detail != "" {
		return e.Detail
	}
	return "a type"
}
