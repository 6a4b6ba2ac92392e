package per

import (
	"errors"
	"math/bits"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

// Decode decodes data, a complete PER encoding of the type called
// typeName, into a Value. On failure it returns nil and an *Error.
func (s *Schema) Decode(typeName string, data []byte, opts Options) (*Value, error) {
	t := s.types[typeName]
	if t == nil {
		return nil, &Error{Path: typeName, Err: ErrNoType}
	}
	return decodeType(t, typeName, data, opts)
}

// Decode decodes data, a complete PER encoding of t, into a Value. The
// top of error paths is t's name.
func (t *Type) Decode(data []byte, opts Options) (*Value, error) {
	return decodeType(t, t.String(), data, opts)
}

func decodeType(t *Type, name string, data []byte, opts Options) (*Value, error) {
	d := &decoder{
		aligned:   opts.Aligned,
		opaque:    opts.Opaque,
		maxDepth:  opts.MaxDepth,
		maxValues: opts.MaxValues,
		top:       name,
	}
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	if d.maxValues <= 0 {
		d.maxValues = DefaultMaxValues
	}
	d.arena = make([]byte, 0, len(data)+8)
	d.path = d.pathBuf[:0]
	d.r.Reset(data)
	v := &Value{}
	d.value(t, v)
	if opts.AllowTrailing && d.ok() {
		v.Trailing = len(data) - (d.r.Offset()+7)/8
	} else {
		d.complete(len(data))
	}
	if d.err != nil {
		return nil, d.err
	}
	return v, nil
}

type pathSeg struct {
	name string
	idx  int // SEQUENCE OF element index, or -1
}

type decoder struct {
	r       uper.Reader
	aligned bool
	opaque  map[string]bool
	base    int // offset of r's input in the top-level input, in bits

	top  string
	path []pathSeg

	depth, maxDepth   int
	values, maxValues int

	arena   []byte
	vals    []Value // chunk the Fields of values are cut from
	pathBuf [32]pathSeg
	err     *Error
}

func (d *decoder) pathString() string {
	var b strings.Builder
	b.WriteString(d.top)
	for _, s := range d.path {
		if s.idx >= 0 {
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
			continue
		}
		b.WriteString(".")
		b.WriteString(s.name)
	}
	return b.String()
}

// ok converts a failure of the reader into d.err and reports whether
// decoding may go on.
func (d *decoder) ok() bool {
	if d.err != nil {
		return false
	}
	if e := d.r.Err(); e != nil {
		var ue *uper.Error
		if errors.As(e, &ue) {
			d.err = &Error{Path: d.pathString(), Bit: d.base + ue.Bit, Err: ue.Err, Detail: ue.Detail}
		} else {
			d.err = &Error{Path: d.pathString(), Bit: d.base + d.r.Offset(), Err: e}
		}
		return false
	}
	return true
}

// fail records a failure found by the decoder itself at bit offset at of
// the current input.
func (d *decoder) fail(at int, err error, detail string) {
	if d.err == nil {
		d.err = &Error{Path: d.pathString(), Bit: d.base + at, Err: err, Detail: detail}
	}
}

func (d *decoder) push(name string) { d.path = append(d.path, pathSeg{name, -1}) }
func (d *decoder) pushIndex(i int)  { d.path = append(d.path, pathSeg{idx: i}) }
func (d *decoder) pop()             { d.path = d.path[:len(d.path)-1] }

// alloc returns n bytes of the decoding's arena.
func (d *decoder) alloc(n int) []byte {
	if cap(d.arena)-len(d.arena) < n {
		d.arena = make([]byte, 0, max(n, 256))
	}
	b := d.arena[len(d.arena) : len(d.arena)+n : len(d.arena)+n]
	d.arena = d.arena[:len(d.arena)+n]
	return b
}

// fields returns an empty slice with room for n values, cut from a
// chunk shared by the decoding (fewer, larger allocations).
func (d *decoder) fields(n int) []Value {
	if n > 64 {
		return make([]Value, 0, n)
	}
	if cap(d.vals)-len(d.vals) < n {
		d.vals = make([]Value, 0, max(n, min(2*cap(d.vals), 512), 16))
	}
	f := d.vals[len(d.vals) : len(d.vals) : len(d.vals)+n]
	d.vals = d.vals[:len(d.vals)+n]
	return f
}

// complete checks that nothing but padding follows the value: at most 7
// bits, or the single zero octet of an empty encoding.
func (d *decoder) complete(octets int) {
	if !d.ok() {
		return
	}
	used := d.r.Offset()
	if unused := octets*8 - used; unused >= 8 && (used > 0 || octets > 1) {
		d.fail(used, ErrTrailing, plural(unused/8, "octet"))
	}
}

// sub runs f on another input, octets that start at bit base of the
// top-level input (an open type or a contained value), and restores the
// current input.
func (d *decoder) sub(octets []byte, base int, f func()) {
	saved, savedBase := d.r, d.base
	d.r.Reset(octets)
	d.base = base
	f()
	d.complete(len(octets))
	d.r, d.base = saved, savedBase
}

func (d *decoder) bit() bool {
	b := d.r.Bool()
	d.ok()
	return b
}

func (d *decoder) align() {
	if d.aligned {
		if p := d.r.Offset() & 7; p != 0 {
			d.r.Skip(8 - p)
			d.ok()
		}
	}
}

// constrained reads a constrained whole number lo..hi (X.691 11.5.7).
func (d *decoder) constrained(lo, hi int64) int64 {
	if d.err != nil {
		return 0
	}
	if !d.aligned {
		v := d.r.Constrained(lo, hi)
		d.ok()
		return v
	}
	span := uint64(hi) - uint64(lo)
	start := d.r.Offset()
	var v uint64
	switch {
	case span == 0:
		return lo
	case span < 255:
		v = d.r.Bits(bits.Len64(span))
	case span == 255:
		d.align()
		v = d.r.Bits(8)
	case span < 65536:
		d.align()
		v = d.r.Bits(16)
	default:
		n := int(d.constrainedLen(1, int64((bits.Len64(span)+7)/8)))
		d.align()
		v = d.r.Bits(8 * n)
	}
	if !d.ok() {
		return 0
	}
	if v > span {
		d.fail(start, ErrRange, strconv.FormatUint(v, 10)+" above "+strconv.FormatUint(span, 10)+" in "+itoa(lo)+".."+itoa(hi))
		return 0
	}
	return int64(uint64(lo) + v)
}

// constrainedLen reads the octet count of a large aligned constrained
// number: a bit-field, never aligned.
func (d *decoder) constrainedLen(lo, hi int64) int64 {
	span := uint64(hi - lo)
	start := d.r.Offset()
	v := d.r.Bits(bits.Len64(span))
	if d.ok() && v > span {
		d.fail(start, ErrRange, "octet count")
	}
	return lo + int64(v)
}

// length reads a length determinant (X.691 11.9) of a count constrained
// to lo..hi (hi < 0: no upper bound). more reports a fragment: another
// length follows the n items.
func (d *decoder) length(lo, hi int64) (n int, more bool) {
	if d.err != nil {
		return 0, false
	}
	if hi >= 0 && hi < 65536 {
		return int(d.constrained(lo, hi)), false
	}
	d.align()
	start := d.r.Offset()
	switch {
	case !d.r.Bool():
		n = int(d.r.Bits(7))
	case !d.r.Bool():
		n = int(d.r.Bits(14))
	default:
		m := int(d.r.Bits(6))
		if !d.ok() {
			return 0, false
		}
		if m < 1 || m > 4 {
			d.fail(start, ErrRange, "fragment of "+strconv.Itoa(m)+"×16K items")
			return 0, false
		}
		n, more = m*16384, true
	}
	if !d.ok() {
		return 0, false
	}
	return n, more
}

func sizeString(lo, hi int64) string {
	if hi < 0 {
		return itoa(lo) + "..MAX"
	}
	return itoa(lo) + ".." + itoa(hi)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// normallySmallLength reads the length of an extension bitmap (X.691
// 11.9.3.4): at least 1.
func (d *decoder) normallySmallLength() int {
	if !d.bit() {
		return int(d.r.Bits(6)) + 1
	}
	start := d.r.Offset()
	n, more := d.length(0, -1)
	if d.ok() && (more || n == 0) {
		d.fail(start, ErrRange, "extension bitmap of "+strconv.Itoa(n)+" bits")
		return 0
	}
	return n
}

// normallySmall reads a normally small non-negative whole number (X.691
// 11.6).
func (d *decoder) normallySmall() uint64 {
	if !d.bit() {
		v := d.r.Bits(6)
		d.ok()
		return v
	}
	return d.wholeOctets(false)
}

// wholeOctets reads a length in octets and that many octets of a
// non-negative (semi-constrained) or two's-complement (unconstrained)
// binary integer, returned as its 64 bits.
func (d *decoder) wholeOctets(signed bool) uint64 {
	start := d.r.Offset()
	n, more := d.length(0, -1)
	if !d.ok() {
		return 0
	}
	if more || n == 0 || n > 8 {
		d.fail(start, ErrUnsupported, "integer of "+strconv.Itoa(n)+" octets")
		return 0
	}
	d.align()
	u := d.r.Bits(8 * n)
	if !d.ok() {
		return 0
	}
	if signed && n < 8 && u>>(8*n-1) == 1 {
		u |= ^uint64(0) << (8 * n)
	}
	return u
}

// presence reads n presence (or extension bitmap) bits, most significant
// first in each word.
type bitset []uint64

func (b bitset) has(i int) bool {
	return i>>6 < len(b) && b[i>>6]>>(63-i&63)&1 == 1
}

func (d *decoder) presence(n int, small *[2]uint64) bitset {
	if n == 0 {
		return nil
	}
	if n > d.r.Remaining() {
		d.r.Skip(n)
		d.ok()
		return nil
	}
	b := bitset(small[:])
	if w := (n + 63) / 64; w > len(b) {
		b = make(bitset, w)
	}
	for i := 0; i < n; i += 64 {
		k := min(64, n-i)
		b[i/64] = d.r.Bits(k) << (64 - k)
	}
	if !d.ok() {
		return nil
	}
	return b
}

// openType reads an open type (X.691 11.2): a length in octets and the
// octets, and returns them with the bit offset of the first one in the
// top-level input.
func (d *decoder) openType() (octets []byte, base int) {
	for first := true; ; first = false {
		n, more := d.length(0, -1)
		d.align()
		if !d.ok() {
			return nil, 0
		}
		if first {
			base = d.base + d.r.Offset()
		}
		if 8*n > d.r.Remaining() {
			d.r.Skip(8 * n)
			d.ok()
			return nil, 0
		}
		if first && !more {
			octets = d.alloc(n)
		} else {
			octets = append(octets, make([]byte, n)...)
		}
		d.r.Octets(octets[len(octets)-n:])
		if !d.ok() || !more {
			return octets, base
		}
	}
}

// skipOpenType skips an open type and returns its size in bits.
func (d *decoder) skipOpenType() int {
	total := 0
	for {
		n, more := d.length(0, -1)
		d.align()
		d.r.Skip(8 * n)
		if !d.ok() {
			return 0
		}
		total += 8 * n
		if !more {
			return total
		}
	}
}

// value decodes a value of t into v.
func (d *decoder) value(t *Type, v *Value) {
	if d.err != nil {
		return
	}
	d.values++
	d.depth++
	v.Kind, v.Type, v.t = t.kind, t.name, t
	switch {
	case d.values > d.maxValues:
		d.fail(d.r.Offset(), ErrLimit, "more than "+strconv.Itoa(d.maxValues)+" values")
	case d.depth > d.maxDepth:
		d.fail(d.r.Offset(), ErrLimit, "nesting deeper than "+strconv.Itoa(d.maxDepth))
	default:
		switch t.kind {
		case Boolean:
			v.Bool = d.bit()
		case Null:
		case Integer:
			v.Int = d.integer(t)
		case Enumerated:
			d.enumerated(t, v)
		case BitString:
			d.bitString(t, v)
		case OctetString:
			d.octetString(t, v)
		case Sequence:
			d.sequence(t, v)
		case SequenceOf:
			d.sequenceOf(t, v)
		case Choice:
			d.choice(t, v)
		case Unmodelled:
			d.fail(d.r.Offset(), ErrUnmodelled, t.name)
		default:
			d.fail(d.r.Offset(), ErrUnsupported, "type "+t.kind.String())
		}
	}
	d.depth--
}

func (d *decoder) integer(t *Type) int64 {
	start := d.r.Offset()
	if t.valExt && d.bit() {
		return int64(d.wholeOctets(true))
	}
	switch {
	case t.hasLo && t.hasHi:
		return d.constrained(t.lo, t.hi)
	case t.hasLo:
		u := d.wholeOctets(false)
		v := t.lo + int64(u)
		if d.err == nil && (u > 1<<63-1 || v < t.lo) {
			d.fail(start, ErrUnsupported, "integer beyond 64 bits")
		}
		return v
	}
	v := int64(d.wholeOctets(true))
	if d.err == nil && t.hasHi && v > t.hi {
		d.fail(start, ErrRange, itoa(v)+" above "+itoa(t.hi))
	}
	return v
}

func (d *decoder) enumerated(t *Type, v *Value) {
	if t.ext && d.bit() {
		i := d.normallySmall()
		if d.err != nil {
			return
		}
		v.Extension = true
		v.Int = int64(len(t.enum)) + int64(min(i, 1<<62))
		if i < uint64(len(t.enumExt)) {
			v.Ident = t.enumExt[i]
		}
		return
	}
	i := d.constrained(0, int64(len(t.enum))-1)
	v.Int, v.Ident = i, t.enum[i]
}

// count reads the number of items (bits, octets, elements) of a value of
// t and calls each for every run of them: one, or several when the
// length is fragmented. unit is the size of an item in bits, 0 for
// elements.
func (d *decoder) count(t *Type, unit int, each func(n int, whole bool)) {
	lo, hi := int64(0), int64(-1)
	if t.sized {
		lo, hi = t.sizeLo, t.sizeHi
		if t.sizeExt && d.bit() {
			lo, hi = 0, -1
		}
	}
	if !d.ok() {
		return
	}
	if lo == hi && hi < 65536 {
		n := int(hi)
		if d.aligned && unit*n > 16 {
			d.align()
		}
		if d.ok() && unit*n > d.r.Remaining() {
			d.r.Skip(unit * n)
		}
		if d.ok() {
			each(n, true)
		}
		return
	}
	total := 0
	for {
		start := d.r.Offset()
		n, more := d.length(lo, hi)
		if d.aligned && unit > 0 && n > 0 {
			d.align()
		}
		if d.ok() && unit*n > d.r.Remaining() {
			d.r.Skip(unit * n)
		}
		if !d.ok() {
			return
		}
		total += n
		if more && hi >= 0 && int64(total) > hi {
			d.fail(start, ErrRange, "length "+strconv.Itoa(total)+" not in "+sizeString(lo, hi))
			return
		}
		each(n, total == n && !more)
		if d.err != nil || !more {
			break
		}
	}
	if d.err == nil && (int64(total) < lo || hi >= 0 && int64(total) > hi) {
		d.fail(d.r.Offset(), ErrRange, "length "+strconv.Itoa(total)+" not in "+sizeString(lo, hi))
	}
}

func (d *decoder) bitString(t *Type, v *Value) {
	d.count(t, 1, func(n int, whole bool) {
		var b []byte
		if whole {
			b = d.alloc((n + 7) / 8)
		} else {
			b = make([]byte, (n+7)/8)
		}
		d.r.Octets(b[:n/8])
		if r := n & 7; r != 0 {
			b[n/8] = byte(d.r.Bits(r) << (8 - r))
		}
		if !d.ok() {
			return
		}
		if v.Len == 0 {
			v.Bits = b
		} else {
			v.Bits = append(v.Bits, b...) // fragments hold whole octets
		}
		v.Len += n
	})
}

func (d *decoder) octetString(t *Type, v *Value) {
	base := -1
	d.count(t, 8, func(n int, whole bool) {
		if base < 0 {
			base = d.base + d.r.Offset()
		}
		if whole {
			v.Octets = d.alloc(n)
		} else {
			v.Octets = append(v.Octets, make([]byte, n)...)
		}
		d.r.Octets(v.Octets[len(v.Octets)-n:])
		d.ok()
	})
	if d.err != nil || t.containsName == "" {
		return
	}
	v.Container = t.containsName
	if t.contains == nil || d.opaque[t.containsName] {
		return
	}
	cv := &Value{}
	d.sub(v.Octets, base, func() { d.value(t.contains, cv) })
	switch {
	case d.err == nil:
		v.Contained = cv
	case errors.Is(d.err, ErrLimit):
	default:
		v.Err, d.err = d.err, nil
	}
}

func (d *decoder) component(v *Value, f *field, ext bool) {
	v.Fields = append(v.Fields, Value{Name: f.name, Extension: ext})
	d.push(f.name)
	d.value(f.typ, &v.Fields[len(v.Fields)-1])
	d.pop()
}

func (d *decoder) sequence(t *Type, v *Value) {
	ext := t.ext && d.bit()
	var small [2]uint64
	pres := d.presence(t.nopt, &small)
	if d.err != nil {
		return
	}
	n := len(t.fields) - t.nopt
	for i := range pres {
		n += bits.OnesCount64(pres[i])
	}
	if n > 0 {
		v.Fields = d.fields(n)
	}
	k := 0
	for i := range t.fields {
		f := &t.fields[i]
		if f.optional {
			k++
			if !pres.has(k - 1) {
				continue
			}
		}
		d.component(v, f, false)
		if d.err != nil {
			return
		}
	}
	if ext {
		d.additions(t, v)
	}
}

func (d *decoder) additions(t *Type, v *Value) {
	n := d.normallySmallLength()
	var small [2]uint64
	pres := d.presence(n, &small)
	for i := 0; i < n && d.err == nil; i++ {
		if !pres.has(i) {
			continue
		}
		if i >= len(t.adds) {
			v.SkippedBits += d.skipOpenType()
			v.Skipped++
			continue
		}
		a := &t.adds[i]
		octets, base := d.openType()
		if d.err != nil {
			return
		}
		before := len(v.Fields)
		d.sub(octets, base, func() {
			if !a.group {
				d.component(v, &a.fields[0], true)
				return
			}
			var small [2]uint64
			gp := d.presence(a.nopt, &small)
			if d.err != nil {
				return
			}
			k := 0
			for j := range a.fields {
				f := &a.fields[j]
				if f.optional {
					k++
					if !gp.has(k - 1) {
						continue
					}
				}
				d.component(v, f, true)
			}
		})
		d.keepUnmodelled(v, before, a, octets)
	}
}

// keepUnmodelled turns an extension addition that reached an UNMODELLED
// type into its octets (the open type's length lets decoding go on) and
// clears the failure.
func (d *decoder) keepUnmodelled(v *Value, before int, a *extAddition, octets []byte) {
	if d.err == nil || !errors.Is(d.err, ErrUnmodelled) {
		return
	}
	names := make([]string, 0, len(a.fields))
	for _, f := range a.fields {
		names = append(names, f.name)
	}
	v.Fields = append(v.Fields[:before], Value{Kind: Open, Name: strings.Join(names, "+"), Octets: octets, Extension: true, Err: d.err})
	d.err = nil
}

func (d *decoder) sequenceOf(t *Type, v *Value) {
	d.count(t, 0, func(n int, _ bool) {
		if v.Fields == nil {
			v.Fields = d.fields(min(n, 1024))
		}
		for range n {
			if d.err != nil {
				return
			}
			v.Fields = append(v.Fields, Value{})
			d.pushIndex(len(v.Fields) - 1)
			d.value(t.elem, &v.Fields[len(v.Fields)-1])
			d.pop()
		}
	})
}

func (d *decoder) choice(t *Type, v *Value) {
	if t.ext && d.bit() {
		i := d.normallySmall()
		octets, base := d.openType()
		if d.err != nil {
			return
		}
		v.Int = int64(len(t.fields)) + int64(min(i, 1<<62))
		if i >= uint64(len(t.adds)) {
			v.Fields = []Value{{Kind: Open, Octets: octets, Extension: true}}
			return
		}
		f := &t.adds[i].fields[0]
		v.Fields = d.fields(1)
		d.sub(octets, base, func() { d.component(v, f, true) })
		if d.err != nil && errors.Is(d.err, ErrUnmodelled) {
			v.Fields = append(v.Fields[:0], Value{Kind: Open, Name: f.name, Octets: octets, Extension: true, Err: d.err})
			d.err = nil
		}
		return
	}
	i := d.constrained(0, int64(len(t.fields))-1)
	if d.err != nil {
		return
	}
	v.Int = i
	v.Fields = d.fields(1)
	d.component(v, &t.fields[i], false)
}
