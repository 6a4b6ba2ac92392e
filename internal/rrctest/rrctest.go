// Package rrctest builds NR RRC PDUs (UPER, TS 38.331 v17.x) for tests:
// complete, valid encodings of the messages a ladder diagram shows, and
// bare headers (the choice bits of any alternative of any channel,
// spares and messageClassExtension included) for naming tests. Every PDU
// is written with uper.Writer from the ASN.1, not pasted as hex; the tests
// compare the builders with the shared vectors.
//
// It also finds and loads the shared RRC vectors (../shared/vectors).
//
// It may import uper and rrc from the project, and nothing else of it.
// Builders panic on arguments their ASN.1 cannot encode: they are for
// tests.
package rrctest

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/parse/uper"
)

// c1Bits is the width of each channel's c1 index (BCCH-BCH has mib, no
// c1). Kept apart from package rrc's tables on purpose, so that a test
// built here checks them rather than repeats them.
var c1Bits = map[rrc.Channel]int{
	rrc.BCCHBCH:   0,
	rrc.BCCHDLSCH: 1,
	rrc.DLCCCH:    2,
	rrc.DLDCCH:    4,
	rrc.PCCH:      1,
	rrc.ULCCCH:    2,
	rrc.ULCCCH1:   2,
	rrc.ULDCCH:    4,
}

// Header returns the choice bits that select an alternative of ch's
// *-MessageType, followed by tail at the bit position where the chosen
// message's own encoding starts (the result is padded to whole octets).
//
// path holds the index at each CHOICE level below message:
//
//	{0, i}     c1 alternative i (BCCH-BCH: {0} is mib)
//	{1}        messageClassExtension
//	{1, 0, i}  UL-DCCH messageClassExtension.c2 alternative i
//	{1, 1}     UL-DCCH messageClassExtension.messageClassExtensionFuture-r16
//
// Header panics on a path that does not fit the channel.
func Header(ch rrc.Channel, path []int, tail []byte) []byte {
	var w uper.Writer
	writeHeader(&w, ch, path)
	w.Octets(tail)
	return finish(&w)
}

func writeHeader(w *uper.Writer, ch rrc.Channel, path []int) {
	width, ok := c1Bits[ch]
	bad := func() { panic(fmt.Sprintf("rrctest: path %v does not fit %v", path, ch)) }
	if !ok || len(path) == 0 {
		bad()
	}
	w.Choice(path[0], 2, false)
	switch {
	case path[0] == 0 && ch == rrc.BCCHBCH:
		if len(path) != 1 {
			bad()
		}
	case path[0] == 0:
		if len(path) != 2 {
			bad()
		}
		w.Choice(path[1], 1<<width, false)
	case ch != rrc.ULDCCH:
		if len(path) != 1 {
			bad()
		}
	case len(path) == 3 && path[1] == 0:
		w.Choice(0, 2, false)
		w.Choice(path[2], 16, false)
	case len(path) == 2 && path[1] == 1:
		w.Choice(1, 2, false)
	default:
		bad()
	}
	if w.Err() != nil {
		bad()
	}
}

// Paths lists the path of every alternative of ch, in encoding order: the
// c1 alternatives, then messageClassExtension (for UL-DCCH: the c2
// alternatives, then messageClassExtensionFuture-r16).
func Paths(ch rrc.Channel) [][]int {
	width, ok := c1Bits[ch]
	if !ok {
		return nil
	}
	var ps [][]int
	if ch == rrc.BCCHBCH {
		ps = append(ps, []int{0})
	} else {
		for i := range 1 << width {
			ps = append(ps, []int{0, i})
		}
	}
	if ch != rrc.ULDCCH {
		return append(ps, []int{1})
	}
	for i := range 16 {
		ps = append(ps, []int{1, 0, i})
	}
	return append(ps, []int{1, 1})
}

func finish(w *uper.Writer) []byte {
	if err := w.Err(); err != nil {
		panic("rrctest: " + err.Error())
	}
	return append([]byte(nil), w.Bytes()...)
}

// start returns a Writer holding the header of c1 alternative idx of ch.
func start(ch rrc.Channel, idx int) *uper.Writer {
	w := new(uper.Writer)
	writeHeader(w, ch, []int{0, idx})
	return w
}

// writeTxID writes an rrc-TransactionIdentifier, INTEGER (0..3).
func writeTxID(w *uper.Writer, txid int) { w.Constrained(int64(txid), 0, 3) }

// absent writes n presence bits of absent OPTIONAL components.
func absent(w *uper.Writer, n int) { w.Bits(0, n) }
