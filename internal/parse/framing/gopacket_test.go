package framing

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/ip4defrag"
	"github.com/google/gopacket/layers"

	ft "github.com/nrladder/nrladder/internal/framingtest"
)

// gopacketUnit is a UDP payload or a whole SCTP DATA chunk as gopacket
// decodes it.
type gopacketUnit struct {
	src, dst netip.AddrPort
	ppid     uint32
	stream   uint16
	payload  []byte
}

func (u gopacketUnit) String() string {
	return fmt.Sprintf("%v→%v ppid %d stream %d %x", u.src, u.dst, u.ppid, u.stream, u.payload)
}

// gopacketUnits decodes a frame with gopacket's layers (and its IPv4
// defragmenter). gopacket's SCTP decoder treats everything after a DATA
// chunk header as that chunk's payload, so the chunk length cuts it.
func gopacketUnits(t *testing.T, defrag *ip4defrag.IPv4Defragmenter, lt uint32, data []byte) []gopacketUnit {
	t.Helper()
	var dec gopacket.Decoder = layers.LinkType(lt)
	switch lt { // gopacket 1.1.19 registers no decoder for these two
	case 228:
		dec = layers.LayerTypeIPv4
	case 229:
		dec = layers.LayerTypeIPv6
	}
	pkt := gopacket.NewPacket(data, dec, gopacket.Default)
	if ip4, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok && (ip4.Flags&layers.IPv4MoreFragments != 0 || ip4.FragOffset != 0) {
		whole, err := defrag.DefragIPv4(ip4)
		if err != nil {
			t.Fatalf("ip4defrag: %v", err)
		}
		if whole == nil {
			return nil
		}
		b := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(b, gopacket.SerializeOptions{FixLengths: true}, whole, gopacket.Payload(whole.Payload)); err != nil {
			t.Fatal(err)
		}
		pkt = gopacket.NewPacket(b.Bytes(), layers.LayerTypeIPv4, gopacket.Default)
	}
	var src, dst netip.Addr
	switch ip := pkt.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
		dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
	default:
		return nil
	}
	var out []gopacketUnit
	if udp, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
		out = append(out, gopacketUnit{
			src:     netip.AddrPortFrom(src, uint16(udp.SrcPort)),
			dst:     netip.AddrPortFrom(dst, uint16(udp.DstPort)),
			payload: udp.Payload,
		})
	}
	sctp, ok := pkt.Layer(layers.LayerTypeSCTP).(*layers.SCTP)
	if !ok {
		return out
	}
	// gopacket stops at the first DATA chunk, taking the rest of the
	// packet for its payload: walk the chunks by their length fields and
	// have gopacket decode each DATA chunk on its own.
	var chunks []*layers.SCTPData
	for rest := sctp.LayerPayload(); len(rest) >= 4; {
		n := int(rest[2])<<8 | int(rest[3])
		if n < 4 || n > len(rest) {
			break
		}
		if rest[0] == 0 {
			next := gopacket.NewPacket(rest[:n], layers.SCTPChunkTypeData, gopacket.Default)
			if c, ok := next.Layer(layers.LayerTypeSCTPData).(*layers.SCTPData); ok {
				chunks = append(chunks, c)
			}
		}
		rest = rest[min(len(rest), (n+3)&^3):]
	}
	for _, c := range chunks {
		if !c.BeginFragment || !c.EndFragment {
			continue
		}
		out = append(out, gopacketUnit{
			src:     netip.AddrPortFrom(src, uint16(sctp.SrcPort)),
			dst:     netip.AddrPortFrom(dst, uint16(sctp.DstPort)),
			ppid:    uint32(c.PayloadProtocol),
			stream:  c.StreamId,
			payload: c.LayerPayload()[:c.Length-16],
		})
	}
	return out
}

// TestGopacketAgrees decodes the scenarios' IP packets with gopacket too:
// every UDP payload and whole SCTP DATA chunk the decoder finds must be
// one gopacket finds in the same frame, with the same addresses and ports.
// (gopacket's layers.LinkType is a uint8, so Linux SLL2, 276, is left out;
// gopacket cannot reassemble SCTP or IPv6 fragments.)
func TestGopacketAgrees(t *testing.T) {
	compared := 0
	for _, sc := range scenarios() {
		defrag := ip4defrag.NewIPv4Defragmenter()
		units, _, _ := decodeAll(Options{}, ft.Packets(sc.pkts...))
		byFrame := map[int][]gopacketUnit{}
		for i, p := range sc.pkts {
			switch p.LinkType {
			case 0, 1, 101, 113, 228, 229:
				byFrame[i+1] = gopacketUnits(t, defrag, p.LinkType, p.Data)
			}
		}
		for _, u := range units {
			gus, ok := byFrame[u.Frame]
			if !ok || u.Detail.SCTP.Fragments > 0 || u.Detail.Carrier != CarrierNone || (u.Detail.IPFragments > 0 && u.Src.Addr().Is6()) {
				continue
			}
			compared++
			found := false
			for _, g := range gus {
				if g.src == u.Src && g.dst == u.Dst && g.ppid == u.PPID && g.stream == u.Stream && bytes.Equal(g.payload, u.Payload) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s frame %d: %s %v→%v ppid %d stream %d %x not among gopacket's %v", sc.name, u.Frame, u.Protocol, u.Src, u.Dst, u.PPID, u.Stream, u.Payload, gus)
			}
		}
	}
	if compared < 15 {
		t.Errorf("only %d units compared with gopacket", compared)
	}
	t.Logf("%d units agree with gopacket", compared)
}
