package per

import (
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func compileText(t *testing.T, src string) *Schema {
	t.Helper()
	s, err := Compile(File{Name: "t.asn", Text: []byte(src)})
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return s
}

// TestCompile checks what the compiler understood of small modules, type
// by type, written back as ASN.1.
func TestCompile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]string
	}{
		{
			name: "module wrapper and comments",
			src: `-- ASN1START
-- TAG-X-START
X-Defs DEFINITIONS AUTOMATIC TAGS ::=
BEGIN
A ::= INTEGER (0..3) -- comment -- B ::= BOOLEAN
/* block /* nested */ comment */
C ::= NULL -- to the end of the line
END
-- ASN1STOP`,
			want: map[string]string{"A": "INTEGER (0..3)", "B": "BOOLEAN", "C": "NULL"},
		},
		{
			name: "module with object identifier, exports and imports",
			src: `M { itu-t (0) 4 } DEFINITIONS AUTOMATIC TAGS ::= BEGIN
EXPORTS ALL;
IMPORTS X, y FROM Other { 1 2 } Z FROM Third;
A ::= INTEGER
END`,
			want: map[string]string{"A": "INTEGER"},
		},
		{
			name: "integer constraints and value arithmetic",
			src: `
maxX INTEGER ::= 31
maxY INTEGER ::= maxX + 1
minZ INTEGER ::= -5
A ::= INTEGER (0..maxX-1)
B ::= INTEGER (1..maxX - 1)
C ::= INTEGER (-140..-44)
D ::= INTEGER (0..MAX)
E ::= INTEGER (1..4, ...)
F ::= INTEGER (5)
G ::= INTEGER (minZ..maxY)
H ::= INTEGER (MIN..7)
I ::= INTEGER { one(1), two(2) } (0..3)
J ::= INTEGER (0..10) (2..20)
K ::= INTEGER (1..4, ..., 5..8)
L ::= INTEGER (0..maxX+maxY)`,
			want: map[string]string{
				"A": "INTEGER (0..30)", "B": "INTEGER (1..30)", "C": "INTEGER (-140..-44)",
				"D": "INTEGER (0..MAX)", "E": "INTEGER (1..4, ...)", "F": "INTEGER (5)",
				"G": "INTEGER (-5..32)", "H": "INTEGER (MIN..7)", "I": "INTEGER {one(1), two(2)} (0..3)",
				"J": "INTEGER (2..10)", "K": "INTEGER (1..4, ...)", "L": "INTEGER (0..63)",
			},
		},
		{
			name: "enumerated",
			src: `A ::= ENUMERATED {a, b, spare1}
B ::= ENUMERATED {a, b, ..., c, d}
C ::= ENUMERATED {x(2), y(0), z}
D ::= ENUMERATED {true}`,
			want: map[string]string{
				"A": "ENUMERATED {a, b, spare1}", "B": "ENUMERATED {a, b, ..., c, d}",
				"C": "ENUMERATED {y, z, x}", "D": "ENUMERATED {true}",
			},
		},
		{
			name: "bit and octet strings",
			src: `max INTEGER ::= 8
A ::= BIT STRING (SIZE (6))
B ::= BIT STRING (SIZE (1..max))
C ::= BIT STRING
D ::= BIT STRING { a(0), b(1), d(3) } (SIZE (1..8))
E ::= OCTET STRING (SIZE (1..8, ...))
F ::= OCTET STRING (CONTAINING A)
G ::= OCTET STRING (CONTAINING Undefined)
H ::= OCTET STRING (SIZE (2)) (CONTAINING A)
I ::= B (SIZE (2..4))`,
			want: map[string]string{
				"A": "BIT STRING (SIZE (6))", "B": "BIT STRING (SIZE (1..8))", "C": "BIT STRING",
				"D": "BIT STRING {a(0), b(1), d(3)} (SIZE (1..8))", "E": "OCTET STRING (SIZE (1..8, ...))",
				"F": "OCTET STRING (CONTAINING A)", "G": "OCTET STRING (CONTAINING Undefined?)",
				"H": "OCTET STRING (SIZE (2)) (CONTAINING A)", "I": "BIT STRING (SIZE (2..4))",
			},
		},
		{
			name: "sequence with optional, default, extensions and groups",
			src: `S ::= SEQUENCE {
    a INTEGER (0..3),
    b BOOLEAN OPTIONAL, -- Need R
    c ENUMERATED {x, y} DEFAULT y,
    ...,
    d NULL OPTIONAL,
    [[ e INTEGER (0..7), f BOOLEAN OPTIONAL ]],
    [[ g-r17 OCTET STRING OPTIONAL ]]
}
Empty ::= SEQUENCE {}
Closed ::= SEQUENCE { a BOOLEAN, ..., [[ b BOOLEAN OPTIONAL ]], ... }
TwoRoots ::= SEQUENCE { a BOOLEAN, ..., b NULL, ..., c INTEGER (0..1) }
Versioned ::= SEQUENCE { a BOOLEAN, ..., [[ 2: b BOOLEAN ]] }`,
			want: map[string]string{
				"S":         "SEQUENCE { a INTEGER (0..3), b BOOLEAN OPTIONAL, c ENUMERATED {x, y} DEFAULT y, ..., d NULL OPTIONAL, [[ e INTEGER (0..7), f BOOLEAN OPTIONAL ]], [[ g-r17 OCTET STRING OPTIONAL ]] }",
				"Empty":     "SEQUENCE {}",
				"Closed":    "SEQUENCE { a BOOLEAN, ..., [[ b BOOLEAN OPTIONAL ]] }",
				"TwoRoots":  "SEQUENCE { a BOOLEAN, c INTEGER (0..1), ..., b NULL }",
				"Versioned": "SEQUENCE { a BOOLEAN, ..., [[ b BOOLEAN ]] }",
			},
		},
		{
			name: "sequence of, choice, references",
			src: `maxN INTEGER ::= 4
L ::= SEQUENCE (SIZE (1..maxN)) OF Item
M ::= SEQUENCE OF INTEGER (0..9)
N ::= SEQUENCE SIZE (2) OF BOOLEAN
O ::= SEQUENCE (SIZE (1..8, ...)) OF item Item
Item ::= SEQUENCE { x Item2 OPTIONAL }
Item2 ::= CHOICE { a NULL, b Item, ..., c BOOLEAN, [[ d NULL, e NULL ]] }
Alias ::= Item2`,
			want: map[string]string{
				"L": "SEQUENCE (SIZE (1..4)) OF Item", "M": "SEQUENCE OF INTEGER (0..9)",
				"N": "SEQUENCE (SIZE (2)) OF BOOLEAN", "O": "SEQUENCE (SIZE (1..8, ...)) OF Item",
				"Item":  "SEQUENCE { x Item2 OPTIONAL }",
				"Item2": "CHOICE { a NULL, b Item, ..., c BOOLEAN, d NULL, e NULL }",
				"Alias": "CHOICE { a NULL, b Item, ..., c BOOLEAN, d NULL, e NULL }",
			},
		},
		{
			name: "parameterized SetupRelease",
			src: `SetupRelease { ElementTypeParam } ::= CHOICE {
    release NULL,
    setup ElementTypeParam
}
P ::= SEQUENCE {
    a SetupRelease { PDCCH-Config } OPTIONAL,
    b SetupRelease { SEQUENCE { x INTEGER (0..1) } },
    c SetupRelease { ENUMERATED {on, off} },
    d SetupRelease { INTEGER (0..3) },
    e SetupRelease { SetupRelease { BOOLEAN } }
}
PDCCH-Config ::= SEQUENCE { y BOOLEAN }
Q ::= SetupRelease { PDCCH-Config }`,
			want: map[string]string{
				"P":            "SEQUENCE { a SetupRelease OPTIONAL, b SetupRelease, c SetupRelease, d SetupRelease, e SetupRelease }",
				"PDCCH-Config": "SEQUENCE { y BOOLEAN }",
				"Q":            "CHOICE { release NULL, setup PDCCH-Config }",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compileText(t, tt.src)
			got := map[string]string{}
			for n := range tt.want {
				typ := s.Type(n)
				if typ == nil {
					t.Errorf("type %s missing", n)
					continue
				}
				got[n] = describe(typ)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("compiled types (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileParameterizedInstances(t *testing.T) {
	s := compileText(t, `SetupRelease { T } ::= CHOICE { release NULL, setup T }
P ::= SEQUENCE {
    b SetupRelease { SEQUENCE { x INTEGER (0..1) } },
    c SetupRelease { ENUMERATED {on, off} },
    d SetupRelease { INTEGER (0..3) }
}`)
	p := s.Type("P")
	var got []string
	for _, f := range p.fields {
		got = append(got, describe(f.typ))
	}
	want := []string{
		"CHOICE { release NULL, setup SEQUENCE { x INTEGER (0..1) } }",
		"CHOICE { release NULL, setup ENUMERATED {on, off} }",
		"CHOICE { release NULL, setup INTEGER (0..3) }",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	if v, ok := s.Value("nothing"); ok {
		t.Errorf("Value(nothing) = %d", v)
	}
	if got, want := s.Names(), []string{"P"}; !cmp.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}

func TestCompileRecursive(t *testing.T) {
	s := compileText(t, `A ::= SEQUENCE { next A OPTIONAL, b B }
B ::= CHOICE { leaf NULL, more SEQUENCE OF A }`)
	a := s.Type("A")
	if a.fields[0].typ != a {
		t.Errorf("A.next does not point at A")
	}
	if b := s.Type("B"); a.fields[1].typ != b || b.fields[1].typ.elem != a {
		t.Errorf("B does not point back at A")
	}
}

// TestCompileErrors checks that unsupported or wrong text fails with its
// position.
func TestCompileErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"A ::= INTEGER (0..3", `per: t.asn:1:20: expected ")", found end of input`},
		{"A ::= REAL", "per: t.asn:1:7: type REAL is not supported"},
		{"A ::= SET { a NULL }", "per: t.asn:1:7: SET and SET OF are not supported"},
		{"A ::= B", "per: t.asn:1:7: undefined type B"},
		{"A ::= INTEGER (0..maxX)", "per: t.asn:1:19: undefined value maxX"},
		{"A ::= SEQUENCE {\n  a [0] INTEGER\n}", "per: t.asn:2:5: tags are not supported (AUTOMATIC TAGS only)"},
		{"M DEFINITIONS ::= BEGIN A ::= NULL END", "per: t.asn:1:15: module tagging must be AUTOMATIC TAGS (the default EXPLICIT tagging is not supported)"},
		{"M DEFINITIONS IMPLICIT TAGS ::= BEGIN END", "per: t.asn:1:15: IMPLICIT TAGS is not supported: PER alternative order follows tags; use AUTOMATIC TAGS"},
		{"A ::= INTEGER (1 | 2)", "per: t.asn:1:18: set operators in constraints are not supported"},
		{"A ::= INTEGER (0..<3)", "per: t.asn:1:19: open range bounds (<) are not supported"},
		{"A ::= OCTET STRING (SIZE (1..4) | SIZE (8))", "per: t.asn:1:33: set operators in constraints are not supported"},
		{"A ::= IA5String (SIZE (1..4))", "per: t.asn:1:7: type IA5String is not supported"},
		{"A ::= SEQUENCE { a NULL, a BOOLEAN }", "per: t.asn:1:26: duplicate component a"},
		{"A ::= ENUMERATED { a, b, a }", "per: t.asn:1:26: duplicate enumeration item a"},
		{"A ::= CHOICE { a NULL OPTIONAL }", "per: t.asn:1:23: OPTIONAL in a CHOICE"},
		{"A ::= SEQUENCE { a NULL, [[ b NULL ]] }", "per: t.asn:1:26: [[ ]] group outside the extension additions"},
		{"A ::= BOOLEAN (SIZE (1))", "per: t.asn:1:16: SIZE constraint on BOOLEAN is not supported"},
		{"A ::= INTEGER (CONTAINING B)", "per: t.asn:1:16: CONTAINING is supported on OCTET STRING only"},
		{"A ::= INTEGER (5..1)", "per: t.asn:1:16: empty range 5..1"},
		{"A ::= A", "per: t.asn:1:1: circular definition of A"},
		{"A ::= B\nB ::= A (SIZE (1))", "per: t.asn:1:1: circular definition of A"},
		{"x INTEGER ::= y\ny INTEGER ::= x\nA ::= INTEGER (0..x)", "per: t.asn:1:1: circular definition of x"},
		{"A ::= NULL\nA ::= BOOLEAN", "per: t.asn:2:1: A already defined at t.asn:1:1"},
		{"P { T } ::= CHOICE { a T }\nA ::= P", "per: t.asn:2:7: P takes 1 parameters, found 0"},
		{"P { INTEGER : n } ::= INTEGER (0..n)", "per: t.asn:1:5: value parameters are not supported"},
		{"A ::= SEQUENCE { a NULL } B ::= NULL junk", "per: t.asn:1:42: expected a type, found end of input"},
		{"CLS ::= CLASS { &id INTEGER }", "per: t.asn:1:9: information object classes are not supported"},
		{"A ::= INTEGER (0..3) \x01", "per: t.asn:1:22: unexpected character '\\x01'"},
		{"/* open", "per: t.asn:1:1: unterminated comment"},
		{"A ::= BIT STRING (SIZE ('01'B))", "per: t.asn:1:25: constraint bound must be a number, found '01'B"},
		{"A ::= SEQUENCE { a NULL, COMPONENTS OF B }", "per: t.asn:1:26: COMPONENTS OF is not supported"},
		{"A ::= OCTET STRING (CONTAINING B ENCODED BY x)", "per: t.asn:1:34: ENCODED BY is not supported"},
		{"A ::= INTEGER (0..1.5)", "per: t.asn:1:19: real numbers are not supported"},
		{"A ::= P { NULL }", "per: t.asn:1:7: undefined type P"},
		{"B ::= NULL\nA ::= B { NULL }", "per: t.asn:2:7: B is not parameterized"},
		{"A ::= SEQUENCE { a NULL, ..., b NULL, ..., c NULL, ... }", "per: t.asn:1:52: third extension marker"},
		{"ValueSet INTEGER ::= { 1 | 2 }", "per: t.asn:1:10: value set and object assignments are not supported"},
	}
	for _, tt := range tests {
		_, err := Compile(File{Name: "t.asn", Text: []byte(tt.src)})
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Compile(%q)\n got %s\nwant %s", tt.src, err, tt.want)
		}
	}
}

func TestCompileFiles(t *testing.T) {
	s, err := Compile(
		File{Name: "a.asn", Text: []byte("A DEFINITIONS AUTOMATIC TAGS ::= BEGIN\nX ::= SEQUENCE { y Y, n INTEGER (0..maxN) }\nEND")},
		File{Name: "b.asn", Text: []byte("B DEFINITIONS AUTOMATIC TAGS ::= BEGIN\nIMPORTS X FROM A;\nY ::= SEQUENCE OF X\nmaxN INTEGER ::= 7\nEND")},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describe(s.Type("X")), "SEQUENCE { y Y, n INTEGER (0..7) }"; got != want {
		t.Errorf("X = %s, want %s", got, want)
	}
	if n, ok := s.Value("maxN"); !ok || n != 7 {
		t.Errorf("Value(maxN) = %d, %v", n, ok)
	}
	_, err = Compile(
		File{Name: "a.asn", Text: []byte("X ::= NULL")},
		File{Name: "b.asn", Text: []byte("\n  X ::= BOOLEAN")},
	)
	if err == nil || err.Error() != "per: b.asn:2:3: X already defined at a.asn:1:1" {
		t.Errorf("duplicate across files: %v", err)
	}
	if _, err := CompileFS(os.DirFS("testdata"), "*.nothing"); err == nil {
		t.Error("CompileFS without files succeeded")
	}
}
