package rrc_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// TestVectors classifies every NR vector of ../shared/vectors and checks
// the alternative and transaction id against the vector's JER, and the
// type name against the first word of its label.
func TestVectors(t *testing.T) {
	vs := rrctest.Vectors(t)
	var nr, lte int
	for _, v := range vs {
		if v.RAT != "nr" {
			lte++
			continue
		}
		nr++
		t.Run(v.Label, func(t *testing.T) {
			ch, ok := rrc.ChannelFromName(v.Channel)
			if !ok {
				t.Fatalf("unknown channel %q", v.Channel)
			}
			pdu, err := v.PDU()
			if err != nil {
				t.Fatal(err)
			}
			path, txid, ok := v.Alternative()
			if !ok {
				t.Fatalf("no alternative in JER %s", v.JER)
			}
			m, err := rrc.Classify(ch, pdu)
			if err != nil {
				t.Fatal(err)
			}
			type id struct {
				Path string
				TxID int
				Name string
			}
			want := id{path, txid, strings.Fields(v.Label)[0]}
			if diff := cmp.Diff(want, id{m.Path, m.TxID, m.Name}); diff != "" {
				t.Errorf("Classify(%v, %s) (-want +got):\n%s", ch, v.Hex, diff)
			}
		})
	}
	if nr == 0 {
		t.Fatal("no NR vectors")
	}
	t.Logf("%d NR vectors checked, %d LTE vectors skipped", nr, lte)
}
