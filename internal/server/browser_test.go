package server

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nrladder/nrladder/internal/tracetest"
)

// browser starts headless Debian Chromium, or skips loudly when it is absent.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		}
	}
	if path == "" {
		t.Skip("BROWSER TEST SKIPPED: no Chromium found (apt-get install chromium, or set CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// dropFile drops a file on the upload page's drop zone, as a user dragging
// it from the desktop does.
func dropFile(name string, data []byte) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`(() => {
		const bytes = Uint8Array.from(atob(%q), c => c.charCodeAt(0));
		const file = new File([bytes], %q, {type: "application/vnd.tcpdump.pcap"});
		const dt = new DataTransfer();
		dt.items.add(file);
		const zone = document.querySelector('[data-testid="dropzone"]');
		zone.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true, cancelable: true}));
		zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, base64.StdEncoding.EncodeToString(data), name)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return chromedp.Void{}, err
	}
}

// eval runs JavaScript in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserDropAndInspect(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, Config{})

	do(t, ctx,
		chromedp.Navigate(ts.http.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dropzone"]`)),
		// A file that is not a capture: the error shows and the form stays.
		dropFile("notes.txt", []byte("hello, this is not a capture")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="upload-error"]`)),
	)
	if !eval[bool](t, ctx, `document.querySelector('[data-testid="upload-error"]').innerText.includes("not a pcap or pcapng file")`) {
		t.Error("dropping a text file did not show the not-a-capture error")
	}

	// The real capture.
	do(t, ctx,
		dropFile("smf.pcap", tracetest.Pcap(tracetest.SecurityModeFailure())),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="ladder"]`)),
	)
	location := eval[string](t, ctx, `location.href`)
	title := eval[string](t, ctx, `document.title`)
	if !strings.Contains(location, "/t/") || !strings.Contains(title, "smf.pcap") {
		t.Errorf("landed on %q titled %q, want the trace page", location, title)
	}
	if stroke := eval[string](t, ctx, `getComputedStyle(document.querySelector('g[data-role="smf"] line')).stroke`); stroke != "rgb(196, 38, 29)" {
		t.Errorf("SecurityModeFailure arrow stroke = %q, want the failure red", stroke)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`g[data-role="smf"] .label`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="details-title"]`)),
	)
	details := eval[string](t, ctx, `document.querySelector('[data-testid="details"] .panel-body').innerText`)
	selected := eval[bool](t, ctx, `document.querySelector('g[data-role="smf"]').classList.contains("selected")`)
	hash := eval[string](t, ctx, `location.hash`)
	if !selected || hash != "#m6" {
		t.Errorf("after the click: selected %v, hash %q", selected, hash)
	}
	for _, s := range []string{"SecurityModeFailure", "UE → gNB", "SRB1 · UL-DCCH", "2026-11-26T09:30:00.072400000Z", "3400"} {
		if !strings.Contains(details, s) {
			t.Errorf("details panel lacks %q:\n%s", s, details)
		}
	}

	// A message link opens the page with that message selected.
	page := strings.Split(location, "#")[0]
	do(t, ctx,
		chromedp.Navigate(page+"#m7"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="details-title"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('[data-testid="details-title"]').textContent`); got != "RRCRelease" {
		t.Errorf("#m7 selected %q, want RRCRelease", got)
	}

	if p := os.Getenv("NRLADDER_SCREENSHOT"); p != "" {
		do(t, ctx, chromedp.Navigate(page+"#m6"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="details-title"]`)), chromedp.Sleep(300*time.Millisecond))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The findings panel selects the messages a finding rests on; the export
// bar follows a shift-click range; an export opens.
func TestBrowserFindingsAndExports(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, Config{})
	_, body := ts.upload("/api/traces", "smf.pcap", tracetest.Pcap(tracetest.SecurityModeFailure()))
	c := decode[created](t, body)

	do(t, ctx,
		chromedp.Navigate(ts.http.URL+c.URL),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="finding"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="finding"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="details-title"]`)),
	)
	sel := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("g.msg.selected")).map(g => g.getAttribute("data-seq"))`)
	if strings.Join(sel, ",") != "5,6" {
		t.Errorf("the smc-failure finding selected arrows %v, want 5,6", sel)
	}

	// Shift-click from the command to the release: the exports take the range.
	do(t, ctx, chromedp.Click(chromedp.CSS(`g[data-seq="5"] .label`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const g = document.querySelector('g[data-seq="7"]'); g.dispatchEvent(new MouseEvent("click", {bubbles: true, shiftKey: true})); return true })()`)); err != nil {
		t.Fatal(err)
	}
	href := eval[string](t, ctx, `document.querySelector('[data-testid="export-Text"]').getAttribute("href")`)
	if !strings.Contains(href, "from=5") || !strings.Contains(href, "to=7") {
		t.Errorf("text export link after a shift-click range = %q", href)
	}
	note := eval[string](t, ctx, `document.querySelector('[data-testid="range-note"]').textContent`)
	if !strings.Contains(note, "5–7") {
		t.Errorf("range note = %q", note)
	}
	do(t, ctx, chromedp.Navigate(ts.http.URL+href), chromedp.WaitVisible(chromedp.CSS(`body`)))
	text := eval[string](t, ctx, `document.body.innerText`)
	if !strings.Contains(text, "SecurityModeFailure (txid 2)") || strings.Contains(text, "RRCSetupRequest") {
		t.Errorf("the text export of the range:\n%s", text)
	}
}
