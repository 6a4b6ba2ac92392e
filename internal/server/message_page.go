package server

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/redact"
	"github.com/nrladder/nrladder/internal/store"
	"github.com/nrladder/nrladder/web/templates"
)

// showMessageDetails is one message with its decoded trees: a page of its
// own, or (part=panel) the fragment the ladder page's panel shows.
func (s *Server) showMessageDetails(w http.ResponseWriter, r *http.Request) {
	t, err := s.loadTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := strconv.Atoi(chi.URLParam(r, "seq"))
	if err != nil || seq < 0 {
		s.fail(w, r, &httpError{status: http.StatusNotFound, msg: "no such message in this trace"})
		return
	}
	m, d, err := s.store.Detail(r.Context(), t.ID, seq)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("this trace has no message %d", seq)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if redacted(r) {
		opts := redactOptions(r)
		t = redactTrace(t, opts)
		if m, err = redact.Message(m, &d, opts); err != nil && !errors.Is(err, redact.ErrWithheld) {
			s.fail(w, r, err)
			return
		}
	}
	v := s.messageView(r, t, &m, d)
	if r.URL.Query().Get("part") == "panel" {
		w.Header().Set("Cache-Control", "private, max-age=3600")
		s.render(w, r, http.StatusOK, templates.MessagePanel(v))
		return
	}
	s.render(w, r, http.StatusOK, templates.MessagePage(v))
}

func (s *Server) messageView(r *http.Request, t *ladder.Trace, m *ladder.Message, d ladder.Detail) templates.MessageView {
	v := templates.MessageView{
		Seq:         m.Seq,
		TraceName:   t.Name,
		TraceLink:   fmt.Sprintf("/t/%s/m/%d", t.ID, m.Seq),
		PageURL:     fmt.Sprintf("/t/%s/m/%d/details", t.ID, m.Seq),
		Link:        fmt.Sprintf("%s/t/%s#m%d", s.baseURL(r), t.ID, m.Seq),
		Message:     m.Message,
		Dir:         m.From + " → " + m.To,
		Channel:     strings.TrimPrefix(m.Bearer+" · "+m.Channel, " · "),
		Frame:       m.Frame,
		Size:        len(m.PDU),
		Abs:         m.Time.UTC().Format(ladder.TimeFormat),
		Rel:         ladder.RelTime(t.Start, m.Time),
		RoleText:    roleText(m.Role),
		Error:       m.Error,
		DecodeError: m.DecodeError,
		Hex:         hex.EncodeToString(m.PDU),
		RRC:         treeNodes(d.RRC),
	}
	if v.Message == "" {
		v.Message = m.Label()
	}
	if m.TxID != nil {
		v.TxID = strconv.Itoa(*m.TxID)
	}
	var sums []string
	for _, n := range m.NAS {
		sums = append(sums, n.Summary)
	}
	v.NASSummary = strings.Join(sums, " + ")
	for _, n := range d.NAS {
		v.NAS = append(v.NAS, treeNodes(n))
	}
	return v
}

// treeNodes nests decoded lines by their depth. The first levels are
// unfolded; deep structures start folded.
func treeNodes(lines []parse.Line) []templates.TreeNode {
	var build func(i, depth int) ([]templates.TreeNode, int)
	build = func(i, depth int) ([]templates.TreeNode, int) {
		var out []templates.TreeNode
		for i < len(lines) && lines[i].Depth >= depth {
			l := lines[i]
			if l.Depth > depth { // a gap in depths: treat as a child of the last node
				if len(out) == 0 {
					out = append(out, templates.TreeNode{})
				}
				var kids []templates.TreeNode
				kids, i = build(i, l.Depth)
				out[len(out)-1].Children = append(out[len(out)-1].Children, kids...)
				continue
			}
			n := templates.TreeNode{Name: l.Name, Value: l.Value, Note: l.Note, Open: depth < 6}
			i++
			if i < len(lines) && lines[i].Depth > depth {
				n.Children, i = build(i, depth+1)
			}
			out = append(out, n)
		}
		return out, i
	}
	if len(lines) == 0 {
		return nil
	}
	nodes, _ := build(0, lines[0].Depth)
	return nodes
}
