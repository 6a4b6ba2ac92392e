package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/store"
	"github.com/nrladder/nrladder/web/templates"
)

// multipartSlack is what a multipart envelope may add to the file itself.
const multipartSlack = 1 << 20

func (s *Server) showUploadPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, templates.UploadPage(s.uploadView("")))
}

func (s *Server) uploadView(errMsg string) templates.UploadView {
	return templates.UploadView{MaxUpload: sizeText(s.cfg.MaxUpload), Error: errMsg, APIURL: "/api/traces"}
}

// uploadFromForm is the form post of the upload page (browsers without
// JavaScript): it answers with a redirect to the trace page, or with the
// upload page and the error.
func (s *Server) uploadFromForm(w http.ResponseWriter, r *http.Request) {
	t, _, err := s.receive(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/t/"+t.ID, http.StatusSeeOther)
}

// apiCreateTrace is POST /api/traces.
func (s *Server) apiCreateTrace(w http.ResponseWriter, r *http.Request) {
	t, created, err := s.receive(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/traces/"+t.ID)
	writeJSON(w, status, map[string]any{
		"id":       t.ID,
		"url":      "/t/" + t.ID,
		"name":     t.Name,
		"ues":      len(t.UEs),
		"messages": messageCount(t),
		"created":  created,
	})
}

func messageCount(t *ladder.Trace) int {
	n := 0
	for _, u := range t.UEs {
		n += u.Messages
	}
	return n
}

// receive takes the capture from a multipart field "file" or from the raw
// body, and ingests it.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (*ladder.Trace, bool, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+multipartSlack)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		name := r.URL.Query().Get("name")
		if name == "" {
			if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
				name = params["filename"]
			}
		}
		return s.ingest(r.Context(), r.Body, name)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, false, &httpError{status: http.StatusBadRequest, msg: "the upload is not a readable multipart form: " + err.Error(), err: err}
	}
	name := r.URL.Query().Get("name")
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, uploadReadError(err, s.cfg.MaxUpload)
		}
		switch part.FormName() {
		case "name":
			b, _ := io.ReadAll(io.LimitReader(part, 1024))
			if v := strings.TrimSpace(string(b)); v != "" {
				name = v
			}
		case "file":
			if name == "" {
				name = part.FileName()
			}
			return s.ingest(r.Context(), part, name)
		}
		part.Close()
	}
	return nil, false, &httpError{status: http.StatusBadRequest, msg: `no file: send the capture as the multipart field "file" or as the request body`}
}

func uploadReadError(err error, max int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(max)
	}
	return &httpError{status: http.StatusBadRequest, msg: "the upload was interrupted: " + err.Error(), err: err}
}

func tooLarge(max int64) error {
	return &httpError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the file is larger than the %s upload limit", sizeText(max))}
}

// ingest stores the bytes in a temporary file while hashing them, then —
// unless the same bytes are already stored — parses, builds and stores the
// trace. It reports whether the trace is new.
func (s *Server) ingest(ctx context.Context, src io.Reader, name string) (*ladder.Trace, bool, error) {
	tmp, err := s.store.CreateTemp()
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp.Name()) // a no-op once the store has moved it
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(src, s.cfg.MaxUpload+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, uploadReadError(err, s.cfg.MaxUpload)
	}
	if n > s.cfg.MaxUpload {
		return nil, false, tooLarge(s.cfg.MaxUpload)
	}
	if n == 0 {
		return nil, false, &httpError{status: http.StatusBadRequest, msg: "no file: the upload is empty"}
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	id := store.ID(sum)

	// From here on the work is done even if the client goes away, so that a
	// retried upload finds it finished.
	ctx = context.WithoutCancel(ctx)
	if t, err := s.store.Trace(ctx, id); err == nil {
		return t, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}

	s.parse <- struct{}{}
	res, err := s.parseFile(tmp.Name())
	<-s.parse
	if errors.Is(err, parse.ErrLimit) {
		return nil, false, &httpError{status: http.StatusRequestEntityTooLarge, msg: err.Error(), err: err}
	}
	if err != nil {
		return nil, false, &httpError{status: http.StatusUnprocessableEntity, msg: err.Error(), err: err}
	}
	t := ladder.Build(res, ladder.Options{GuardTime: s.cfg.GuardTime})
	t.ID = id
	t.Name = cleanName(name)
	t.Size = n
	t.SHA256 = hex.EncodeToString(sum[:])
	t.Uploaded = ladder.Time{Time: time.Now().UTC()}
	err = s.store.Create(ctx, t, tmp.Name())
	if errors.Is(err, store.ErrExists) { // the same bytes, uploaded at the same time
		t, err := s.store.Trace(ctx, id)
		return t, false, err
	}
	if err != nil {
		return nil, false, err
	}
	s.log.Info("trace stored", "id", id, "name", t.Name, "bytes", n, "messages", len(t.Messages), "ues", len(t.UEs), "failures", len(t.Failures))
	return t, true, nil
}

// parseFile parses a stored upload; a panic in a decoder becomes an error
// about this file, never a crash.
func (s *Server) parseFile(p string) (res *parse.Result, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("decoder panic", "file", p, "err", panicError(v))
			res, err = nil, fmt.Errorf("internal decoder error while reading this capture (logged): %v", v)
		}
	}()
	return parse.Trace(f, s.cfg.Parse)
}

// cleanName keeps the base name of an uploaded file, printable and short.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "?")
	}
	if len(name) > 200 {
		name = name[:200]
		for !utf8.ValidString(name) {
			name = name[:len(name)-1]
		}
	}
	if name == "" || name == "." || name == "/" {
		name = "capture"
	}
	return name
}

// sizeText renders a byte count for people: "512 MiB", "12.3 KiB".
func sizeText(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	v := float64(n)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
