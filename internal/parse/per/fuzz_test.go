package per

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/fuzz/FuzzDecode from the seed builder")

type fuzzType struct {
	s    *Schema
	name string
}

// fuzzTypes are the types FuzzDecode decodes bytes as, chosen by index.
func fuzzTypes(t testing.TB) []fuzzType {
	t.Helper()
	schemas := roundTripSchemas(t)
	feat, err := Compile(File{Name: "features.asn", Text: []byte(features)})
	if err != nil {
		t.Fatal(err)
	}
	var ts []fuzzType
	for _, n := range []string{"DL-DCCH-Message", "UL-DCCH-Message", "DL-CCCH-Message", "UL-CCCH-Message", "PCCH-Message", "BCCH-BCH-Message"} {
		ts = append(ts, fuzzType{schemas["mini"], n})
	}
	for _, n := range []string{"Ints", "IntExt", "Enums", "Bits", "Octets", "Opts", "V0", "V1", "C", "C0", "L", "LU", "Holder", "SR", "Tree", "Aligned"} {
		ts = append(ts, fuzzType{feat, n})
	}
	for _, n := range []string{"R", "N"} {
		ts = append(ts, fuzzType{schemas["extra"], n})
	}
	return ts
}

type seed struct {
	typ     uint8
	aligned bool
	data    []byte
}

// fuzzSeeds encodes random values of every fuzz type with this
// package's encoder, in both variants, and cuts some short.
func fuzzSeeds(t testing.TB) map[string]seed {
	r := rand.New(rand.NewPCG(7, 11))
	seeds := map[string]seed{}
	for i, ft := range fuzzTypes(t) {
		typ := ft.s.Type(ft.name)
		for k := range 2 {
			aligned := k == 1
			g := &gen{r: r}
			v := g.value(typ, "")
			b, err := typ.Encode(&v, Options{Aligned: aligned})
			if err != nil {
				t.Fatalf("%s: %v", ft.name, err)
			}
			name := fmt.Sprintf("%s-%s", ft.name, map[bool]string{false: "uper", true: "aper"}[aligned])
			seeds[name] = seed{uint8(i), aligned, b}
			if len(b) > 2 {
				seeds[name+"-cut"] = seed{uint8(i), aligned, b[:len(b)/2]}
			}
		}
	}
	return seeds
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzDecode equal to fuzzSeeds;
// run with -update to rewrite it.
func TestFuzzSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	for name, s := range fuzzSeeds(t) {
		content := fmt.Sprintf("go test fuzz v1\nuint8(%d)\nbool(%v)\n[]byte(%q)\n", s.typ, s.aligned, s.data)
		p := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run go test ./internal/parse/per -run TestFuzzSeedFiles -update", p)
		}
	}
}

// FuzzDecode decodes arbitrary bytes as one of the test types. Decode
// must not panic; a failure is an *Error with the package prefix and no
// value; a success renders as valid JSON and a tree, and encodes back to
// octets that decode to the same value.
func FuzzDecode(f *testing.F) {
	types := fuzzTypes(f)
	f.Add(uint8(0), false, []byte{0x24, 0x09, 0x10})
	f.Add(uint8(0), false, []byte{})
	f.Add(uint8(255), true, []byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, ti uint8, aligned bool, data []byte) {
		ft := types[int(ti)%len(types)]
		typ := ft.s.Type(ft.name)
		opts := Options{Aligned: aligned, MaxValues: 20000}
		v, err := typ.Decode(data, opts)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || v != nil {
				t.Fatalf("Decode = %v, %v (%T); want nil, *Error", v, err, err)
			}
			if !strings.HasPrefix(err.Error(), "per: "+ft.name) || pe.Bit < 0 || pe.Bit > 8*len(data) {
				t.Fatalf("bad error %q", err)
			}
			return
		}
		j := v.AppendJER(nil)
		if !json.Valid(j) {
			t.Fatalf("invalid JER %s", j)
		}
		if len(v.Tree()) == 0 {
			t.Fatal("empty tree")
		}
		b, err := typ.Encode(v, opts)
		if err != nil {
			t.Fatalf("Encode of %s: %v", j, err)
		}
		v2, err := typ.Decode(b, opts)
		if err != nil {
			t.Fatalf("Decode(Encode(%s)) = %x: %v", j, b, err)
		}
		if j2 := v2.AppendJER(nil); !bytes.Equal(j, j2) {
			t.Fatalf("round trip changed the value:\n%s\n%s", j, j2)
		}
	})
}
