package framing_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"

	ft "github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/framing"
)

func Example() {
	// A capture on the F1 interface: one SCTP packet bundling two F1AP
	// messages, behind an 802.1Q tag.
	du := netip.MustParseAddrPort("10.10.1.2:38472")
	cu := netip.MustParseAddrPort("10.10.1.1:38472")
	f1ap := ft.F1APULRRCMessageTransfer(1, 2, 1, ft.PDCP(0, ft.ULInformationTransfer))
	file := ft.File(ft.Packet{LinkType: 1, Data: ft.Ethernet(ft.SCTPPacket(du, cu, 7,
		ft.Whole(1, 1, 0, 62, f1ap).Chunk(), ft.Whole(2, 1, 1, 62, f1ap).Chunk()), 100)})

	r, err := capture.NewReader(bytes.NewReader(file), capture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := framing.NewDecoder(framing.Options{})
	for {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		units, warnings := d.Packet(p)
		for _, u := range units {
			fmt.Printf("frame %d: %s %v → %v stream %d: %s, %d bytes\n", u.Frame, u.Transport, u.Src, u.Dst, u.Stream, u.Protocol, len(u.Payload))
		}
		for _, w := range warnings {
			fmt.Println(w.Error)
		}
	}
	for _, w := range d.Flush() {
		fmt.Println(w.Error)
	}
	// Output:
	// frame 1: sctp 10.10.1.2:38472 → 10.10.1.1:38472 stream 1: f1ap, 43 bytes
	// frame 1: sctp 10.10.1.2:38472 → 10.10.1.1:38472 stream 1: f1ap, 43 bytes
}

func ExampleDecoder_Packet_warning() {
	bad := ft.Ethernet(ft.IPv4(ft.DU, ft.CU, ft.ProtoUDP, make([]byte, 8)))
	bad[14] = 0x41 // IPv4 header length 1 word
	_, warnings := framing.NewDecoder(framing.Options{}).Packet(capture.Packet{Frame: 12, LinkType: 1, Data: bad})
	fmt.Println(warnings[0].Error)
	// Output:
	// framing: frame 12: ipv4: byte 14: header length 4 is below 20
}
