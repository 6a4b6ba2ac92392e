package f1ap_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
)

// FuzzDecode feeds arbitrary bytes (aptest.Decoder.Fuzz: no panic, only
// *f1ap.Error, consistent messages); every container must have a kind, an
// IE and an SRB the PDU can travel on.
func FuzzDecode(f *testing.F) {
	aptest.F1Decoder.Fuzz(f, seeds(), func(t *testing.T, m *f1ap.Message) {
		for _, c := range m.Containers {
			if c.Kind == "" || c.IE == "" || c.SRBID < -1 || c.SRBID > 3 && c.Kind == f1ap.KindPDCPSRB {
				t.Fatalf("container %+v", c)
			}
		}
	})
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzDecode equal to the aptest
// builders' PDUs. Run with -update to rewrite the files.
func TestFuzzSeedFiles(t *testing.T) {
	aptest.F1Decoder.CheckSeedFiles(t, seeds(), *update)
}

// seeds are the builders' PDUs.
func seeds() []aptest.Seed {
	var out []aptest.Seed
	for _, b := range builders() {
		out = append(out, aptest.Seed{Name: b.name, PDU: b.pdu})
	}
	return out
}
