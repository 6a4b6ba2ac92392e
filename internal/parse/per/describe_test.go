package per

import (
	"sort"
	"strings"
)

// describe writes a compiled type back as ASN.1, expanding t itself and
// naming the types it refers to: what the compiler understood.
func describe(t *Type) string {
	var b strings.Builder
	describeInto(&b, t)
	return b.String()
}

func ref(b *strings.Builder, t *Type) {
	if t == nil {
		b.WriteString("<nil>")
		return
	}
	if t.name != "" {
		b.WriteString(t.name)
		return
	}
	describeInto(b, t)
}

func describeInto(b *strings.Builder, t *Type) {
	b.WriteString(t.kind.String())
	switch t.kind {
	case Integer:
		if len(t.named) > 0 {
			var vs []int64
			for v := range t.named {
				vs = append(vs, v)
			}
			sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
			b.WriteString(" {")
			for i, v := range vs {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(t.named[v] + "(" + itoa(v) + ")")
			}
			b.WriteString("}")
		}
		if t.hasLo || t.hasHi || t.valExt {
			b.WriteString(" (")
			if t.hasLo || t.hasHi {
				if t.hasLo && t.hasHi && t.lo == t.hi {
					b.WriteString(itoa(t.lo))
				} else {
					b.WriteString(rangeString(t))
				}
				if t.valExt {
					b.WriteString(", ")
				}
			}
			if t.valExt {
				b.WriteString("...")
			}
			b.WriteString(")")
		}
	case Enumerated:
		b.WriteString(" {" + strings.Join(t.enum, ", "))
		if t.ext {
			b.WriteString(", ...")
			for _, e := range t.enumExt {
				b.WriteString(", " + e)
			}
		}
		b.WriteString("}")
	case BitString, OctetString:
		if len(t.bitNames) > 0 {
			var ns []string
			for i, n := range t.bitNames {
				if n != "" {
					ns = append(ns, n+"("+itoa(int64(i))+")")
				}
			}
			b.WriteString(" {" + strings.Join(ns, ", ") + "}")
		}
		describeSize(b, t)
		if t.containsName != "" {
			b.WriteString(" (CONTAINING " + t.containsName)
			if t.contains == nil {
				b.WriteString("?")
			}
			b.WriteString(")")
		}
	case SequenceOf:
		b.Reset()
		b.WriteString("SEQUENCE")
		describeSize(b, t)
		b.WriteString(" OF ")
		ref(b, t.elem)
	case Sequence, Choice:
		b.WriteString(" {")
		var parts []string
		comp := func(f field) string {
			var c strings.Builder
			c.WriteString(f.name + " ")
			ref(&c, f.typ)
			switch {
			case f.def != "":
				c.WriteString(" DEFAULT " + f.def)
			case f.optional:
				c.WriteString(" OPTIONAL")
			}
			return c.String()
		}
		for _, f := range t.fields {
			parts = append(parts, comp(f))
		}
		if t.ext {
			parts = append(parts, "...")
		}
		for _, a := range t.adds {
			if !a.group {
				parts = append(parts, comp(a.fields[0]))
				continue
			}
			var g []string
			for _, f := range a.fields {
				g = append(g, comp(f))
			}
			parts = append(parts, "[[ "+strings.Join(g, ", ")+" ]]")
		}
		if len(parts) > 0 {
			b.WriteString(" " + strings.Join(parts, ", ") + " ")
		}
		b.WriteString("}")
	}
}

func describeSize(b *strings.Builder, t *Type) {
	if !t.sized {
		return
	}
	b.WriteString(" (SIZE (")
	if t.sizeLo == t.sizeHi {
		b.WriteString(itoa(t.sizeLo))
	} else {
		b.WriteString(sizeString(t.sizeLo, t.sizeHi))
	}
	if t.sizeExt {
		b.WriteString(", ...")
	}
	b.WriteString("))")
}
