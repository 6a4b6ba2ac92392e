package per

import (
	"fmt"
	"strconv"
)

// Pos is a position in ASN.1 source text.
type Pos struct {
	File      string
	Line, Col int // 1-based; Col counts bytes
}

func (p Pos) String() string {
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// SyntaxError is a failure to parse or compile ASN.1 text.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string { return "per: " + e.Pos.String() + ": " + e.Msg }

type tokKind uint8

const (
	tEOF     tokKind = iota
	tIdent           // identifier, type reference, value reference or keyword
	tNumber          // non-negative decimal number
	tBString         // '0101'B, text holds the digits
	tHString         // '0FA'H, text holds the digits
	tCString         // "text"
	tPunct           // ::= .. ... [[ ]] { } ( ) , | ^ : ; < @ ! . - + [ ] &
)

type token struct {
	kind tokKind
	text string
	pos  Pos
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tBString:
		return "'" + t.text + "'B"
	case tHString:
		return "'" + t.text + "'H"
	case tCString:
		return strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

// lex splits src into tokens, dropping white space and comments: "--" to
// the end of the line or to the next "--", and "/* */" (nested).
func lex(file string, src []byte) ([]token, error) {
	var toks []token
	line, lineStart := 1, 0
	i := 0
	pos := func(at int) Pos { return Pos{File: file, Line: line, Col: at - lineStart + 1} }
	errAt := func(p Pos, format string, args ...any) error {
		return &SyntaxError{Pos: p, Msg: fmt.Sprintf(format, args...)}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			i++
			line, lineStart = line+1, i
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			i += 2
			for i < len(src) && src[i] != '\n' {
				if src[i] == '-' && i+1 < len(src) && src[i+1] == '-' {
					i += 2
					break
				}
				i++
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			start := pos(i)
			depth := 0
			for {
				if i+1 >= len(src) {
					return nil, errAt(start, "unterminated comment")
				}
				switch {
				case src[i] == '/' && src[i+1] == '*':
					depth++
					i += 2
				case src[i] == '*' && src[i+1] == '/':
					depth--
					i += 2
				case src[i] == '\n':
					i++
					line, lineStart = line+1, i
				default:
					i++
				}
				if depth == 0 {
					break
				}
			}
			continue
		}
		p := pos(i)
		switch {
		case isLetter(c):
			j := i + 1
			for j < len(src) {
				d := src[j]
				if isLetter(d) || isDigit(d) {
					j++
					continue
				}
				// A hyphen belongs to the name when a letter or digit
				// follows and it does not start a comment.
				if d == '-' && j+1 < len(src) && (isLetter(src[j+1]) || isDigit(src[j+1])) {
					j++
					continue
				}
				break
			}
			toks = append(toks, token{tIdent, string(src[i:j]), p})
			i = j
		case isDigit(c):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '.' && j+1 < len(src) && isDigit(src[j+1]) || src[j] == 'e' || src[j] == 'E') {
				return nil, errAt(p, "real numbers are not supported")
			}
			toks = append(toks, token{tNumber, string(src[i:j]), p})
			i = j
		case c == '\'':
			j := i + 1
			for j < len(src) && src[j] != '\'' {
				if src[j] == '\n' {
					line, lineStart = line+1, j+1
				}
				j++
			}
			if j+1 >= len(src) || (src[j+1] != 'B' && src[j+1] != 'H') {
				return nil, errAt(p, "bad bit or hex string: want 'digits'B or 'digits'H")
			}
			var digits []byte
			for _, d := range src[i+1 : j] {
				if d == ' ' || d == '\t' || d == '\n' || d == '\r' {
					continue
				}
				digits = append(digits, d)
			}
			kind := tBString
			for _, d := range digits {
				ok := d == '0' || d == '1'
				if src[j+1] == 'H' {
					ok = isHex(d)
				}
				if !ok {
					return nil, errAt(p, "bad digit %q in %c string", d, src[j+1])
				}
			}
			if src[j+1] == 'H' {
				kind = tHString
			}
			toks = append(toks, token{kind, string(digits), p})
			i = j + 2
		case c == '"':
			j := i + 1
			var s []byte
			for {
				if j >= len(src) {
					return nil, errAt(p, "unterminated string")
				}
				if src[j] == '"' {
					if j+1 < len(src) && src[j+1] == '"' {
						s = append(s, '"')
						j += 2
						continue
					}
					break
				}
				if src[j] == '\n' {
					line, lineStart = line+1, j+1
				}
				s = append(s, src[j])
				j++
			}
			toks = append(toks, token{tCString, string(s), p})
			i = j + 1
		default:
			n := 0
			switch {
			case hasAt(src, i, "::="), hasAt(src, i, "..."):
				n = 3
			case hasAt(src, i, ".."), hasAt(src, i, "[["), hasAt(src, i, "]]"):
				n = 2
			case isPunct(c):
				n = 1
			default:
				return nil, errAt(p, "unexpected character %q", c)
			}
			toks = append(toks, token{tPunct, string(src[i : i+n]), p})
			i += n
		}
	}
	toks = append(toks, token{kind: tEOF, pos: pos(i)})
	return toks, nil
}

func hasAt(src []byte, i int, s string) bool {
	return len(src)-i >= len(s) && string(src[i:i+len(s)]) == s
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f' }
func isPunct(c byte) bool {
	switch c {
	case '{', '}', '(', ')', ',', '|', '^', ':', ';', '<', '@', '!', '.', '-', '+', '[', ']', '&':
		return true
	}
	return false
}

// source returns the token as it may be written in ASN.1.
func (t token) source() string {
	switch t.kind {
	case tBString:
		return "'" + t.text + "'B"
	case tHString:
		return "'" + t.text + "'H"
	case tCString:
		return `"` + t.text + `"`
	}
	return t.text
}
