package server

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// apiGetTrace is GET /api/traces/{id}: the model as JSON, the messages
// streamed from the store rather than held in memory.
func (s *Server) apiGetTrace(w http.ResponseWriter, r *http.Request) {
	t, err := s.loadTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if redacted(r) {
		t = redactTrace(t, redactOptions(r))
	}
	meta, err := json.Marshal(t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	meta = bytes.TrimSuffix(meta, []byte("}"))
	w.Header().Set("Content-Type", "application/json")
	w.Write(meta)
	w.Write([]byte(`,"messages":[`))
	write := func() error { return s.store.WriteMessages(r.Context(), t.ID, w) }
	if redacted(r) {
		write = func() error { return s.writeRedactedMessages(r.Context(), t, redactOptions(r), w) }
	}
	if err := write(); err != nil {
		// The status is sent; the truncated body is invalid JSON, which a
		// client notices. Log it.
		s.log.Error("streaming messages", "id", t.ID, "err", err)
		return
	}
	w.Write([]byte("]}\n"))
}
