package mactest_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/mactest"
)

// TestOuterLayers writes both MAC-NR record forms into pcap files and
// reads them back through ReadPcap and UDPPayload.
func TestOuterLayers(t *testing.T) {
	framed := mactest.MACNRC(mactest.Uplink, 0x4601, mactest.Padding(4))
	at := time.Date(2026, 1, 1, 0, 0, 1, 500000000, time.UTC)
	for _, tc := range []struct {
		lt     uint32
		record []byte
		format capturetest.Format
	}{
		{mactest.LinkTypeUser2, mactest.UDP8(framed), capturetest.Pcap},
		{mactest.LinkTypeRawIPv4, mactest.IPv4UDP(9999, framed), capturetest.PcapNano},
	} {
		f := capturetest.File{Format: tc.format, LinkType: tc.lt, Packets: []capturetest.Packet{{Time: at, Data: tc.record}}}
		lt, pkts, err := mactest.ReadPcap(f.Bytes())
		if err != nil || lt != tc.lt || len(pkts) != 1 || !pkts[0].Time.Equal(at) || pkts[0].Frame != 1 {
			t.Fatalf("link type %d: %v %d %+v", tc.lt, err, lt, pkts)
		}
		udp, ok := mactest.UDPPayload(lt, pkts[0].Data)
		if !ok || !bytes.Equal(udp, framed) {
			t.Errorf("link type %d: payload %x, want %x", lt, udp, framed)
		}
	}
	if _, ok := mactest.UDPPayload(1, framed); ok {
		t.Error("Ethernet is not a MAC-NR record form")
	}
}
