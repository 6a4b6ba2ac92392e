package mac_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

var update = flag.Bool("update", false, "rewrite the golden files and fuzz seeds in testdata")

// The shared MAC-NR captures, with what PROVENANCE.md says tshark 4.0.17
// decodes in them (alternative name: count) and what it says of them.
var macTraces = []struct {
	file       string
	provenance map[string]int
	want       func(t *testing.T, r traceRun)
}{
	{"srsran__srsRAN_Project_docs__moto_edge_30_pro.pcap", map[string]int{
		"rrcRelease": 12, "dlInformationTransfer": 6, "ulInformationTransfer": 5, "ueCapabilityEnquiry": 2,
		"rrcReconfiguration": 2, "ueCapabilityInformation": 1, "securityModeComplete": 1, "rrcSetupComplete": 1,
		"rrcReconfigurationComplete": 1, "rrcSetupRequest": 1, "securityModeCommand": 1, "rrcSetup": 1,
	}, func(t *testing.T, r traceRun) {
		// rrcRelease ×12 = one PDU (PDCP SN 6) + 11 RLC retransmissions.
		var rel []mac.RRC
		for _, m := range r.ours.Messages {
			if r.path(m) == "c1.rrcRelease" {
				rel = append(rel, m)
			}
		}
		if len(rel) != 1 || rel[0].Retransmissions != 11 || rel[0].PDCPSN != 6 {
			t.Errorf("rrcRelease: %d messages %+v, want 1 (PDCP SN 6) with 11 retransmissions", len(rel), rel)
		}
	}},
	{"srsran__srsRAN_Project_docs__simcom-sim8262e-m2.pcap", map[string]int{
		"ulInformationTransfer": 6, "dlInformationTransfer": 5, "ueCapabilityInformation": 1, "securityModeComplete": 1,
		"rrcSetupComplete": 1, "rrcReconfigurationComplete": 1, "rrcSetupRequest": 1, "ueCapabilityEnquiry": 1,
		"securityModeCommand": 1, "rrcReconfiguration": 1, "rrcSetup": 1,
	}, nil},
	{"joaonunes2802__IC-USP__gnb_mac.pcap", map[string]int{
		"ulInformationTransfer": 7, "dlInformationTransfer": 6, "rrcRelease": 4, "rrcSetupComplete": 2,
		"rrcSetupRequest": 2, "rrcSetup": 2, "ueCapabilityInformation": 1, "securityModeComplete": 1,
		"rrcReconfigurationComplete": 1, "ueCapabilityEnquiry": 1, "securityModeCommand": 1, "rrcReconfiguration": 1,
	}, nil},
	{"5GSEC__MobiWatch__RFSIM-UE-REG-REJ-GNB-11061542.pcap", map[string]int{
		"dlInformationTransfer": 2, "ulInformationTransfer": 1, "rrcSetupComplete": 1, "rrcSetupRequest": 1, "rrcSetup": 1,
	}, nil},
	{"5GSEC__MobiWatch__bts-attack2.pcap", map[string]int{
		"rrcResumeRequest1": 96, "dlInformationTransfer": 5, "rrcSetupComplete": 3, "rrcSetupRequest": 3, "rrcSetup": 3,
	}, func(t *testing.T, r traceRun) {
		// The 96 rrcResumeRequest1 are zero-filled padding.
		for _, m := range r.ours.Messages {
			if m.Channel == rrc.ULCCCH1 {
				t.Errorf("frame %d: UL-CCCH1 message %x, want none (zero fill is padding)", m.Frame, m.PDU)
			}
		}
		if r.padded != 96 {
			t.Errorf("%d tshark messages explained as zero-fill padding, want 96", r.padded)
		}
	}},
}

// tsharkMsg is one NR RRC message tshark shows.
type tsharkMsg struct {
	path      string
	pdu       []byte // the bytes of tshark's message field: what it decoded
	pos       int    // offset of the message in the frame
	macPos    int    // offset of the PDCP MAC-I after it; 0 when none
	malformed bool
}

type traceRun struct {
	ours     mac.Collector
	byFrame  map[int]*frameOurs
	tshark   map[int][]tsharkMsg
	tsharkUE map[int]string
	padded   int // tshark messages explained as zero-fill padding
}

type frameOurs struct {
	ue       uint16
	msgs     []mac.RRC
	retx     []mac.Retransmission
	zeroFill int
}

func (r traceRun) path(m mac.RRC) string {
	c, err := rrc.Classify(m.Channel, m.PDU)
	if err != nil {
		return "error: " + err.Error()
	}
	return c.Path
}

// runStack feeds a capture through a Stack frame by frame.
func runStack(t *testing.T, path string) traceRun {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lt, pkts, err := mactest.ReadPcap(b)
	if err != nil {
		t.Fatal(err)
	}
	r := traceRun{byFrame: map[int]*frameOurs{}}
	var st mac.Stack
	for _, p := range pkts {
		udp, ok := mactest.UDPPayload(lt, p.Data)
		if !ok || !bytes.HasPrefix(udp, []byte(mac.Prefix)) {
			continue
		}
		ctx, pdu, err := mac.ParseFraming(udp, true)
		if err != nil {
			t.Errorf("frame %d: %v", p.Frame, err)
			continue
		}
		out := st.Push(ctx, pdu, p.Frame, p.Time)
		f := &frameOurs{ue: ctx.UE(), msgs: out.RRC, retx: out.Retransmissions, zeroFill: out.ZeroFill}
		r.byFrame[p.Frame] = f
		r.ours.Add(out)
	}
	r.ours.Warnings = append(r.ours.Warnings, st.Flush(len(pkts))...)
	return r
}

// pdml is the part of tshark's PDML output the comparison reads.
type pdmlNode struct {
	Name     string     `xml:"name,attr"`
	Showname string     `xml:"showname,attr"`
	Show     string     `xml:"show,attr"`
	Value    string     `xml:"value,attr"`
	Pos      int        `xml:"pos,attr"`
	Children []pdmlNode `xml:",any"`
}

func (n *pdmlNode) walk(f func(*pdmlNode) bool) {
	for i := range n.Children {
		if f(&n.Children[i]) {
			n.Children[i].walk(f)
		}
	}
}

func (n *pdmlNode) child(name string) *pdmlNode {
	for i := range n.Children {
		if n.Children[i].Name == name {
			return &n.Children[i]
		}
	}
	return nil
}

// alt returns the alternative a CHOICE field's showname names:
// "c1: rrcRelease (2)" gives "rrcRelease".
func alt(s string) string {
	if i := strings.Index(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	if i := strings.LastIndex(s, " ("); i >= 0 {
		s = s[:i]
	}
	return s
}

// rrcPath is the chain of alternatives below nr-rrc.message, as
// rrc.Message.Path spells it.
func rrcPath(msg *pdmlNode) string {
	top := alt(msg.Showname)
	switch top {
	case "c1":
		if c := msg.child("nr-rrc.c1"); c != nil {
			return "c1." + alt(c.Showname)
		}
	case "messageClassExtension":
		if m := msg.child("nr-rrc.messageClassExtension"); m != nil {
			p := top + "." + alt(m.Showname)
			if c := m.child("nr-rrc.c2"); c != nil {
				p += "." + alt(c.Showname)
			}
			return p
		}
	}
	return top
}

// runTshark dissects a MAC-NR capture with tshark and returns, per frame,
// the RRC messages it shows and the RNTI.
func runTshark(t *testing.T, path string) (map[int][]tsharkMsg, map[int]string) {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("SKIPPED: tshark not installed (apt-get install tshark): trace comparison not run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, "-n", "-r", path,
		"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`,
		"--enable-heuristic", "mac_nr_udp", "-T", "pdml")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	var doc struct {
		Packets []pdmlNode `xml:"packet"`
	}
	if err := xml.Unmarshal(outb, &doc); err != nil {
		t.Fatalf("tshark PDML: %v", err)
	}
	msgs, ues := map[int][]tsharkMsg{}, map[int]string{}
	for i := range doc.Packets {
		p := &doc.Packets[i]
		frame := 0
		var cur *tsharkMsg
		var list []tsharkMsg
		p.walk(func(n *pdmlNode) bool {
			switch n.Name {
			case "frame.number":
				fmt.Sscan(n.Show, &frame)
			case "mac-nr.rnti":
				if _, ok := ues[frame]; !ok {
					ues[frame] = n.Show
				}
			case "nr-rrc.message":
				pdu, _ := hex.DecodeString(n.Value)
				list = append(list, tsharkMsg{path: rrcPath(n), pdu: pdu, pos: n.Pos})
				cur = &list[len(list)-1]
				return false
			case "pdcp-nr.mac":
				if cur != nil && cur.macPos == 0 && n.Pos > cur.pos {
					cur.macPos = n.Pos
				}
			case "_ws.malformed":
				if cur != nil {
					cur.malformed = true
				}
			}
			return true
		})
		if len(list) > 0 {
			msgs[frame] = list
		}
	}
	return msgs, ues
}

// TestTraces runs every shared MAC-NR capture through a Stack and compares
// the RRC messages, frame by frame, with tshark's. Each difference must be
// explained (an RLC retransmission counted on the original message, a
// zero-filled block taken as padding); the comparison is kept in
// testdata/<trace>.golden (refresh with -update).
func TestTraces(t *testing.T) {
	dir := mactest.SharedTraces(t)
	for _, tc := range macTraces {
		t.Run(strings.TrimSuffix(tc.file, ".pcap"), func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("SKIPPED: %v", err)
			}
			r := runStack(t, path)
			r.tshark, r.tsharkUE = runTshark(t, path)
			report, unexplained := compare(&r)
			for _, u := range unexplained {
				t.Errorf("unexplained difference: %s", u)
			}
			// tshark here decodes what PROVENANCE.md says it does.
			counts := map[string]int{}
			for _, ms := range r.tshark {
				for _, m := range ms {
					counts[m.path[strings.LastIndex(m.path, ".")+1:]]++
				}
			}
			if diff := cmp.Diff(tc.provenance, counts); diff != "" {
				t.Errorf("tshark's counts differ from PROVENANCE.md (-provenance +tshark):\n%s", diff)
			}
			if tc.want != nil {
				tc.want(t, r)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(tc.file, ".pcap")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(report), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestTraces -update)", err)
			}
			if diff := cmp.Diff(string(want), report); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// compare lines up our messages with tshark's, frame by frame, and writes
// the report: one row per message either side shows.
func compare(r *traceRun) (string, []string) {
	var rows []string
	var unexplained []string
	frames := map[int]bool{}
	for f := range r.tshark {
		frames[f] = true
	}
	for f, o := range r.byFrame {
		if len(o.msgs) > 0 || len(o.retx) > 0 {
			frames[f] = true
		}
	}
	byID := map[int]mac.RRC{}
	for _, m := range r.ours.Messages {
		byID[m.ID] = m
	}
	var agree, ourOnly, retx, pad, tsOnly int
	for f := 1; len(frames) > 0; f++ {
		if !frames[f] {
			continue
		}
		delete(frames, f)
		o := r.byFrame[f]
		if o == nil {
			o = &frameOurs{}
		}
		ts := r.tshark[f]
		used := make([]bool, len(ts))
		row := func(ue, ours, theirs, reason string) {
			rows = append(rows, fmt.Sprintf("%5d  %-6s  %-58s  %-34s  %s", f, ue, ours, theirs, reason))
		}
		tsName := func(m tsharkMsg) string {
			s := m.path
			if m.malformed {
				s += " [malformed]"
			}
			return s
		}
		ue := fmt.Sprintf("0x%04x", o.ue)
		if tsUE := r.tsharkUE[f]; tsUE != "" && tsUE != ue && len(ts) > 0 {
			unexplained = append(unexplained, fmt.Sprintf("frame %d: ue %s, tshark %s", f, ue, tsUE))
		}
		for _, m := range o.msgs {
			p := r.path(m)
			full := byID[m.ID]
			desc := fmt.Sprintf("%s %s %s", m.Channel, p, m.Bearer)
			if m.RLCSN >= 0 {
				desc += fmt.Sprintf(" rlc=%d", m.RLCSN)
			}
			if m.PDCPSN >= 0 {
				desc += fmt.Sprintf(" pdcp=%d", m.PDCPSN)
			}
			if m.Segments > 1 {
				desc += fmt.Sprintf(" seg=%d", m.Segments)
			}
			if full.Retransmissions > 0 {
				desc += fmt.Sprintf(" ×%d", full.Retransmissions+1)
			}
			match := -1
			for i, tm := range ts {
				if !used[i] && tm.path == p {
					match = i
					break
				}
			}
			if match < 0 {
				ourOnly++
				row(ue, desc, "-", "UNEXPLAINED: tshark shows no such message")
				unexplained = append(unexplained, fmt.Sprintf("frame %d: ours %s, tshark none", f, desc))
				continue
			}
			used[match] = true
			reason := ""
			// tshark's message field spans the bits it decoded; the PDU
			// runs on to the PDCP MAC-I (or the end of the MAC SDU).
			tm := ts[match]
			if !bytes.HasPrefix(m.PDU, tm.pdu) || (tm.macPos > 0 && len(m.PDU) != tm.macPos-tm.pos) {
				reason = "UNEXPLAINED: bytes differ"
				unexplained = append(unexplained, fmt.Sprintf("frame %d: %s: ours %x, tshark %x (mac-i at +%d)", f, p, m.PDU, tm.pdu, tm.macPos-tm.pos))
			}
			agree++
			row(ue, desc, tsName(ts[match]), reason)
		}
		for _, x := range o.retx {
			orig := byID[x.ID]
			p := r.path(orig)
			desc := fmt.Sprintf("(retransmission of frame %d)", x.OriginalFrame)
			match := -1
			for i, tm := range ts {
				if !used[i] && tm.path == p {
					match = i
					break
				}
			}
			if match < 0 {
				row(ue, desc, "-", "retransmission tshark does not decode")
				continue
			}
			used[match] = true
			retx++
			what := "rlc sn " + fmt.Sprint(x.RLCSN)
			if x.RLCSN < 0 {
				what = "identical " + x.Bearer + " pdu"
			}
			row(ue, desc, tsName(ts[match]), "retransmission ("+what+") counted on frame "+fmt.Sprint(x.OriginalFrame))
		}
		for i, tm := range ts {
			if used[i] {
				continue
			}
			if o.zeroFill > 0 && tm.path == "c1.rrcResumeRequest1" && allZero(tm.pdu) {
				pad++
				r.padded++
				row(ue, fmt.Sprintf("(zero fill, %d bytes)", o.zeroFill), tsName(tm), "zero-filled block is padding")
				continue
			}
			tsOnly++
			row(ue, "-", tsName(tm), "UNEXPLAINED: not found by the stack")
			unexplained = append(unexplained, fmt.Sprintf("frame %d: tshark %s, ours none", f, tsName(tm)))
		}
	}
	var sb strings.Builder
	tsTotal := 0
	for _, ms := range r.tshark {
		tsTotal += len(ms)
	}
	fmt.Fprintf(&sb, "# nrladder MAC stack vs tshark 4.0 (mac_nr_udp heuristic), NR RRC messages per frame\n")
	fmt.Fprintf(&sb, "# tshark: %d messages; ours: %d messages; agree %d, retransmissions %d, zero-fill padding %d, ours only %d, tshark only %d\n",
		tsTotal, len(r.ours.Messages), agree, retx, pad, ourOnly, tsOnly)
	fmt.Fprintf(&sb, "%5s  %-6s  %-58s  %-34s  %s\n", "frame", "ue", "ours", "tshark", "reason")
	for _, row := range rows {
		sb.WriteString(strings.TrimRight(row, " ") + "\n")
	}
	if len(r.ours.Warnings) > 0 {
		sb.WriteString("# warnings\n")
		for _, w := range r.ours.Warnings {
			sb.WriteString(w.Error() + "\n")
		}
	}
	return sb.String(), unexplained
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
