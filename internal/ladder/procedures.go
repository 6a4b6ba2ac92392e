package ladder

import "strings"

// Procedure is a span of a UE's ladder that one procedure covers, drawn as
// a band beside the arrows.
type Procedure struct {
	UE       string `json:"ue"`
	Name     string `json:"name"` // "RRC connection setup", "AS security activation", …
	Kind     string `json:"kind"` // "setup", "nas", "security", "capability", "reconfiguration", "release"
	FirstSeq int    `json:"firstSeq"`
	LastSeq  int    `json:"lastSeq"`
	Failed   bool   `json:"failed,omitempty"`
}

// rrcPairs are the RRC requests and their answers.
var rrcPairs = map[string][]string{
	"RRCSetupRequest":           {"RRCSetup", "RRCReject"},
	"RRCSetup":                  {"RRCSetupComplete"},
	"SecurityModeCommand":       {"SecurityModeComplete", "SecurityModeFailure"},
	"UECapabilityEnquiry":       {"UECapabilityInformation"},
	"RRCReconfiguration":        {"RRCReconfigurationComplete"},
	"RRCReestablishmentRequest": {"RRCReestablishment", "RRCSetup", "RRCReject"},
	"RRCReestablishment":        {"RRCReestablishmentComplete"},
	"RRCResumeRequest":          {"RRCResume", "RRCSetup", "RRCRelease", "RRCReject"},
	"RRCResumeRequest1":         {"RRCResume", "RRCSetup", "RRCRelease", "RRCReject"},
	"RRCResume":                 {"RRCResumeComplete"},
	"CounterCheck":              {"CounterCheckResponse"},
	"UEInformationRequest-r16":  {"UEInformationResponse-r16"},
}

// answers tells whether resp answers req: an RRC pair (with equal
// transaction ids when both have one), or an F1AP/NGAP "XRequest" and its
// "XResponse"/"XFailure", "XCommand" and its "XComplete".
func answers(req, resp *Message) bool {
	if req.Protocol != resp.Protocol || req.Direction == resp.Direction && req.Protocol == "NR-RRC" {
		return false
	}
	if req.Protocol == "NR-RRC" {
		for _, a := range rrcPairs[req.Message] {
			if resp.Message == a {
				return req.TxID == nil || resp.TxID == nil || *req.TxID == *resp.TxID || a == "SecurityModeFailure"
			}
		}
		return false
	}
	for _, p := range [][2]string{{"Request", "Response"}, {"Request", "Failure"}, {"Command", "Complete"}} {
		if base, ok := strings.CutSuffix(req.Message, p[0]); ok && resp.Message == base+p[1] {
			return true
		}
	}
	return false
}

// pairResponses links each answer to its request and times it: the
// request→response time the ladder shows on the answer.
func (t *Trace) pairResponses() {
	open := map[string][]int{} // UE → requests awaiting an answer, oldest first
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Ciphered || m.Message == "" {
			continue
		}
		list := open[m.UE]
		for k := len(list) - 1; k >= 0; k-- {
			req := &t.Messages[list[k]]
			if answers(req, m) {
				seq := req.Seq
				d := ms(m.Time.Sub(req.Time.Time))
				m.ResponseTo, m.ResponseMs = &seq, &d
				open[m.UE] = append(list[:k:k], list[k+1:]...)
				break
			}
		}
		if _, isReq := rrcPairs[m.Message]; isReq && m.Protocol == "NR-RRC" ||
			m.Protocol != "NR-RRC" && (strings.HasSuffix(m.Message, "Request") || strings.HasSuffix(m.Message, "Command")) {
			open[m.UE] = append(open[m.UE], i)
			if len(open[m.UE]) > 32 {
				open[m.UE] = open[m.UE][1:]
			}
		}
	}
}

// procedure spans, by their first message.
type span struct {
	name, kind string
	starts     func(m *Message) bool
	ends       func(m *Message) bool
	fails      func(m *Message) bool
}

func rrcIs(names ...string) func(m *Message) bool {
	return func(m *Message) bool {
		if m.Protocol != "NR-RRC" {
			return false
		}
		for _, n := range names {
			if m.Message == n {
				return true
			}
		}
		return false
	}
}

func nasIs(names ...string) func(m *Message) bool {
	return func(m *Message) bool {
		if m.Protocol != "NR-RRC" && m.Protocol != "NGAP" {
			return false
		}
		for _, n := range m.NAS {
			for _, name := range names {
				if n.Message == name {
					return true
				}
			}
		}
		return false
	}
}

var spans = []span{
	{"RRC connection setup", "setup", rrcIs("RRCSetupRequest"), rrcIs("RRCSetupComplete", "RRCReject"), rrcIs("RRCReject")},
	{"NAS registration", "nas", nasIs("Registration request"), nasIs("Registration complete", "Registration reject"), nasIs("Registration reject")},
	{"NAS authentication", "nas", nasIs("Authentication request"), nasIs("Authentication response", "Authentication failure", "Authentication reject"), nasIs("Authentication failure", "Authentication reject")},
	{"NAS security", "nas", nasIs("Security mode command"), nasIs("Security mode complete", "Security mode reject"), nasIs("Security mode reject")},
	{"AS security activation", "security", rrcIs("SecurityModeCommand"), rrcIs("SecurityModeComplete", "SecurityModeFailure"), rrcIs("SecurityModeFailure")},
	{"UE capability", "capability", rrcIs("UECapabilityEnquiry"), rrcIs("UECapabilityInformation"), nil},
	{"Reconfiguration", "reconfiguration", rrcIs("RRCReconfiguration"), rrcIs("RRCReconfigurationComplete"), nil},
	{"Release", "release", isRelease, func(m *Message) bool { return m.Message == "UEContextReleaseComplete" }, nil},
}

// findProcedures marks the procedures of every UE: from the message that
// starts one to the one that ends it, in the same connection. A
// SecurityModeCommand nobody answered is a failed band up to its command.
func (t *Trace) findProcedures() {
	type openSpan struct{ first int }
	for u := range t.UEs {
		key := t.UEs[u].Key
		open := make([]*openSpan, len(spans))
		// closeAll ends the procedures a new connection (or the end of the
		// capture) leaves unfinished: their band stops at their first
		// message; an unanswered SecurityModeCommand is a failed one.
		closeAll := func() {
			for k, o := range open {
				if o != nil {
					s := spans[k]
					t.Procedures = append(t.Procedures, Procedure{UE: key, Name: s.name, Kind: s.kind, FirstSeq: o.first, LastSeq: o.first, Failed: s.kind == "security"})
					open[k] = nil
				}
			}
		}
		for i := range t.Messages {
			m := &t.Messages[i]
			if m.UE != key {
				continue
			}
			if isNewConnection(m) && !isRRC(m, "RRCReestablishmentRequest") {
				closeAll()
			}
			for k, s := range spans {
				if o := open[k]; o != nil {
					if s.ends(m) {
						t.Procedures = append(t.Procedures, Procedure{UE: key, Name: s.name, Kind: s.kind, FirstSeq: o.first, LastSeq: m.Seq, Failed: s.fails != nil && s.fails(m)})
						open[k] = nil
					}
					continue
				}
				if s.starts(m) {
					if s.kind == "release" && isRRC(m, "RRCRelease") { // the RRC release is its own end
						t.Procedures = append(t.Procedures, Procedure{UE: key, Name: s.name, Kind: s.kind, FirstSeq: m.Seq, LastSeq: m.Seq})
						continue
					}
					open[k] = &openSpan{first: m.Seq}
				}
			}
		}
		closeAll()
	}
}
