package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/exportpdu"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/store"
)

// errNotRedactable refuses exports of original bytes in redacted mode.
var errNotRedactable = &httpError{status: http.StatusUnprocessableEntity,
	msg: "the original frames cannot be redacted: download the RRC capture (rrc.pcapng), which is, or turn redaction off"}

// downloadCapture is the original capture, byte for byte.
func (s *Server) downloadCapture(w http.ResponseWriter, r *http.Request) {
	t, err := s.loadTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if redacted(r) {
		s.fail(w, r, errNotRedactable)
		return
	}
	f, err := s.store.OpenCapture(t.ID)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &httpError{status: http.StatusNotFound, msg: "the original capture of this trace is missing"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", attachment(t.Name, ""))
	io.Copy(w, f)
}

// ueMessages is every message of the UE the request names (or the default one).
func (s *Server) ueMessages(r *http.Request, t *ladder.Trace) (ladder.UE, []ladder.Message, error) {
	u := defaultUE(t)
	if key := r.URL.Query().Get("ue"); key != "" {
		var ok bool
		if u, ok = t.UE(key); !ok {
			return u, nil, &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("this trace has no UE %q", key)}
		}
	}
	msgs, err := s.store.Messages(r.Context(), t.ID, u.Key, 0, u.Messages)
	return u, msgs, err
}

// downloadUEFrames is one UE's frames of the original capture, as pcapng:
// the frames of its messages (carriers and retransmissions included), each
// with a comment naming its frame number in the original.
func (s *Server) downloadUEFrames(w http.ResponseWriter, r *http.Request) {
	t, err := s.loadTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if redacted(r) {
		s.fail(w, r, errNotRedactable)
		return
	}
	u, msgs, err := s.ueMessages(r, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	frames := map[int]bool{}
	for _, m := range msgs {
		frames[m.Frame] = true
		for _, f := range m.RetransmissionFrames {
			frames[f] = true
		}
	}
	f, err := s.store.OpenCapture(t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	cr, err := capture.NewReader(f, s.cfg.Parse.Capture)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", attachment(t.Name, "-"+u.Key+".pcapng"))
	cw := capture.NewWriter(w)
	for len(frames) > 0 {
		p, err := cr.Next()
		if err != nil {
			break // the capture was read whole at upload; a cut end was reported then
		}
		if !frames[p.Frame] {
			continue
		}
		delete(frames, p.Frame)
		if err := cw.WritePacket(p.Time, p.LinkType, p.Data, p.OrigLen, fmt.Sprintf("nrladder: %s, frame %d of %s", u.Label, p.Frame, t.Name)); err != nil {
			s.log.Warn("writing frames", "id", t.ID, "err", err)
			return
		}
	}
	cw.Close()
}

// downloadRRC is one UE's NR RRC messages as Wireshark exported PDUs (link
// type 252, nr-rrc.* dissector names): Wireshark opens it with no settings,
// whatever the original framing was. Ciphered PDUs are left out (Wireshark
// would decode their ciphertext as messages); each packet's comment gives
// the frame it came from.
func (s *Server) downloadRRC(w http.ResponseWriter, r *http.Request) {
	t, err := s.loadTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, msgs, err := s.ueMessages(r, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msgs, err = s.maybeRedact(r, t, msgs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	suffix := "-" + u.Key + "-rrc.pcapng"
	if redacted(r) {
		suffix = "-" + u.Key + "-rrc-redacted.pcapng"
	}
	w.Header().Set("Content-Disposition", attachment(t.Name, suffix))
	cw := capture.NewWriter(w)
	for _, m := range msgs {
		if m.Protocol != "NR-RRC" || m.Ciphered || m.Channel == "" {
			continue
		}
		ch, ok := rrc.ChannelFromName(m.Channel)
		if !ok {
			continue
		}
		comment := fmt.Sprintf("nrladder: %s, frame %d of %s", u.Label, m.Frame, t.Name)
		if redacted(r) {
			comment += " (redacted)"
		}
		rec := exportpdu.Append(nil, ch.Dissector(), m.PDU)
		if err := cw.WritePacket(m.Time.Time, 252, rec, 0, comment); err != nil {
			s.log.Warn("writing rrc capture", "id", t.ID, "err", err)
			return
		}
	}
	cw.Close()
}

// attachment is a Content-Disposition header for a download named after
// the trace: its name, or with suffix in place of its extension.
func attachment(name, suffix string) string {
	return fmt.Sprintf("attachment; filename=%q", fileName(name, suffix))
}

// fileName is a safe file name from the trace's name: printable ASCII, the
// extension replaced by suffix when there is one.
func fileName(name, suffix string) string {
	base := strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, name)
	if suffix != "" {
		if i := strings.LastIndexByte(base, '.'); i > 0 {
			base = base[:i]
		}
		base += suffix
	}
	return base
}
