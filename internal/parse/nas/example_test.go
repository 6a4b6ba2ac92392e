package nas_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/nas"
)

func ExampleDecode() {
	// Security mode command, integrity protected with the new 5G NAS
	// security context: 128-5G-EA2 and 128-5G-IA2, ngKSI 1, replayed UE
	// security capabilities 5G-EA0-3 and 5G-IA0-3.
	pdu := []byte{0x7e, 0x03, 0x5a, 0x3c, 0x9e, 0x01, 0x00, 0x7e, 0x00, 0x5d, 0x22, 0x01, 0x02, 0xf0, 0xf0}
	m, err := nas.Decode(pdu, nas.Options{CipheringAlgorithm: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Summary(), m.SecurityHeader, m.SequenceNumber)
	fmt.Println(nas.CipheringAlgorithmName(m.Algorithms.Ciphering), m.UESecurityCapability.SupportsEA(m.Algorithms.Ciphering))

	// The Security mode complete that answers it is ciphered.
	m, _ = nas.Decode([]byte{0x7e, 0x04, 0x0b, 0xad, 0xca, 0xfe, 0x00, 0x67, 0x3e, 0x64}, nas.Options{CipheringAlgorithm: 2})
	fmt.Println(m.Summary())

	_, err = nas.Decode([]byte{0x7e, 0x00, 0x41, 0x79, 0x00, 0x0c, 0x01}, nas.Options{CipheringAlgorithm: -1})
	fmt.Println(err)
	// Output:
	// Security mode command 3 0
	// 128-5G-EA2 true
	// ciphered NAS
	// nas: byte 4: truncated input (5GS mobile identity length 12, 1 byte left)
}
