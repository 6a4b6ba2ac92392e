package per_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/per"
)

func featureSchema(t testing.TB) *per.Schema {
	t.Helper()
	s, err := per.Compile(per.File{Name: "features.asn", Text: []byte(per.FeaturesASN)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bits packs a string of 0s and 1s (spaces ignored) into octets, padded
// with zero bits.
func bits(s string) []byte {
	var b []byte
	n := 0
	for _, c := range s {
		if c != '0' && c != '1' {
			continue
		}
		if n%8 == 0 {
			b = append(b, 0)
		}
		if c == '1' {
			b[n/8] |= 0x80 >> (n % 8)
		}
		n++
	}
	return b
}

// jerEqual reports the difference between two JSON texts as values.
func jerDiff(t *testing.T, want string, got []byte) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("invalid JER %s: %v", got, err)
	}
	return cmp.Diff(w, g)
}

func TestDecode(t *testing.T) {
	s := featureSchema(t)
	tests := []struct {
		name, typ string
		in        []byte
		opts      per.Options
		want      string // JER
	}{
		{
			name: "integers", typ: "Ints",
			in:   bits("101 0101000 00000010 00000001 00101100 00000001 11111110 0 10 11111111 11111111 11111111 11111111"),
			want: `{"c":5,"neg":-100,"semi":300,"unc":-2,"ext":3,"one":5,"big":4294967295}`,
		},
		{
			name: "integer outside its extensible root, upper bound only", typ: "IntExt",
			in:   bits("1 00000001 00001010  00000010 11111111 00000000"),
			want: `{"e":10,"u":-256}`,
		},
		{
			name: "enumerations root and extension", typ: "Enums",
			in:   bits("10 0 1 1 0000001"),
			want: `{"a":"c","b":"b","c":"d"}`,
		},
		{
			name: "unknown extension enumeration value", typ: "Enums",
			in:   bits("00 1 0000000 1 0000101"),
			want: `{"a":"a","b":"c","c":7}`,
		},
		{
			name: "bit strings", typ: "Bits",
			in:   bits("101010 010 110 00001010 1111111111 1 00000110 101101 010 101"),
			want: `{"f":"a8","r":{"value":"c0","length":3},"u":{"value":"ffc0","length":10},"x":{"value":"b4","length":6},"n":{"value":"a0","length":3}}`,
		},
		{
			name: "octet strings", typ: "Octets",
			in:   bits("10101011 11001101 01 00000001 00000010 00000001 11111111 1 00000011 00000001 00000010 00000011"),
			want: `{"f":"abcd","r":"0102","u":"ff","x":"010203"}`,
		},
		{
			name: "optional and default present", typ: "Opts",
			in:   bits("01 10 1"),
			want: `{"b":2,"c":null,"d":true}`,
		},
		{
			name: "optional and default absent", typ: "Opts",
			in:   bits("00 0"),
			want: `{"c":null,"d":false}`,
		},
		{
			name: "extension group and addition", typ: "V1",
			in:   bits("1 1 0000010 101 00000001 11010000 00000001 00000111"),
			want: `{"a":true,"b":2,"c":true,"e":7}`,
		},
		{
			name: "extension additions unknown to an older schema", typ: "V0",
			in:   bits("1 1 0000010 101 00000001 11010000 00000001 00000111"),
			want: `{"a":true}`,
		},
		{
			name: "group known, addition unknown", typ: "V0b",
			in:   bits("1 1 0000010 101 00000001 11010000 00000001 00000111"),
			want: `{"a":true,"b":2,"c":true}`,
		},
		{
			name: "extensible sequence without additions", typ: "V1",
			in:   bits("0 1"),
			want: `{"a":true}`,
		},
		{
			name: "choice root", typ: "C",
			in:   bits("0 1 10"),
			want: `{"y":2}`,
		},
		{
			name: "choice extension", typ: "C",
			in:   bits("1 0000000 00000001 10000000"),
			want: `{"z":true}`,
		},
		{
			name: "choice unknown extension", typ: "C0",
			in:   bits("1 0000011 00000001 10101011"),
			want: `"ab"`,
		},
		{
			name: "sequence of constrained", typ: "L",
			in:   bits("10 01 10 11"),
			want: `[1,2,3]`,
		},
		{
			name: "sequence of unbounded", typ: "LU",
			in:   bits("00000010 1 0"),
			want: `[true,false]`,
		},
		{
			name: "sequence of fixed size", typ: "LF",
			in:   bits("1 1"),
			want: `[true,true]`,
		},
		{
			name: "containing decoded, undefined type kept", typ: "Holder",
			in:   bits("1 00000001 01000000 00000001 11111111"),
			want: `{"cg":{"Inner":{"id":2}},"und":"ff"}`,
		},
		{
			name: "containing opaque", typ: "Holder",
			in:   bits("1 00000001 01000000 00000001 11111111"),
			opts: per.Options{Opaque: map[string]bool{"Inner": true}},
			want: `{"cg":"40","und":"ff"}`,
		},
		{
			name: "containing broken: kept as hex", typ: "Holder",
			in:   bits("0 00000001 10000000"),
			want: `{"cg":"80"}`,
		},
		{
			name: "containing with unused octets: kept as hex", typ: "Holder",
			in:   bits("0 00000010 01000000 00000000"),
			want: `{"cg":"4000"}`,
		},
		{
			name: "parameterized SetupRelease", typ: "SR",
			in:   bits("1 0 01 0"),
			want: `{"s":{"setup":{"id":1}},"r":{"release":null}}`,
		},
		{
			name: "recursive type", typ: "Tree",
			in:   bits("001 10 010 00 011 00"),
			want: `{"v":1,"kids":[{"v":2,"kids":[]},{"v":3,"kids":[]}]}`,
		},
		{
			name: "aligned", typ: "Aligned", opts: per.Options{Aligned: true},
			in:   []byte{0x80, 0x05, 0x01, 0x02, 0x40, 0xaa, 0xbb, 0x02, 0x01, 0x2c, 0xab, 0xcd, 0xe8, 0x01, 0x11, 0x70},
			want: `{"a":true,"b":5,"c":258,"d":"aabb","e":300,"f":"abcde0","g":70000}`,
		},
		{
			name: "empty encoding is one zero octet", typ: "LF",
			in:   bits("00"),
			want: `[false,false]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := s.Decode(tt.typ, tt.in, tt.opts)
			if err != nil {
				t.Fatalf("Decode(%s, %x): %v", tt.typ, tt.in, err)
			}
			got, _ := json.Marshal(v)
			if diff := jerDiff(t, tt.want, got); diff != "" {
				t.Errorf("JER (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeValueDetails(t *testing.T) {
	s := featureSchema(t)
	v, err := s.Decode("V0", bits("1 1 0000010 101 00000001 11010000 00000001 00000111"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Skipped != 2 || v.SkippedBits != 16 {
		t.Errorf("Skipped, SkippedBits = %d, %d, want 2, 16", v.Skipped, v.SkippedBits)
	}
	v, err = s.Decode("V1", bits("1 1 0000010 101 00000001 11010000 00000001 00000111"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ext []string
	for _, f := range v.Fields {
		if f.Extension {
			ext = append(ext, f.Name)
		}
	}
	if diff := cmp.Diff([]string{"b", "c", "e"}, ext); diff != "" {
		t.Errorf("extension components (-want +got):\n%s", diff)
	}

	v, err = s.Decode("Holder", bits("0 00000001 10000000"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cg := v.Field("cg")
	var pe *per.Error
	if cg.Contained != nil || !errors.As(cg.Err, &pe) || !errors.Is(cg.Err, per.ErrTruncated) {
		t.Fatalf("broken container: Contained %v, Err %v", cg.Contained, cg.Err)
	}
	if want := "per: Holder.cg: bit 13: truncated input (need 6 bits, 4 left)"; pe.Error() != want {
		t.Errorf("container error\n got %s\nwant %s", pe, want)
	}

	v, err = s.Decode("Holder", bits("1 00000001 01000000 00000001 11111111"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Get("cg.id"); got == nil || got.Int != 2 {
		t.Errorf(`Get("cg.id") = %+v`, got)
	}
	if u := v.Field("und"); u.Container != "Missing" || u.Contained != nil || u.Err != nil {
		t.Errorf("undefined container = %+v", u)
	}

	v, err = s.Decode("Tree", bits("001 10 010 00 011 00"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Get("kids.1.v"); got == nil || got.Int != 3 {
		t.Errorf(`Get("kids.1.v") = %+v`, got)
	}
	if got := v.Get("kids.2.v"); got != nil {
		t.Errorf(`Get("kids.2.v") = %+v, want nil`, got)
	}

	v, err = s.Decode("C", bits("1 0000000 00000001 10000000"), per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := v.Chosen(); c == nil || c.Name != "z" || !c.Extension || v.Int != 2 {
		t.Errorf("extension alternative: %+v (index %d)", c, v.Int)
	}
}

func TestDecodeErrors(t *testing.T) {
	s := featureSchema(t)
	mini := nrMini(t)
	tests := []struct {
		name   string
		schema *per.Schema
		typ    string
		in     []byte
		opts   per.Options
		want   string
		is     error
	}{
		{
			name: "truncated, path from the top type", schema: mini, typ: "DL-DCCH-Message",
			in:   []byte{0x24, 0x09},
			want: "per: DL-DCCH-Message.message.c1.securityModeCommand.criticalExtensions.securityModeCommand.securityConfigSMC.securityAlgorithmConfig.cipheringAlgorithm: bit 14: truncated input (need 3 bits, 2 left)",
			is:   per.ErrTruncated,
		},
		{
			name: "enumerated root index beyond the items", typ: "Enums",
			in:   bits("11"),
			want: "per: Enums.a: bit 0: value out of range (3 not in 0..2)",
			is:   per.ErrRange,
		},
		{
			name: "choice index beyond the alternatives", typ: "CN",
			in:   bits("11"),
			want: "per: CN: bit 0: value out of range (3 not in 0..2)",
			is:   per.ErrRange,
		},
		{
			name: "constrained integer above hi", typ: "Ints",
			in:   bits("101 1111111"),
			want: "per: Ints.neg: bit 3: value out of range (-13 not in -140..-44)",
			is:   per.ErrRange,
		},
		{
			name: "size above the constraint", typ: "L",
			in:   bits("11"),
			want: "per: L: bit 0: value out of range (4 not in 1..3)",
			is:   per.ErrRange,
		},
		{
			name: "integer above an upper bound only", typ: "IntExt",
			in:   bits("0 10 00000001 00001011"),
			want: "per: IntExt.u: bit 3: value out of range (11 above 10)",
			is:   per.ErrRange,
		},
		{
			name: "length beyond the buffer", typ: "LU",
			in:   bits("01111111 1"),
			want: "per: LU[8]: bit 16: truncated input (need 1 bits, 0 left)",
			is:   per.ErrTruncated,
		},
		{
			name: "octets beyond the buffer", typ: "Octets",
			in:   bits("10101011 11001101 11 00000001"),
			want: "per: Octets.r: bit 18: truncated input (need 32 bits, 14 left)",
			is:   per.ErrTruncated,
		},
		{
			name: "open type beyond the buffer", typ: "V0",
			in:   bits("1 1 0000000 1 01111111 0000"),
			want: "per: V0: bit 18: truncated input (need 1016 bits, 6 left)",
			is:   per.ErrTruncated,
		},
		{
			name: "unused octets in an extension addition", typ: "V1",
			in:   bits("1 1 0000000 1 00000010 11010000 00000000"),
			want: "per: V1: bit 22: unused octets after the value (1 octet)",
			is:   per.ErrTrailing,
		},
		{
			name: "unused octets after the message", typ: "LF",
			in:   []byte{0xc0, 0x00},
			want: "per: LF: bit 2: unused octets after the value (1 octet)",
			is:   per.ErrTrailing,
		},
		{
			name: "integer of more than 8 octets", typ: "Ints",
			in:   bits("101 0101000 00001001"),
			want: "per: Ints.semi: bit 10: unsupported encoding (integer of 9 octets)",
			is:   per.ErrUnsupported,
		},
		{
			name: "nesting too deep", typ: "Tree", opts: per.Options{MaxDepth: 6},
			in:   bits("000 01 000 01 000 01 000 00"),
			want: "per: Tree.kids[0].kids[0].kids[0]: bit 15: limit exceeded (nesting deeper than 6)",
			is:   per.ErrLimit,
		},
		{
			name: "too many values", typ: "LU", opts: per.Options{MaxValues: 10},
			in:   bits("01111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111 1111111"),
			want: "per: LU[9]: bit 17: limit exceeded (more than 10 values)",
			is:   per.ErrLimit,
		},
		{
			name: "no such type", typ: "Nothing",
			in:   []byte{0},
			want: "per: Nothing: bit 0: no such type",
			is:   per.ErrNoType,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch := tt.schema
			if sch == nil {
				sch = s
			}
			v, err := sch.Decode(tt.typ, tt.in, tt.opts)
			var pe *per.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Decode = %v, %v; want a *per.Error", v, err)
			}
			if v != nil {
				t.Errorf("value %v returned with the error", v)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.HasPrefix(err.Error(), "per: ") {
				t.Errorf("error lacks the package prefix")
			}
		})
	}
}

// TestManyExtensions covers the long forms of the normally small
// length (an extension bitmap of more than 64 bits) and of the normally
// small number (an extension alternative index above 63).
func TestManyExtensions(t *testing.T) {
	var b strings.Builder
	b.WriteString("Big ::= SEQUENCE { a BOOLEAN, ...")
	for i := range 70 {
		b.WriteString(", e" + strconv.Itoa(i) + " BOOLEAN OPTIONAL")
	}
	b.WriteString(" }\nWide ::= CHOICE { a NULL, ...")
	for i := range 70 {
		b.WriteString(", x" + strconv.Itoa(i) + " BOOLEAN")
	}
	b.WriteString(" }\nD ::= SEQUENCE { d INTEGER (0..3) DEFAULT 1, h OCTET STRING DEFAULT 'AB'H, s BIT STRING DEFAULT '01'B }")
	s, err := per.Compile(per.File{Name: "big.asn", Text: []byte(b.String())})
	if err != nil {
		t.Fatal(err)
	}
	// ext, a, then a length of 70 bits (1, 01000110), 69 zero bits, a one,
	// and e69's open type.
	in := bits("1 1 1 01000110 " + strings.Repeat("0", 69) + "1 00000001 10000000")
	v, err := s.Decode("Big", in, per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(v.AppendJER(nil)); got != `{"a":true,"e69":true}` {
		t.Errorf("Big = %s", got)
	}
	if out, err := s.Encode("Big", v, per.Options{}); err != nil || !bytes.Equal(out, in) {
		t.Errorf("Encode = %x, %v; want %x", out, err, in)
	}
	// ext, index 65 as 1 + length 1 + 01000001, then x65's open type.
	in = bits("1 1 00000001 01000001 00000001 10000000")
	v, err = s.Decode("Wide", in, per.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(v.AppendJER(nil)); got != `{"x65":true}` {
		t.Errorf("Wide = %s", got)
	}
	if out, err := s.Encode("Wide", v, per.Options{}); err != nil || !bytes.Equal(out, in) {
		t.Errorf("Encode = %x, %v; want %x", out, err, in)
	}
	if v, err := s.Decode("D", bits("000"), per.Options{}); err != nil || string(v.AppendJER(nil)) != `{}` {
		t.Errorf("D = %v, %v", v, err)
	}
}
