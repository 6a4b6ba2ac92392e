package ladder

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

var t0 = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

// ev is one event of a scenario: a message name on a channel at a time (ms).
type ev struct {
	at   float64
	ch   rrc.Channel
	name string
	txid int
}

func events(evs ...ev) *parse.Result {
	res := &parse.Result{Format: "pcap", LinkTypes: []uint32{252}}
	for i, e := range evs {
		from, to := "gNB", "UE"
		if e.ch.Uplink() {
			from, to = "UE", "gNB"
		}
		res.Events = append(res.Events, parse.Event{
			From:     from,
			To:       to,
			Frame:    i + 1,
			Time:     t0.Add(time.Duration(e.at * float64(time.Millisecond))),
			Uplink:   e.ch.Uplink(),
			Protocol: "NR-RRC",
			Channel:  e.ch,
			Message:  e.name,
			TxID:     e.txid,
			PDCPSN:   -1,
			Carrier:  -1,
			Bearer:   e.ch.SRB(),
		})
	}
	res.Packets = len(evs)
	return res
}

var (
	ul   = rrc.ULDCCH
	dl   = rrc.DLDCCH
	ulcc = rrc.ULCCCH
	dlcc = rrc.DLCCCH
)

func setup(at float64) []ev {
	return []ev{
		{at, ulcc, "RRCSetupRequest", -1},
		{at + 2, dlcc, "RRCSetup", 0},
		{at + 10, ul, "RRCSetupComplete", 0},
	}
}

func scenario(parts ...[]ev) *parse.Result {
	var all []ev
	for _, p := range parts {
		all = append(all, p...)
	}
	return events(all...)
}

func TestBuildRoles(t *testing.T) {
	tests := []struct {
		name      string
		res       *parse.Result
		roles     map[int]string // frame → role
		summaries []string
		outcome   string
	}{
		{
			name:    "security activated",
			res:     scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 1}, {25, ul, "SecurityModeComplete", 1}, {30, dl, "RRCReconfiguration", 2}}),
			roles:   map[int]string{},
			outcome: "complete",
		},
		{
			name:      "explicit failure then release",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 2}, {32.4, ul, "SecurityModeFailure", 2}, {70.4, dl, "RRCRelease", 3}}),
			roles:     map[int]string{4: RoleSMCFailed, 5: RoleSMF, 6: RoleReleaseAfterFailure},
			summaries: []string{"SecurityModeFailure (frame 5) 12.4 ms after SecurityModeCommand (frame 4, txid 2); RRCRelease 38.0 ms later (frame 6)"},
			outcome:   "failure",
		},
		{
			name:      "transaction ids differ",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 2}, {21, ul, "SecurityModeFailure", 1}}),
			roles:     map[int]string{4: RoleSMCFailed, 5: RoleSMF},
			summaries: []string{"SecurityModeFailure (frame 5, txid 1) 1.0 ms after SecurityModeCommand (frame 4, txid 2) — the transaction ids differ; no release follows in the capture"},
			outcome:   "failure",
		},
		{
			name:      "no response before the release",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 0}, {520, dl, "RRCRelease", 1}}),
			roles:     map[int]string{4: RoleSMCFailed, 5: RoleReleaseAfterFailure},
			summaries: []string{"SecurityModeCommand (frame 4, txid 0) got no response; RRCRelease 500.0 ms later (frame 5)"},
			outcome:   "no-response",
		},
		{
			name:      "guard time runs out, release later",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 0}, {1500, dl, "DLInformationTransfer", 1}, {2020, dl, "RRCRelease", 2}}),
			roles:     map[int]string{4: RoleSMCFailed, 6: RoleReleaseAfterFailure},
			summaries: []string{"SecurityModeCommand (frame 4, txid 0) got no response within the guard time; RRCRelease 2000.0 ms later (frame 6)"},
			outcome:   "no-response",
		},
		{
			name:      "capture ends",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 3}, {23.5, dl, "DLInformationTransfer", 0}}),
			roles:     map[int]string{4: RoleSMCFailed},
			summaries: []string{"SecurityModeCommand (frame 4, txid 3) got no response before the capture ended (3.5 ms later); no release follows in the capture"},
			outcome:   "no-response",
		},
		{
			name:      "retry without release",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 0}}, setup(100), []ev{{120, dl, "SecurityModeCommand", 1}, {125, ul, "SecurityModeComplete", 1}}),
			roles:     map[int]string{4: RoleSMCFailed},
			summaries: []string{"SecurityModeCommand (frame 4, txid 0) got no response before a new RRC connection was requested"},
			outcome:   "no-response",
		},
		{
			name:      "failure with no command",
			res:       scenario(setup(0), []ev{{20, ul, "SecurityModeFailure", 0}, {30, dl, "RRCRelease", 1}}),
			roles:     map[int]string{4: RoleSMF, 5: RoleReleaseAfterFailure},
			summaries: []string{"SecurityModeFailure (frame 4, txid 0) with no SecurityModeCommand before it; RRCRelease 10.0 ms later (frame 5)"},
			outcome:   "failure",
		},
		{
			name:    "no security at all",
			res:     scenario(setup(0), []ev{{30, dl, "RRCRelease", 1}}),
			roles:   map[int]string{},
			outcome: "never-started",
		},
		{
			name:      "release after failure marks only the first release",
			res:       scenario(setup(0), []ev{{20, dl, "SecurityModeCommand", 2}, {22, ul, "SecurityModeFailure", 2}, {30, dl, "RRCRelease", 3}, {40, dl, "RRCRelease", 0}}),
			roles:     map[int]string{4: RoleSMCFailed, 5: RoleSMF, 6: RoleReleaseAfterFailure},
			summaries: []string{"SecurityModeFailure (frame 5) 2.0 ms after SecurityModeCommand (frame 4, txid 2); RRCRelease 8.0 ms later (frame 6)"},
			outcome:   "failure",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := Build(tt.res, Options{})
			roles := map[int]string{}
			for _, m := range tr.Messages {
				if m.Role != "" {
					roles[m.Frame] = m.Role
				}
			}
			if diff := cmp.Diff(tt.roles, roles); diff != "" {
				t.Errorf("roles by frame (-want +got):\n%s", diff)
			}
			var sums []string
			for _, f := range tr.Failures {
				sums = append(sums, f.Summary)
			}
			if diff := cmp.Diff(tt.summaries, sums); diff != "" {
				t.Errorf("summaries (-want +got):\n%s", diff)
			}
			if got := tr.UEs[0].Outcome; got != tt.outcome {
				t.Errorf("outcome = %q, want %q", got, tt.outcome)
			}
		})
	}
}

func TestBuildMessages(t *testing.T) {
	tr := Build(scenario(setup(0)), Options{})
	zero, one := 0, 1
	two, eight := 2.0, 8.0
	want := []Message{
		{Seq: 0, UESeq: 0, Frame: 1, Time: Time{t0}, UE: DefaultUE, From: LaneUE, To: LaneGNB, Direction: "UL", Protocol: "NR-RRC", Channel: "UL-CCCH", Bearer: "SRB0", Message: "RRCSetupRequest"},
		{Seq: 1, UESeq: 1, Frame: 2, Time: Time{t0.Add(2 * time.Millisecond)}, UE: DefaultUE, From: LaneGNB, To: LaneUE, Direction: "DL", Protocol: "NR-RRC", Channel: "DL-CCCH", Bearer: "SRB0", Message: "RRCSetup", TxID: &zero, ResponseTo: &zero, ResponseMs: &two},
		{Seq: 2, UESeq: 2, Frame: 3, Time: Time{t0.Add(10 * time.Millisecond)}, UE: DefaultUE, From: LaneUE, To: LaneGNB, Direction: "UL", Protocol: "NR-RRC", Channel: "UL-DCCH", Bearer: "SRB1", Message: "RRCSetupComplete", TxID: &zero, ResponseTo: &one, ResponseMs: &eight},
	}
	if diff := cmp.Diff(want, tr.Messages); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]UE{{Key: DefaultUE, Label: "UE", Messages: 3, Outcome: "never-started", Note: "the capture carries no UE identity: all its messages are drawn on one ladder", Connections: 1, Lanes: []string{"UE", "gNB"}}}, tr.UEs); diff != "" {
		t.Errorf("UEs (-want +got):\n%s", diff)
	}
}
