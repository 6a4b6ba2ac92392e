package export

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/ladder"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// formats are the text exports, by golden file extension.
var formats = []struct {
	ext    string
	render func(io.Writer, Meta, []ladder.Message) error
}{
	{"txt", Text},
	{"mmd", Mermaid},
	{"md", Markdown},
}

func TestGolden(t *testing.T) {
	for _, fx := range fixtures() {
		for _, f := range formats {
			t.Run(fx.name+"."+f.ext, func(t *testing.T) {
				var got bytes.Buffer
				if err := f.render(&got, fx.meta, fx.msgs); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", fx.name+"."+f.ext+".golden"), got.Bytes())
			})
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestStable renders every export twice: the same input gives the same
// bytes (no map order leaks into the output).
func TestStable(t *testing.T) {
	for _, fx := range fixtures() {
		for _, f := range formats {
			var first bytes.Buffer
			if err := f.render(&first, fx.meta, fx.msgs); err != nil {
				t.Fatal(err)
			}
			for range 20 {
				var again bytes.Buffer
				if err := f.render(&again, fx.meta, fx.msgs); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first.Bytes(), again.Bytes()) {
					t.Fatalf("%s.%s: two renders differ", fx.name, f.ext)
				}
			}
		}
	}
}

// ladderLines returns the lines of a text ladder from its column header to
// the last row.
func ladderLines(t *testing.T, text string) []string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "t (ms)") {
			end := i + 1
			for end < len(lines) && strings.Contains(lines[end], "|") {
				end++
			}
			return lines[i:end]
		}
	}
	t.Fatalf("no column header in\n%s", text)
	return nil
}

// TestTextLinesUp checks what makes the text ladder paste well: the grid is
// ASCII but for …, the outer lifelines stand in the same columns on every
// row, each lane name stands over its lifeline, and no line ends in a space.
func TestTextLinesUp(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Text(&b, fx.meta, fx.msgs); err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(b.String(), "\n") {
				if strings.HasSuffix(l, " ") {
					t.Errorf("trailing space: %q", l)
				}
			}
			lines := ladderLines(t, b.String())
			head, first := lines[0], []rune(lines[1])
			var cols []int
			for i, r := range first {
				if r == '|' {
					cols = append(cols, i)
				}
			}
			lanes := lanesOf(fx.meta, fx.msgs)
			if len(cols) != len(lanes) {
				t.Fatalf("%d lifelines, want %d: %q", len(cols), len(lanes), lines[1])
			}
			for i, name := range lanes {
				at := strings.Index(head, name)
				if at < 0 || at > cols[i] || at+len(name) <= cols[i] {
					t.Errorf("lane %s at column %d does not stand over its lifeline at %d:\n%s\n%s", name, at, cols[i], head, lines[1])
				}
			}
			for _, l := range lines[1:] {
				r := []rune(l)
				for _, c := range []int{cols[0], cols[len(cols)-1]} {
					if c >= len(r) || r[c] != '|' {
						t.Errorf("no lifeline at column %d:\n%s\n%s", c, lines[1], l)
					}
				}
				for _, c := range r {
					if c >= utf8.RuneSelf && c != '…' {
						t.Errorf("non-ASCII %q in %q", c, l)
					}
				}
			}
		})
	}
}

// TestTextArrows checks single rows: direction, the text centred between the
// two lanes over the lifelines in between, the marker column, a cut label.
func TestTextArrows(t *testing.T) {
	fx := fourLanes()
	var b bytes.Buffer
	if err := Text(&b, fx.meta, fx.msgs); err != nil {
		t.Fatal(err)
	}
	lines := ladderLines(t, b.String())
	row := func(frame, message string) string {
		t.Helper()
		for _, l := range lines {
			if strings.Contains(l, " "+message+" ") && regexp.MustCompile(`^\s*[\d.]+\s+`+frame+`\s`).MatchString(l) {
				return l
			}
		}
		t.Fatalf("no row of %s in frame %s", message, frame)
		return ""
	}
	smf := row("12", "SecurityModeFailure (txid 1)")
	if !regexp.MustCompile(`  !  \|-+ SecurityModeFailure \(txid 1\) -+>\|`).MatchString(smf) {
		t.Errorf("SecurityModeFailure row: %q", smf)
	}
	smc := row("10", "SecurityModeCommand (txid 1)")
	if !regexp.MustCompile(`  !  \|<-+ SecurityModeCommand \(txid 1\) -+\|`).MatchString(smc) {
		t.Errorf("SecurityModeCommand row: %q", smc)
	}
	rel := row("13", "UEContextReleaseRequest")
	if !regexp.MustCompile(`  ~  \|\s+\|\s+\|-+ UEContextReleaseRequest -+>\|`).MatchString(rel) {
		t.Errorf("NGAP release row: %q", rel)
	}
	// The label of an arrow from the UE to the gNB-CU is centred between
	// them, over the gNB-DU's lifeline.
	rrcRow := []rune(row("3", "RRCSetupComplete / Registration request (txid 0)"))
	head := lines[0]
	ueCol, cuCol := strings.Index(head, "UE"), strings.Index(head, "gNB-CU")+2
	text := " RRCSetupComplete / Registration request (txid 0) "
	at := strings.Index(string(rrcRow), text)
	if mid := at + len(text)/2; mid < (ueCol+cuCol)/2-2 || mid > (ueCol+cuCol)/2+2 {
		t.Errorf("label centred at %d, want about %d:\n%s\n%s", mid, (ueCol+cuCol)/2, head, string(rrcRow))
	}

	fx = cipheredRedacted()
	b.Reset()
	if err := Text(&b, fx.meta, fx.msgs); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\|\.+ ciphered \(nea2\), SRB1, PDCP SN 2 \.+>\|`).MatchString(b.String()) {
		t.Errorf("no dotted ciphered arrow in\n%s", b.String())
	}
	long := regexp.MustCompile(`RRCSetupComplete / Registration request \([^|]*… \(txid 1\)`).FindString(b.String())
	if n := utf8.RuneCountInString(long); long == "" || n != maxLabel {
		t.Errorf("long label %q: %d runes, want it cut to %d", long, n, maxLabel)
	}
}

// mermaidLine is each statement Mermaid's sequenceDiagram grammar accepts
// that the export writes; text holds no ; # : % < > & " but as entity codes.
var (
	mermaidTextRe = `(?:[^#;:%<>&"\n]|#(?:\d+|[a-z]+);)+`
	mermaidID     = `[A-Za-z][A-Za-z0-9]*`
	mermaidLines  = map[string]*regexp.Regexp{
		"participant": regexp.MustCompile(`^    participant (` + mermaidID + `) as ` + mermaidTextRe + `$`),
		"note":        regexp.MustCompile(`^    Note over (` + mermaidID + `)(?:,(` + mermaidID + `))?: ` + mermaidTextRe + `$`),
		"message":     regexp.MustCompile(`^(    |        )(` + mermaidID + `)->>(` + mermaidID + `): ` + mermaidTextRe + `$`),
		"rect":        regexp.MustCompile(`^    rect rgb\((\d{1,3}),(\d{1,3}),(\d{1,3})\)$`),
		"end":         regexp.MustCompile(`^    end$`),
	}
)

// checkMermaid parses a sequenceDiagram the way the export writes it:
// every line one statement, participants declared before use, rects closed
// and not nested, messages in a rect indented.
func checkMermaid(src string) []string {
	var errs []string
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if lines[0] != "sequenceDiagram" {
		errs = append(errs, "first line is not sequenceDiagram")
	}
	declared := map[string]bool{}
	inRect := false
	for i, l := range lines[1:] {
		n := i + 2
		kind := ""
		var m []string
		for k, re := range mermaidLines {
			if m = re.FindStringSubmatch(l); m != nil {
				kind = k
				break
			}
		}
		switch kind {
		case "":
			errs = append(errs, fmt.Sprintf("line %d: not a statement: %s", n, l))
		case "participant":
			declared[m[1]] = true
		case "note":
			for _, id := range m[1:] {
				if id != "" && !declared[id] {
					errs = append(errs, fmt.Sprintf("line %d: undeclared %s", n, id))
				}
			}
		case "message":
			if (m[1] == "        ") != inRect {
				errs = append(errs, fmt.Sprintf("line %d: indentation does not match the rect", n))
			}
			for _, id := range m[2:] {
				if !declared[id] {
					errs = append(errs, fmt.Sprintf("line %d: undeclared %s", n, id))
				}
			}
		case "rect":
			if inRect {
				errs = append(errs, fmt.Sprintf("line %d: nested rect", n))
			}
			inRect = true
		case "end":
			if !inRect {
				errs = append(errs, fmt.Sprintf("line %d: end without rect", n))
			}
			inRect = false
		}
	}
	if inRect {
		errs = append(errs, "rect not closed")
	}
	return errs
}

func TestMermaidValid(t *testing.T) {
	for _, fx := range fixtures() {
		var b bytes.Buffer
		if err := Mermaid(&b, fx.meta, fx.msgs); err != nil {
			t.Fatal(err)
		}
		for _, e := range checkMermaid(b.String()) {
			t.Errorf("%s: %s", fx.name, e)
		}
		if n := strings.Count(b.String(), "->>"); n != len(fx.msgs) {
			t.Errorf("%s: %d arrows, want one per message (%d)", fx.name, n, len(fx.msgs))
		}
	}
	// The checker itself refuses what Mermaid would misread.
	for _, bad := range []string{
		"sequenceDiagram\n    UE->>gNB: a; b\n",
		"sequenceDiagram\n    participant UE as UE\n    UE->>gNB: x\n",
		"sequenceDiagram\n    participant UE as UE\n    UE->>UE: a: b\n",
		"sequenceDiagram\n    rect rgb(1,2,3)\n",
		"sequenceDiagram\n    participant UE as UE\n    UE->>UE: 50%% done\n",
	} {
		if len(checkMermaid(bad)) == 0 {
			t.Errorf("checker accepts %q", bad)
		}
	}
}

func TestMermaidEscapes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a; b", "a#59; b"},
		{"#1: x", "#35;1#58; x"},
		{"<b>&", "#lt;b#gt;#amp;"},
		{"50%%{init}", "50#37;#37;{init}"},
		{"two\nlines", "two lines"},
		{"SecurityModeFailure (txid 2) · frame 5", "SecurityModeFailure (txid 2) · frame 5"},
	} {
		if got := mermaidText(tt.in); got != tt.want {
			t.Errorf("mermaidText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a_b*c*", `a\_b\*c\*`},
		{"[x](y)", `\[x\](y)`},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"1. first", `1\. first`},
		{"<script>", `\<script\>`},
		{"$x$ ~~y~~ `z` a|b &amp;", "\\$x\\$ \\~\\~y\\~\\~ \\`z\\` a\\|b \\&amp;"},
		{"1 of 3 UEs failed: UE 1 (frame 5).", "1 of 3 UEs failed: UE 1 (frame 5)."},
	} {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := mdFence("a ``` b ```` c"); got != "`````" {
		t.Errorf("mdFence = %q", got)
	}
}

func TestLanesOf(t *testing.T) {
	msgs := ladderOf(
		ap(0, 1, "NGAP", cu, amf, "InitialUEMessage"),
		ap(1, 2, "F1AP", du, cu, "InitialULRRCMessageTransfer"),
		msg{from: "", to: "SMF", name: "odd", txid: -1, answers: -1},
	)
	for _, tt := range []struct {
		lanes []string
		want  []string
	}{
		{nil, []string{du, cu, amf, "?", "SMF"}},
		{[]string{ue, du, cu, amf}, []string{ue, du, cu, amf, "?", "SMF"}},
	} {
		if diff := cmp.Diff(tt.want, lanesOf(Meta{UE: ladder.UE{Lanes: tt.lanes}}, msgs)); diff != "" {
			t.Errorf("lanes %v (-want +got):\n%s", tt.lanes, diff)
		}
	}
	if diff := cmp.Diff([]string{ue, gnb}, lanesOf(Meta{}, nil)); diff != "" {
		t.Errorf("no messages (-want +got):\n%s", diff)
	}
	// Odd ends still render: a valid diagram, a row per message.
	var b bytes.Buffer
	if err := Mermaid(&b, Meta{}, msgs); err != nil {
		t.Fatal(err)
	}
	if errs := checkMermaid(b.String()); len(errs) > 0 {
		t.Errorf("%v\n%s", errs, b.String())
	}
	b.Reset()
	if err := Text(&b, Meta{}, msgs); err != nil {
		t.Fatal(err)
	}
	if len(ladderLines(t, b.String())) != 2+len(msgs)+1 {
		t.Errorf("text rows:\n%s", b.String())
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriteError(t *testing.T) {
	fx := twoLanes()
	for _, f := range formats {
		if err := f.render(failingWriter{}, fx.meta, fx.msgs); err == nil {
			t.Errorf("%s: no error from a failing writer", f.ext)
		}
	}
}

// TestEmpty exports a ladder with no messages: each export still says what
// it is of.
func TestEmpty(t *testing.T) {
	meta := twoLanes().meta
	for _, f := range formats {
		var b bytes.Buffer
		if err := f.render(&b, meta, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "srsue") || !strings.Contains(strings.ToLower(b.String()), "redacted") {
			t.Errorf("%s of no messages:\n%s", f.ext, b.String())
		}
	}
	var b bytes.Buffer
	if err := PNG(&b, ladder.Layout(nil, meta.UE.Lanes, meta.Start, nil, nil, nil), meta); err != nil {
		t.Fatal(err)
	}
}
