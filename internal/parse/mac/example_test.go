package mac_test

import (
	"fmt"
	"time"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// A Stack turns framed MAC PDUs into RRC PDUs; a Collector counts the
// RLC retransmissions on the message they repeat.
func ExampleStack() {
	release := mactest.AM(6, 12, mactest.Full, 0, true, mactest.PDCPSRB(6, rrctest.RRCRelease(1), nil))
	frames := [][]byte{
		mactest.MACNRC(mactest.Uplink, 0x4601, mactest.PDU(mactest.ULCCCH(rrctest.RRCSetupRequest(0x2468acf12, 3)), mactest.Padding(3))),
		mactest.MACNRC(mactest.Downlink, 0x4601, mactest.PDU(mactest.SDU(1, release), mactest.Padding(31))),
		mactest.MACNRC(mactest.Downlink, 0x4601, mactest.PDU(mactest.SDU(1, release), mactest.Padding(31))),
		mactest.MACNRC(mactest.Downlink, 0x4601, mactest.PDU(mactest.SDU(1, release), mactest.Padding(31))),
	}
	var st mac.Stack
	var c mac.Collector
	for i, f := range frames {
		ctx, pdu, err := mac.ParseFraming(f, true)
		if err != nil {
			fmt.Println(err)
			return
		}
		c.Add(st.Push(ctx, pdu, i+1, time.Unix(0, 0)))
	}
	for _, m := range c.Messages {
		msg, _ := rrc.Classify(m.Channel, m.PDU)
		fmt.Printf("frame %d ue %#04x %s %s %s pdcp sn %d, retransmitted %d times in frames %v\n",
			m.Frame, m.UE, m.Bearer, m.Channel, msg.Name, m.PDCPSN, m.Retransmissions, m.RetransmissionFrames)
	}
	// Output:
	// frame 1 ue 0x4601 SRB0 UL-CCCH RRCSetupRequest pdcp sn -1, retransmitted 0 times in frames []
	// frame 2 ue 0x4601 SRB1 DL-DCCH RRCRelease pdcp sn 6, retransmitted 2 times in frames [3 4]
}

func ExampleSubPDUs() {
	ctx := mac.Context{RNTIType: mac.CRNTI, Direction: mac.DirectionUplink, Uplink: true}
	pdu := mactest.PDU(mactest.SDU(1, []byte{0xc0, 0x00, 0x00, 0x00}), mactest.ShortBSR(0, 0), mactest.SingleEntryPHR(25, 41), mactest.Padding(4))
	subs, err := mac.SubPDUs(ctx, pdu)
	if err != nil {
		fmt.Println(err)
	}
	for _, s := range subs {
		fmt.Printf("byte %2d lcid %2d %-16s ce=%-5v padding=%-5v %x\n", s.Offset, s.LCID, s.Name, s.CE, s.Padding, s.Data)
	}
	// Output:
	// byte  0 lcid  1 SRB1             ce=false padding=false c0000000
	// byte  6 lcid 61 Short BSR        ce=true  padding=false 00
	// byte  8 lcid 57 Single Entry PHR ce=true  padding=false 1929
	// byte 11 lcid 63 Padding          ce=false padding=true  000000
}
