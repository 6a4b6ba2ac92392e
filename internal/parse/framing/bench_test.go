package framing

import (
	"bytes"
	"net/netip"
	"testing"

	ft "github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/parse/capture"
)

// benchCapture is a large F1/N2 capture as a gNB-CU sees it on Ethernet:
// per UE, F1AP RRC transfers (some bundled two to a packet), NGAP NAS
// transport, SACKs and heartbeats, and now and then a user message split
// over three packets.
func benchCapture(ues int) []capture.Packet {
	ngSrc := netip.AddrPortFrom(ft.CU, 50000)
	amf := netip.AddrPortFrom(ft.AMF, ft.PortNGAP)
	big := ft.F1APDLRRCMessageTransfer(1, 2, 1, ft.PDCP(3, bytes.Repeat([]byte{0x5a}, 1200)))
	var pkts []ft.Packet
	tsnUp, tsnDown, tsnNG := uint32(1), uint32(1), uint32(1)
	for ue := range ues {
		ul := ft.F1APULRRCMessageTransfer(uint32(ue), uint32(ue), 1, ft.PDCP(uint16(ue), ft.ULInformationTransfer))
		dl := ft.F1APDLRRCMessageTransfer(uint32(ue), uint32(ue), 1, ft.PDCP(uint16(ue), []byte{0x22, 0x04, 0x10, 0x7e, 0x00, 0x44, 0x03}))
		nas := ft.NGAPDownlinkNASTransport(uint32(ue), uint32(ue), ft.RegistrationReject)
		pkts = append(pkts,
			eth(ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.Whole(tsnUp, 1, uint16(tsnUp), ft.PPIDF1AP, ul).Chunk()))),
			eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, ft.SACK(tsnUp), ft.Whole(tsnDown, 1, uint16(tsnDown), ft.PPIDF1AP, dl).Chunk(), ft.Whole(tsnDown+1, 2, uint16(tsnDown), ft.PPIDF1AP, dl).Chunk()))),
			eth(ft.Ethernet(ft.SCTPPacket(amf, ngSrc, 9, ft.Whole(tsnNG, 1, uint16(tsnNG), ft.PPIDNGAP, nas).Chunk()))),
			eth(ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.SACK(tsnDown+1), ft.Heartbeat()))),
		)
		tsnUp, tsnDown, tsnNG = tsnUp+1, tsnDown+2, tsnNG+1
		if ue%10 == 0 {
			for _, f := range ft.Whole(tsnDown, 1, uint16(tsnDown), ft.PPIDF1AP, big).Fragments(500) {
				pkts = append(pkts, eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, f.Chunk()))))
			}
			tsnDown += 3
		}
	}
	return ft.Packets(pkts...)
}

func BenchmarkDecoder(b *testing.B) {
	pkts := benchCapture(2000)
	size := 0
	for _, p := range pkts {
		size += len(p.Data)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	units := 0
	for b.Loop() {
		d := NewDecoder(Options{})
		for _, p := range pkts {
			us, _ := d.Packet(p)
			units += len(us)
		}
	}
	b.ReportMetric(float64(len(pkts)), "packets/op")
	b.ReportMetric(float64(units)/float64(b.N), "units/op")
}
