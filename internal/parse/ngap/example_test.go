package ngap_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
)

func ExampleDecode() {
	// An AMF's InitialContextSetupRequest: the UE supports NEA1..3 and
	// NIA1..3, EEA1..2 and EIA1..2; a NAS PDU rides along.
	pdu := aptest.NGInitialContextSetupRequest(aptest.NGUE{AMF: 7, RAN: 1}, aptest.PLMN("001", "01"),
		aptest.NGSecurityCapabilities(0xe000, 0xe000, 0xc000, 0xc000), make([]byte, 32), []byte{0x7e, 0x02, 0x11})

	m, err := ngap.Decode(pdu)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Procedure, m.Name)
	fmt.Println("RAN-UE-NGAP-ID", *m.RANUEID, "AMF-UE-NGAP-ID", *m.AMFUEID)
	c := m.UESecurityCapabilities
	fmt.Println("NEA2", c.NEA(2), "NIA3", c.NIA(3), "EEA3", c.EEA(3))
	fmt.Printf("NAS % x\n", m.NASPDUs[0])
	// Output:
	// InitialContextSetup InitialContextSetupRequest
	// RAN-UE-NGAP-ID 1 AMF-UE-NGAP-ID 7
	// NEA2 true NIA3 true EEA3 false
	// NAS 7e 02 11
}
