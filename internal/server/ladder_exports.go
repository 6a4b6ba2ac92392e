package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/nrladder/nrladder/internal/export"
	"github.com/nrladder/nrladder/internal/ladder"
)

// exportWindow is what an export shows: the page or range the request
// names, or, when it names neither, the UE's whole ladder (up to maxRange
// messages; a longer one starts at its default page).
func (s *Server) exportWindow(r *http.Request) (*window, error) {
	win, err := s.loadWindowFor(r, true)
	if err != nil {
		return nil, err
	}
	return win, s.applyRedaction(r, win)
}

// exportMeta says what an export is of.
func (s *Server) exportMeta(r *http.Request, win *window) export.Meta {
	t := win.trace
	m := export.Meta{
		TraceName: t.Name,
		Link:      s.baseURL(r) + exportLink(win, r),
		UE:        win.ue,
		Redacted:  redacted(r),
		Summary:   verdict(t),
		Failures:  win.failures,
		Start:     t.Start,
	}
	for _, f := range t.Findings {
		if f.UE == win.ue.Key {
			m.Findings = append(m.Findings, f)
		}
	}
	return m
}

// exportLink is the page an export points back to: the UE's ladder, at the
// first message of the export.
func exportLink(win *window, r *http.Request) string {
	link := win.pageURL(win.page)
	if len(win.messages) > 0 {
		link = fmt.Sprintf("/t/%s/m/%d", win.trace.ID, win.messages[0].Seq)
	}
	if redacted(r) {
		link += "?redact=1"
	}
	return link
}

func (s *Server) exportText(w http.ResponseWriter, r *http.Request) {
	s.serveExport(w, r, "text/plain; charset=utf-8", ".txt", export.Text)
}

func (s *Server) exportMermaid(w http.ResponseWriter, r *http.Request) {
	s.serveExport(w, r, "text/plain; charset=utf-8", ".mmd", export.Mermaid)
}

func (s *Server) exportMarkdown(w http.ResponseWriter, r *http.Request) {
	s.serveExport(w, r, "text/markdown; charset=utf-8", ".md", export.Markdown)
}

// serveExport renders an export into a buffer first, so that a failure
// still answers with the error path, not half a file.
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request, contentType, ext string,
	render func(io.Writer, export.Meta, []ladder.Message) error) {
	win, err := s.exportWindow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := render(&b, s.exportMeta(r, win), win.messages); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", "inline; "+fileParam(win, ext, redacted(r)))
	w.Write(b.Bytes())
}

func (s *Server) exportPNG(w http.ResponseWriter, r *http.Request) {
	win, err := s.exportWindow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := export.PNG(&b, win.diagram(), s.exportMeta(r, win)); errors.Is(err, export.ErrTooTall) {
		s.fail(w, r, &httpError{status: http.StatusRequestEntityTooLarge, msg: err.Error(), err: err})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", "inline; "+fileParam(win, ".png", redacted(r)))
	w.Write(b.Bytes())
}

// fileParam names an export file after the trace and the UE.
func fileParam(win *window, ext string, redact bool) string {
	suffix := "-" + win.ue.Key
	if redact {
		suffix += "-redacted"
	}
	return fmt.Sprintf("filename=%q", fileName(win.trace.Name, suffix+ext))
}
