package framing

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/capturetest"
	ft "github.com/nrladder/nrladder/internal/framingtest"
)

// malformedScenario mixes good packets with broken and unsupported ones.
func malformedScenario() scenario {
	seg := ft.SCTP(cu, du, 41, ft.Whole(1, 1, 0, ft.PPIDF1AP, bigF1AP).Chunk())
	frags := ft.IPv4Fragments(ft.CU, ft.DU, ft.ProtoSCTP, 0x4444, seg, 600)
	gsmtap := netip.AddrPortFrom(ft.CU, ft.PortGSMTAP)
	return scenario{"malformed", []ft.Packet{
		eth(edit(ft.Ethernet(f1apPacket(du, cu)), func(b []byte) { b[14] = 0x41 })),
		eth(ft.Ethernet(ft.SCTPPacket(du, cu, 42, ft.Whole(1, 1, 0, ft.PPIDF1AP, f1ap).Chunk(), []byte{0, 3, 0, 200}))),
		raw4(frags[0]),
		raw4(ft.UDPPacket(netip.AddrPortFrom(ft.DU, 1), gsmtap, ft.GSMTAPv2(0x0d, 1, []byte{1, 2}))),
		raw4(ft.UDPPacket(netip.AddrPortFrom(ft.DU, 1), gsmtap, ft.GSMTAPv2(0x0d, 1, []byte{1, 2}))),
		linkPkt(ft.LinkExportedPDU, capturetest.ExportedPDU("lte-rrc.ul.dcch", []byte{1})),
		linkPkt(152, edit(ngap, func(b []byte) { binary.BigEndian.PutUint16(b[2:], 0x4001) })),
		linkPkt(105, []byte{1, 2, 3}),
		eth(ft.Ethernet(f1apPacket(du, cu))),
	}}
}

// TestGolden decodes the built captures stored in testdata (reading them
// with the capture package, as the application does) and compares the
// units, warnings and counters with the golden files. -update rewrites
// both the captures and the golden files.
func TestGolden(t *testing.T) {
	for _, sc := range append(scenarios(), malformedScenario()) {
		t.Run(sc.name, func(t *testing.T) {
			capPath := filepath.Join("testdata", sc.name+".pcapng")
			built := ft.File(sc.pkts...)
			if *update {
				if err := os.WriteFile(capPath, built, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			stored, err := os.ReadFile(capPath)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(stored, built) {
				t.Errorf("%s differs from what the builders make now (go test -update rewrites it)", capPath)
			}
			units, warns, d := decodeAll(Options{}, readPackets(t, bytes.NewReader(stored)))
			var b strings.Builder
			for _, u := range units {
				fmt.Fprintln(&b, formatUnit(u))
			}
			for _, w := range warns {
				fmt.Fprintln(&b, w.Error)
			}
			s := d.Stats()
			fmt.Fprintf(&b, "packets %d, units %d, unknown %d, skipped %d, warnings %d, suppressed %d\n",
				s.Packets, s.Units, s.Unknown, s.Skipped, s.Warnings, s.Suppressed)
			fmt.Fprintf(&b, "ip fragments %d, reassembled %d, dropped %d; sctp fragments %d, reassembled %d, dropped %d, retransmissions %d\n",
				s.IPFragments, s.IPReassembled, s.IPDropped, s.SCTPFragments, s.SCTPReassembled, s.SCTPDropped, s.SCTPRetransmissions)
			compareGolden(t, filepath.Join("testdata", sc.name+".golden"), b.String())
		})
	}
}
