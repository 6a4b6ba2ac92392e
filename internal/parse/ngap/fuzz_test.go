package ngap_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/ngap"
)

// FuzzDecode feeds arbitrary bytes. Decode must not panic; an error must
// be an *ngap.Error with the package prefix; a message must be consistent:
// named as the procedure table names it, its JER valid JSON, its tree
// non-empty, every undecoded IE an *ngap.Error.
func FuzzDecode(f *testing.F) {
	for _, b := range builders() {
		f.Add(b.pdu)
	}
	f.Add([]byte{})
	// testdata/fuzz/FuzzDecode holds the builders' PDUs as seed files.
	f.Fuzz(func(t *testing.T, pdu []byte) {
		m, err := ngap.Decode(pdu)
		if err != nil {
			var fe *ngap.Error
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "ngap: ") {
				t.Fatalf("error %v (%T) is not an *ngap.Error", err, err)
			}
			if m == nil {
				return
			}
		}
		if m == nil {
			t.Fatal("nil message without error")
		}
		if m.Value == nil || len(m.Lines) == 0 || !json.Valid(m.ASN1) {
			t.Fatalf("message without value, tree or valid JER: %s", m.ASN1)
		}
		if err == nil {
			proc, name, ok := ngap.Procedure(m.ProcedureCode, m.Outcome)
			if !ok || proc != m.Procedure || name != m.Name {
				t.Fatalf("message %s/%s of procedure %d %s", m.Procedure, m.Name, m.ProcedureCode, m.Outcome)
			}
		}
		for _, e := range m.Undecoded {
			var fe *ngap.Error
			if !errors.As(e, &fe) || !strings.HasPrefix(e.Error(), "ngap: "+m.Name+": ie ") {
				t.Fatalf("undecoded %v (%T)", e, e)
			}
		}
		if (m.UESecurityCapabilities != nil) != strings.Contains(string(m.ASN1), `{"UESecurityCapabilities":{`) {
			t.Fatalf("security capabilities %+v from %s", m.UESecurityCapabilities, m.ASN1)
		}
		if len(m.NASPDUs) > 0 && !strings.Contains(strings.ToLower(string(m.ASN1)), "nas-pdu") {
			t.Fatalf("NAS PDUs without a NAS IE: %s", m.ASN1)
		}
	})
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzDecode equal to the aptest
// builders' PDUs (one seed file each), so that the corpus in the
// repository is built by the project's own code. Run with -update to
// rewrite the files.
func TestFuzzSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	want := map[string]string{}
	for _, b := range builders() {
		want["builder-"+slug(b.name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b.pdu)
	}
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, body := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	got := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seed files (-want +got), run with -update:\n%s", diff)
	}
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
