package per

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// gen makes random values of a type, within its constraints and
// sometimes outside an extensible root.
type gen struct {
	r     *rand.Rand
	depth int
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// size picks a count within t's SIZE constraint; big allows lengths
// that need fragments.
func (g *gen) size(t *Type, dflt int) int {
	if !t.sized {
		if g.depth > 4 {
			return 0
		}
		return g.r.IntN(dflt + 1)
	}
	if t.sizeExt && g.chance(0.2) {
		return int(t.sizeHi) + 1 + g.r.IntN(3)
	}
	hi := t.sizeHi
	if hi < 0 || hi-t.sizeLo > int64(dflt) {
		hi = t.sizeLo + int64(dflt)
	}
	if g.depth > 4 {
		hi = t.sizeLo
	}
	return int(t.sizeLo + g.r.Int64N(hi-t.sizeLo+1))
}

func (g *gen) value(t *Type, name string) Value {
	g.depth++
	defer func() { g.depth-- }()
	v := Value{Kind: t.kind, Name: name, Type: t.name, t: t}
	switch t.kind {
	case Boolean:
		v.Bool = g.chance(0.5)
	case Integer:
		v.Int = g.integer(t)
	case Enumerated:
		if t.ext && g.chance(0.3) {
			v.Extension = true
			i := g.r.IntN(len(t.enumExt) + 2)
			v.Int = int64(len(t.enum) + i)
			if i < len(t.enumExt) {
				v.Ident = t.enumExt[i]
			}
			break
		}
		i := g.r.IntN(len(t.enum))
		v.Int, v.Ident = int64(i), t.enum[i]
	case BitString:
		v.Len = g.size(t, 70)
		v.Bits = make([]byte, (v.Len+7)/8)
		for i := range v.Bits {
			v.Bits[i] = byte(g.r.Uint32())
		}
		if r := v.Len & 7; r != 0 {
			v.Bits[len(v.Bits)-1] &= 0xff << (8 - r)
		}
	case OctetString:
		if t.contains != nil {
			v.Container = t.containsName
			c := g.value(t.contains, "")
			v.Contained = &c
			break
		}
		v.Octets = make([]byte, g.size(t, 12))
		for i := range v.Octets {
			v.Octets[i] = byte(g.r.Uint32())
		}
		v.Container = t.containsName
	case Sequence:
		for _, f := range t.fields {
			if f.optional && (g.depth > 4 || g.chance(0.5)) {
				continue
			}
			v.Fields = append(v.Fields, g.value(f.typ, f.name))
		}
		if g.depth > 4 {
			break
		}
		for _, a := range t.adds {
			if !g.chance(0.4) {
				continue
			}
			n := len(v.Fields)
			for _, f := range a.fields {
				if f.optional && g.chance(0.5) {
					continue
				}
				x := g.value(f.typ, f.name)
				x.Extension = true
				v.Fields = append(v.Fields, x)
			}
			if a.group && len(v.Fields) == n {
				// an all-optional group with nothing present is absent
				continue
			}
		}
	case SequenceOf:
		n := g.size(t, 3)
		v.Fields = make([]Value, n)
		for i := range v.Fields {
			v.Fields[i] = g.value(t.elem, "")
		}
	case Choice:
		if t.ext && g.depth <= 4 && g.chance(0.3) {
			i := g.r.IntN(len(t.adds) + 1)
			v.Int = int64(len(t.fields) + i)
			if i == len(t.adds) {
				o := Value{Kind: Open, Extension: true, Octets: []byte{byte(g.r.Uint32())}}
				v.Fields = []Value{o}
				break
			}
			f := t.adds[i].fields[0]
			x := g.value(f.typ, f.name)
			x.Extension = true
			v.Fields = []Value{x}
			break
		}
		i := 0
		if g.depth <= 4 {
			i = g.r.IntN(len(t.fields))
		}
		v.Int = int64(i)
		v.Fields = []Value{g.value(t.fields[i].typ, t.fields[i].name)}
	}
	return v
}

func (g *gen) integer(t *Type) int64 {
	if t.valExt && g.chance(0.2) {
		if t.hasHi && t.hi < math.MaxInt64-1000 {
			return t.hi + 1 + g.r.Int64N(1000)
		}
		if t.hasLo && t.lo > math.MinInt64+1000 {
			return t.lo - 1 - g.r.Int64N(1000)
		}
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if t.hasLo {
		lo = t.lo
	}
	if t.hasHi {
		hi = t.hi
	}
	if !t.hasLo || !t.hasHi {
		// pick a magnitude, then a value of it
		x := int64(g.r.Uint64() >> g.r.IntN(64))
		if !t.hasLo && g.chance(0.5) {
			x = -x
		}
		switch {
		case t.hasLo:
			if x < 0 {
				x = -x
			}
			if x < 0 || lo > 0 && x > math.MaxInt64-lo {
				x = 0
			}
			return lo + x
		case t.hasHi && x > hi:
			return hi
		}
		return x
	}
	span := uint64(hi) - uint64(lo)
	if span == math.MaxUint64 {
		return int64(g.r.Uint64())
	}
	return int64(uint64(lo) + g.r.Uint64N(span+1))
}

func roundTripSchemas(t testing.TB) map[string]*Schema {
	t.Helper()
	mini, err := CompileFS(os.DirFS("testdata"), "nr-rrc-mini.asn")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Schema{"mini": mini, "extra": extraSchema(t)}
}

// extraSchema holds types the decode tests do not: wide ranges,
// recursion through CHOICE, nested extension groups.
func extraSchema(t testing.TB) *Schema {
	t.Helper()
	s, err := Compile(File{Name: "extra.asn", Text: []byte(`
R ::= SEQUENCE {
    a INTEGER (-9223372036854775808..9223372036854775807),
    b INTEGER (0..MAX),
    c INTEGER,
    d INTEGER (-5..MAX),
    e INTEGER (0..255, ...),
    f INTEGER (0..256),
    g INTEGER (0..65535),
    h INTEGER (0..65536),
    i INTEGER (-1..1099511627775),
    j INTEGER (MIN..0),
    k INTEGER (7),
    l ENUMERATED {a, b, c, ..., d},
    m BIT STRING (SIZE (0..20000)) OPTIONAL,
    n BIT STRING (SIZE (16)),
    o BIT STRING (SIZE (17)),
    p OCTET STRING (SIZE (2)),
    q OCTET STRING (SIZE (3)),
    r OCTET STRING (SIZE (0..70000, ...)) OPTIONAL,
    s SEQUENCE (SIZE (1..300)) OF BOOLEAN,
    t N,
    ...,
    [[ u BOOLEAN, v N OPTIONAL ]],
    w OCTET STRING (CONTAINING N) OPTIONAL,
    [[ x BIT STRING OPTIONAL, y SEQUENCE (SIZE (2..3, ...)) OF INTEGER (0..1) OPTIONAL ]]
}
N ::= CHOICE { leaf NULL, node SEQUENCE { l N, r N OPTIONAL, ... }, ..., more ENUMERATED {x, ..., y}, [[ g1 BOOLEAN, g2 R ]] }
`)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoundTrip: for random values of every type, decode(encode(v))
// renders as v, and encodes to the same octets, in both PER variants.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	iters := 40
	if testing.Short() {
		iters = 5
	}
	for sname, s := range roundTripSchemas(t) {
		for _, name := range s.Names() {
			typ := s.Type(name)
			for i := range iters {
				for _, aligned := range []bool{false, true} {
					g := &gen{r: r}
					v := g.value(typ, "")
					opts := Options{Aligned: aligned}
					b, err := typ.Encode(&v, opts)
					if err != nil {
						t.Fatalf("%s %s #%d aligned=%v: Encode(%s): %v", sname, name, i, aligned, v.AppendJER(nil), err)
					}
					got, err := typ.Decode(b, opts)
					if err != nil {
						t.Fatalf("%s %s #%d aligned=%v: Decode(%x) of %s: %v", sname, name, i, aligned, b, v.AppendJER(nil), err)
					}
					if w, g := v.AppendJER(nil), got.AppendJER(nil); !bytes.Equal(w, g) {
						t.Fatalf("%s %s #%d aligned=%v: %x decodes to\n%s\nwant\n%s", sname, name, i, aligned, b, g, w)
					}
					b2, err := typ.Encode(got, opts)
					if err != nil || !bytes.Equal(b, b2) {
						t.Fatalf("%s %s #%d aligned=%v: re-encoding = %x, %v; want %x", sname, name, i, aligned, b2, err, b)
					}
				}
			}
		}
	}
}

// TestFragments encodes lengths of 16K items and more, which PER splits
// into fragments.
func TestFragments(t *testing.T) {
	s, err := Compile(File{Name: "f.asn", Text: []byte(`
F ::= SEQUENCE {
    o OCTET STRING,
    b BIT STRING,
    l SEQUENCE OF BOOLEAN,
    ...,
    x OCTET STRING OPTIONAL
}`)})
	if err != nil {
		t.Fatal(err)
	}
	typ := s.Type("F")
	for _, n := range []int{16383, 16384, 16385, 32768, 65536, 65537, 81920 + 5, 140000} {
		o := make([]byte, n)
		for i := range o {
			o[i] = byte(i * 7)
		}
		v := Value{Kind: Sequence, Fields: []Value{
			{Kind: OctetString, Name: "o", Octets: o},
			{Kind: BitString, Name: "b", Bits: o, Len: 8 * n},
			{Kind: SequenceOf, Name: "l", Fields: make([]Value, n/2)},
			{Kind: OctetString, Name: "x", Octets: o[:n/3], Extension: true},
		}}
		for i := range v.Fields[2].Fields {
			v.Fields[2].Fields[i] = Value{Kind: Boolean, Bool: i%3 == 0}
		}
		for _, aligned := range []bool{false, true} {
			opts := Options{Aligned: aligned}
			b, err := typ.Encode(&v, opts)
			if err != nil {
				t.Fatalf("n=%d: Encode: %v", n, err)
			}
			got, err := typ.Decode(b, opts)
			if err != nil {
				t.Fatalf("n=%d aligned=%v: Decode: %v", n, aligned, err)
			}
			if !bytes.Equal(got.Fields[0].Octets, o) || !bytes.Equal(got.Fields[1].Bits, o) || got.Fields[1].Len != 8*n ||
				len(got.Fields[2].Fields) != n/2 || !bytes.Equal(got.Fields[3].Octets, o[:n/3]) {
				t.Fatalf("n=%d aligned=%v: fragments not reassembled", n, aligned)
			}
			for i, e := range got.Fields[2].Fields {
				if e.Bool != (i%3 == 0) {
					t.Fatalf("n=%d: element %d = %v", n, i, e.Bool)
				}
			}
		}
	}
}
