package per

import (
	"errors"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

const unmodelledSchema = `
T ::= SEQUENCE {
	a INTEGER (0..7),
	b Deep OPTIONAL,
	...,
	[[ c Deep OPTIONAL, d INTEGER (0..3) ]],
	e INTEGER (0..1)
}
Deep ::= UNMODELLED
`

// A type declared UNMODELLED stops decoding where it must be read, and is
// kept as octets where an extension addition's length allows going on.
func TestUnmodelled(t *testing.T) {
	s := MustCompile(File{Name: "u.asn", Text: []byte(unmodelledSchema)})

	// Root component b present: decoding cannot go on.
	var w uper.Writer
	w.Bool(false) // no extensions
	w.Bool(true)  // b present
	w.Constrained(5, 0, 7)
	_, err := s.Decode("T", w.Bytes(), Options{})
	if !errors.Is(err, ErrUnmodelled) || !strings.Contains(err.Error(), "per: T.b: bit 5: type not modelled (Deep)") {
		t.Fatalf("error = %v", err)
	}

	// In an extension group: the group is kept as octets, e decodes.
	var g uper.Writer
	g.Bool(true) // c present
	g.Bits(0xabc, 12)
	var e uper.Writer
	e.Constrained(1, 0, 1)
	w = uper.Writer{}
	w.Bool(true)  // extensions
	w.Bool(false) // b absent
	w.Constrained(3, 0, 7)
	w.Bool(false) // normally small length: 2 additions
	w.Bits(1, 6)
	w.Bits(0b11, 2) // both present
	w.Length(len(g.Bytes()))
	w.Octets(g.Bytes())
	w.Length(len(e.Bytes()))
	w.Octets(e.Bytes())
	v, err := s.Decode("T", w.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(v.AppendJER(nil)); got != `{"a":3,"e":1}` {
		t.Errorf("JER = %s", got)
	}
	tree := v.Tree()
	var found bool
	for _, l := range tree {
		if l.Name == "c+d" && strings.Contains(l.Note, "Deep") && l.Hex != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("tree does not show the kept group: %+v", tree)
	}
}

func TestAllowTrailing(t *testing.T) {
	s := MustCompile(File{Name: "t.asn", Text: []byte("T ::= INTEGER (0..255)")})
	if _, err := s.Decode("T", []byte{7, 0, 0}, Options{}); !errors.Is(err, ErrTrailing) {
		t.Errorf("without AllowTrailing: error = %v", err)
	}
	v, err := s.Decode("T", []byte{7, 0, 0}, Options{AllowTrailing: true})
	if err != nil || v.Int != 7 || v.Trailing != 2 {
		t.Fatalf("with AllowTrailing: %+v, %v", v, err)
	}
	if tree := v.Tree(); !strings.Contains(tree[0].Note, "2 octets of padding") {
		t.Errorf("tree note = %q", tree[0].Note)
	}
}
