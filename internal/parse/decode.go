package parse

import (
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/nas"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// Line is one line of a decoded message, for display: field names exactly
// as the specification spells them, values readable.
type Line struct {
	Depth int    `json:"d"`
	Name  string `json:"n"`
	Value string `json:"v,omitempty"`
	Note  string `json:"note,omitempty"`
}

// NAS is one 5GS NAS message carried by a signalling message.
type NAS struct {
	Summary        string `json:"summary"`           // "Registration request", "ciphered NAS"
	Message        string `json:"message,omitempty"` // the message name when readable
	SecurityHeader int    `json:"securityHeader"`
	Ciphered       bool   `json:"ciphered"`
	Error          string `json:"error,omitempty"`
	Lines          []Line `json:"-"`
	PDU            []byte `json:"-"` // the NAS PDU as carried

	// Decoded is the whole decode; the parser does not keep it (it is
	// heavy), but keeps what the analysis needs below.
	Decoded *nas.Message `json:"-"`
	// Identities are the mobile identities the message (its inner and
	// contained messages included) shows; Capability its UE security
	// capability, nil when it has none.
	Identities []nas.Identity          `json:"-"`
	Capability *nas.SecurityCapability `json:"-"`
}

// Algorithms are the AS security algorithms a SecurityModeCommand selects.
type Algorithms struct {
	Ciphering string // "nea0".."nea3"
	Integrity string // "nia0".."nia3", "" when absent
}

// decodeRRC fills the field-by-field decode of an RRC event: the JER, the
// display lines, the NAS messages inside, the algorithms of a
// SecurityModeCommand. A decoding failure is kept on the event and
// returned; the message name from Classify stands.
func (p *parser) decodeRRC(ev *Event) error {
	v, err := rrc.Decode(ev.Channel, ev.PDU)
	if err != nil {
		ev.DecodeError = err.Error()
		return err
	}
	ev.ASN1 = v.AppendJER(nil)
	ev.Lines = lines(v.Tree())
	if ev.Message == "SecurityModeCommand" {
		ev.Algorithms = smcAlgorithms(v)
	}
	walkNAS(v, func(pdu []byte) {
		ev.NAS = append(ev.NAS, p.decodeNAS(ev.UE, pdu))
	})
	return nil
}

// lines turns the decoder's tree into display lines: an identity's value
// also in hex ("17921 (0x4601)"), the octets of a container left undecoded
// on a line of their own below it.
func lines(tree []per.Line) []Line {
	out := make([]Line, 0, len(tree))
	for _, l := range tree {
		line := Line{Depth: l.Depth, Name: l.Name, Value: l.Value, Note: l.Note}
		if l.Hex == "" {
			out = append(out, line)
			continue
		}
		switch l.Kind {
		case "INTEGER", "BIT STRING":
			if !strings.Contains(line.Value, l.Hex) {
				line.Value += " (" + l.Hex + ")"
			}
			out = append(out, line)
		default:
			out = append(out, line, Line{Depth: l.Depth + 1, Name: "octets", Value: l.Hex})
		}
	}
	return out
}

// walkNAS calls f for each dedicated NAS message in an RRC value.
func walkNAS(v *per.Value, f func([]byte)) {
	switch {
	case v.Name == "dedicatedNAS-Message" && v.Kind == per.OctetString:
		f(v.Octets)
		return
	case v.Name == "dedicatedNAS-MessageList" && v.Kind == per.SequenceOf:
		for i := range v.Fields {
			f(v.Fields[i].Octets)
		}
		return
	}
	if v.Contained != nil {
		walkNAS(v.Contained, f)
	}
	for i := range v.Fields {
		walkNAS(&v.Fields[i], f)
	}
}

func smcAlgorithms(v *per.Value) *Algorithms {
	cfg := v.Get("message.c1.securityModeCommand.criticalExtensions.securityModeCommand.securityConfigSMC.securityAlgorithmConfig")
	if cfg == nil {
		return nil
	}
	a := &Algorithms{}
	if c := cfg.Field("cipheringAlgorithm"); c != nil {
		a.Ciphering = c.Ident
	}
	if i := cfg.Field("integrityProtAlgorithm"); i != nil {
		a.Integrity = i.Ident
	}
	return a
}

// decodeNAS decodes one NAS PDU of a UE, knowing the NAS ciphering
// algorithm its NAS security mode command selected (null ciphering leaves
// protected messages readable).
func (p *parser) decodeNAS(ue string, pdu []byte) NAS {
	alg, ok := p.nasCiphering[ue]
	if !ok {
		alg = -1
	}
	m, err := nas.Decode(pdu, nas.Options{CipheringAlgorithm: alg})
	if m == nil {
		return NAS{Summary: "unreadable NAS", Error: errString(err), PDU: pdu, Lines: []Line{{Name: "NAS-5GS", Value: strconv.Itoa(len(pdu)) + " bytes", Note: errString(err)}}}
	}
	if alg := algorithmsOf(m); alg != nil {
		p.nasCiphering[ue] = alg.Ciphering
	}
	// A message cut short after its header is still named; the error says
	// where it stops.
	n := NAS{Summary: m.Summary(), Message: m.Name, SecurityHeader: m.SecurityHeader, Ciphered: m.Ciphered, Error: errString(err), PDU: pdu}
	n.Identities, n.Capability = NASFacts(m)
	n.Lines = append(n.Lines, Line{Name: "NAS-5GS", Value: n.Summary, Note: n.Error})
	var add func(ies []nas.IE, depth int)
	add = func(ies []nas.IE, depth int) {
		for _, ie := range ies {
			n.Lines = append(n.Lines, Line{Depth: depth, Name: ie.Name, Value: ie.Value})
			add(ie.Children, depth+1)
		}
	}
	add(m.IEs, 1)
	for _, note := range m.Notes {
		n.Lines = append(n.Lines, Line{Depth: 1, Name: "note", Value: note})
	}
	return n
}

func algorithmsOf(m *nas.Message) *nas.Algorithms {
	if m.Algorithms != nil {
		return m.Algorithms
	}
	if m.Inner != nil {
		return m.Inner.Algorithms
	}
	return nil
}

// NASSummary is what the ladder shows of the NAS an event carries:
// "Registration request", or several joined with " + ".
func (e *Event) NASSummary() string {
	var parts []string
	for _, n := range e.NAS {
		parts = append(parts, n.Summary)
	}
	return strings.Join(parts, " + ")
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// NASFacts is what the analysis keeps of a NAS decode: its mobile
// identities and its UE security capability.
func NASFacts(m *nas.Message) ([]nas.Identity, *nas.SecurityCapability) {
	return nasIdentities(m), nasCapability(m)
}

// nasIdentities gathers a NAS message's mobile identities, those of its
// inner (security protected) and contained messages included.
func nasIdentities(m *nas.Message) []nas.Identity {
	ids := append([]nas.Identity(nil), m.Identities...)
	if m.Inner != nil && len(m.Identities) == 0 {
		ids = append(ids, m.Inner.Identities...)
	}
	if m.Contained != nil {
		ids = append(ids, nasIdentities(m.Contained)...)
	}
	return ids
}

func nasCapability(m *nas.Message) *nas.SecurityCapability {
	if m.UESecurityCapability != nil {
		return m.UESecurityCapability
	}
	if m.Inner != nil {
		return m.Inner.UESecurityCapability
	}
	return nil
}
