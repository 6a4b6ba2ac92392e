package per

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Kind is the ASN.1 built-in type of a Type or a Value.
type Kind uint8

// The kinds. Open is the value of an extension alternative of a CHOICE
// that the schema does not know: its encoding is kept as octets.
const (
	Invalid Kind = iota
	Boolean
	Null
	Integer
	Enumerated
	BitString
	OctetString
	Sequence
	SequenceOf
	Choice
	Open
	// Unmodelled is a type the schema names but does not describe
	// (declared "X ::= UNMODELLED"): decoding stops at it, except inside an
	// extension addition or a contained value, whose octets are kept.
	Unmodelled
)

var kindNames = [...]string{
	Invalid: "invalid", Boolean: "BOOLEAN", Null: "NULL", Integer: "INTEGER",
	Enumerated: "ENUMERATED", BitString: "BIT STRING", OctetString: "OCTET STRING",
	Sequence: "SEQUENCE", SequenceOf: "SEQUENCE OF", Choice: "CHOICE", Open: "open type",
	Unmodelled: "UNMODELLED",
}

// String returns the ASN.1 spelling: "BIT STRING", "SEQUENCE OF".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A File is one source of ASN.1 text; Name appears in error positions.
type File struct {
	Name string
	Text []byte
}

// Schema is a compiled set of ASN.1 type and value assignments, read-only
// and safe for concurrent use. All its files share one name space.
type Schema struct {
	types  map[string]*Type
	values map[string]int64
}

// Type is a compiled ASN.1 type: a built-in type with its PER-visible
// constraints, the components of a SEQUENCE or CHOICE, the element of a
// SEQUENCE OF. Types may refer to themselves.
type Type struct {
	name string // type reference name; "" for a type written inline
	kind Kind
	pos  Pos

	// INTEGER: value range (hasLo/hasHi say which bounds exist) and
	// whether it is extensible; named numbers.
	lo, hi       int64
	hasLo, hasHi bool
	valExt       bool
	named        map[int64]string

	// BIT STRING named bits, indexed by bit number.
	bitNames []string

	// BIT STRING (bits), OCTET STRING (octets), SEQUENCE OF (elements):
	// SIZE constraint. sizeHi < 0 means no upper bound.
	sized          bool
	sizeLo, sizeHi int64
	sizeExt        bool

	// ENUMERATED root and extension identifiers, in index order.
	enum, enumExt []string

	// SEQUENCE, CHOICE, ENUMERATED: extension marker.
	ext bool
	// SEQUENCE root components, CHOICE root alternatives.
	fields []field
	// SEQUENCE extension additions; CHOICE extension alternatives (one
	// field each).
	adds []extAddition
	// SEQUENCE: number of OPTIONAL and DEFAULT root components.
	nopt int

	// SEQUENCE OF element.
	elem *Type

	// OCTET STRING (CONTAINING X): X's name, and X when defined.
	containsName string
	contains     *Type

	// compiler state of a named type
	state uint8
	asg   *assignment
}

type field struct {
	name     string
	typ      *Type
	optional bool   // OPTIONAL or DEFAULT
	def      string // DEFAULT value as written, "" if none
}

type extAddition struct {
	group  bool
	fields []field
	nopt   int // OPTIONAL and DEFAULT components of a group
}

// Name returns the type reference name, or "" for a type written inline.
func (t *Type) Name() string { return t.name }

// Kind returns the built-in type.
func (t *Type) Kind() Kind { return t.kind }

// String returns the name, or the kind for a type written inline.
func (t *Type) String() string {
	if t.name != "" {
		return t.name
	}
	return t.kind.String()
}

// Type returns the type assigned to name, or nil.
func (s *Schema) Type(name string) *Type { return s.types[name] }

// Names returns the names of the types of s, sorted; parameterized types
// are not listed.
func (s *Schema) Names() []string {
	names := make([]string, 0, len(s.types))
	for n := range s.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Value returns the integer value assigned to name (maxNrofSCells).
func (s *Schema) Value(name string) (int64, bool) {
	v, ok := s.values[name]
	return v, ok
}

// CompileFS compiles the files of fsys matching the glob pattern, in
// lexical order of their names.
func CompileFS(fsys fs.FS, pattern string) (*Schema, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("per: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("per: no file matches %q", pattern)
	}
	files := make([]File, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("per: %w", err)
		}
		files = append(files, File{Name: n, Text: b})
	}
	return Compile(files...)
}

// MustCompile is Compile for schemas embedded in the program: it panics
// on error.
func MustCompile(files ...File) *Schema {
	s, err := Compile(files...)
	if err != nil {
		panic(err)
	}
	return s
}

// Compile parses and compiles ASN.1 text. Every type assignment is
// compiled, so an undefined reference or an unsupported construct
// anywhere is an error (a *SyntaxError with file:line:col), except a type
// named in CONTAINING, which may stay undefined: its octets are then kept
// undecoded. Parameterized types are compiled where they are used.
func Compile(files ...File) (*Schema, error) {
	c := &compiler{
		types:    map[string]*Type{},
		params:   map[string]*assignment{},
		vals:     map[string]*assignment{},
		valCache: map[string]int64{},
		valState: map[string]uint8{},
		inst:     map[string]*Type{},
	}
	var order []*assignment
	seen := map[string]Pos{}
	for _, f := range files {
		as, err := parseFile(f.Name, f.Text)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if p, dup := seen[a.name]; dup {
				return nil, &SyntaxError{Pos: a.pos, Msg: a.name + " already defined at " + p.String()}
			}
			seen[a.name] = a.pos
			switch {
			case a.value != nil:
				c.vals[a.name] = a
			case a.params != nil:
				c.params[a.name] = a
			default:
				c.types[a.name] = &Type{name: a.name, asg: a, pos: a.pos}
				order = append(order, a)
			}
		}
	}
	err := c.run(func() {
		for _, a := range order {
			c.force(c.types[a.name])
		}
		for _, a := range c.vals {
			if a.value.kind == vInt {
				c.valueOf(a.name, a.pos)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	s := &Schema{types: c.types, values: c.valCache}
	for _, t := range s.types {
		t.asg = nil
	}
	return s, nil
}

type compiler struct {
	types    map[string]*Type
	params   map[string]*assignment
	vals     map[string]*assignment
	valCache map[string]int64
	valState map[string]uint8
	inst     map[string]*Type
	depth    int // nesting of parameterized instantiations
}

const (
	stNone uint8 = iota
	stBusy
	stDone
)

func (c *compiler) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			err = pe.err
		}
	}()
	f()
	return nil
}

func (c *compiler) fail(p Pos, format string, args ...any) {
	panic(parseError{&SyntaxError{Pos: p, Msg: fmt.Sprintf(format, args...)}})
}

// force compiles the assignment of a named type if not done yet.
func (c *compiler) force(t *Type) {
	switch t.state {
	case stDone:
		return
	case stBusy:
		c.fail(t.pos, "circular definition of %s", t.name)
	}
	if t.asg == nil {
		return // an instance or a fresh type: complete when made
	}
	t.state = stBusy
	body, fresh := c.typ(t.asg.typ, nil)
	if !fresh {
		c.force(body)
	}
	name, pos, asg := t.name, t.pos, t.asg
	*t = *body
	t.name, t.pos, t.asg, t.state = name, pos, asg, stDone
}

// typ compiles x; env maps the dummy references of a parameterized type
// being instantiated. fresh reports a new Type (not a named one).
func (c *compiler) typ(x *typeExpr, env map[string]*Type) (t *Type, fresh bool) {
	switch x.kind {
	case aRef:
		t = c.ref(x, env)
		if len(x.cons) == 0 {
			return t, false
		}
		c.force(t)
		cp := *t
		cp.state, cp.asg = stDone, nil
		t = &cp
	case aBoolean:
		t = &Type{kind: Boolean}
	case aNull:
		t = &Type{kind: Null}
	case aInteger:
		t = &Type{kind: Integer}
		if len(x.named) > 0 {
			t.named = map[int64]string{}
			for _, n := range x.named {
				t.named[c.eval(n.val)] = n.name
			}
		}
	case aEnumerated:
		t = c.enumerated(x)
	case aBitString:
		t = &Type{kind: BitString}
		for _, n := range x.named {
			b := c.eval(n.val)
			if b < 0 || b > 1<<16 {
				c.fail(n.val.pos, "named bit %s(%d) out of range", n.name, b)
			}
			for int64(len(t.bitNames)) <= b {
				t.bitNames = append(t.bitNames, "")
			}
			t.bitNames[b] = n.name
		}
	case aOctetString:
		t = &Type{kind: OctetString}
	case aUnmodelled:
		t = &Type{kind: Unmodelled}
	case aSequence:
		t = c.sequence(x, env)
	case aChoice:
		t = c.choice(x, env)
	case aSequenceOf:
		t = &Type{kind: SequenceOf}
		t.elem, _ = c.typ(x.elem, env)
	default:
		c.fail(x.pos, "unknown type")
	}
	t.pos = x.pos
	t.state = stDone
	for _, k := range x.cons {
		c.constrain(t, k, env)
	}
	return t, true
}

func (c *compiler) ref(x *typeExpr, env map[string]*Type) *Type {
	if t, ok := env[x.ref]; ok {
		if len(x.args) > 0 {
			c.fail(x.pos, "%s is a parameter and takes no arguments", x.ref)
		}
		return t
	}
	if a, ok := c.params[x.ref]; ok {
		if len(x.args) != len(a.params) {
			c.fail(x.pos, "%s takes %d parameters, found %d", x.ref, len(a.params), len(x.args))
		}
		return c.instantiate(a, x, env)
	}
	t, ok := c.types[x.ref]
	if !ok {
		c.fail(x.pos, "undefined type %s", x.ref)
	}
	if len(x.args) > 0 {
		c.fail(x.pos, "%s is not parameterized", x.ref)
	}
	return t
}

func (c *compiler) instantiate(a *assignment, x *typeExpr, env map[string]*Type) *Type {
	if c.depth > 32 {
		c.fail(x.pos, "parameterized type %s nested too deep", a.name)
	}
	args := make([]*Type, len(x.args))
	key := a.name
	for i, arg := range x.args {
		args[i], _ = c.typ(arg, env)
		key += fmt.Sprintf(" %p", args[i])
	}
	if t, ok := c.inst[key]; ok {
		return t
	}
	// The instance exists before its body so that the body may refer to
	// the same instance.
	t := &Type{name: a.name, pos: x.pos, state: stBusy}
	c.inst[key] = t
	inner := map[string]*Type{}
	for i, p := range a.params {
		inner[p] = args[i]
	}
	c.depth++
	body, fresh := c.typ(a.typ, inner)
	c.depth--
	if !fresh {
		c.force(body)
	}
	*t = *body
	t.pos, t.state = x.pos, stDone
	if fresh {
		t.name = a.name
	}
	return t
}

func (c *compiler) enumerated(x *typeExpr) *Type {
	t := &Type{kind: Enumerated, ext: x.enumMark}
	if len(x.enum) == 0 {
		c.fail(x.pos, "ENUMERATED without root items")
	}
	names := map[string]bool{}
	type item struct {
		name string
		val  int64
	}
	root := make([]item, len(x.enum))
	used := map[int64]bool{}
	for i, it := range x.enum {
		if names[it.name] {
			c.fail(it.pos, "duplicate enumeration item %s", it.name)
		}
		names[it.name] = true
		root[i].name = it.name
		if it.val != nil {
			v := c.eval(it.val)
			if used[v] {
				c.fail(it.pos, "duplicate enumeration value %d", v)
			}
			used[v] = true
			root[i].val = v
		}
	}
	next := int64(0)
	for i, it := range x.enum {
		if it.val == nil {
			for used[next] {
				next++
			}
			root[i].val = next
			used[next] = true
		}
	}
	slices.SortStableFunc(root, func(a, b item) int { return compareInt(a.val, b.val) })
	for _, it := range root {
		t.enum = append(t.enum, it.name)
	}
	last := int64(-1 << 63)
	for _, it := range root {
		last = max(last, it.val)
	}
	for _, it := range x.enumExt {
		if names[it.name] {
			c.fail(it.pos, "duplicate enumeration item %s", it.name)
		}
		names[it.name] = true
		if it.val != nil {
			v := c.eval(it.val)
			if v <= last || used[v] {
				c.fail(it.pos, "extension value %s(%d) must exceed the values before it", it.name, v)
			}
			last = v
		} else {
			last++
			for used[last] {
				last++
			}
		}
		used[last] = true
		t.enumExt = append(t.enumExt, it.name)
	}
	return t
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (c *compiler) component(k *component, env map[string]*Type, names map[string]bool) field {
	if names[k.name] {
		c.fail(k.pos, "duplicate component %s", k.name)
	}
	names[k.name] = true
	f := field{name: k.name, optional: k.optional || k.def != nil}
	f.typ, _ = c.typ(k.typ, env)
	if k.def != nil {
		f.def = k.def.text
	}
	return f
}

func (c *compiler) sequence(x *typeExpr, env map[string]*Type) *Type {
	t := &Type{kind: Sequence, ext: x.comps.ext}
	names := map[string]bool{}
	for _, k := range x.comps.root {
		f := c.component(k, env, names)
		if f.optional {
			t.nopt++
		}
		t.fields = append(t.fields, f)
	}
	for _, a := range x.comps.adds {
		ea := extAddition{group: a.group}
		for _, k := range a.comps {
			f := c.component(k, env, names)
			if f.optional {
				ea.nopt++
			}
			ea.fields = append(ea.fields, f)
		}
		t.adds = append(t.adds, ea)
	}
	return t
}

func (c *compiler) choice(x *typeExpr, env map[string]*Type) *Type {
	t := &Type{kind: Choice, ext: x.comps.ext}
	if len(x.comps.root) == 0 {
		c.fail(x.pos, "CHOICE without root alternatives")
	}
	names := map[string]bool{}
	for _, k := range x.comps.root {
		t.fields = append(t.fields, c.component(k, env, names))
	}
	for _, a := range x.comps.adds {
		for _, k := range a.comps {
			t.adds = append(t.adds, extAddition{fields: []field{c.component(k, env, names)}})
		}
	}
	return t
}

// constrain applies one parenthesized constraint to t, a fresh type.
func (c *compiler) constrain(t *Type, k *constraint, env map[string]*Type) {
	switch k.kind {
	case cValue:
		if t.kind != Integer {
			if k.lo == nil && k.hi == nil && k.ext {
				c.fail(k.pos, "a lone extension marker constraint is not supported on %v", t.kind)
			}
			c.fail(k.pos, "value constraint on %v is not supported", t.kind)
		}
		if k.lo == nil && k.hi == nil && k.ext {
			t.valExt = true
			return
		}
		if k.lo != nil {
			lo := c.eval(k.lo)
			if !t.hasLo || lo > t.lo {
				t.lo = lo
			}
			t.hasLo = true
		}
		if k.hi != nil {
			hi := c.eval(k.hi)
			if !t.hasHi || hi < t.hi {
				t.hi = hi
			}
			t.hasHi = true
		}
		if t.hasLo && t.hasHi && t.hi < t.lo {
			c.fail(k.pos, "empty range %d..%d", t.lo, t.hi)
		}
		t.valExt = k.ext
	case cSize:
		if t.kind != BitString && t.kind != OctetString && t.kind != SequenceOf {
			c.fail(k.pos, "SIZE constraint on %v is not supported", t.kind)
		}
		s := k.size
		if s.lo == nil && s.hi == nil {
			c.fail(k.pos, "SIZE needs bounds")
		}
		lo, hi := int64(0), int64(-1)
		if s.lo != nil {
			lo = c.eval(s.lo)
		}
		if s.hi != nil {
			hi = c.eval(s.hi)
		}
		if lo < 0 || hi >= 0 && hi < lo {
			c.fail(k.pos, "bad SIZE %d..%d", lo, hi)
		}
		if hi > 1<<30 {
			hi = -1 // no encoding difference from an unbounded size
		}
		if t.sized {
			lo = max(lo, t.sizeLo)
			if hi < 0 || t.sizeHi >= 0 && t.sizeHi < hi {
				hi = t.sizeHi
			}
			if hi >= 0 && hi < lo {
				c.fail(k.pos, "empty SIZE %d..%d", lo, hi)
			}
		}
		t.sized, t.sizeLo, t.sizeHi, t.sizeExt = true, lo, hi, s.ext || k.ext
	case cContaining:
		if t.kind != OctetString {
			c.fail(k.pos, "CONTAINING is supported on OCTET STRING only")
		}
		x := k.contain
		if x.kind != aRef || len(x.cons) > 0 {
			c.fail(x.pos, "CONTAINING must name a type")
		}
		t.containsName = x.ref
		if _, ok := c.types[x.ref]; ok || env[x.ref] != nil || c.params[x.ref] != nil {
			t.contains = c.ref(x, env)
		}
	}
}

// eval evaluates an integer value expression.
func (c *compiler) eval(v *valueExpr) int64 {
	if v.kind != vInt && v.kind != vIdent {
		c.fail(v.pos, "expected an integer value, found %s", v.text)
	}
	var sum int64
	for _, tm := range v.terms {
		n := tm.num
		if tm.name != "" {
			n = c.valueOf(tm.name, tm.pos)
		}
		if tm.neg {
			n = -n
		}
		s := sum + n
		if (n > 0 && s < sum) || (n < 0 && s > sum) {
			c.fail(tm.pos, "integer overflow")
		}
		sum = s
	}
	return sum
}

// valueOf returns the integer value of a value reference. A name such as
// maxNrofSCells-1 is one lexical item in X.680; when it is not defined as
// such it is read as maxNrofSCells minus 1, as 38.331 intends.
func (c *compiler) valueOf(name string, p Pos) int64 {
	if v, ok := c.valCache[name]; ok {
		return v
	}
	a, ok := c.vals[name]
	if !ok {
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if n, err := strconv.ParseInt(name[i+1:], 10, 64); err == nil {
				if _, ok := c.vals[name[:i]]; ok {
					return c.valueOf(name[:i], p) - n
				}
			}
		}
		c.fail(p, "undefined value %s", name)
	}
	if c.valState[name] == stBusy {
		c.fail(a.pos, "circular definition of %s", name)
	}
	c.valState[name] = stBusy
	v := c.eval(a.value)
	c.valState[name] = stDone
	c.valCache[name] = v
	return v
}
