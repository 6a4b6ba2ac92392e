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
