package framing

import (
	"bytes"
	"net/netip"

	"github.com/nrladder/nrladder/internal/capturetest"
	ft "github.com/nrladder/nrladder/internal/framingtest"
)

// scenario is a built capture exercising one family of carriers; the
// golden, differential (tshark), gopacket and fuzz-seed tests share them.
type scenario struct {
	name string
	pkts []ft.Packet
}

func raw4(data []byte) ft.Packet               { return ft.Packet{LinkType: ft.LinkIPv4, Data: data} }
func eth(data []byte) ft.Packet                { return ft.Packet{LinkType: ft.LinkEthernet, Data: data} }
func linkPkt(lt uint32, data []byte) ft.Packet { return ft.Packet{LinkType: lt, Data: data} }

func scenarios() []scenario {
	ngapSrc := netip.AddrPortFrom(ft.CU, 50000)
	amf := netip.AddrPortFrom(ft.AMF, ft.PortNGAP)
	ngapSrc6 := netip.AddrPortFrom(ft.CU6, 50000)
	amf6 := netip.AddrPortFrom(ft.AMF6, ft.PortNGAP)
	dl := ft.F1APDLRRCMessageTransfer(1, 2, 1, ft.PDCP(1, []byte{0x22, 0x04, 0x10}))
	big := ft.F1APDLRRCMessageTransfer(1, 2, 1, ft.PDCP(3, bytes.Repeat([]byte{0x5a}, 1200)))
	bigMsg := ft.Whole(50, 1, 3, ft.PPIDF1AP, big)
	bigFr := bigMsg.Fragments(500)
	idata := ft.IData{TSN: 70, Stream: 2, MID: 4, PPID: ft.PPIDF1AP, Begin: true, End: true, Payload: big}
	idFr := idata.Fragments(500)

	var out []scenario

	// Ethernet, VLANs, SCTP bundling and SCTP fragmentation.
	out = append(out, scenario{"ethernet-sctp", []ft.Packet{
		eth(ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, ft.SACK(1), ft.Whole(10, 1, 0, ft.PPIDF1AP, dl).Chunk(), ft.Whole(11, 1, 1, ft.PPIDF1AP, dl).Chunk()), 100)),
		eth(ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.SACK(11), ft.Heartbeat()), 100, 200)),
		eth(ft.Ethernet(ft.SCTPPacket(ngapSrc, amf, 9, ft.Whole(1, 0, 0, ft.PPIDNGAP, ngap).Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(amf, ngapSrc, 10, ft.Whole(1, 0, 0, 0, ngap).Chunk()))), // NGAP by port
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, bigFr[0].Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, bigFr[1].Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, bigFr[2].Chunk(), ft.Whole(53, 1, 4, ft.PPIDF1AP, dl).Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, idFr[0].Chunk()))),
		eth(ft.Ethernet(ft.SCTPPacket(cu, du, 8, idFr[1].Chunk(), idFr[2].Chunk()))),
		// A retransmission of the first packet: no unit, as in tshark.
		eth(ft.Ethernet(ft.SCTPPacket(du, cu, 7, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk()))),
	}})

	// Linux SLL2 and IPv6: extension headers and fragments.
	seg6 := ft.SCTP(cu6, du6, 11, ft.Whole(20, 1, 0, ft.PPIDF1AP, big).Chunk())
	fr6 := ft.IPv6Fragments(ft.CU6, ft.DU6, ft.ProtoSCTP, 0x5555, seg6, 512)
	out = append(out, scenario{"sll2-ipv6", []ft.Packet{
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(ft.SCTPPacket(du6, cu6, 12, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk()))),
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(ft.SCTPPacket(ngapSrc6, amf6, 13, ft.Whole(1, 0, 0, ft.PPIDNGAP, ngap).Chunk()))),
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(ft.IPv6WithDestOpts(ft.DU6, ft.CU6, ft.ProtoSCTP, ft.SCTP(du6, cu6, 12, ft.Whole(2, 1, 1, ft.PPIDF1AP, f1ap).Chunk())))),
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(fr6[1])),
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(fr6[0])),
		linkPkt(ft.LinkLinuxSLL2, ft.SLL2(fr6[2])),
	}})

	// IPv4 fragments of SCTP and of UDP, out of order, interleaved.
	seg4 := ft.SCTP(cu, du, 31, ft.Whole(30, 1, 0, ft.PPIDF1AP, big).Chunk())
	fr4 := ft.IPv4Fragments(ft.CU, ft.DU, ft.ProtoSCTP, 0x1111, seg4, 400)
	mac := ft.MACNR(ft.Downlink, ft.CRNTI, 0x4601, 1, append([]byte{0x01, 0x81, 0x00}, bytes.Repeat([]byte{0x3f}, 500)...))
	udpSeg := ft.UDP(netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst), mac)
	frU := ft.IPv4Fragments(ft.DU, ft.CU, ft.ProtoUDP, 0x2222, udpSeg, 256)
	out = append(out, scenario{"ipv4-fragments", []ft.Packet{
		raw4(fr4[0]), raw4(frU[1]), raw4(fr4[2]), raw4(frU[0]), raw4(fr4[1]), raw4(frU[2]), raw4(fr4[3]),
	}})

	// The other link types.
	out = append(out, scenario{"links", []ft.Packet{
		linkPkt(ft.LinkLinuxSLL, ft.SLL(ft.SCTPPacket(du, cu, 21, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk()))),
		linkPkt(ft.LinkNull, ft.Loopback(ft.SCTPPacket(ngapSrc, amf, 22, ft.Whole(1, 0, 0, ft.PPIDNGAP, ngap).Chunk()), false)),
		linkPkt(ft.LinkNull, ft.Loopback(ft.SCTPPacket(ngapSrc6, amf6, 23, ft.Whole(2, 0, 1, ft.PPIDNGAP, ngap).Chunk()), true)),
		linkPkt(ft.LinkRaw, ft.SCTPPacket(du, cu, 21, ft.Whole(2, 1, 1, ft.PPIDF1AP, f1ap).Chunk())),
		linkPkt(ft.LinkIPv6, ft.SCTPPacket(du6, cu6, 24, ft.Whole(3, 1, 2, ft.PPIDF1AP, f1ap).Chunk())),
	}})

	// srsRAN and OAI UDP framings.
	oai := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), ft.PortOAI)
	srsSrc, srsDst := netip.AddrPortFrom(ft.DU, ft.PortMACSrc), netip.AddrPortFrom(ft.CU, ft.PortMACDst)
	out = append(out, scenario{"udp-framings", []ft.Packet{
		raw4(ft.UDPPacket(oai, oai, ft.MACNR(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU))),
		raw4(ft.UDPPacket(srsSrc, srsDst, ft.MACNR(ft.Downlink, ft.SIRNTI, 0xffff, 0, []byte{0x00, 0x01, 0x02}))),
		eth(ft.Ethernet(ft.UDPPacket(srsSrc, srsDst, ft.RLCNR(ft.RLCModeAM, ft.SNLength12, ft.Uplink, 1, ft.BearerSRB, 1, append([]byte{0xc0, 0x00}, ft.PDCP(0, ft.ULInformationTransfer)...))))),
		raw4(ft.UDPPacket(netip.AddrPortFrom(ft.DU, 53), netip.AddrPortFrom(ft.CU, 53), []byte{0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
	}})

	// UE-side carriers: GSMTAP v3 (SCAT), QCSuper, UERANSIM RLS.
	scat, gsmtap := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 43000), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), ft.PortGSMTAP)
	qc := netip.AddrPortFrom(netip.IPv4Unspecified(), ft.PortQCSuper)
	ue, gnb := netip.AddrPortFrom(ft.DU, 40000), netip.AddrPortFrom(ft.CU, ft.PortRLS)
	out = append(out, scenario{"ue-carriers", []ft.Packet{
		raw4(ft.UDPPacket(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNRRRC, ft.GSMTAPBCCHBCH, ft.SCATMeta(632628, 500), ft.MIB))),
		raw4(ft.UDPPacket(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNRRRC, ft.GSMTAPULCCCH, ft.SCATMeta(632628, 500), ft.RRCSetupRequest))),
		raw4(ft.UDPPacket(scat, gsmtap, ft.GSMTAPv3(ft.GSMTAPNAS5GS, 0, nil, ft.RegistrationReject))),
		raw4(ft.UDPPacket(qc, qc, ft.QCSuper(9, 6, ft.RRCSetupRequest))),
		raw4(ft.UDPPacket(qc, qc, ft.QCSuper(17, 8, ft.ULInformationTransfer))),
		raw4(ft.UDPPacket(qc, qc, ft.QCSuper(23, 1, ft.MIB))),
		eth(ft.Ethernet(ft.UDPPacket(ue, gnb, ft.RLSHeartbeatMsg(0x1111)))),
		eth(ft.Ethernet(ft.UDPPacket(gnb, ue, ft.RLS(0x2222, ft.RLSRRC, 0, ft.RLSBCCHBCH, ft.MIB)))),
		eth(ft.Ethernet(ft.UDPPacket(ue, gnb, ft.RLS(0x1111, ft.RLSRRC, 1, ft.RLSULCCCH, ft.RRCSetupRequest)))),
		eth(ft.Ethernet(ft.UDPPacket(ue, gnb, ft.RLS(0x1111, ft.RLSRRC, 2, ft.RLSULDCCH, ft.ULInformationTransfer)))),
	}})

	// Exported PDUs and user DLTs.
	out = append(out, scenario{"exported-user-dlt", []ft.Packet{
		linkPkt(ft.LinkExportedPDU, capturetest.ExportedPDU("f1ap", f1ap)),
		linkPkt(ft.LinkExportedPDU, capturetest.ExportedPDUPadded("ngap", ngap)),
		linkPkt(ft.LinkExportedPDU, capturetest.ExportedPDUPadded("nr-rrc.ul.ccch", ft.RRCSetupRequest)),
		linkPkt(ft.LinkExportedPDU, ft.ExportedUDP(srsSrc, srsDst, ft.MACNR(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU))),
		linkPkt(149, ft.UserDLTUDP(ft.PortMACSrc, ft.PortMACDst, ft.MACNR(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU))),
		linkPkt(152, ngap),
		linkPkt(154, f1ap),
		linkPkt(157, ft.MACNRFramed(ft.Uplink, ft.CRNTI, 0x4601, 1, macPDU)),
	}})
	return out
}
