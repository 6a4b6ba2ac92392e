package per_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// TestEncode writes hand-made values and checks the octets against
// encodings worked out by hand.
func TestEncode(t *testing.T) {
	s := featureSchema(t)
	tests := []struct {
		name, typ string
		v         per.Value
		opts      per.Options
		want      []byte
	}{
		{
			name: "choice extension", typ: "C",
			v:    per.Value{Kind: per.Choice, Fields: []per.Value{{Kind: per.Boolean, Name: "z", Bool: true}}},
			want: bits("1 0000000 00000001 10000000"),
		},
		{
			name: "extension group and addition", typ: "V1",
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.Boolean, Name: "a", Bool: true},
				{Kind: per.Integer, Name: "b", Int: 2},
				{Kind: per.Boolean, Name: "c", Bool: true},
				{Kind: per.Integer, Name: "e", Int: 7},
			}},
			want: bits("1 1 0000010 101 00000001 11010000 00000001 00000111"),
		},
		{
			name: "containing", typ: "Holder",
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.OctetString, Name: "cg", Contained: &per.Value{Kind: per.Sequence, Fields: []per.Value{{Kind: per.Integer, Name: "id", Int: 2}}}},
				{Kind: per.OctetString, Name: "und", Octets: []byte{0xff}},
			}},
			want: bits("1 00000001 01000000 00000001 11111111"),
		},
		{
			name: "aligned", typ: "Aligned", opts: per.Options{Aligned: true},
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.Boolean, Name: "a", Bool: true},
				{Kind: per.Integer, Name: "b", Int: 5},
				{Kind: per.Integer, Name: "c", Int: 258},
				{Kind: per.OctetString, Name: "d", Octets: []byte{0xaa, 0xbb}},
				{Kind: per.Integer, Name: "e", Int: 300},
				{Kind: per.BitString, Name: "f", Bits: []byte{0xab, 0xcd, 0xe0}, Len: 20},
				{Kind: per.Integer, Name: "g", Int: 70000},
			}},
			want: []byte{0x80, 0x05, 0x01, 0x02, 0x40, 0xaa, 0xbb, 0x02, 0x01, 0x2c, 0xab, 0xcd, 0xe8, 0x01, 0x11, 0x70},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Encode(tt.typ, &tt.v, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Encode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	s := featureSchema(t)
	tests := []struct {
		name, typ string
		v         per.Value
		want      string
		is        error
	}{
		{
			name: "wrong kind", typ: "L",
			v:    per.Value{Kind: per.Integer},
			want: "per: L: bit 0: value does not match its type (want SEQUENCE OF, have INTEGER)", is: per.ErrValue,
		},
		{
			name: "missing component", typ: "Opts",
			v:    per.Value{Kind: per.Sequence, Fields: []per.Value{{Kind: per.Null, Name: "c"}}},
			want: "per: Opts: bit 0: value does not match its type (missing component d)", is: per.ErrValue,
		},
		{
			name: "misplaced component", typ: "Opts",
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.Boolean, Name: "d"}, {Kind: per.Null, Name: "c"}}},
			want: "per: Opts: bit 0: value does not match its type (missing component c)", is: per.ErrValue,
		},
		{
			name: "unknown component", typ: "Opts",
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.Null, Name: "c"}, {Kind: per.Boolean, Name: "d"}, {Kind: per.Boolean, Name: "z"}}},
			want: `per: Opts: bit 0: value does not match its type (unknown or misplaced component "z")`, is: per.ErrValue,
		},
		{
			name: "integer outside its range", typ: "L",
			v:    per.Value{Kind: per.SequenceOf, Fields: []per.Value{{Kind: per.Integer, Int: 4}}},
			want: "per: L[0]: bit 2: value out of range (4 outside 0..3)", is: per.ErrRange,
		},
		{
			name: "size outside its range", typ: "L",
			v:    per.Value{Kind: per.SequenceOf},
			want: "per: L: bit 0: value out of range (size 0 not in 1..3)", is: per.ErrRange,
		},
		{
			name: "unknown enumeration item", typ: "E1",
			v:    per.Value{Kind: per.Enumerated, Ident: "zz"},
			want: `per: E1: bit 0: value does not match its type (no enumeration item "zz")`, is: per.ErrValue,
		},
		{
			name: "unknown alternative", typ: "CN",
			v:    per.Value{Kind: per.Choice, Fields: []per.Value{{Kind: per.Null, Name: "zz"}}},
			want: `per: CN: bit 0: value does not match its type (no alternative "zz")`, is: per.ErrValue,
		},
		{
			name: "short bit string", typ: "Bits",
			v: per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.BitString, Name: "f", Len: 6},
				{Kind: per.BitString, Name: "r", Len: 1, Bits: []byte{0}},
				{Kind: per.BitString, Name: "u"},
				{Kind: per.BitString, Name: "x", Len: 1, Bits: []byte{0}},
				{Kind: per.BitString, Name: "n", Len: 1, Bits: []byte{0}},
			}},
			want: "per: Bits.f: bit 0: value does not match its type (bit string of 6 bits holds 0 octets)", is: per.ErrValue,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.Encode(tt.typ, &tt.v, per.Options{})
			var pe *per.Error
			if !errors.As(err, &pe) || b != nil {
				t.Fatalf("Encode = %x, %v; want nil, *per.Error", b, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

// TestMarshalJSON checks values made by hand and json.Marshal of values
// and pointers alike.
func TestMarshalJSON(t *testing.T) {
	v := per.Value{Kind: per.Sequence, Fields: []per.Value{
		{Kind: per.BitString, Name: "b", Bits: []byte{0xff}, Len: 3},
		{Kind: per.OctetString, Name: "o", Octets: []byte{0x0a, 0xbc}},
		{Kind: per.Enumerated, Name: "e", Ident: "x"},
		{Kind: per.Choice, Name: "c", Fields: []per.Value{{Kind: per.Null, Name: "n"}}},
		{Kind: per.SequenceOf, Name: "l", Fields: []per.Value{{Kind: per.Integer, Int: -1}, {Kind: per.Boolean, Bool: true}}},
		{Kind: per.OctetString, Name: "k", Container: "Inner", Contained: &per.Value{Kind: per.Sequence}},
	}}
	want := `{"b":{"value":"e0","length":3},"o":"0abc","e":"x","c":{"n":null},"l":[-1,true],"k":{"Inner":{}}}`
	for _, x := range []any{v, &v, struct{ V per.Value }{v}} {
		got, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if _, wrapped := x.(struct{ V per.Value }); wrapped {
			want = `{"V":` + want + `}`
		}
		if string(got) != want {
			t.Errorf("json.Marshal(%T)\n got %s\nwant %s", x, got, want)
		}
	}
}
