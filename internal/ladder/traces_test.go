package ladder

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sharedTraces lists the public captures in ../shared/traces, or skips.
func sharedTraces(t *testing.T) []string {
	t.Helper()
	dir, ok := rrctest.SharedDir()
	if !ok {
		t.Skip("SKIPPED: ../shared/traces is absent (set NRLADDER_SHARED to the shared directory)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "traces", "*.pcap*"))
	if len(files) == 0 {
		t.Skip("SKIPPED: no captures in " + filepath.Join(dir, "traces"))
	}
	return files
}

func buildFile(t *testing.T, path string) *Trace {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parse.Trace(f, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Build(res, Options{})
}

// renderUEs prints a trace one UE at a time, one line per message.
func renderUEs(tr *Trace) string {
	var b strings.Builder
	for _, u := range tr.UEs {
		fmt.Fprintf(&b, "%s %q: %d messages, outcome %s, lanes %s\n", u.Key, u.Label, u.Messages, u.Outcome, strings.Join(u.Lanes, " "))
		if u.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", u.Note)
		}
		for _, m := range tr.Messages {
			if m.UE != u.Key {
				continue
			}
			fmt.Fprintf(&b, "  frame %d %s %s→%s %s", m.Frame, m.Protocol, m.From, m.To, m.Label())
			if m.Bearer != "" {
				fmt.Fprintf(&b, " [%s]", m.Bearer)
			}
			if m.TxID != nil {
				fmt.Fprintf(&b, " txid=%d", *m.TxID)
			}
			if m.Role != "" {
				fmt.Fprintf(&b, " role=%s", m.Role)
			}
			if m.Retransmissions > 0 {
				fmt.Fprintf(&b, " retransmitted×%d %v", m.Retransmissions, m.RetransmissionFrames)
			}
			if m.DecodeError != "" {
				fmt.Fprintf(&b, " decode-error=%q", m.DecodeError)
			}
			b.WriteString("\n")
		}
	}
	for _, f := range tr.Failures {
		fmt.Fprintf(&b, "failure %s: %s\n", f.UE, f.Summary)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

// TestSharedTracesGolden keeps the per-UE message list of every public
// capture in a golden file.
func TestSharedTracesGolden(t *testing.T) {
	for _, path := range sharedTraces(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			golden(t, filepath.Join("traces", name+".golden"), renderUEs(buildFile(t, path)))
		})
	}
}

// tsharkOptions are those PROVENANCE.md gives for the public captures.
var tsharkOptions = []string{
	"-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`,
	"-o", `uat:user_dlts:"User 5 (DLT=152)","ngap","0","","0",""`,
	"--enable-heuristic", "mac_nr_udp",
}

var zeroHex = regexp.MustCompile(`^(00)+$`)

// TestSharedTracesAgainstTshark compares, frame by frame, the NR RRC
// messages of every public capture with tshark's. They must agree except
// where tshark is demonstrably wrong, and each such frame is listed with its
// reason in testdata/traces/<capture>.tshark.golden:
//
//   - ciphered: the PDU was sent after AS security activation with a
//     ciphering algorithm other than nea0; tshark decodes the ciphertext
//     as whatever message its bits spell;
//   - retransmission: an RLC retransmission of a message already shown
//     (tshark shows it again);
//   - padding: zero-filled MAC padding that tshark decodes as messages.
func TestSharedTracesAgainstTshark(t *testing.T) {
	tsharktest.Path(t)
	for _, path := range sharedTraces(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			tr := buildFile(t, path)
			type ours struct {
				alt       string
				ciphered  bool
				retransOf int
				isRetrans bool
				carrier   string // the F1AP message that carried it
			}
			byFrame := map[int][]ours{}
			for _, m := range tr.Messages {
				if m.Protocol != "NR-RRC" {
					continue
				}
				o := ours{alt: m.Alternative, ciphered: m.Ciphered}
				if m.Carrier != nil {
					o.carrier = tr.Messages[*m.Carrier].Message
				}
				byFrame[m.Frame] = append(byFrame[m.Frame], o)
				for _, f := range m.RetransmissionFrames {
					byFrame[f] = append(byFrame[f], ours{alt: m.Alternative, isRetrans: true, retransOf: m.Frame})
				}
			}
			var report strings.Builder
			agree, explained := 0, 0
			packets := tsharktest.PDMLFile(t, path, tsharkOptions...)
			tsharkRRC := 0
			for i := range packets {
				views, _ := tsharktest.RRC(&packets[i])
				tsharkRRC += len(views)
			}
			if tsharkRRC == 0 {
				n := 0
				for _, list := range byFrame {
					n += len(list)
				}
				if n == 0 {
					report.WriteString("no NR RRC in this capture, for tshark and for us\n")
				} else {
					fmt.Fprintf(&report, "tshark 4.0 decodes no NR RRC in this capture (its framing needs a dissector tshark 4.0 lacks); ours: %d NR RRC messages, not compared\n", n)
				}
				golden(t, filepath.Join("traces", name+".tshark.golden"), report.String())
				return
			}
			for i := range packets {
				pkt := &packets[i]
				frame := pkt.Frame()
				views, _ := tsharktest.RRC(pkt)
				got := byFrame[frame]
				delete(byFrame, frame)
				for j, v := range views {
					alt := v.Path[strings.LastIndex(v.Path, ".")+1:]
					var o *ours
					if j < len(got) {
						o = &got[j]
					}
					switch {
					case o != nil && !o.ciphered && !o.isRetrans && o.alt == alt:
						agree++
					case o != nil && o.ciphered:
						explained++
						fmt.Fprintf(&report, "frame %d: tshark %s; ours ciphered: sent after AS security activation, tshark decodes the ciphertext\n", frame, alt)
					case o != nil && o.isRetrans && o.alt == alt:
						explained++
						fmt.Fprintf(&report, "frame %d: tshark %s; ours RLC retransmission of frame %d, shown once\n", frame, alt, o.retransOf)
					case o == nil && zeroHex.MatchString(tsharktest.RRCHex(pkt, j)):
						explained++
						fmt.Fprintf(&report, "frame %d: tshark %s; ours padding: zero-filled MAC bytes, not a message\n", frame, alt)
					default:
						ourAlt := "nothing"
						if o != nil {
							ourAlt = o.alt
						}
						t.Errorf("frame %d message %d: tshark %s, ours %s: unexplained difference", frame, j+1, alt, ourAlt)
					}
				}
				if len(got) > len(views) {
					for _, o := range got[len(views):] {
						what := o.alt
						if o.ciphered {
							what = "ciphered PDU"
						}
						if len(views) == 0 && o.carrier != "" {
							explained++
							fmt.Fprintf(&report, "frame %d: tshark nothing; ours %s: tshark 4.0 does not dissect the RRC container of F1AP %s\n", frame, what, o.carrier)
							continue
						}
						t.Errorf("frame %d: ours %s, tshark shows nothing", frame, what)
					}
				}
			}
			for f, o := range byFrame {
				t.Errorf("frame %d: ours %v, tshark has no such frame", f, o)
			}
			fmt.Fprintf(&report, "agree: %d messages; tshark wrong (listed above): %d\n", agree, explained)
			golden(t, filepath.Join("traces", name+".tshark.golden"), report.String())
			t.Logf("%s: %d messages agree with tshark, %d differences explained", name, agree, explained)
		})
	}
}
