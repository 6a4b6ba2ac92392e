package mac_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/rrctest"
)

func BenchmarkParseFraming(b *testing.B) {
	in := mactest.MACNRC(mactest.Uplink, 0x4601, mactest.PDU(mactest.SDU(1, body(80)), mactest.ShortBSR(0, 0), mactest.Padding(20)))
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, _, err := mac.ParseFraming(in, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSubPDUs(b *testing.B) {
	pdu := mactest.PDU(mactest.SDU(1, body(80)), mactest.SDU(2, body(30)), mactest.ShortBSR(0, 0), mactest.SingleEntryPHR(1, 2), mactest.Padding(400))
	dst := make([]mac.SubPDU, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(pdu)))
	for b.Loop() {
		var err error
		if dst, err = mac.AppendSubPDUs(dst[:0], ul, pdu); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStack runs one RRC connection (setup, a segmented
// RRCSetupComplete, security, release with two retransmissions) through a
// fresh Stack per iteration.
func BenchmarkStack(b *testing.B) {
	const ue = 0x4601
	setupReq := rrctest.RRCSetupRequest(0x2468acf12, 3)
	complete := srbPDUs(0, 0, rrctest.RRCSetupComplete(0, make([]byte, 120)), 60)
	rel := srbPDUs(1, 1, rrctest.RRCRelease(3))
	frames := []frameIn{
		{ulc(ue), mactest.PDU(mactest.ULCCCH(setupReq), mactest.Padding(3)), 0},
		{dlc(ue), mactest.PDU(mactest.ContentionResolution(setupReq), mactest.DLCCCH(rrctest.RRCSetup(0))), ms(2)},
		{ulc(ue), mactest.PDU(mactest.SDU(1, complete[0]), mactest.ShortBSR(0, 3), mactest.Padding(100)), ms(10)},
		{ulc(ue), mactest.PDU(mactest.SDU(1, complete[1]), mactest.Padding(100)), ms(12)},
		{dlc(ue), mactest.PDU(mactest.SDU(1, srbPDUs(0, 0, rrctest.SecurityModeCommand(2, 2, 2))[0])), ms(20)},
		{ulc(ue), mactest.PDU(mactest.SDU(1, mactest.AMStatus(1)), mactest.SDU(1, srbPDUs(1, 1, rrctest.SecurityModeComplete(2))[0])), ms(26)},
		{dlc(ue), mactest.SDU(1, rel[0]), ms(40)},
		{dlc(ue), mactest.SDU(1, rel[0]), ms(50)},
		{dlc(ue), mactest.SDU(1, rel[0]), ms(60)},
	}
	n := 0
	for _, f := range frames {
		n += len(f.pdu)
	}
	b.ReportAllocs()
	b.SetBytes(int64(n))
	for b.Loop() {
		var st mac.Stack
		for i, f := range frames {
			st.Push(f.ctx, f.pdu, i+1, t0.Add(f.at))
		}
	}
}

// BenchmarkStackTrace runs the shared moto_edge_30_pro capture (69 MAC
// PDUs) through a Stack; skipped without the shared traces.
func BenchmarkStackTrace(b *testing.B) {
	path := filepath.Join(mactest.SharedTraces(b), "srsran__srsRAN_Project_docs__moto_edge_30_pro.pcap")
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("SKIPPED: %v", err)
	}
	lt, pkts, err := mactest.ReadPcap(raw)
	if err != nil {
		b.Fatal(err)
	}
	type in struct {
		ctx mac.Context
		pdu []byte
	}
	var ins []in
	size := 0
	for _, p := range pkts {
		udp, ok := mactest.UDPPayload(lt, p.Data)
		if !ok || !bytes.HasPrefix(udp, []byte(mac.Prefix)) {
			continue
		}
		ctx, pdu, err := mac.ParseFraming(udp, true)
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, in{ctx, pdu})
		size += len(p.Data)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		var st mac.Stack
		for i, x := range ins {
			st.Push(x.ctx, x.pdu, i+1, t0)
		}
	}
}
