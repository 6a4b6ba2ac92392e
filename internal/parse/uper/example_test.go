package uper_test

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

func ExampleReader() {
	// UL-DCCH-Message: message c1 (1 bit), c1 index (4 bits), then
	// rrc-TransactionIdentifier INTEGER (0..3).
	r := uper.NewReader([]byte{0x34, 0x00})
	message := r.Bits(1)
	c1 := r.Constrained(0, 15)
	txid := r.Constrained(0, 3)
	fmt.Println(message, c1, txid, r.Offset(), r.Err())

	r.Bits(10) // only 9 bits are left
	fmt.Println(r.Err())
	// Output:
	// 0 6 2 7 <nil>
	// uper: bit 7: truncated input (need 10 bits, 9 left)
}

func ExampleWriter() {
	var w uper.Writer
	w.Choice(0, 2, false)  // c1
	w.Choice(6, 16, false) // securityModeFailure
	w.Constrained(2, 0, 3) // rrc-TransactionIdentifier
	w.Choice(0, 2, false)  // criticalExtensions
	w.Bits(0, 2)           // no lateNonCriticalExtension, nonCriticalExtension
	fmt.Printf("% x %d\n", w.Bytes(), w.Len())
	// Output: 34 00 10
}
