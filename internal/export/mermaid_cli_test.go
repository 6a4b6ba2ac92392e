package export

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMermaidCLI renders every Mermaid export with the Mermaid CLI (mmdc),
// which fails on anything its parser refuses. It needs mmdc and a Chromium:
//
//   - mmdc from $NRLADDER_MMDC or the PATH (npm install -g @mermaid-js/mermaid-cli),
//     or, with NRLADDER_MERMAID_NPX=1, fetched by npx -y @mermaid-js/mermaid-cli
//     (network, about 30 s the first time);
//   - Chromium from $PUPPETEER_EXECUTABLE_PATH or /usr/bin/chromium.
//
// Without them it skips, saying what is missing.
func TestMermaidCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP Mermaid CLI validation in -short mode")
	}
	var cmd []string
	switch {
	case os.Getenv("NRLADDER_MMDC") != "":
		cmd = []string{os.Getenv("NRLADDER_MMDC")}
	default:
		if p, err := exec.LookPath("mmdc"); err == nil {
			cmd = []string{p}
		} else if os.Getenv("NRLADDER_MERMAID_NPX") == "1" {
			if p, err := exec.LookPath("npx"); err == nil {
				cmd = []string{p, "-y", "@mermaid-js/mermaid-cli"}
			}
		}
	}
	if cmd == nil {
		t.Skip("SKIP Mermaid CLI validation: no mmdc (set NRLADDER_MMDC=/path/to/mmdc, put mmdc on the PATH, or set NRLADDER_MERMAID_NPX=1 to fetch it with npx); the exports were only checked by checkMermaid")
	}
	chromium := os.Getenv("PUPPETEER_EXECUTABLE_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("SKIP Mermaid CLI validation: no Chromium at %s (set PUPPETEER_EXECUTABLE_PATH): %v", chromium, err)
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "puppeteer.json")
	if err := os.WriteFile(config, []byte(`{"executablePath": "`+chromium+`", "args": ["--no-sandbox", "--disable-gpu"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Mermaid(&b, fx.meta, fx.msgs); err != nil {
				t.Fatal(err)
			}
			in, out := filepath.Join(dir, fx.name+".mmd"), filepath.Join(dir, fx.name+".svg")
			if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			args := append(cmd[1:], "-q", "-p", config, "-i", in, "-o", out)
			c := exec.CommandContext(ctx, cmd[0], args...)
			c.Env = append(os.Environ(), "PUPPETEER_EXECUTABLE_PATH="+chromium, "PUPPETEER_SKIP_DOWNLOAD=1")
			if msg, err := c.CombinedOutput(); err != nil {
				t.Fatalf("mmdc: %v\n%s\ninput:\n%s", err, msg, b.String())
			}
			svg, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			// The escaped text comes back as the capture had it.
			for _, want := range []string{"frame " + strconv.Itoa(fx.msgs[0].Frame), "redacted: " + yesNo(fx.meta.Redacted)} {
				if !strings.Contains(string(svg), want) {
					t.Errorf("the rendered SVG lacks %q", want)
				}
			}
		})
	}
}
