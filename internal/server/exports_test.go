package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/tracetest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

func TestCaptureExports(t *testing.T) {
	ts := newTestServer(t, Config{})
	capFile := tracetest.Pcap(tracetest.SecurityModeFailure())
	_, body := ts.upload("/api/traces", "smf.pcap", capFile)
	c := decode[created](t, body)

	resp, orig := ts.get(c.URL + "/capture")
	if resp.StatusCode != 200 || !bytes.Equal(orig, capFile) || !strings.Contains(resp.Header.Get("Content-Disposition"), `filename="smf.pcap"`) {
		t.Errorf("original capture: %d, %d bytes, %q", resp.StatusCode, len(orig), resp.Header.Get("Content-Disposition"))
	}
	resp, _ = ts.get(c.URL + "/capture?redact=1")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("redacted original capture: status %d, want 422", resp.StatusCode)
	}

	// The UE's frames and its RRC as exported PDUs both parse back to the
	// same eight messages.
	for _, path := range []string{"/frames.pcapng?ue=ue0", "/rrc.pcapng?ue=ue0", "/rrc.pcapng"} {
		resp, b := ts.get(c.URL + path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d: %s", path, resp.StatusCode, b)
		}
		res, err := parse.Trace(bytes.NewReader(b), parse.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var names []string
		for _, e := range res.Events {
			names = append(names, e.Message)
		}
		want := []string{"RRCSetupRequest", "RRCSetup", "RRCSetupComplete", "DLInformationTransfer", "ULInformationTransfer", "SecurityModeCommand", "SecurityModeFailure", "RRCRelease"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("%s messages (-want +got):\n%s", path, diff)
		}

		// Wireshark opens it with no settings and shows the same messages.
		if _, err := lookTshark(); err == nil {
			var got []string
			for _, pkt := range tsharktest.PDML(t, b) {
				views, _ := tsharktest.RRC(&pkt)
				for _, v := range views {
					got = append(got, v.Path[strings.LastIndex(v.Path, ".")+1:])
				}
			}
			wantAlts := []string{"rrcSetupRequest", "rrcSetup", "rrcSetupComplete", "dlInformationTransfer", "ulInformationTransfer", "securityModeCommand", "securityModeFailure", "rrcRelease"}
			if diff := cmp.Diff(wantAlts, got); diff != "" {
				t.Errorf("%s: tshark (-want +got):\n%s", path, diff)
			}
		}
	}
	resp, _ = ts.get(c.URL + "/rrc.pcapng?ue=nope")
	if resp.StatusCode != 404 {
		t.Errorf("unknown UE: status %d", resp.StatusCode)
	}
}

func TestLadderExports(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, body := ts.upload("/api/traces", "smf.pcap", tracetest.Pcap(tracetest.SecurityModeFailure()))
	c := decode[created](t, body)
	tests := []struct {
		path, contentType string
		has               []string
	}{
		{"/ladder.txt", "text/plain; charset=utf-8", []string{"SecurityModeFailure (txid 2)", "RRCRelease", "smf.pcap", "Redacted: no"}},
		{"/ladder.mmd", "text/plain; charset=utf-8", []string{"sequenceDiagram", "SecurityModeFailure", "rect rgb(253,236,234)"}},
		{"/report.md", "text/markdown; charset=utf-8", []string{"smf.pcap", "smc-failure", "```", "SecurityModeFailure (frame 7) 12.4 ms after SecurityModeCommand (frame 6, txid 2)"}},
		{"/ladder.png", "image/png", []string{"\x89PNG"}},
		{"/ladder.svg", "image/svg+xml; charset=utf-8", []string{"SecurityModeFailure"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, b := ts.get(c.URL + tt.path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.contentType {
				t.Fatalf("status %d, type %q: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
			for _, s := range tt.has {
				if !strings.Contains(string(b), s) {
					t.Errorf("lacks %q:\n%.1500s", s, b)
				}
			}
			// A range: from the command to the failure.
			resp, rb := ts.get(c.URL + tt.path + "?from=5&to=6")
			if resp.StatusCode != 200 {
				t.Fatalf("range: status %d: %s", resp.StatusCode, rb)
			}
			if tt.path != "/ladder.png" && (strings.Contains(string(rb), "RRCSetupRequest") || !strings.Contains(string(rb), "SecurityModeCommand")) {
				t.Errorf("range export holds the wrong messages:\n%.1500s", rb)
			}
			// Stable: the same request gives the same bytes.
			_, again := ts.get(c.URL + tt.path)
			if !bytes.Equal(b, again) {
				t.Errorf("export not stable")
			}
		})
	}
	resp, b := ts.get(c.URL + "/ladder.txt?from=5&to=999")
	if resp.StatusCode != 404 || !strings.Contains(string(b), "message 999") {
		t.Errorf("range to a missing message: %d %s", resp.StatusCode, b)
	}
}
