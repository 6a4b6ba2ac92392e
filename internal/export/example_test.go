package export_test

import (
	"os"
	"time"

	"github.com/nrladder/nrladder/internal/export"
	"github.com/nrladder/nrladder/internal/ladder"
)

// example is a UE that answers the SecurityModeCommand with
// SecurityModeFailure, and the gNB's release.
func example() (export.Meta, []ladder.Message) {
	t0 := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	at := func(ms float64) ladder.Time {
		return ladder.Time{Time: t0.Add(time.Duration(ms * float64(time.Millisecond)))}
	}
	two, three, zero, delay := 2, 3, 0, 12.4
	msgs := []ladder.Message{
		{Seq: 0, Frame: 4, Time: at(20), From: ladder.LaneGNB, To: ladder.LaneUE, Protocol: "NR-RRC", Bearer: "SRB1", Channel: "DL-DCCH", Message: "SecurityModeCommand", TxID: &two, Role: ladder.RoleSMCFailed},
		{Seq: 1, Frame: 5, Time: at(32.4), From: ladder.LaneUE, To: ladder.LaneGNB, Protocol: "NR-RRC", Bearer: "SRB1", Channel: "UL-DCCH", Message: "SecurityModeFailure", TxID: &two, Role: ladder.RoleSMF, ResponseTo: &zero, ResponseMs: &delay},
		{Seq: 2, Frame: 6, Time: at(40), From: ladder.LaneGNB, To: ladder.LaneUE, Protocol: "NR-RRC", Bearer: "SRB1", Channel: "DL-DCCH", Message: "RRCRelease", TxID: &three, Role: ladder.RoleReleaseAfterFailure},
	}
	meta := export.Meta{
		TraceName: "smf.pcap",
		Link:      "https://nrladder.example/t/3f9a/ue/ue1",
		UE:        ladder.UE{Key: "ue1", Label: "UE 1", Outcome: "failure", Lanes: []string{ladder.LaneUE, ladder.LaneGNB}},
		Failures:  []ladder.Failure{{Summary: "SecurityModeFailure (frame 5) 12.4 ms after SecurityModeCommand (frame 4, txid 2); RRCRelease 7.6 ms later (frame 6)"}},
		Start:     at(0),
	}
	return meta, msgs
}

func ExampleText() {
	meta, msgs := example()
	if err := export.Text(os.Stdout, meta, msgs); err != nil {
		panic(err)
	}
	// Output:
	// Trace:    smf.pcap
	// UE:       UE 1 (ue1); AS security: failure
	// Link:     https://nrladder.example/t/3f9a/ue/ue1
	// Redacted: no
	// Messages: 3, frames 4-6
	//
	// t (ms)  frame     UE                                 gNB
	//                   |                                   |
	//   20.0      4  !  |<- SecurityModeCommand (txid 2) ---|    SRB1 DL-DCCH
	//   32.4      5  !  |-- SecurityModeFailure (txid 2) -->|    SRB1 UL-DCCH, 12.4 ms after SecurityModeCommand
	//   40.0      6  ~  |<------ RRCRelease (txid 3) -------|    SRB1 DL-DCCH
	//                   |                                   |
	// Legend: ! failure branch (SecurityModeCommand not completed, SecurityModeFailure)   ~ release after the failure
	//
	// Failures:
	//   - SecurityModeFailure (frame 5) 12.4 ms after SecurityModeCommand (frame 4, txid 2); RRCRelease 7.6 ms later (frame 6)
}

func ExampleMermaid() {
	meta, msgs := example()
	if err := export.Mermaid(os.Stdout, meta, msgs); err != nil {
		panic(err)
	}
	// Output:
	// sequenceDiagram
	//     participant UE as UE
	//     participant gNB as gNB
	//     Note over UE,gNB: smf.pcap · UE 1 (ue1) · https#58;//nrladder.example/t/3f9a/ue/ue1 · redacted#58; no
	//     rect rgb(253,236,234)
	//         gNB->>UE: SecurityModeCommand (txid 2) · frame 4 · 20.0 ms
	//         UE->>gNB: SecurityModeFailure (txid 2) · frame 5 · 32.4 ms
	//     end
	//     rect rgb(255,244,224)
	//         gNB->>UE: RRCRelease (txid 3) · frame 6 · 40.0 ms
	//     end
}
