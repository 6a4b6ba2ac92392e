package ngap_test

import (
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
)

// FuzzDecode feeds arbitrary bytes (aptest.Decoder.Fuzz: no panic, only
// *ngap.Error, consistent messages); the security capabilities and NAS
// PDUs must come from IEs the JER shows.
func FuzzDecode(f *testing.F) {
	aptest.NGDecoder.Fuzz(f, seeds(), func(t *testing.T, m *ngap.Message) {
		if (m.UESecurityCapabilities != nil) != strings.Contains(string(m.ASN1), `{"UESecurityCapabilities":{`) {
			t.Fatalf("security capabilities %+v from %s", m.UESecurityCapabilities, m.ASN1)
		}
		if len(m.NASPDUs) > 0 && !strings.Contains(strings.ToLower(string(m.ASN1)), "nas-pdu") {
			t.Fatalf("NAS PDUs without a NAS IE: %s", m.ASN1)
		}
	})
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzDecode equal to the aptest
// builders' PDUs. Run with -update to rewrite the files.
func TestFuzzSeedFiles(t *testing.T) {
	aptest.NGDecoder.CheckSeedFiles(t, seeds(), *update)
}

// seeds are the builders' PDUs.
func seeds() []aptest.Seed {
	var out []aptest.Seed
	for _, b := range builders() {
		out = append(out, aptest.Seed{Name: b.name, PDU: b.pdu})
	}
	return out
}
