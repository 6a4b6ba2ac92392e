package mac_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// TestEveryCETshark writes, for every MAC CE of the tables, a MAC PDU
// holding the CE followed by a CCCH SDU (RRCSetupRequest uplink, RRCSetup
// downlink), as srsRAN's DLT 149 capture, and asks tshark whether it finds
// the RRC message behind the CE: it does only if it reads the CE with the
// size this package does. Where tshark 4.0 reads a CE otherwise, the
// golden file testdata/ce-tshark.golden says so.
func TestEveryCETshark(t *testing.T) {
	type tcase struct {
		label string
		ctx   mac.Context
		pdu   []byte
	}
	setupReq := rrctest.RRCSetupRequest(0x2468acf12, 3)
	setup := rrctest.RRCSetup(0)
	tail := func(uplink bool) []byte {
		if uplink {
			return mactest.PDU(mactest.ULCCCH(setupReq), mactest.Padding(4))
		}
		return mactest.PDU(mactest.DLCCCH(setup), mactest.Padding(4))
	}
	var cases []tcase
	for _, c := range fixedCEs {
		ctx := dl
		if c.uplink {
			ctx = ul
		}
		ce := mactest.Fixed(c.lcid, body(c.size))
		if c.elcid >= 0 {
			ce = mactest.ELCID1Fixed(c.elcid, body(c.size))
		}
		cases = append(cases, tcase{fmt.Sprintf("%s lcid %d elcid %d fixed %d", dirName(c.uplink), c.lcid, c.elcid, c.size), ctx, mactest.PDU(ce, tail(c.uplink))})
	}
	for _, c := range variableCEs {
		ctx := dl
		if c.uplink {
			ctx = ul
		}
		b := body(3)
		switch {
		case c.uplink && c.lcid == 54: // Multiple Entry PHR, four-octet C bitmap: PCell entry only
			b = []byte{0, 0, 0, 0, 0x1f, 0x28}
		case c.uplink && c.lcid == 56: // one-octet C bitmap
			b = []byte{0, 0x1f, 0x28}
		}
		ce := mactest.SDU(c.lcid, b)
		if c.elcid >= 0 {
			ce = mactest.ELCID1Variable(c.elcid, body(3))
		}
		cases = append(cases, tcase{fmt.Sprintf("%s lcid %d elcid %d variable", dirName(c.uplink), c.lcid, c.elcid), ctx, mactest.PDU(ce, tail(c.uplink))})
	}
	cases = append(cases,
		tcase{"UL lcid 35 RedCap CCCH", ul, mactest.PDU(mactest.Fixed(35, setupReq), tail(true))},
		tcase{"UL lcid 36 RedCap CCCH1", ul, mactest.PDU(mactest.Fixed(36, rrctest.RRCResumeRequest1(1, 2, 3)), tail(true))},
		tcase{"UL lcid 33 two-octet eLCID SDU", ul, mactest.PDU(mactest.ELCID2SDU(9, body(3)), tail(true))},
		tcase{"DL lcid 33 two-octet eLCID SDU", dl, mactest.PDU(mactest.ELCID2SDU(9, body(3)), tail(false))},
	)

	file := capturetest.File{Format: capturetest.Pcap, LinkType: mactest.LinkTypeUser2}
	for i, c := range cases {
		// Our reading first: the CCCH message must come out.
		subs, err := mac.SubPDUs(c.ctx, c.pdu)
		if err != nil || len(subs) < 2 || subs[len(subs)-2].Channel == 0 {
			t.Errorf("%s: %v %+v: no CCCH after the CE", c.label, err, subs)
		}
		dir := byte(mactest.Downlink)
		if c.ctx.Uplink {
			dir = mactest.Uplink
		}
		file.Packets = append(file.Packets, capturetest.Packet{
			Time: t0.Add(time.Duration(i) * time.Millisecond),
			Data: mactest.UDP8(mactest.MACNRC(dir, 0x4601, c.pdu)),
		})
	}
	path := filepath.Join(t.TempDir(), "ces.pcap")
	if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ts, _ := runTshark(t, path)
	var sb strings.Builder
	sb.WriteString("# MAC CE sizes: does tshark 4.0 find the CCCH message after each CE as this package does?\n")
	agree := 0
	for i, c := range cases {
		want := "c1.rrcSetup"
		if c.ctx.Uplink {
			want = "c1.rrcSetupRequest"
		}
		var paths []string
		ok := false
		for _, m := range ts[i+1] {
			paths = append(paths, m.path)
			ok = ok || (m.path == want && !m.malformed)
		}
		verdict := "agrees"
		if ok {
			agree++
		} else {
			verdict = "differs: tshark shows [" + strings.Join(paths, " ") + "]: " + tsharkGap(c.label)
		}
		fmt.Fprintf(&sb, "%-40s %s\n", c.label, verdict)
	}
	fmt.Fprintf(&sb, "# %d of %d agree\n", agree, len(cases))
	if strings.Contains(sb.String(), "UNEXPLAINED") {
		t.Errorf("tshark reads a CE otherwise, for no known reason:\n%s", sb.String())
	}
	golden := filepath.Join("testdata", "ce-tshark.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestEveryCETshark -update)", err)
	}
	if diff := cmp.Diff(string(want), sb.String()); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", golden, diff)
	}
}

func dirName(uplink bool) string {
	if uplink {
		return "UL"
	}
	return "DL"
}

// tsharkGap says why tshark 4.0 cannot follow a CE: its MAC-NR dissector
// predates Rel-16/17 (it marks the PDU malformed at the CE).
func tsharkGap(label string) string {
	var dir string
	var lcid, elcid int
	fmt.Sscanf(label, "%s lcid %d elcid %d", &dir, &lcid, &elcid)
	switch {
	case lcid == 34:
		return "tshark 4.0 reads no one-octet eLCID (Rel-16/17)"
	case dir == "UL" && (lcid == 35 || lcid == 36):
		return "tshark 4.0 does not know the RedCap CCCH LCIDs (Rel-17)"
	case dir == "UL" && lcid >= 43 && lcid <= 51:
		return "tshark 4.0 does not know this Rel-16/17 UL LCID"
	}
	return "UNEXPLAINED"
}
