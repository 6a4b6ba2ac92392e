// Package server is nrladder's HTTP layer: one Server holding its
// dependencies, one route table, one error path. It turns requests into calls
// on parse, ladder and the trace store, and models into templ views or JSON.
// Nothing below it imports it.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/web/static"
	"github.com/nrladder/nrladder/web/templates"
)

// TraceStore is what the server needs from storage.
type TraceStore interface {
	Has(ctx context.Context, id string) (bool, error)
	CreateTemp() (*os.File, error)
	Create(ctx context.Context, t *ladder.Trace, tempPath string) error
	Trace(ctx context.Context, id string) (*ladder.Trace, error)
	Messages(ctx context.Context, id, ue string, from, n int) ([]ladder.Message, error)
	Message(ctx context.Context, id string, seq int) (ladder.Message, error)
	Detail(ctx context.Context, id string, seq int) (ladder.Message, ladder.Detail, error)
	WriteMessages(ctx context.Context, id string, w io.Writer) error
	OpenCapture(id string) (*os.File, error)
}

// Config is the server's configuration.
type Config struct {
	MaxUpload int64         // bytes of one uploaded file
	PageSize  int           // messages drawn per ladder page
	GuardTime time.Duration // unanswered SecurityModeCommand guard time
	Parse     parse.Options
	MaxParses int    // captures parsed at once
	BaseURL   string // public URL prefix for absolute links ("" = from the request)
}

// Server serves the web pages and the API.
type Server struct {
	cfg   Config
	store TraceStore
	log   *slog.Logger
	parse chan struct{} // semaphore: parses in progress
}

// New returns a Server.
func New(cfg Config, st TraceStore, log *slog.Logger) *Server {
	if cfg.PageSize <= 0 {
		cfg.PageSize = 500
	}
	if cfg.MaxParses <= 0 {
		cfg.MaxParses = 2
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 512 << 20
	}
	return &Server{cfg: cfg, store: st, log: log, parse: make(chan struct{}, cfg.MaxParses)}
}

// Handler returns the route table.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.recoverer, securityHeaders)

	r.Get("/", s.showUploadPage)
	r.Post("/upload", s.uploadFromForm)
	r.Get("/t/{id}", s.showTracePage)
	r.Get("/t/{id}/ladder.svg", s.showLadderSVG)
	r.Get("/t/{id}/ladder.png", s.exportPNG)
	r.Get("/t/{id}/ladder.txt", s.exportText)
	r.Get("/t/{id}/ladder.mmd", s.exportMermaid)
	r.Get("/t/{id}/report.md", s.exportMarkdown)
	r.Get("/t/{id}/m/{seq}", s.redirectToMessage)
	r.Get("/t/{id}/m/{seq}/details", s.showMessageDetails)
	r.Get("/t/{id}/capture", s.downloadCapture)
	r.Get("/t/{id}/frames.pcapng", s.downloadUEFrames)
	r.Get("/t/{id}/rrc.pcapng", s.downloadRRC)
	r.Get("/healthz", s.health)

	r.Post("/api/traces", s.apiCreateTrace)
	r.Get("/api/traces/{id}", s.apiGetTrace)

	r.Handle(static.Prefix+"*", static.Handler())
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFound) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &httpError{status: http.StatusMethodNotAllowed, msg: "method not allowed"})
	})
	return r
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// httpError is an error with the status and the one line a person is shown.
type httpError struct {
	status int
	msg    string
	err    error // cause, for the log
}

func (e *httpError) Error() string { return e.msg }
func (e *httpError) Unwrap() error { return e.err }

var errNotFound = &httpError{status: http.StatusNotFound, msg: "no such trace: the link may be mistyped"}

// fail is the one error path: it logs, picks the status and answers in the
// form the route speaks (JSON under /api/, HTML elsewhere).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	he := &httpError{status: http.StatusInternalServerError, msg: "internal error: the problem has been logged", err: err}
	errors.As(err, &he)
	if he.status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", he.status, "err", err, "request_id", middleware.GetReqID(r.Context()))
	} else {
		s.log.Info("request refused", "method", r.Method, "path", r.URL.Path, "status", he.status, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, he.status, map[string]string{"error": he.msg})
		return
	}
	if r.URL.Path == "/upload" {
		s.render(w, r, he.status, templates.UploadPage(s.uploadView(he.msg)))
		return
	}
	s.render(w, r, he.status, templates.ErrorPage(he.status, he.msg))
}

// render writes a component through a buffer, so a failed render never
// leaves a half-written 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	s.renderAs(w, r, status, "text/html; charset=utf-8", c)
}

func (s *Server) renderAs(w http.ResponseWriter, r *http.Request, status int, contentType string, c templ.Component) {
	templ.Handler(c, templ.WithStatus(status), templ.WithContentType(contentType),
		templ.WithErrorHandler(func(r *http.Request, err error) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s.log.Error("render failed", "path", r.URL.Path, "err", err)
				http.Error(w, "internal error: the problem has been logged", http.StatusInternalServerError)
			})
		})).ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// recoverer turns a panic in a handler into a 500 through the error path;
// the server keeps running.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, &httpError{status: http.StatusInternalServerError, msg: "internal error: the problem has been logged", err: panicError(v)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// baseURL is the scheme and host links should carry.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
