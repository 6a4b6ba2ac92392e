package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/redact"
)

// redactOptions reads the redact parameter: "1" masks subscriber
// identities, "rnti" C-RNTIs too.
func redactOptions(r *http.Request) redact.Options {
	return redact.Options{RNTI: r.URL.Query().Get("redact") == "rnti"}
}

// redacted tells whether the request asks for subscriber identities to be
// masked.
func redacted(r *http.Request) bool {
	switch r.URL.Query().Get("redact") {
	case "1", "true", "yes", "rnti":
		return true
	}
	return false
}

// maybeRedact masks subscriber identities in messages when the request asks
// for it. A message whose bytes could not be read for masking comes back
// with them withheld (redact returns a safe copy with its error).
func (s *Server) maybeRedact(r *http.Request, t *ladder.Trace, msgs []ladder.Message) ([]ladder.Message, error) {
	if !redacted(r) {
		return msgs, nil
	}
	opts := redactOptions(r)
	out := make([]ladder.Message, len(msgs))
	for i := range msgs {
		m, err := redact.Message(msgs[i], nil, opts)
		if err != nil && !errors.Is(err, redact.ErrWithheld) {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// redactTrace masks what a trace's metadata may quote of an identity: UE
// labels, ids and notes, finding texts, failure and security summaries,
// warnings.
func redactTrace(t *ladder.Trace, opts redact.Options) *ladder.Trace {
	c := *t
	c.UEs = make([]ladder.UE, len(t.UEs))
	for i, u := range t.UEs {
		c.UEs[i] = redact.UE(u, opts)
	}
	c.Findings = make([]ladder.Finding, len(t.Findings))
	for i, f := range t.Findings {
		f.Text = redact.Text(f.Text, opts)
		c.Findings[i] = f
	}
	c.Failures = make([]ladder.Failure, len(t.Failures))
	for i, f := range t.Failures {
		f.Summary = redact.Text(f.Summary, opts)
		c.Failures[i] = f
	}
	c.Security = make([]ladder.Security, len(t.Security))
	for i, s := range t.Security {
		s.Summary = redact.Text(s.Summary, opts)
		c.Security[i] = s
	}
	c.Warnings = append(c.Warnings[:0:0], t.Warnings...)
	for i := range c.Warnings {
		c.Warnings[i].Error = redact.Text(c.Warnings[i].Error, opts)
	}
	return &c
}

// redactUE masks the identities in a UE's label and ids.
func redactUE(u ladder.UE, opts redact.Options) ladder.UE { return redact.UE(u, opts) }

// writeRedactedMessages streams a trace's messages, each masked, as the
// comma-separated JSON WriteMessages writes.
func (s *Server) writeRedactedMessages(ctx context.Context, t *ladder.Trace, opts redact.Options, w io.Writer) error {
	const batch = 1000
	first := true
	for _, u := range t.UEs {
		for from := 0; from < u.Messages; from += batch {
			msgs, err := s.store.Messages(ctx, t.ID, u.Key, from, batch)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				rm, err := redact.Message(m, nil, opts)
				if err != nil && !errors.Is(err, redact.ErrWithheld) {
					return err
				}
				b, err := json.Marshal(rm)
				if err != nil {
					return err
				}
				if !first {
					w.Write([]byte{','})
				}
				first = false
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// applyRedaction masks a window when the request asks for it: its
// messages, its trace's metadata, its UE and failure sentences.
func (s *Server) applyRedaction(r *http.Request, win *window) error {
	if !redacted(r) {
		return nil
	}
	opts := redactOptions(r)
	msgs, err := s.maybeRedact(r, win.trace, win.messages)
	if err != nil {
		return err
	}
	win.messages = msgs
	win.trace = redactTrace(win.trace, opts)
	win.ue = redactUE(win.ue, opts)
	failures := make([]ladder.Failure, len(win.failures))
	for i, f := range win.failures {
		f.Summary = redact.Text(f.Summary, opts)
		failures[i] = f
	}
	win.failures = failures
	return nil
}
