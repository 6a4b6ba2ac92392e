package capture

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/capturetest"
)

const tracesDir = "../../../../shared/traces"

// tsharkPath returns tshark's path, or "" when it is not installed.
func tsharkPath() string {
	p, err := exec.LookPath("tshark")
	if err != nil {
		return ""
	}
	return p
}

// tsharkFrames runs tshark on file and returns, per frame number, the line
// "time_epoch len cap_len".
func tsharkFrames(t *testing.T, tshark, file string) map[int]string {
	t.Helper()
	cmd := exec.Command(tshark, "-r", file, "-T", "fields",
		"-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v\n%s", file, err, stderr.String())
	}
	frames := map[int]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		n, err := strconv.Atoi(f[0])
		if err != nil || len(f) != 4 {
			t.Fatalf("tshark line %q", line)
		}
		frames[n] = strings.Join(f[1:], " ")
	}
	return frames
}

// epoch formats t as tshark's frame.time_epoch.
func epoch(t time.Time) string {
	sec, ns := t.Unix(), t.Nanosecond()
	if sec < 0 && ns > 0 {
		return fmt.Sprintf("-%d.%09d", -(sec + 1), 1e9-ns)
	}
	return fmt.Sprintf("%d.%09d", sec, ns)
}

// TestAgainstTshark reads every built test file with tshark too and compares
// frame numbers, times and lengths.
func TestAgainstTshark(t *testing.T) {
	tshark := tsharkPath()
	if tshark == "" {
		t.Skip("TSHARK NOT INSTALLED: built files not cross-checked against Wireshark")
	}
	dir := t.TempDir()
	for _, s := range goldenFiles() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(dir, seedName(s))
			if err := os.WriteFile(file, s.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, pkts, err := readAll(t, s.data, Options{})
			if err != io.EOF {
				t.Fatalf("reading ended with %v", err)
			}
			ts := tsharkFrames(t, tshark, file)
			if len(ts) != r.f.frame {
				t.Errorf("tshark numbers %d frames; we counted %d", len(ts), r.f.frame)
			}
			for _, p := range pkts {
				want := ts[p.Frame]
				got := fmt.Sprintf("%s %d %d", epoch(p.Time), p.OrigLen, len(p.Data))
				if p.Time.IsZero() { // simple packet block: tshark's time is its own
					want = want[strings.IndexByte(want, ' '):]
					got = got[strings.IndexByte(got, ' '):]
				}
				if got != want {
					t.Errorf("frame %d: got %q; tshark says %q", p.Frame, got, want)
				}
			}
		})
	}
}

// TestTraces reads the real captures in ../shared/traces, plain and gzip'd,
// and checks the frame count against tshark's.
func TestTraces(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(tracesDir, "*.pcap*"))
	if len(files) == 0 {
		t.Skip("../shared/traces absent: no real captures to read")
	}
	tshark := tsharkPath()
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r, pkts, err := readAll(t, b, Options{})
			if err != io.EOF {
				t.Fatalf("reading ended with %v after %d packets", err, len(pkts))
			}
			if len(pkts) == 0 {
				t.Errorf("no packets")
			}
			_, gzPkts, err := readAll(t, capturetest.Gzip(b), Options{})
			if err != io.EOF {
				t.Errorf("gzip'd: reading ended with %v", err)
			}
			if diff := cmp.Diff(pkts, gzPkts, normalise); diff != "" {
				t.Errorf("gzip'd copy reads differently (-plain +gzip):\n%s", diff)
			}
			t.Run("tshark", func(t *testing.T) {
				if tshark == "" {
					t.Skip("TSHARK NOT INSTALLED: frame count not cross-checked")
				}
				out, err := exec.Command(tshark, "-r", file, "-T", "fields", "-e", "frame.number").Output()
				if err != nil {
					t.Fatalf("tshark: %v", err)
				}
				if want := bytes.Count(out, []byte("\n")); r.f.frame != want {
					t.Errorf("read %d frames; tshark reads %d", r.f.frame, want)
				}
			})
		})
	}
}
