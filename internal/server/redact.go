package server

import (
	"net/http"

	"github.com/nrladder/nrladder/internal/ladder"
)

// maybeRedact masks subscriber identities in messages when the request asks
// for it.
func (s *Server) maybeRedact(r *http.Request, t *ladder.Trace, msgs []ladder.Message) ([]ladder.Message, error) {
	if !redacted(r) {
		return msgs, nil
	}
	return nil, &httpError{status: http.StatusNotImplemented, msg: "redaction is not available yet"}
}

// redactUE masks the identities in a UE's label and ids.
func redactUE(u ladder.UE) ladder.UE { return u }
