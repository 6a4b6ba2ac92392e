package per

import (
	"errors"
	"math/bits"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

// Encode writes v, a value of the type called typeName, as a complete PER
// encoding (UNALIGNED, or ALIGNED with opts.Aligned). Components are
// matched by name in schema order; a contained value is encoded into its
// octets. Skipped unknown extension additions are not written back. On
// failure it returns an *Error wrapping ErrValue, ErrRange or
// ErrUnsupported.
func (s *Schema) Encode(typeName string, v *Value, opts Options) ([]byte, error) {
	t := s.types[typeName]
	if t == nil {
		return nil, &Error{Path: typeName, Err: ErrNoType}
	}
	return t.Encode(v, opts)
}

// Encode writes v, a value of t, as Schema.Encode does.
func (t *Type) Encode(v *Value, opts Options) ([]byte, error) {
	e := &encoder{aligned: opts.Aligned, top: t.String(), maxDepth: opts.MaxDepth}
	if e.maxDepth <= 0 {
		e.maxDepth = DefaultMaxDepth
	}
	b := e.complete(t, v)
	if e.err != nil {
		return nil, e.err
	}
	return b, nil
}

type encoder struct {
	w        uper.Writer
	aligned  bool
	top      string
	path     []pathSeg
	depth    int
	maxDepth int
	err      *Error
}

func (e *encoder) pathString() string {
	d := decoder{top: e.top, path: e.path}
	return d.pathString()
}

func (e *encoder) fail(err error, detail string) {
	if e.err == nil {
		e.err = &Error{Path: e.pathString(), Bit: e.w.Len(), Err: err, Detail: detail}
	}
}

func (e *encoder) ok() bool {
	if e.err != nil {
		return false
	}
	if err := e.w.Err(); err != nil {
		var ue *uper.Error
		if errors.As(err, &ue) {
			e.err = &Error{Path: e.pathString(), Bit: ue.Bit, Err: ue.Err, Detail: ue.Detail}
		} else {
			e.err = &Error{Path: e.pathString(), Bit: e.w.Len(), Err: err}
		}
		return false
	}
	return true
}

// complete encodes v on a fresh writer and returns the octets: an open
// type's or a contained value's content, or the whole message.
func (e *encoder) complete(t *Type, v *Value) []byte {
	saved := e.w
	e.w = uper.Writer{}
	e.value(t, v)
	e.ok()
	b := e.w.Bytes()
	e.w = saved
	return b
}

func (e *encoder) align() {
	if e.aligned {
		if p := e.w.Len() & 7; p != 0 {
			e.w.Bits(0, 8-p)
		}
	}
}

func (e *encoder) constrained(v, lo, hi int64) {
	if v < lo || v > hi {
		e.fail(ErrRange, itoa(v)+" not in "+itoa(lo)+".."+itoa(hi))
		return
	}
	if !e.aligned {
		e.w.Constrained(v, lo, hi)
		return
	}
	span := uint64(hi) - uint64(lo)
	u := uint64(v) - uint64(lo)
	switch {
	case span == 0:
	case span < 255:
		e.w.Bits(u, bits.Len64(span))
	case span == 255:
		e.align()
		e.w.Bits(u, 8)
	case span < 65536:
		e.align()
		e.w.Bits(u, 16)
	default:
		n := max(1, (bits.Len64(u)+7)/8)
		e.w.Bits(uint64(n-1), bits.Len64(uint64((bits.Len64(span)+7)/8-1)))
		e.align()
		e.w.Bits(u, 8*n)
	}
}

// length writes an unfragmented length determinant.
func (e *encoder) length(n int, lo, hi int64) {
	if hi >= 0 && hi < 65536 {
		e.constrained(int64(n), lo, hi)
		return
	}
	e.align()
	switch {
	case n < 128:
		e.w.Bits(uint64(n), 8)
	case n < 16384:
		e.w.Bits(0b10<<14|uint64(n), 16)
	default:
		e.fail(ErrUnsupported, "length "+strconv.Itoa(n)+" needs fragments here")
	}
}

// count writes the number n of items of a value of t, then calls emit for
// every run of items (several when the length is fragmented).
func (e *encoder) count(t *Type, n, unit int, emit func(from, k int)) {
	lo, hi := int64(0), int64(-1)
	if t.sized {
		lo, hi = t.sizeLo, t.sizeHi
		in := int64(n) >= lo && (hi < 0 || int64(n) <= hi)
		if t.sizeExt {
			e.w.Bool(!in)
			if !in {
				lo, hi = 0, -1
			}
		} else if !in {
			e.fail(ErrRange, "size "+strconv.Itoa(n)+" not in "+sizeString(lo, hi))
			return
		}
	}
	if lo == hi && hi < 65536 {
		if e.aligned && unit*n > 16 {
			e.align()
		}
		emit(0, n)
		return
	}
	if hi >= 0 && hi < 65536 {
		e.constrained(int64(n), lo, hi)
		if e.aligned && unit > 0 && n > 0 {
			e.align()
		}
		emit(0, n)
		return
	}
	off := 0
	for e.err == nil {
		rest := n - off
		if rest >= 16384 {
			m := min(rest/16384, 4)
			e.align()
			e.w.Bits(0b11<<6|uint64(m), 8)
			emit(off, m*16384)
			off += m * 16384
			continue
		}
		e.length(rest, 0, -1)
		if e.aligned && unit > 0 && rest > 0 {
			e.align()
		}
		emit(off, rest)
		return
	}
}

func (e *encoder) normallySmallLength(n int) {
	if n <= 64 {
		e.w.Bits(uint64(n-1), 7)
		return
	}
	e.w.Bool(true)
	e.length(n, 0, -1)
}

func (e *encoder) normallySmall(v uint64) {
	if v <= 63 {
		e.w.Bits(v, 7)
		return
	}
	e.w.Bool(true)
	e.wholeOctets(v, false)
}

// wholeOctets writes a length and the minimal octets of u, non-negative
// or (signed) two's complement.
func (e *encoder) wholeOctets(u uint64, signed bool) {
	n := max(1, (bits.Len64(u)+7)/8)
	if signed {
		x := int64(u)
		if x < 0 {
			x = ^x
		}
		n = bits.Len64(uint64(x))/8 + 1
	}
	e.length(n, 0, -1)
	e.align()
	if n < 8 {
		u &= 1<<(8*n) - 1
	}
	e.w.Bits(u, 8*n)
}

func (e *encoder) openType(t *Type, v *Value) {
	b := e.complete(t, v)
	e.octets(b)
}

// octets writes an open type's length and octets.
func (e *encoder) octets(b []byte) {
	n := len(b)
	off := 0
	for e.err == nil {
		rest := n - off
		if rest >= 16384 {
			m := min(rest/16384, 4)
			e.align()
			e.w.Bits(0b11<<6|uint64(m), 8)
			e.w.Octets(b[off : off+m*16384])
			off += m * 16384
			continue
		}
		e.length(rest, 0, -1)
		e.align()
		e.w.Octets(b[off:])
		return
	}
}

func (e *encoder) value(t *Type, v *Value) {
	if e.err != nil {
		return
	}
	if v == nil {
		e.fail(ErrValue, "no value")
		return
	}
	if v.Kind != t.kind {
		e.fail(ErrValue, "want "+t.kind.String()+", have "+v.Kind.String())
		return
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > e.maxDepth {
		e.fail(ErrLimit, "nesting deeper than "+strconv.Itoa(e.maxDepth))
		return
	}
	switch t.kind {
	case Boolean:
		e.w.Bool(v.Bool)
	case Null:
	case Integer:
		e.integer(t, v.Int)
	case Enumerated:
		e.enumerated(t, v)
	case BitString:
		if v.Len < 0 || len(v.Bits) < (v.Len+7)/8 {
			e.fail(ErrValue, "bit string of "+strconv.Itoa(v.Len)+" bits holds "+strconv.Itoa(len(v.Bits))+" octets")
			return
		}
		e.count(t, v.Len, 1, func(from, k int) {
			for i := from; i < from+k; {
				if i&7 == 0 && from+k-i >= 8 {
					e.w.Bits(uint64(v.Bits[i/8]), 8)
					i += 8
					continue
				}
				e.w.Bits(uint64(v.Bits[i/8]>>(7-i&7)&1), 1)
				i++
			}
		})
	case OctetString:
		b := v.Octets
		if t.contains != nil && v.Contained != nil {
			b = e.complete(t.contains, v.Contained)
		}
		e.count(t, len(b), 8, func(from, k int) { e.w.Octets(b[from : from+k]) })
	case Sequence:
		e.sequence(t, v)
	case SequenceOf:
		e.count(t, len(v.Fields), 0, func(from, k int) {
			for i := from; i < from+k && e.err == nil; i++ {
				e.path = append(e.path, pathSeg{idx: i})
				e.value(t.elem, &v.Fields[i])
				e.path = e.path[:len(e.path)-1]
			}
		})
	case Choice:
		e.choice(t, v)
	default:
		e.fail(ErrUnsupported, "type "+t.kind.String())
	}
	e.ok()
}

func (e *encoder) integer(t *Type, x int64) {
	in := (!t.hasLo || x >= t.lo) && (!t.hasHi || x <= t.hi)
	if t.valExt {
		e.w.Bool(!in)
		if !in {
			e.wholeOctets(uint64(x), true)
			return
		}
	} else if !in {
		e.fail(ErrRange, itoa(x)+" outside "+rangeString(t))
		return
	}
	switch {
	case t.hasLo && t.hasHi:
		e.constrained(x, t.lo, t.hi)
	case t.hasLo:
		e.wholeOctets(uint64(x)-uint64(t.lo), false)
	default:
		e.wholeOctets(uint64(x), true)
	}
}

func rangeString(t *Type) string {
	var b strings.Builder
	if t.hasLo {
		b.WriteString(itoa(t.lo))
	} else {
		b.WriteString("MIN")
	}
	b.WriteString("..")
	if t.hasHi {
		b.WriteString(itoa(t.hi))
	} else {
		b.WriteString("MAX")
	}
	return b.String()
}

func (e *encoder) enumerated(t *Type, v *Value) {
	for i, s := range t.enum {
		if s == v.Ident {
			if t.ext {
				e.w.Bool(false)
			}
			e.constrained(int64(i), 0, int64(len(t.enum))-1)
			return
		}
	}
	ext := -1
	for i, s := range t.enumExt {
		if s == v.Ident {
			ext = i
		}
	}
	if ext < 0 && v.Ident == "" && v.Extension && v.Int >= int64(len(t.enum)) {
		ext = int(v.Int) - len(t.enum)
	}
	if !t.ext || ext < 0 {
		e.fail(ErrValue, "no enumeration item "+strconv.Quote(v.Ident))
		return
	}
	e.w.Bool(true)
	e.normallySmall(uint64(ext))
}

func (e *encoder) component(f *field, v *Value) {
	e.path = append(e.path, pathSeg{f.name, -1})
	e.value(f.typ, v)
	e.path = e.path[:len(e.path)-1]
}

func (e *encoder) sequence(t *Type, v *Value) {
	j := 0
	match := func(f *field) *Value {
		if j < len(v.Fields) && v.Fields[j].Name == f.name {
			j++
			return &v.Fields[j-1]
		}
		return nil
	}
	root := make([]*Value, len(t.fields))
	for i := range t.fields {
		f := &t.fields[i]
		if root[i] = match(f); root[i] == nil && !f.optional {
			e.fail(ErrValue, "missing component "+f.name)
			return
		}
	}
	adds := make([][]*Value, len(t.adds))
	last := -1
	for i := range t.adds {
		a := &t.adds[i]
		vs := make([]*Value, len(a.fields))
		any := false
		for k := range a.fields {
			vs[k] = match(&a.fields[k])
			any = any || vs[k] != nil
		}
		if any {
			adds[i], last = vs, i
		}
	}
	if j != len(v.Fields) {
		e.fail(ErrValue, "unknown or misplaced component "+strconv.Quote(v.Fields[j].Name))
		return
	}
	if t.ext {
		e.w.Bool(last >= 0)
	}
	for i := range t.fields {
		if t.fields[i].optional {
			e.w.Bool(root[i] != nil)
		}
	}
	for i := range t.fields {
		if root[i] != nil {
			e.component(&t.fields[i], root[i])
		}
	}
	if last < 0 {
		return
	}
	e.normallySmallLength(last + 1)
	for i := 0; i <= last; i++ {
		e.w.Bool(adds[i] != nil)
	}
	for i := 0; i <= last && e.err == nil; i++ {
		if adds[i] == nil {
			continue
		}
		a := &t.adds[i]
		saved := e.w
		e.w = uper.Writer{}
		if a.group {
			for k := range a.fields {
				if a.fields[k].optional {
					e.w.Bool(adds[i][k] != nil)
				} else if adds[i][k] == nil {
					e.fail(ErrValue, "missing component "+a.fields[k].name)
				}
			}
		}
		for k := range a.fields {
			if adds[i][k] != nil {
				e.component(&a.fields[k], adds[i][k])
			}
		}
		e.ok()
		b := e.w.Bytes()
		e.w = saved
		e.octets(b)
	}
}

func (e *encoder) choice(t *Type, v *Value) {
	if len(v.Fields) != 1 {
		e.fail(ErrValue, "CHOICE value with "+strconv.Itoa(len(v.Fields))+" alternatives")
		return
	}
	c := &v.Fields[0]
	if c.Kind == Open {
		if !t.ext || v.Int < int64(len(t.fields)) {
			e.fail(ErrValue, "open alternative "+itoa(v.Int))
			return
		}
		e.w.Bool(true)
		e.normallySmall(uint64(v.Int) - uint64(len(t.fields)))
		e.octets(c.Octets)
		return
	}
	for i := range t.fields {
		if t.fields[i].name == c.Name {
			if t.ext {
				e.w.Bool(false)
			}
			e.constrained(int64(i), 0, int64(len(t.fields))-1)
			e.component(&t.fields[i], c)
			return
		}
	}
	for i := range t.adds {
		f := &t.adds[i].fields[0]
		if f.name == c.Name {
			e.w.Bool(true)
			e.normallySmall(uint64(i))
			e.path = append(e.path, pathSeg{f.name, -1})
			e.openType(f.typ, c)
			e.path = e.path[:len(e.path)-1]
			return
		}
	}
	e.fail(ErrValue, "no alternative "+strconv.Quote(c.Name))
}
