package ladder

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/nas"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// sc builds the events of an analysis scenario.
type sc struct {
	events []parse.Event
}

// at is a scenario time in ms.
func (s *sc) add(at float64, ue, protocol, name string, uplink bool, f func(*parse.Event)) *sc {
	e := parse.Event{
		Frame: len(s.events) + 1, Time: t0.Add(time.Duration(at * float64(time.Millisecond))),
		Protocol: protocol, Message: name, Uplink: uplink, TxID: -1, PDCPSN: -1, Carrier: -1,
	}
	if ue != "" {
		e.UE, e.Links = ue, []string{ue}
	}
	switch protocol {
	case "NR-RRC":
		e.From, e.To = "gNB", "UE"
		if uplink {
			e.From, e.To = "UE", "gNB"
		}
	case "F1AP":
		e.From, e.To = "gNB-CU", "gNB-DU"
		if uplink {
			e.From, e.To = "gNB-DU", "gNB-CU"
		}
	case "NGAP":
		e.From, e.To = "AMF", "gNB"
		if uplink {
			e.From, e.To = "gNB", "AMF"
		}
	}
	if f != nil {
		f(&e)
	}
	s.events = append(s.events, e)
	return s
}

func (s *sc) rrc(at float64, ue, name string, txid int) *sc {
	ch := map[string]rrc.Channel{"RRCSetupRequest": rrc.ULCCCH, "RRCSetup": rrc.DLCCCH, "RRCReestablishmentRequest": rrc.ULCCCH}[name]
	uplink := strings.HasSuffix(name, "Complete") || strings.HasSuffix(name, "Failure") || strings.HasSuffix(name, "Request") ||
		name == "ULInformationTransfer" || name == "UECapabilityInformation" || name == "MeasurementReport"
	if ch == 0 {
		ch = rrc.DLDCCH
		if uplink {
			ch = rrc.ULDCCH
		}
	}
	return s.add(at, ue, "NR-RRC", name, uplink, func(e *parse.Event) {
		e.Channel, e.Bearer, e.TxID = ch, ch.SRB(), txid
	})
}

func (s *sc) smc(at float64, ue string, txid int, ciphering, integrity string) *sc {
	s.rrc(at, ue, "SecurityModeCommand", txid)
	s.events[len(s.events)-1].Algorithms = &parse.Algorithms{Ciphering: ciphering, Integrity: integrity}
	return s
}

func (s *sc) ciphered(at float64, ue string, uplink bool) *sc {
	return s.add(at, ue, "NR-RRC", "", uplink, func(e *parse.Event) {
		e.Channel, e.Bearer, e.Ciphered, e.Cipher, e.PDCPSN = rrc.DLDCCH, "SRB1", true, "nea2", 7
		if uplink {
			e.Channel = rrc.ULDCCH
		}
	})
}

// registration adds a Registration request whose UE security capability
// lists the given 5G-EA/5G-IA bitmaps (MSB = algorithm 0).
func (s *sc) registration(at float64, ue string, ea, ia uint8) *sc {
	s.rrc(at, ue, "RRCSetupComplete", 0)
	e := &s.events[len(s.events)-1]
	e.NAS = []parse.NAS{{Summary: "Registration request", Message: "Registration request",
		Capability: &nas.SecurityCapability{EA: ea, IA: ia}}}
	return s
}

func (s *sc) connect(at float64, ue string) *sc {
	return s.rrc(at, ue, "RRCSetupRequest", -1).rrc(at+2, ue, "RRCSetup", 0)
}

func (s *sc) result() *parse.Result {
	return &parse.Result{Format: "pcap", Packets: len(s.events), Events: s.events}
}

// analysisView is what the analysis golden files hold.
type analysisView struct {
	UEs      []string          `json:"ues"`
	Roles    map[string]string `json:"roles"` // frame → role
	Security []Security        `json:"security"`
	Findings []Finding         `json:"findings"`
	Bands    []string          `json:"bands"` // procedure: first frame–last frame
	Answers  []string          `json:"answers"`
}

func TestAnalysisScenarios(t *testing.T) {
	all := uint8(0xf0) // EA0..3 / IA0..3 supported
	tests := map[string]*sc{
		"normal": new(sc).connect(0, "a").registration(10, "a", all, all).
			smc(20, "a", 1, "nea2", "nia2").rrc(26, "a", "SecurityModeComplete", 1).
			ciphered(30, "a", false).ciphered(40, "a", true),
		"failure-release": new(sc).connect(0, "a").registration(10, "a", all, all).
			smc(20, "a", 2, "nea2", "nia2").rrc(32.4, "a", "SecurityModeFailure", 2).
			add(40, "a", "F1AP", "UEContextReleaseCommand", false, nil).rrc(40, "a", "RRCRelease", 3),
		"txid-mismatch": new(sc).connect(0, "a").
			smc(20, "a", 2, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 1).rrc(30, "a", "RRCRelease", 3),
		"timeout": new(sc).connect(0, "a").
			smc(20, "a", 0, "nea2", "nia2").rrc(1500, "a", "DLInformationTransfer", 1).
			add(2600, "a", "NGAP", "UEContextReleaseCommand", false, nil),
		"retry": new(sc).connect(0, "a").smc(20, "a", 0, "nea1", "nia1").
			connect(300, "a").smc(320, "a", 1, "nea1", "nia1").rrc(330, "a", "SecurityModeFailure", 1).
			rrc(340, "a", "UECapabilityEnquiry", 2).rrc(350, "a", "RRCReconfiguration", 3),
		"nia0-nea0": new(sc).connect(0, "a").
			smc(20, "a", 0, "nea0", "nia0").rrc(25, "a", "SecurityModeComplete", 0).rrc(30, "a", "UECapabilityEnquiry", 1),
		"integrity-absent": new(sc).connect(0, "a").
			smc(20, "a", 0, "nea2", "").rrc(25, "a", "SecurityModeComplete", 0),
		"not-supported": new(sc).connect(0, "a").registration(10, "a", 0xc0, 0xc0). // EA0/1, IA0/1 only
												smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 0).rrc(60, "a", "RRCRelease", 1),
		"ngap-capabilities": new(sc).connect(0, "a").
			add(10, "a", "NGAP", "InitialContextSetupRequest", false, func(e *parse.Event) {
				e.UESecurityCapabilities = &parse.SecurityCapabilities{NEA: [4]bool{true, true, false, false}, NIA: [4]bool{true, true, true, false}}
			}).smc(20, "a", 0, "nea3", "nia2").rrc(25, "a", "SecurityModeComplete", 0),
		"multi-ue": new(sc).connect(0, "a").connect(1, "b").
			smc(20, "a", 0, "nea2", "nia2").smc(21, "b", 0, "nea2", "nia2").
			rrc(25, "a", "SecurityModeComplete", 0).rrc(30, "b", "SecurityModeFailure", 0).rrc(2000, "b", "RRCRelease", 1),
		"failure-without-command": new(sc).connect(0, "a").
			rrc(20, "a", "SecurityModeFailure", 0).rrc(30, "a", "RRCRelease", 1),
		"ciphered-before-activation": new(sc).connect(0, "a").
			add(10, "a", "NR-RRC", "", true, func(e *parse.Event) {
				e.Channel, e.Bearer, e.DecodeError, e.Message, e.Alt = rrc.ULDCCH, "SRB1", "per: UL-DCCH-Message: bit 9: truncated input", "UECapabilityInformation", "ueCapabilityInformation"
			}).smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeComplete", 0),
		"no-release-reestablishment": new(sc).connect(0, "a").
			smc(20, "a", 0, "nea2", "nia2").rrc(30, "a", "SecurityModeFailure", 0).rrc(500, "a", "RRCReestablishmentRequest", -1),
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			tr := Build(s.result(), Options{})
			v := analysisView{Roles: map[string]string{}, Security: tr.Security, Findings: tr.Findings}
			for _, u := range tr.UEs {
				v.UEs = append(v.UEs, u.Key+" "+u.Outcome)
			}
			for _, m := range tr.Messages {
				if m.Role != "" {
					v.Roles[fmt.Sprint(m.Frame)] = m.Role
				}
				if m.ResponseTo != nil {
					v.Answers = append(v.Answers, fmt.Sprintf("frame %d answers frame %d after %s", m.Frame, tr.Messages[*m.ResponseTo].Frame, FormatMs(*m.ResponseMs)))
				}
			}
			for _, p := range tr.Procedures {
				v.Bands = append(v.Bands, fmt.Sprintf("%s %s frames %d-%d failed=%v", p.UE, p.Name, tr.Messages[p.FirstSeq].Frame, tr.Messages[p.LastSeq].Frame, p.Failed))
			}
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("analysis", name+".golden.json"), string(b)+"\n")
		})
	}
	// Every finding code appears in some scenario.
	seen := map[string]bool{}
	for _, s := range tests {
		for _, f := range Build(s.result(), Options{}).Findings {
			seen[f.Code] = true
		}
	}
	for _, code := range []string{CodeSMCFailure, CodeSMCNoResponse, CodeTxIDMismatch, CodeSMFWithoutCommand, CodeNullIntegrity,
		CodeIntegrityAbsent, CodeNullCiphering, CodeAlgorithmNotSupported, CodeRepeatedFailure, CodeSlowRelease, CodeNoRelease,
		CodeProtectedAfterFailure, CodeSignallingAfterFailure, CodeCipheredBeforeSecurity} {
		if !seen[code] {
			t.Errorf("no scenario produces finding %s", code)
		}
	}
}

// The outcomes and what came next, asserted directly (the goldens hold the rest).
func TestSecurityOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		s       *sc
		outcome []string
		next    []string
		release []string
	}{
		{"complete then continued", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeComplete", 0).rrc(30, "a", "UECapabilityEnquiry", 1),
			[]string{"complete"}, []string{"continued"}, []string{""}},
		{"failure then F1AP release", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 0).add(30, "a", "F1AP", "UEContextReleaseCommand", false, nil),
			[]string{"failure"}, []string{"release"}, []string{"UEContextReleaseCommand"}},
		{"failure then reestablishment", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 0).rrc(30, "a", "RRCReestablishmentRequest", -1),
			[]string{"failure"}, []string{"reestablishment"}, []string{""}},
		{"silent then retry", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").connect(100, "a"),
			[]string{"no-response"}, []string{"retry"}, []string{""}},
		{"failure then nothing", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 0),
			[]string{"failure"}, []string{"none"}, []string{""}},
		{"release then retry counts as release", new(sc).connect(0, "a").smc(20, "a", 0, "nea2", "nia2").rrc(25, "a", "SecurityModeFailure", 0).add(30, "a", "NGAP", "UEContextReleaseRequest", true, nil).connect(200, "a"),
			[]string{"failure"}, []string{"release"}, []string{"UEContextReleaseRequest"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := Build(tt.s.result(), Options{})
			var outcome, next, release []string
			for _, s := range tr.Security {
				outcome, next, release = append(outcome, s.Outcome), append(next, s.Next), append(release, s.ReleaseMessage)
			}
			if fmt.Sprint(outcome, next, release) != fmt.Sprint(tt.outcome, tt.next, tt.release) {
				t.Errorf("outcome %v next %v release %v; want %v %v %v", outcome, next, release, tt.outcome, tt.next, tt.release)
			}
		})
	}
}
