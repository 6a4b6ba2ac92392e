package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlags(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, config{addr: ":8080", data: "./data", maxUpload: 512 << 20, guard: time.Second}},
		{"env", nil, map[string]string{"NRLADDER_ADDR": "127.0.0.1:9000", "NRLADDER_DATA": "/var/lib/nrladder", "NRLADDER_MAX_UPLOAD": "2GiB", "NRLADDER_BASE_URL": "https://x.example"},
			config{addr: "127.0.0.1:9000", data: "/var/lib/nrladder", maxUpload: 2 << 30, baseURL: "https://x.example", guard: time.Second}},
		{"flags win over env", []string{"-addr", ":1", "-max-upload", "1000", "-guard-time", "250ms"}, map[string]string{"NRLADDER_ADDR": ":2"},
			config{addr: ":1", data: "./data", maxUpload: 1000, guard: 250 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env = tt.env
			got, err := parseFlags(append([]string{"server"}, tt.args...), getenv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range [][]string{{"-max-upload", "lots"}, {"-max-upload", "-5"}, {"-guard-time", "soon"}, {"-nope"}} {
		if _, err := parseFlags(append([]string{"server"}, bad...), func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// run serves until its context ends, then shuts down cleanly.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server", "-addr", "127.0.0.1:0", "-data", t.TempDir()}, func(string) string { return "" }, &out, io.Discard)
	}()
	re := regexp.MustCompile(`http://(\S+)`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("server did not say where it listens: %q", out.String())
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}
