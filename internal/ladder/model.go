// Package ladder holds the diagram model of a trace — its UEs, its messages in
// order with their lanes and roles, and the security-activation failures found
// in it — and builds it from what the parser found (Build). Layout turns a
// window of messages into drawing geometry.
//
// It imports parse (below it) and must not import store, server or web.
package ladder

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse"
)

// Lanes (lifelines) of the ladder.
const (
	LaneUE  = "UE"
	LaneGNB = "gNB"
	LaneDU  = "gNB-DU"
	LaneCU  = "gNB-CU"
	LaneAMF = "AMF"
)

// Roles mark the security-activation failure branch (the API's "role").
const (
	RoleSMCFailed           = "smc-failed"            // a SecurityModeCommand answered by a failure or by nothing
	RoleSMF                 = "smf"                   // the SecurityModeFailure
	RoleReleaseAfterFailure = "release-after-failure" // the release that follows
)

// TimeFormat is how times appear in the API: RFC 3339 with nanoseconds.
const TimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// Time is a time.Time that marshals with all nine fractional digits.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(TimeFormat) + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}

// Hex is a byte slice that marshals as a lowercase hex string.
type Hex []byte

// MarshalJSON implements json.Marshaler.
func (h Hex) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(h)) }

// UnmarshalJSON implements json.Unmarshaler.
func (h *Hex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

// Trace is the whole model of one uploaded capture.
type Trace struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Size            int64           `json:"size"`
	SHA256          string          `json:"sha256"`
	Uploaded        Time            `json:"uploaded"`
	Format          string          `json:"format"`
	Compressed      bool            `json:"compressed"`
	LinkTypes       []uint32        `json:"linkTypes"`
	Packets         int             `json:"packets"`
	Start           Time            `json:"start"` // time of the first message; relative times count from it
	UEs             []UE            `json:"ues"`
	Messages        []Message       `json:"messages,omitempty"`
	Security        []Security      `json:"security"`
	Findings        []Finding       `json:"findings"`
	Procedures      []Procedure     `json:"procedures"`
	Failures        []Failure       `json:"failures"`
	Warnings        []parse.Warning `json:"warnings"`
	WarningsDropped int             `json:"warningsDropped"`
	Skipped         []parse.Skipped `json:"skipped"`
}

// UE is one UE's ladder.
type UE struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	RNTI     *int   `json:"rnti"`
	DUUEID   *int64 `json:"duUeId"`
	CUUEID   *int64 `json:"cuUeId"`
	Messages int    `json:"messages"`
	// Outcome of AS security activation: "complete", "failure",
	// "no-response", "never-started", or "no-rrc" when the UE's RRC is
	// not in the capture (NGAP only).
	Outcome string `json:"outcome"`
	// Note says how the UE was told apart (or that it could not be).
	Note string `json:"note,omitempty"`
	// Connections counts the RRC connections (uses of UE ids) joined into
	// this UE by a subscriber identity.
	Connections int `json:"connections"`
	// IDs are the UE ids its layers gave: "C-RNTI 0x4601",
	// "gNB-DU-UE-F1AP-ID 3", "RAN-UE-NGAP-ID 1".
	IDs []string `json:"ids,omitempty"`
	// Lanes are the lifelines of its ladder, left to right.
	Lanes []string `json:"lanes"`
}

// Message is one arrow of the ladder.
type Message struct {
	Seq            int         `json:"seq"`   // position in the trace, from 0
	UESeq          int         `json:"ueSeq"` // position in its UE's ladder, from 0
	Frame          int         `json:"frame"`
	Time           Time        `json:"time"`
	UE             string      `json:"ue"`
	From           string      `json:"from"`
	To             string      `json:"to"`
	Direction      string      `json:"direction"` // "UL" or "DL"
	Protocol       string      `json:"protocol"`
	Channel        string      `json:"channel"`
	Bearer         string      `json:"bearer,omitempty"` // SRB0, SRB1 …
	Message        string      `json:"message"`
	Alternative    string      `json:"alternative,omitempty"` // ASN.1 alternative identifier
	TxID           *int        `json:"txid"`
	Role           string      `json:"role"`
	NAS            []parse.NAS `json:"nas"`
	Ciphered       bool        `json:"ciphered"`
	Retransmission bool        `json:"retransmission"` // the message was sent again (RLC); it is shown once
	// Retransmissions counts the repeats, RetransmissionFrames lists their
	// frames.
	Retransmissions      int    `json:"retransmissions,omitempty"`
	RetransmissionFrames []int  `json:"retransmissionFrames,omitempty"`
	Cipher               string `json:"cipher,omitempty"` // the algorithm a ciphered PDU is under
	PDCPSN               *int   `json:"pdcpSN,omitempty"`
	// ResponseTo is the seq of the request this message answers, and
	// ResponseMs how long the answer took.
	ResponseTo *int     `json:"responseTo,omitempty"`
	ResponseMs *float64 `json:"responseMs,omitempty"`
	// Carrier is the seq of the F1AP message that carried this RRC message.
	Carrier *int   `json:"carrier,omitempty"`
	Cause   string `json:"cause,omitempty"` // F1AP/NGAP cause
	// UESecurityCapabilities are those NGAP InitialContextSetupRequest
	// carries.
	UESecurityCapabilities *parse.SecurityCapabilities `json:"ueSecurityCapabilities,omitempty"`
	ASN1                   json.RawMessage             `json:"asn1"`
	PDU                    Hex                         `json:"pdu"`
	Error                  string                      `json:"error,omitempty"`
	// DecodeError says where the field-by-field decode stopped (path and
	// bit offset); the message is still named from its header.
	DecodeError string            `json:"decodeError,omitempty"`
	Algorithms  *parse.Algorithms `json:"algorithms,omitempty"` // of a SecurityModeCommand

	// Lines is the readable decode shown in the details panel. It is kept
	// apart from the API's JSON (which has asn1) and stored compressed.
	Lines []parse.Line `json:"-"`
}

// Detail is what the details panel shows of a message beyond the API's
// fields: the decoded RRC tree and each NAS message's tree.
type Detail struct {
	RRC []parse.Line   `json:"rrc"`
	NAS [][]parse.Line `json:"nas,omitempty"`
}

// Detail returns the message's display trees.
func (m *Message) Detail() Detail {
	d := Detail{RRC: m.Lines}
	for _, n := range m.NAS {
		d.NAS = append(d.NAS, n.Lines)
	}
	return d
}

// Label is the arrow's text: the message name, or what went wrong.
func (m *Message) Label() string {
	if m.Ciphered {
		s := "ciphered (" + m.Cipher + ")"
		if m.Bearer != "" {
			s += ", " + m.Bearer
		}
		if m.PDCPSN != nil {
			s += fmt.Sprintf(", PDCP SN %d", *m.PDCPSN)
		}
		return s
	}
	if m.Message == "" {
		return "unreadable " + m.Channel + " message"
	}
	if len(m.NAS) > 0 {
		var parts []string
		for _, n := range m.NAS {
			parts = append(parts, n.Summary)
		}
		return m.Message + " · " + strings.Join(parts, " + ")
	}
	return m.Message
}

// Ref points at one message of a failure branch.
type Ref struct {
	Seq     int    `json:"seq"`
	UESeq   int    `json:"ueSeq"`
	Frame   int    `json:"frame"`
	Time    Time   `json:"time"`
	Message string `json:"message"`
	TxID    *int   `json:"txid"`
}

// Failure kinds.
const (
	FailureExplicit    = "failure"     // SecurityModeFailure answered the command
	FailureNoResponse  = "no-response" // nothing answered the command
	FailureUnsolicited = "unsolicited" // a SecurityModeFailure with no command before it
)

// Failure is one security-activation failure branch of one UE.
type Failure struct {
	UE            string   `json:"ue"`
	Kind          string   `json:"kind"`
	Command       *Ref     `json:"command"`
	Response      *Ref     `json:"response"`
	Release       *Ref     `json:"release"`
	ResponseDelay *float64 `json:"responseDelayMs"`
	ReleaseDelay  *float64 `json:"releaseDelayMs"`
	TxIDMatch     *bool    `json:"txidMatch"`
	EndedBy       string   `json:"endedBy,omitempty"` // for no-response: "release", "new-connection", "reestablishment", "guard-time", "end-of-capture"
	Summary       string   `json:"summary"`
}

// Lanes returns the lifelines of a UE's ladder, left to right.
func (t *Trace) Lanes(ue string) []string {
	if u, ok := t.UE(ue); ok && len(u.Lanes) > 0 {
		return u.Lanes
	}
	return []string{LaneUE, LaneGNB}
}

// UE returns the UE with the given key.
func (t *Trace) UE(key string) (UE, bool) {
	for _, u := range t.UEs {
		if u.Key == key {
			return u, true
		}
	}
	return UE{}, false
}

// ms is a duration in milliseconds with 0.1 ms precision for display.
func ms(d time.Duration) float64 {
	return float64(d.Round(100*time.Microsecond)) / float64(time.Millisecond)
}

// RelTime is a message's time relative to the start of the trace, as shown.
func RelTime(start Time, t Time) string { return FormatMs(ms(t.Sub(start.Time))) }

// FormatMs renders a millisecond value the way the page shows it.
func FormatMs(v float64) string { return fmt.Sprintf("%.1f ms", v) }
