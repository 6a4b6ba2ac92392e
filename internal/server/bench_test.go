package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/store"
	"github.com/nrladder/nrladder/internal/tracetest"
)

func benchServer(b *testing.B, cfg Config) (*Server, *store.Store) {
	b.Helper()
	st, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil))), st
}

// BenchmarkTracePage renders one page of a 10 000-message trace (the window
// of PageSize messages, the summary and the table), as a browser asks for it.
func BenchmarkTracePage(b *testing.B) {
	for _, size := range []int{500, 10000} {
		b.Run("page-size-"+itoa(size), func(b *testing.B) {
			srv, _ := benchServer(b, Config{PageSize: size})
			h := srv.Handler()
			file := tracetest.Pcap(tracetest.Repeat(1087)) // 10 000 messages
			t, _, err := srv.ingest(context.Background(), bytes.NewReader(file), "bench.pcap")
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest("GET", "/t/"+t.ID+"?page=1", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
				b.SetBytes(int64(w.Body.Len()))
			}
			b.ReportMetric(float64(size), "arrows/page")
		})
	}
}

// BenchmarkIngest is an upload end to end minus HTTP: hash, parse, build,
// store — for a 10 000-message capture.
func BenchmarkIngest(b *testing.B) {
	srv, _ := benchServer(b, Config{})
	base := tracetest.Repeat(1087)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A different capture each time (the store would dedupe the same bytes).
		steps := append([]tracetest.Step(nil), base...)
		steps[0].At -= time.Duration(i+1) * time.Millisecond
		file := tracetest.Pcap(steps)
		b.SetBytes(int64(len(file)))
		if _, _, err := srv.ingest(context.Background(), bytes.NewReader(file), "bench.pcap"); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(len(base))*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
