package f1ap_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
)

func ExampleDecode() {
	// A CU's UEContextSetupRequest carrying a SecurityModeCommand (nea2,
	// nia2) in a PDCP PDU of SRB1.
	smc := []byte{0x00, 0x00, 0x20, 0x09, 0x10, 0x00, 0x00, 0x00, 0x00}
	pdu := aptest.F1UEContextSetupRequest(aptest.F1UE{CU: 1, DU: 2},
		aptest.F1NRCGI(aptest.PLMN("001", "01"), 0xbc614e), nil, smc)

	m, err := f1ap.Decode(pdu)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Procedure, m.Name, m.Outcome)
	fmt.Println("gNB-CU-UE-F1AP-ID", *m.CUUEID, "gNB-DU-UE-F1AP-ID", *m.DUUEID, m.NRCGI)
	for _, c := range m.Containers {
		fmt.Printf("%s SRB%d %s % x\n", c.IE, c.SRBID, c.Kind, c.Data)
	}
	// Output:
	// UEContextSetup UEContextSetupRequest initiatingMessage
	// gNB-CU-UE-F1AP-ID 1 gNB-DU-UE-F1AP-ID 2 PLMN 001-01 NCI 0x000BC614E
	// RRCContainer SRB1 pdcp-srb 00 00 20 09 10 00 00 00 00
}
