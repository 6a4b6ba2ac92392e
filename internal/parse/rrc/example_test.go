package rrc_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/rrc"
)

func ExampleClassify() {
	ch, _ := rrc.ChannelFromDissector("nr-rrc.ul.dcch")
	m, err := rrc.Classify(ch, []byte{0x34, 0x00}) // SecurityModeFailure, txid 2
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name, m.Path, m.TxID, m.Channel.SRB(), m.Uplink())

	_, err = rrc.Classify(rrc.DLDCCH, nil)
	fmt.Println(err)
	// Output:
	// SecurityModeFailure c1.securityModeFailure 2 SRB1 true
	// rrc: DL-DCCH: bit 0: empty pdu
}
