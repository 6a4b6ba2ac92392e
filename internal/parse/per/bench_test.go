package per

import (
	"math/rand/v2"
	"testing"
)

// benchMessages are realistic encodings: two 38.331 messages of the
// vectors' shape, and a large random value of a wide type.
func benchMessages(b *testing.B) []struct {
	name string
	s    *Schema
	typ  string
	in   []byte
} {
	schemas := roundTripSchemas(b)
	mini := schemas["mini"]
	// DL-DCCH RRCRelease to RRC_INACTIVE with the Rel-17 group of
	// SuspendConfig: sdt-Config-r17 setup, ran-ExtendedPagingCycle-r17.
	release := Value{Kind: Sequence, Fields: []Value{{Kind: Choice, Name: "message", Fields: []Value{
		{Kind: Choice, Name: "c1", Fields: []Value{{Kind: Sequence, Name: "rrcRelease", Fields: []Value{
			{Kind: Integer, Name: "rrc-TransactionIdentifier", Int: 1},
			{Kind: Choice, Name: "criticalExtensions", Fields: []Value{{Kind: Sequence, Name: "rrcRelease", Fields: []Value{
				{Kind: Sequence, Name: "suspendConfig", Fields: []Value{
					{Kind: BitString, Name: "fullI-RNTI", Bits: []byte{0x12, 0x34, 0x56, 0x78, 0x9a}, Len: 40},
					{Kind: BitString, Name: "shortI-RNTI", Bits: []byte{0x00, 0x34, 0x56}, Len: 24},
					{Kind: Enumerated, Name: "ran-PagingCycle", Ident: "rf32"},
					{Kind: Sequence, Name: "ran-NotificationAreaInfo"},
					{Kind: Enumerated, Name: "t380", Ident: "min30"},
					{Kind: Integer, Name: "nextHopChainingCount", Int: 2},
					{Kind: Integer, Name: "sl-UEIdentityRemote-r17", Int: 0x4601},
					{Kind: Choice, Name: "sdt-Config-r17", Fields: []Value{{Kind: Sequence, Name: "setup"}}},
					{Kind: Enumerated, Name: "ran-ExtendedPagingCycle-r17", Ident: "rf512"},
				}},
				{Kind: Sequence, Name: "deprioritisationReq", Fields: []Value{
					{Kind: Enumerated, Name: "deprioritisationType", Ident: "frequency"},
					{Kind: Enumerated, Name: "deprioritisationTimer", Ident: "min10"},
				}},
				{Kind: Sequence, Name: "nonCriticalExtension", Fields: []Value{{Kind: Integer, Name: "waitTime", Int: 5}}},
			}}}},
		}}}},
	}}}}
	rel, err := mini.Encode("DL-DCCH-Message", &release, Options{})
	if err != nil {
		b.Fatal(err)
	}
	extra := schemas["extra"]
	g := &gen{r: rand.New(rand.NewPCG(3, 4))}
	var large []byte
	for len(large) < 200 {
		v := g.value(extra.Type("R"), "")
		if large, err = extra.Encode("R", &v, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	return []struct {
		name string
		s    *Schema
		typ  string
		in   []byte
	}{
		{"SecurityModeCommand", mini, "DL-DCCH-Message", []byte{0x24, 0x09, 0x10}},
		{"RRCSetup+CellGroupConfig", mini, "DL-CCCH-Message", []byte{0x20, 0x40, 0x00, 0x10, 0x00, 0x00}},
		{"RRCRelease+ext", mini, "DL-DCCH-Message", rel},
		{"large", extra, "R", large},
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, m := range benchMessages(b) {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(m.in)))
			for b.Loop() {
				if _, err := m.s.Decode(m.typ, m.in, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	for _, m := range benchMessages(b) {
		v, err := m.s.Decode(m.typ, m.in, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = v.AppendJER(buf[:0])
			}
		})
	}
}
