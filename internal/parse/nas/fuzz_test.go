package nas_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/nas"
)

// FuzzDecode feeds arbitrary bytes with any ciphering algorithm. Decode
// must not panic; an error must be a *nas.Error with the package prefix
// and a byte offset inside the PDU (or at its end); a message must be
// consistent: identity spans inside the PDU, a ciphered message neither
// named nor typed, a summary always.
func FuzzDecode(f *testing.F) {
	for _, b := range builders() {
		f.Add(int8(b.opts.CipheringAlgorithm), b.pdu)
	}
	f.Add(int8(-1), []byte{})
	f.Add(int8(0), []byte{0x7e, 0x04, 0, 0, 0, 0, 0, 0x7e, 0x04, 0, 0, 0, 0, 0, 0x7e, 0x00, 0x5e})
	// testdata/fuzz/FuzzDecode holds the builders' PDUs as seed files.
	f.Fuzz(func(t *testing.T, alg int8, pdu []byte) {
		m, err := nas.Decode(pdu, nas.Options{CipheringAlgorithm: int(alg)})
		if err != nil {
			var ne *nas.Error
			if !errors.As(err, &ne) || !strings.HasPrefix(err.Error(), "nas: byte ") {
				t.Fatalf("error %v (%T) is not a *nas.Error", err, err)
			}
			if ne.Offset < 0 || ne.Offset > len(pdu) {
				t.Fatalf("error offset %d outside %d bytes", ne.Offset, len(pdu))
			}
			if m == nil {
				return
			}
		}
		if m == nil {
			t.Fatal("nil message without error")
		}
		if m.Summary() == "" {
			t.Fatal("empty summary")
		}
		check(t, m, pdu)
	})
}

func check(t *testing.T, m *nas.Message, pdu []byte) {
	t.Helper()
	if m.Ciphered && (m.Name != "" || m.Type != 0 || m.Inner != nil || m.Summary() != "ciphered NAS") {
		t.Fatalf("ciphered message named %q type 0x%02x summary %q", m.Name, m.Type, m.Summary())
	}
	if (m.SecurityHeader != nas.Plain) != (m.SequenceNumber >= 0) || (m.MAC != nil) != (m.SequenceNumber >= 0) {
		t.Fatalf("security header %d with MAC %x SN %d", m.SecurityHeader, m.MAC, m.SequenceNumber)
	}
	for _, id := range m.Identities {
		if id.Start < 0 || id.End > len(pdu) || id.Start >= id.End {
			t.Fatalf("identity span %d..%d outside %d bytes", id.Start, id.End, len(pdu))
		}
	}
	for _, sub := range []*nas.Message{m.Inner, m.Payload, m.Contained} {
		if sub != nil {
			check(t, sub, pdu)
		}
	}
}

// TestFuzzSeedFiles keeps testdata/fuzz/FuzzDecode equal to the nastest
// builders' PDUs (one seed file each), so that the corpus in the
// repository is built by the project's own code. Run with -update to
// rewrite the files.
func TestFuzzSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	want := map[string]string{}
	for _, b := range builders() {
		want["builder-"+slug(b.name)] = fmt.Sprintf("go test fuzz v1\nint8(%d)\n[]byte(%q)\n", b.opts.CipheringAlgorithm, b.pdu)
	}
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("seed file missing (go test -run TestFuzzSeedFiles -update): %v", err)
			continue
		}
		if string(got) != content {
			t.Errorf("%s is stale (go test -run TestFuzzSeedFiles -update)", name)
		}
	}
}
