package server

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/store"
	"github.com/nrladder/nrladder/web/templates"
)

// maxListedFailures bounds the failure sentences above the ladder; the rest
// are counted (and all are in the API).
const maxListedFailures = 10

// window is one page of one UE's ladder.
type window struct {
	trace    *ladder.Trace
	ue       ladder.UE
	page     int
	pages    int
	messages []ladder.Message
	failures []ladder.Failure
	prev     *ladder.Message // the message before the window, for the first delta
	ranged   bool            // a range chosen with from= and to=, not a page
	redact   string          // the request's redact parameter, kept on every link
}

// diagram lays the window out.
func (w *window) diagram() ladder.Diagram {
	var procs []ladder.Procedure
	for _, p := range w.trace.Procedures {
		if p.UE == w.ue.Key {
			procs = append(procs, p)
		}
	}
	return ladder.Layout(w.messages, w.trace.Lanes(w.ue.Key), w.trace.Start, w.failures, procs, w.prev)
}

// loadTrace reads the trace named in the URL.
func (s *Server) loadTrace(r *http.Request) (*ladder.Trace, error) {
	id := chi.URLParam(r, "id")
	if !store.ValidID(id) {
		return nil, errNotFound
	}
	t, err := s.store.Trace(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	return t, err
}

// loadWindow picks the UE (query "ue"; by default the first UE with a
// failure, else the first) and the page (query "page"; by default the page
// where that UE's first failure starts, else the first) and reads its
// messages.
func (s *Server) loadWindow(r *http.Request) (*window, error) { return s.loadWindowFor(r, false) }

// loadWindowFor is loadWindow; with whole, a request that names no page and
// no range gets the UE's whole ladder when it is not longer than maxRange.
func (s *Server) loadWindowFor(r *http.Request, whole bool) (*window, error) {
	t, err := s.loadTrace(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	w := &window{trace: t}
	if redacted(r) {
		w.redact = q.Get("redact")
	}
	if key := q.Get("ue"); key != "" {
		u, ok := t.UE(key)
		if !ok {
			return nil, &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("this trace has no UE %q", key)}
		}
		w.ue = u
	} else {
		w.ue = defaultUE(t)
	}
	for _, f := range t.Failures {
		if f.UE == w.ue.Key {
			w.failures = append(w.failures, f)
		}
	}
	size := s.cfg.PageSize
	w.pages = max(1, (w.ue.Messages+size-1)/size)
	if q.Get("from") != "" || q.Get("to") != "" || whole && q.Get("page") == "" && w.ue.Messages <= maxRange {
		return w, s.loadRange(r, w)
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > w.pages {
			return nil, &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("page %q does not exist: this ladder has %d pages", p, w.pages)}
		}
		w.page = n
	} else {
		w.page = 1
		if len(w.failures) > 0 {
			w.page = firstRef(w.failures[0]).UESeq/size + 1
		}
	}
	from := (w.page - 1) * size
	if from > 0 {
		if prev, err := s.store.Messages(r.Context(), t.ID, w.ue.Key, from-1, 1); err == nil && len(prev) == 1 {
			w.prev = &prev[0]
		}
	}
	w.messages, err = s.store.Messages(r.Context(), t.ID, w.ue.Key, from, size)
	return w, err
}

// maxRange bounds a range export (SVG, PNG, text) in messages.
const maxRange = 5000

// loadRange reads the messages from seq "from" to seq "to" (both of the
// UE's ladder; either may be left out: the start or the end of the
// ladder), for an export of a selected range.
func (s *Server) loadRange(r *http.Request, w *window) error {
	q := r.URL.Query()
	first, last := 0, w.ue.Messages-1
	for i, name := range []string{"from", "to"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		seq, err := strconv.Atoi(v)
		if err != nil || seq < 0 {
			return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("%s=%q is not a message number", name, v)}
		}
		m, err := s.store.Message(r.Context(), w.trace.ID, seq)
		if err != nil || m.UE != w.ue.Key {
			return &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("message %d is not in the ladder of %s", seq, w.ue.Label)}
		}
		if i == 0 {
			first = m.UESeq
		} else {
			last = m.UESeq
		}
	}
	if last < first {
		first, last = last, first
	}
	if n := last - first + 1; n > maxRange {
		return &httpError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the range holds %d messages; export at most %d at a time (choose a range with from= and to=)", n, maxRange)}
	}
	w.page, w.ranged = 1, true
	if first > 0 {
		if prev, err := s.store.Messages(r.Context(), w.trace.ID, w.ue.Key, first-1, 1); err == nil && len(prev) == 1 {
			w.prev = &prev[0]
		}
	}
	var err error
	w.messages, err = s.store.Messages(r.Context(), w.trace.ID, w.ue.Key, first, last-first+1)
	return err
}

func defaultUE(t *ladder.Trace) ladder.UE {
	for _, f := range t.Failures {
		if u, ok := t.UE(f.UE); ok {
			return u
		}
	}
	if len(t.UEs) > 0 {
		return t.UEs[0]
	}
	return ladder.UE{Key: ladder.DefaultUE, Label: "UE"}
}

func firstRef(f ladder.Failure) *ladder.Ref {
	if f.Command != nil {
		return f.Command
	}
	return f.Response
}

// pageURL is the URL of a window; it leaves out what is the default.
func (w *window) pageURL(page int) string {
	v := url.Values{}
	if len(w.trace.UEs) > 1 {
		v.Set("ue", w.ue.Key)
	}
	if w.pages > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if w.redact != "" {
		v.Set("redact", w.redact)
	}
	u := "/t/" + w.trace.ID
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

func (s *Server) showTracePage(w http.ResponseWriter, r *http.Request) {
	win, err := s.loadWindow(r)
	if err == nil {
		err = s.applyRedaction(r, win)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.TracePage(s.traceView(r, win)))
}

// showLadderSVG serves the ladder as a standalone SVG file: the page or
// range asked for, or the UE's whole ladder.
func (s *Server) showLadderSVG(w http.ResponseWriter, r *http.Request) {
	win, err := s.exportWindow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", "inline; "+fileParam(win, ".svg", redacted(r)))
	meta := s.exportMeta(r, win)
	caption := fmt.Sprintf("nrladder · %s · %s · %s · redacted: %s", meta.TraceName, meta.UE.Label, meta.Link, map[bool]string{true: "yes", false: "no"}[meta.Redacted])
	s.renderAs(w, r, http.StatusOK, "image/svg+xml; charset=utf-8", templates.Ladder(win.diagram(), true, s.baseURL(r)+"/t/"+win.trace.ID, caption))
}

// redirectToMessage answers /t/{id}/m/{seq} with the page that shows the
// message, anchored on it: a message link that works without JavaScript.
func (s *Server) redirectToMessage(w http.ResponseWriter, r *http.Request) {
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
	m, err := s.store.Message(r.Context(), t.ID, seq)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("this trace has no message %d", seq)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := t.UE(m.UE)
	win := &window{trace: t, ue: u, pages: max(1, (u.Messages+s.cfg.PageSize-1)/s.cfg.PageSize)}
	if redacted(r) {
		win.redact = r.URL.Query().Get("redact")
	}
	target := win.pageURL(m.UESeq/s.cfg.PageSize + 1)
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	extra := ""
	if sel := r.URL.Query().Get("sel"); sel != "" && validSeqList(sel) {
		extra = "&sel=" + sel
	}
	http.Redirect(w, r, target+sep+"at="+strconv.Itoa(seq)+extra+"#m"+strconv.Itoa(seq), http.StatusSeeOther)
}

func (s *Server) traceView(r *http.Request, win *window) templates.TraceView {
	t := win.trace
	base := s.baseURL(r)
	v := templates.TraceView{
		ID:       t.ID,
		Name:     t.Name,
		URL:      "/t/" + t.ID,
		SVGURL:   strings.Replace(win.pageURL(win.page), "/t/"+t.ID, "/t/"+t.ID+"/ladder.svg", 1),
		Facts:    facts(t),
		Messages: messageCount(t),
		UE:       win.ue,
		Diagram:  win.diagram(),
		Dropped:  t.WarningsDropped,
	}
	v.UEURL = base + win.pageURL(1)
	if len(t.UEs) <= 1 {
		v.UEURL = base + v.URL
	}
	v.Redacted = redacted(r)
	v.Exports = exportLinks(t.ID, win.ue.Key, v.Redacted)
	v.RedactURL = toggleRedact(r)
	v.FailuresOnly = r.URL.Query().Get("failures") == "1"
	v.FilterURL = v.URL + "?failures=1"
	if v.FailuresOnly {
		v.FilterURL = v.URL
	}
	for _, u := range sortedUEs(t.UEs) {
		if v.FailuresOnly && u.Outcome != "failure" && u.Outcome != "no-response" && u.Key != win.ue.Key {
			continue
		}
		uw := &window{trace: t, ue: u, pages: 1}
		outcome := u.Outcome
		if u.Key == ladder.CommonUE {
			outcome = ""
		}
		v.UEs = append(v.UEs, templates.UELink{Label: u.Label, Href: uw.pageURL(1), Outcome: outcome, Messages: u.Messages, Current: u.Key == win.ue.Key})
	}
	v.Failed = len(t.Failures) > 0
	v.Verdict = verdict(t)
	for _, f := range t.Findings {
		if f.UE != win.ue.Key {
			v.OtherFindings++
			continue
		}
		var seqs []string
		for _, q := range f.Seqs {
			seqs = append(seqs, strconv.Itoa(q))
		}
		fv := templates.FindingView{Severity: f.Severity, Code: f.Code, Text: f.Text, Seqs: strings.Join(seqs, ",")}
		if len(f.Seqs) > 0 {
			fv.Href = fmt.Sprintf("/t/%s/m/%d?sel=%s", t.ID, f.Seqs[0], fv.Seqs)
		}
		v.Findings = append(v.Findings, fv)
	}
	for i, f := range t.Failures {
		if i == maxListedFailures {
			v.MoreFailures = len(t.Failures) - i
			break
		}
		fv := templates.FailureView{Text: f.Summary}
		for _, ref := range []*ladder.Ref{f.Command, f.Response, f.Release} {
			if ref != nil {
				fv.Links = append(fv.Links, templates.Link{Text: fmt.Sprintf("%s (frame %d)", ref.Message, ref.Frame), Href: fmt.Sprintf("/t/%s/m/%d", t.ID, ref.Seq)})
			}
		}
		v.Failures = append(v.Failures, fv)
	}
	for _, w := range t.Warnings {
		v.Warnings = append(v.Warnings, templates.WarningView{Frame: w.Frame, Layer: w.Layer, Error: w.Error})
	}
	for _, sk := range t.Skipped {
		v.Skipped = append(v.Skipped, fmt.Sprintf("%s: %d %s not read (frames %d–%d)", sk.What, sk.Packets, plural(sk.Packets, "packet"), sk.FirstFrame, sk.LastFrame))
	}
	for i := range win.messages {
		m := &win.messages[i]
		row := templates.RowView{
			Seq:        m.Seq,
			ID:         fmt.Sprintf("d%d", m.Seq),
			Anchor:     fmt.Sprintf("#m%d", m.Seq),
			Link:       fmt.Sprintf("%s/t/%s#m%d", base, t.ID, m.Seq),
			DetailsURL: fmt.Sprintf("/t/%s/m/%d/details", t.ID, m.Seq),
			Frame:      m.Frame,
			Rel:        ladder.RelTime(t.Start, m.Time),
			Abs:        m.Time.UTC().Format(ladder.TimeFormat),
			Dir:        m.From + " → " + m.To,
			Message:    m.Label(),
			Channel:    strings.TrimPrefix(m.Bearer+" · "+m.Channel, " · "),
			Role:       m.Role,
			RoleText:   roleText(m.Role),
			Hex:        hex.EncodeToString(m.PDU),
			Size:       len(m.PDU),
			Error:      m.Error,
		}
		if m.TxID != nil {
			row.TxID = strconv.Itoa(*m.TxID)
		}
		if m.Role != "" {
			row.Class = "role-" + m.Role
		}
		v.Rows = append(v.Rows, row)
	}
	size := s.cfg.PageSize
	v.Pager = templates.Pager{Page: win.page, Pages: win.pages, Total: win.ue.Messages,
		First: (win.page-1)*size + 1, Last: (win.page-1)*size + len(win.messages),
		FirstPage: win.pageURL(1), LastPage: win.pageURL(win.pages)}
	if win.page > 1 {
		v.Pager.Prev = win.pageURL(win.page - 1)
	}
	if win.page < win.pages {
		v.Pager.Next = win.pageURL(win.page + 1)
	}
	return v
}

func roleText(role string) string {
	switch role {
	case ladder.RoleSMCFailed:
		return "command failed"
	case ladder.RoleSMF:
		return "security mode failure"
	case ladder.RoleReleaseAfterFailure:
		return "release after failure"
	}
	return ""
}

// verdict is the one-line answer above the ladder: how many UEs failed AS
// security activation, and how.
func verdict(t *ladder.Trace) string {
	var total, explicit, silent, complete, none int
	for _, u := range t.UEs {
		if u.Key == ladder.CommonUE {
			continue
		}
		total++
		switch u.Outcome {
		case "failure":
			explicit++
		case "no-response":
			silent++
		case "complete":
			complete++
		default:
			none++
		}
	}
	failed := explicit + silent
	ues := plural(total, "UE")
	if failed == 0 {
		switch {
		case complete == 0:
			return fmt.Sprintf("No SecurityModeFailure: none of the %d %s reached AS security activation in this capture.", total, ues)
		case complete == total:
			return fmt.Sprintf("No SecurityModeFailure: every SecurityModeCommand in this trace was answered by SecurityModeComplete (%d %s).", total, ues)
		}
		return fmt.Sprintf("No SecurityModeFailure: %d of %d %s activated AS security, %d did not reach it.", complete, total, ues, none)
	}
	var parts []string
	if explicit > 0 {
		parts = append(parts, fmt.Sprintf("%d explicit %s", explicit, plural(explicit, "failure")))
	}
	if silent > 0 {
		parts = append(parts, fmt.Sprintf("%d silent %s", silent, plural(silent, "timeout")))
	}
	return fmt.Sprintf("%d of %d %s failed AS security activation: %s.", failed, total, ues, strings.Join(parts, ", "))
}

func facts(t *ladder.Trace) string {
	lts := make([]string, 0, len(t.LinkTypes))
	for _, lt := range t.LinkTypes {
		lts = append(lts, fmt.Sprintf("%d (%s)", lt, capture.LinkTypeName(lt)))
	}
	format := t.Format
	if t.Compressed {
		format += ", gzip"
	}
	return fmt.Sprintf("%s · %s · link type %s · %d packets · %d messages · uploaded %s",
		sizeText(t.Size), format, strings.Join(lts, ", "), t.Packets, messageCount(t), t.Uploaded.UTC().Format("2006-01-02 15:04 UTC"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// sortedUEs lists failures first (explicit, then silent), then the others
// in order of appearance, and what belongs to no UE last.
func sortedUEs(ues []ladder.UE) []ladder.UE {
	rank := func(u ladder.UE) int {
		switch {
		case u.Key == ladder.CommonUE:
			return 3
		case u.Outcome == "failure":
			return 0
		case u.Outcome == "no-response":
			return 1
		}
		return 2
	}
	out := append([]ladder.UE(nil), ues...)
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// validSeqList accepts "3,4,17".
func validSeqList(s string) bool {
	for _, p := range strings.Split(s, ",") {
		if _, err := strconv.Atoi(p); err != nil || len(p) > 9 {
			return false
		}
	}
	return len(s) < 512
}

// exportLinks are the downloads of one UE's ladder; the page's script adds
// from= and to= when a range is selected.
func exportLinks(id, ue string, redact bool) []templates.Link {
	q := url.Values{"ue": {ue}}
	if redact {
		q.Set("redact", "1")
	}
	qs := "?" + q.Encode()
	base := "/t/" + id
	links := []templates.Link{
		{Text: "SVG", Href: base + "/ladder.svg" + qs},
		{Text: "PNG", Href: base + "/ladder.png" + qs},
		{Text: "Text", Href: base + "/ladder.txt" + qs},
		{Text: "Mermaid", Href: base + "/ladder.mmd" + qs},
		{Text: "Markdown", Href: base + "/report.md" + qs},
		{Text: "RRC pcap", Href: base + "/rrc.pcapng" + qs},
	}
	if !redact {
		links = append(links,
			templates.Link{Text: "UE frames", Href: base + "/frames.pcapng" + qs},
			templates.Link{Text: "Original capture", Href: base + "/capture"})
	}
	return links
}

// toggleRedact is the current page with redaction switched.
func toggleRedact(r *http.Request) string {
	q := r.URL.Query()
	if redacted(r) {
		q.Del("redact")
	} else {
		q.Set("redact", "1")
	}
	u := r.URL.Path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}
