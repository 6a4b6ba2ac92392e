package per

import (
	"fmt"
	"math"
	"strconv"
)

// The syntax tree of the ASN.1 subset: what the parser produces and the
// compiler (compile.go) turns into *Type.

type astKind uint8

const (
	aRef astKind = iota // type reference, possibly parameterized
	aBoolean
	aNull
	aInteger
	aEnumerated
	aBitString
	aOctetString
	aSequence
	aSequenceOf
	aChoice
	aUnmodelled
)

type typeExpr struct {
	pos  Pos
	kind astKind
	ref  string      // aRef: the referenced name
	args []*typeExpr // aRef: actual parameters

	named    []namedNumber // INTEGER named numbers, BIT STRING named bits
	enum     []enumItem    // ENUMERATED root
	enumExt  []enumItem    // ENUMERATED extension additions
	enumMark bool          // ENUMERATED has "..."

	comps *compList // SEQUENCE, CHOICE

	elem     *typeExpr // SEQUENCE OF element
	elemName string    // SEQUENCE OF identifier Type

	cons []*constraint
}

type namedNumber struct {
	name string
	val  *valueExpr
}

type enumItem struct {
	pos  Pos
	name string
	val  *valueExpr // explicit number, or nil
}

type compList struct {
	root []*component // root components, those after a closing "..." included
	ext  bool         // has an extension marker
	adds []*addition  // extension additions, in order
}

type component struct {
	pos      Pos
	name     string
	typ      *typeExpr
	optional bool
	def      *valueExpr // DEFAULT value, or nil
}

// addition is one extension addition: a single component, or a [[ ]]
// group of them.
type addition struct {
	pos   Pos
	group bool
	comps []*component
}

type consKind uint8

const (
	cValue      consKind = iota // value range or single value
	cSize                       // SIZE (...)
	cContaining                 // CONTAINING Type
)

type constraint struct {
	pos     Pos
	kind    consKind
	lo, hi  *valueExpr // cValue: nil means MIN or MAX
	ext     bool       // "..." in the constraint
	size    *constraint
	contain *typeExpr
}

type valKind uint8

const (
	vInt     valKind = iota // signed sum of numbers and value references
	vIdent                  // a lone identifier that may be an enumeration item
	vBool                   // TRUE, FALSE
	vNull                   // NULL
	vBString                // 'bits'B
	vHString                // 'hex'H
	vBraces                 // { ... }, kept as text
)

type valueExpr struct {
	pos   Pos
	kind  valKind
	terms []term // vInt, vIdent (one term)
	text  string // the value as written
}

type term struct {
	pos  Pos
	neg  bool
	num  int64
	name string // value reference; "" for a number
}

// assignment is one "Name ::= Type" or "name Type ::= value".
type assignment struct {
	pos    Pos
	name   string
	params []string   // dummy references of a parameterized type
	typ    *typeExpr  // type assignment: the type; value assignment: the value's type
	value  *valueExpr // value assignment, or nil
}

type parser struct {
	toks []token
	i    int
}

type parseError struct{ err *SyntaxError }

func (p *parser) peek() token        { return p.toks[p.i] }
func (p *parser) peekAt(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) fail(at token, format string, args ...any) {
	panic(parseError{&SyntaxError{Pos: at.pos, Msg: fmt.Sprintf(format, args...)}})
}

func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

func (p *parser) accept(text string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(text string) token {
	t := p.peek()
	if !p.is(text) {
		p.fail(t, "expected %q, found %v", text, t)
	}
	return p.next()
}

// reserved words of X.680 that may not be used as names.
var reserved = map[string]bool{
	"ABSENT": true, "ABSTRACT-SYNTAX": true, "ALL": true, "APPLICATION": true, "AUTOMATIC": true,
	"BEGIN": true, "BIT": true, "BMPString": true, "BOOLEAN": true, "BY": true, "CHARACTER": true,
	"CHOICE": true, "CLASS": true, "COMPONENT": true, "COMPONENTS": true, "CONSTRAINED": true,
	"CONTAINING": true, "DATE": true, "DATE-TIME": true, "DEFAULT": true, "DEFINITIONS": true,
	"DURATION": true, "EMBEDDED": true, "ENCODED": true, "ENCODING-CONTROL": true, "END": true,
	"ENUMERATED": true, "EXCEPT": true, "EXPLICIT": true, "EXPORTS": true, "EXTENSIBILITY": true,
	"EXTERNAL": true, "FALSE": true, "FROM": true, "GeneralizedTime": true, "GeneralString": true,
	"GraphicString": true, "IA5String": true, "IDENTIFIER": true, "IMPLICIT": true, "IMPLIED": true,
	"IMPORTS": true, "INCLUDES": true, "INSTANCE": true, "INSTRUCTIONS": true, "INTEGER": true,
	"INTERSECTION": true, "ISO646String": true, "MAX": true, "MIN": true, "MINUS-INFINITY": true,
	"NOT-A-NUMBER": true, "NULL": true, "NumericString": true, "OBJECT": true, "ObjectDescriptor": true,
	"OCTET": true, "OF": true, "OID-IRI": true, "OPTIONAL": true, "PATTERN": true, "PDV": true,
	"PLUS-INFINITY": true, "PRESENT": true, "PrintableString": true, "PRIVATE": true, "REAL": true,
	"RELATIVE-OID": true, "RELATIVE-OID-IRI": true, "SEQUENCE": true, "SET": true, "SETTINGS": true,
	"SIZE": true, "STRING": true, "SYNTAX": true, "T61String": true, "TAGS": true, "TeletexString": true,
	"TIME": true, "TIME-OF-DAY": true, "TRUE": true, "TYPE-IDENTIFIER": true, "UNION": true,
	"UNIQUE": true, "UNIVERSAL": true, "UniversalString": true, "UTCTime": true, "UTF8String": true,
	"VideotexString": true, "VisibleString": true, "WITH": true,
}

// parseFile parses one file: modules "Name DEFINITIONS ... ::= BEGIN ...
// END" or a bare list of assignments.
func parseFile(name string, src []byte) (as []*assignment, err error) {
	toks, err := lex(name, src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			as, err = nil, pe.err
		}
	}()
	for p.peek().kind != tEOF {
		if p.isModuleHeader() {
			p.moduleHeader()
			for !p.is("END") {
				if p.peek().kind == tEOF {
					p.fail(p.peek(), "expected END of module")
				}
				as = append(as, p.assignment())
			}
			p.next()
			continue
		}
		as = append(as, p.assignment())
	}
	return as, nil
}

func (p *parser) isModuleHeader() bool {
	if p.peek().kind != tIdent || !isUpper(p.peek().text[0]) {
		return false
	}
	if p.peekAt(1).text == "DEFINITIONS" {
		return true
	}
	// Name { object identifier } DEFINITIONS
	if p.peekAt(1).text == "{" {
		for n := 2; ; n++ {
			t := p.peekAt(n)
			if t.kind == tEOF || t.text == "::=" {
				return false
			}
			if t.text == "}" {
				return p.peekAt(n+1).text == "DEFINITIONS"
			}
		}
	}
	return false
}

func (p *parser) moduleHeader() {
	p.next() // module name
	if p.accept("{") {
		for !p.accept("}") {
			if p.peek().kind == tEOF {
				p.fail(p.peek(), "unterminated module identifier")
			}
			p.next()
		}
	}
	p.expect("DEFINITIONS")
	if t := p.peek(); p.accept("EXPLICIT") || p.accept("IMPLICIT") {
		p.fail(t, "%s TAGS is not supported: PER alternative order follows tags; use AUTOMATIC TAGS", t.text)
	}
	t := p.peek()
	if !p.accept("AUTOMATIC") {
		p.fail(t, "module tagging must be AUTOMATIC TAGS (the default EXPLICIT tagging is not supported)")
	}
	p.expect("TAGS")
	if p.accept("EXTENSIBILITY") {
		p.fail(p.toks[p.i-1], "EXTENSIBILITY IMPLIED is not supported")
	}
	p.expect("::=")
	p.expect("BEGIN")
	if p.accept("EXPORTS") {
		for !p.accept(";") {
			if p.peek().kind == tEOF {
				p.fail(p.peek(), "unterminated EXPORTS")
			}
			p.next()
		}
	}
	if p.accept("IMPORTS") {
		// Names FROM Module [{oid}] ... ; every module of a schema shares
		// one name space, so imports need no resolution.
		for !p.accept(";") {
			if p.peek().kind == tEOF {
				p.fail(p.peek(), "unterminated IMPORTS")
			}
			if p.accept("{") {
				for !p.accept("}") {
					if p.peek().kind == tEOF {
						p.fail(p.peek(), "unterminated module identifier")
					}
					p.next()
				}
				continue
			}
			p.next()
		}
	}
}

func (p *parser) assignment() *assignment {
	t := p.next()
	if t.kind != tIdent {
		p.fail(t, "expected an assignment, found %v", t)
	}
	if reserved[t.text] {
		p.fail(t, "expected an assignment, found keyword %s", t.text)
	}
	a := &assignment{pos: t.pos, name: t.text}
	if !isUpper(t.text[0]) {
		// value assignment: name Type ::= Value
		a.typ = p.typ()
		p.expect("::=")
		a.value = p.value()
		return a
	}
	if p.accept("{") {
		for {
			if p.peekAt(1).text == ":" {
				p.fail(p.peek(), "value parameters are not supported")
			}
			d := p.next()
			if d.kind != tIdent || !isUpper(d.text[0]) || reserved[d.text] {
				p.fail(d, "only type parameters are supported, found %v", d)
			}
			a.params = append(a.params, d.text)
			if p.accept("}") {
				break
			}
			p.expect(",")
		}
	}
	if !p.is("::=") {
		if t := p.peek(); t.kind == tIdent {
			p.fail(t, "value set and object assignments are not supported")
		}
	}
	p.expect("::=")
	if t := p.peek(); p.is("CLASS") {
		p.fail(t, "information object classes are not supported")
	}
	a.typ = p.typ()
	return a
}

// typ parses a Type followed by any number of parenthesized constraints.
func (p *parser) typ() *typeExpr {
	t := p.next()
	if t.kind == tPunct && t.text == "[" {
		p.fail(t, "tags are not supported (AUTOMATIC TAGS only)")
	}
	if t.kind != tIdent {
		p.fail(t, "expected a type, found %v", t)
	}
	x := &typeExpr{pos: t.pos}
	switch t.text {
	case "BOOLEAN":
		x.kind = aBoolean
	case "NULL":
		x.kind = aNull
	case "UNMODELLED":
		// The project's own keyword (not X.680): a type of the
		// specification that the schema does not describe (yet).
		x.kind = aUnmodelled
	case "INTEGER":
		x.kind = aInteger
		if p.is("{") {
			x.named = p.namedNumbers()
		}
	case "ENUMERATED":
		x.kind = aEnumerated
		p.enumerated(x)
	case "BIT":
		p.expect("STRING")
		x.kind = aBitString
		if p.is("{") {
			x.named = p.namedNumbers()
		}
	case "OCTET":
		p.expect("STRING")
		x.kind = aOctetString
	case "CHOICE":
		x.kind = aChoice
		x.comps = p.components(false)
	case "SEQUENCE":
		switch {
		case p.is("{"):
			x.kind = aSequence
			x.comps = p.components(true)
		case p.is("(") || p.is("SIZE"):
			x.kind = aSequenceOf
			var c *constraint
			if p.accept("(") {
				c = p.constraintSpec()
				p.expect(")")
			} else {
				c = p.constraintElement()
			}
			if c.kind != cSize {
				p.fail(t, "SEQUENCE OF constraint must be SIZE (...)")
			}
			x.cons = append(x.cons, c)
			p.expect("OF")
			p.seqOfElement(x)
			return x // constraints after the element belong to the element
		case p.accept("OF"):
			x.kind = aSequenceOf
			p.seqOfElement(x)
			return x
		default:
			p.fail(p.peek(), "expected {, ( or OF after SEQUENCE, found %v", p.peek())
		}
	case "SET":
		p.fail(t, "SET and SET OF are not supported")
	default:
		if reserved[t.text] {
			p.fail(t, "type %s is not supported", t.text)
		}
		if !isUpper(t.text[0]) {
			p.fail(t, "expected a type, found identifier %s", t.text)
		}
		if p.is(".") {
			p.fail(p.peek(), "information object field references are not supported")
		}
		x.kind = aRef
		x.ref = t.text
		if p.accept("{") {
			for {
				x.args = append(x.args, p.typ())
				if p.accept("}") {
					break
				}
				p.expect(",")
			}
		}
	}
	for p.is("(") {
		p.next()
		x.cons = append(x.cons, p.constraintSpec())
		p.expect(")")
	}
	return x
}

func (p *parser) seqOfElement(x *typeExpr) {
	if t := p.peek(); t.kind == tIdent && !isUpper(t.text[0]) && !reserved[t.text] {
		x.elemName = p.next().text
	}
	x.elem = p.typ()
}

func (p *parser) namedNumbers() []namedNumber {
	p.expect("{")
	var ns []namedNumber
	for {
		t := p.next()
		if t.kind != tIdent || isUpper(t.text[0]) {
			p.fail(t, "expected a named number, found %v", t)
		}
		p.expect("(")
		v := p.value()
		p.expect(")")
		ns = append(ns, namedNumber{name: t.text, val: v})
		if p.accept("}") {
			return ns
		}
		p.expect(",")
	}
}

func (p *parser) enumerated(x *typeExpr) {
	p.expect("{")
	inExt := false
	for {
		t := p.peek()
		switch {
		case p.accept("..."):
			if x.enumMark {
				p.fail(t, "second extension marker in ENUMERATED")
			}
			x.enumMark, inExt = true, true
			if p.is("!") {
				p.fail(p.peek(), "exception specifications are not supported")
			}
		case t.kind == tIdent && !isUpper(t.text[0]) && !reserved[t.text]:
			p.next()
			it := enumItem{pos: t.pos, name: t.text}
			if p.accept("(") {
				it.val = p.value()
				p.expect(")")
			}
			if inExt {
				x.enumExt = append(x.enumExt, it)
			} else {
				x.enum = append(x.enum, it)
			}
		default:
			p.fail(t, "expected an enumeration item, found %v", t)
		}
		if p.accept("}") {
			return
		}
		p.expect(",")
	}
}

// components parses the { } of a SEQUENCE (seq) or CHOICE.
func (p *parser) components(seq bool) *compList {
	open := p.expect("{")
	cl := &compList{}
	if p.accept("}") {
		return cl
	}
	markers := 0
	for {
		t := p.peek()
		switch {
		case p.accept("..."):
			markers++
			if markers > 2 {
				p.fail(t, "third extension marker")
			}
			cl.ext = true
			if p.is("!") {
				p.fail(p.peek(), "exception specifications are not supported")
			}
		case p.is("[["):
			if markers != 1 {
				p.fail(t, "[[ ]] group outside the extension additions")
			}
			p.next()
			a := &addition{pos: t.pos, group: true}
			if p.peek().kind == tNumber {
				p.next() // version number
				p.expect(":")
			}
			for {
				a.comps = append(a.comps, p.component(seq))
				if p.accept("]]") {
					break
				}
				p.expect(",")
			}
			cl.adds = append(cl.adds, a)
		case p.is("COMPONENTS"):
			p.fail(t, "COMPONENTS OF is not supported")
		default:
			c := p.component(seq)
			if markers == 1 {
				cl.adds = append(cl.adds, &addition{pos: c.pos, comps: []*component{c}})
			} else {
				cl.root = append(cl.root, c)
			}
		}
		if p.accept("}") {
			break
		}
		p.expect(",")
	}
	_ = open
	return cl
}

func (p *parser) component(seq bool) *component {
	t := p.next()
	if t.kind != tIdent || isUpper(t.text[0]) || reserved[t.text] {
		p.fail(t, "expected a component identifier, found %v", t)
	}
	c := &component{pos: t.pos, name: t.text}
	c.typ = p.typ()
	if !seq {
		if p.is("OPTIONAL") || p.is("DEFAULT") {
			p.fail(p.peek(), "%s in a CHOICE", p.peek().text)
		}
		return c
	}
	if p.accept("OPTIONAL") {
		c.optional = true
	} else if p.accept("DEFAULT") {
		c.def = p.value()
	}
	return c
}

// constraintSpec parses the inside of ( ): an element set, optionally
// extensible, or CONTAINING Type.
func (p *parser) constraintSpec() *constraint {
	t := p.peek()
	if p.accept("CONTAINING") {
		c := &constraint{pos: t.pos, kind: cContaining, contain: p.typ()}
		if p.is("ENCODED") {
			p.fail(p.peek(), "ENCODED BY is not supported")
		}
		return c
	}
	if p.is("...") {
		p.next()
		return &constraint{pos: t.pos, kind: cValue, ext: true}
	}
	c := p.constraintElement()
	if t := p.peek(); p.is("|") || p.is("^") || p.is("UNION") || p.is("INTERSECTION") || p.is("EXCEPT") {
		p.fail(t, "set operators in constraints are not supported")
	}
	if p.accept(",") {
		p.expect("...")
		c.ext = true
		if p.accept(",") {
			// Extension additions of the constraint: not PER-visible.
			p.constraintElement()
			for p.accept("|") {
				p.constraintElement()
			}
		}
	}
	return c
}

func (p *parser) constraintElement() *constraint {
	t := p.peek()
	switch {
	case p.accept("SIZE"):
		p.expect("(")
		inner := p.constraintSpec()
		p.expect(")")
		if inner.kind != cValue {
			p.fail(t, "SIZE must constrain a range or a single value")
		}
		return &constraint{pos: t.pos, kind: cSize, size: inner}
	case p.is("FROM"), p.is("PATTERN"), p.is("WITH"), p.is("CONSTRAINED"), p.is("INCLUDES"), p.is("ALL"):
		p.fail(t, "%s constraints are not supported", t.text)
	case p.is("("):
		p.fail(t, "nested constraints are not supported")
	case p.is("{"):
		p.fail(t, "table constraints are not supported")
	}
	c := &constraint{pos: t.pos, kind: cValue}
	if !p.accept("MIN") {
		c.lo = p.value()
		if c.lo.kind != vInt && c.lo.kind != vIdent {
			p.fail(t, "constraint bound must be a number, found %s", c.lo.text)
		}
	}
	if p.is("<") {
		p.fail(p.peek(), "open range bounds (<) are not supported")
	}
	if !p.accept("..") {
		if c.lo == nil {
			p.fail(t, "MIN without ..")
		}
		c.hi = c.lo // single value
		return c
	}
	if p.is("<") {
		p.fail(p.peek(), "open range bounds (<) are not supported")
	}
	if !p.accept("MAX") {
		c.hi = p.value()
		if c.hi.kind != vInt && c.hi.kind != vIdent {
			p.fail(t, "constraint bound must be a number, found %s", c.hi.text)
		}
	}
	return c
}

// value parses a value: a signed sum of numbers and value references, an
// identifier, TRUE, FALSE, NULL, a bit or hex string, or { ... }.
func (p *parser) value() *valueExpr {
	t := p.peek()
	v := &valueExpr{pos: t.pos}
	switch {
	case p.accept("TRUE"), p.accept("FALSE"):
		v.kind, v.text = vBool, t.text
		return v
	case p.accept("NULL"):
		v.kind, v.text = vNull, t.text
		return v
	case t.kind == tBString:
		p.next()
		v.kind, v.text = vBString, t.source()
		return v
	case t.kind == tHString:
		p.next()
		v.kind, v.text = vHString, t.source()
		return v
	case p.is("{"):
		depth := 0
		start := p.i
		for {
			u := p.next()
			switch {
			case u.kind == tEOF:
				p.fail(t, "unterminated { value")
			case u.text == "{" && u.kind == tPunct:
				depth++
			case u.text == "}" && u.kind == tPunct:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		v.kind = vBraces
		for k, u := range p.toks[start:p.i] {
			if k > 0 {
				v.text += " "
			}
			v.text += u.source()
		}
		return v
	}
	v.kind = vInt
	for first := true; ; first = false {
		tt := p.peek()
		tm := term{pos: tt.pos}
		if !first {
			switch {
			case p.accept("+"):
			case p.accept("-"):
				tm.neg = true
			default:
				if len(v.terms) == 1 && v.terms[0].name != "" && !v.terms[0].neg {
					v.kind = vIdent
				}
				return v
			}
		} else if p.accept("-") {
			tm.neg = true
		}
		u := p.next()
		switch {
		case u.kind == tNumber:
			n, err := strconv.ParseUint(u.text, 10, 64)
			switch {
			case tm.neg && n == 1<<63:
				tm.num, tm.neg = math.MinInt64, false
			case err != nil || n >= 1<<63:
				p.fail(u, "number %s out of range", u.text)
			default:
				tm.num = int64(n)
			}
		case u.kind == tIdent && !isUpper(u.text[0]) && !reserved[u.text]:
			tm.name = u.text
		default:
			p.fail(u, "expected a value, found %v", u)
		}
		v.terms = append(v.terms, tm)
		if v.text != "" || tm.neg {
			if tm.neg {
				v.text += "-"
			} else {
				v.text += "+"
			}
		}
		v.text += u.text
	}
}
