package redact_test

import (
	"bytes"
	"fmt"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/redact"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

func ExampleText() {
	opts := redact.Options{RNTI: true}
	fmt.Println(redact.Text("UE 1 · C-RNTI 0x4601", opts))
	fmt.Println(redact.Text("2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-0123456789", opts))
	fmt.Println(redact.Text("joined by 5G-S-TMSI 1-1-00000016, IMEI 35249311454808", redact.Options{}))
	// Output:
	// UE 1 · C-RNTI 0x••••
	// 2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-••••••••••
	// joined by 5G-S-TMSI 1-1-••••••••, IMEI ••••••••••••••
}

func ExampleMessage() {
	register := nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", "0123456789"), 0xe0, 0xe0)
	capture := tracetest.Pcap([]tracetest.Step{{Channel: rrc.ULDCCH, PDU: rrctest.RRCSetupComplete(0, register)}})
	res, err := parse.Trace(bytes.NewReader(capture), parse.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := ladder.Build(res, ladder.Options{}).Messages[0]
	d := m.Detail()
	out, err := redact.Message(m, &d, redact.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range d.NAS[0] {
		if l.Name == "5GS mobile identity" {
			fmt.Println(l.Value)
		}
	}
	// The SUCI's octets: type, PLMN, routing indicator, scheme, key id,
	// MSIN.
	fmt.Printf("%x\n", out.NAS[0].PDU[6:19])
	// Output:
	// SUCI suci-0-001-01-0000-0-0-••••••••••
	// 0100f110000000000000000000
}
