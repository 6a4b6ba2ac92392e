package pdcp_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/pdcp"
)

func ExampleParseSRB() {
	p, err := pdcp.ParseSRB([]byte{0x00, 0x06, 0x22, 0x80, 0x00, 0xde, 0xad, 0xbe, 0xef})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("sn %d, rrc %x, mac-i %x\n", p.SN, p.Payload, p.MACI)
	_, err = pdcp.ParseSRB([]byte{0x80, 0x06, 0x22, 0, 0, 0, 0})
	fmt.Println(err)
	// Output:
	// sn 6, rrc 228000, mac-i deadbeef
	// pdcp: byte 0: header: reserved bits set: not an srb data pdu
}
