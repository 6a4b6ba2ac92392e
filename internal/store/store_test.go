package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/ladder"
)

func trace(id string, n int) *ladder.Trace {
	t := &ladder.Trace{ID: id, Name: "x.pcap", Uploaded: ladder.Time{Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}, Format: "pcap", LinkTypes: []uint32{252}}
	t.UEs = []ladder.UE{{Key: "ue0", Label: "UE", Messages: n, Outcome: "never-started"}}
	for i := 0; i < n; i++ {
		tx := i % 4
		t.Messages = append(t.Messages, ladder.Message{Seq: i, UESeq: i, Frame: i + 1, UE: "ue0", From: "UE", To: "gNB", Direction: "UL",
			Protocol: "NR-RRC", Channel: "UL-DCCH", Message: "SecurityModeFailure", TxID: &tx, PDU: ladder.Hex{0x34, byte(i)},
			Time: ladder.Time{Time: t.Uploaded.Add(time.Duration(i) * time.Millisecond)}})
	}
	return t
}

func temp(t *testing.T, s *Store, content string) string {
	t.Helper()
	f, err := s.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(content)
	f.Close()
	return f.Name()
}

func TestCreateAndRead(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id := ID(sha256.Sum256([]byte("one")))
	if !ValidID(id) {
		t.Fatalf("ID %q is not valid", id)
	}
	want := trace(id, 25)
	if err := s.Create(ctx, want, temp(t, s, "capture bytes")); err != nil {
		t.Fatal(err)
	}
	// Reopen: the trace survives.
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Trace(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	meta := *want
	meta.Messages = nil
	if diff := cmp.Diff(&meta, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	msgs, err := s.Messages(ctx, id, "ue0", 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Messages[10:15], msgs); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
	m, err := s.Message(ctx, id, 24)
	if err != nil || m.Frame != 25 {
		t.Errorf("Message(24) = %+v, %v", m, err)
	}
	if _, err := s.Message(ctx, id, 25); !errors.Is(err, ErrNotFound) {
		t.Errorf("Message(25) error = %v, want ErrNotFound", err)
	}
	var b strings.Builder
	if err := s.WriteMessages(ctx, id, &b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"seq":`); n != 25 {
		t.Errorf("WriteMessages wrote %d messages", n)
	}
	f, err := s.OpenCapture(id)
	if err != nil {
		t.Fatal(err)
	}
	content, _ := os.ReadFile(f.Name())
	f.Close()
	if string(content) != "capture bytes" {
		t.Errorf("capture = %q", content)
	}
	if _, err := s.Trace(ctx, ID(sha256.Sum256([]byte("two")))); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing trace error = %v", err)
	}
}

// A second Create of the same id changes nothing: the first stays intact.
func TestCreateExisting(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	id := ID(sha256.Sum256([]byte("one")))
	if err := s.Create(ctx, trace(id, 3), temp(t, s, "first")); err != nil {
		t.Fatal(err)
	}
	second := temp(t, s, "second")
	if err := s.Create(ctx, trace(id, 7), second); !errors.Is(err, ErrExists) {
		t.Fatalf("second Create error = %v, want ErrExists", err)
	}
	got, _ := s.Messages(ctx, id, "ue0", 0, 100)
	if len(got) != 3 {
		t.Errorf("%d messages after the second Create, want 3", len(got))
	}
	f, _ := s.OpenCapture(id)
	content, _ := os.ReadFile(f.Name())
	f.Close()
	if string(content) != "first" {
		t.Errorf("capture = %q, want the first", content)
	}
	if _, err := os.Stat(second); err != nil {
		t.Errorf("the refused temp file should be left for the caller: %v", err)
	}
}

// A failed Create (here: the capture cannot be moved) leaves nothing behind.
func TestCreateFailureIsAtomic(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	id := ID(sha256.Sum256([]byte("one")))
	err = s.Create(ctx, trace(id, 5), filepath.Join(t.TempDir(), "does-not-exist"))
	if err == nil {
		t.Fatal("Create with a missing capture succeeded")
	}
	if ok, _ := s.Has(ctx, id); ok {
		t.Error("trace stored although its capture was not")
	}
	if n, _ := s.Messages(ctx, id, "ue0", 0, 10); len(n) != 0 {
		t.Errorf("%d messages left behind", len(n))
	}
}

func TestConcurrentCreates(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := ID(sha256.Sum256([]byte{byte(i % 4)}))
			errs[i] = s.Create(ctx, trace(id, 200), temp(t, s, "c"))
		}()
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, ErrExists):
			t.Errorf("Create: %v", err)
		}
	}
	if created != 4 {
		t.Errorf("%d traces created, want 4", created)
	}
}

func TestValidID(t *testing.T) {
	for s, want := range map[string]bool{
		ID(sha256.Sum256(nil)):         true,
		"aaaaaaaaaaaaaaaaaaaaaaaaaa":   true,
		"aaaaaaaaaaaaaaaaaaaaaaaaa":    false,
		"../../../../etc/passwdxxxxxx": false,
		"AAAAAAAAAAAAAAAAAAAAAAAAAA":   false,
		"aaaaaaaaaaaaaaaaaaaaaaaaa1":   false,
	} {
		if got := ValidID(s); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", s, got, want)
		}
	}
}
