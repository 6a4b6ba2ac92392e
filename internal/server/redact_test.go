package server

import (
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// With redact=1 no subscriber identity reaches the reader: not the page, the
// details, the JSON, nor any export.
func TestRedaction(t *testing.T) {
	const msin = "2718281828"
	steps := tracetest.SecurityModeFailure()
	steps[2].PDU = rrctest.RRCSetupComplete(0, nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", msin), 0xe0, 0xe0))
	ts := newTestServer(t, Config{})
	_, body := ts.upload("/api/traces", "suci.pcap", tracetest.Pcap(steps))
	c := decode[created](t, body)

	// Unredacted, the MSIN is there (the test would prove nothing otherwise).
	_, plain := ts.get(c.URL + "/m/2/details")
	if !strings.Contains(string(plain), msin) {
		t.Fatalf("the unredacted details do not show the MSIN %s", msin)
	}
	// BCD of the MSIN as it sits in the NAS bytes: 72 18 28 18 82.
	const bcd = "7218281882"
	for _, path := range []string{"?redact=1", "/m/2/details?redact=1", "/m/2/details?part=panel&redact=1",
		"/ladder.txt?redact=1", "/ladder.mmd?redact=1", "/report.md?redact=1", "/ladder.svg?redact=1"} {
		resp, b := ts.get(c.URL + path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", path, resp.StatusCode)
			continue
		}
		if strings.Contains(string(b), msin) || strings.Contains(strings.ToLower(string(b)), bcd) {
			t.Errorf("%s leaks the MSIN", path)
		}
	}
	resp, b := ts.get("/api/traces/" + c.ID + "?redact=1")
	if resp.StatusCode != 200 || strings.Contains(string(b), msin) || strings.Contains(strings.ToLower(string(b)), bcd) {
		t.Errorf("API: status %d, leaks the MSIN: %v", resp.StatusCode, strings.Contains(string(b), bcd))
	}
	if !strings.Contains(string(b), `"mcc"`) && !strings.Contains(string(b), "001") {
		t.Errorf("API lost the network identity")
	}
	// The redacted RRC capture still parses, without the MSIN.
	resp, pcap := ts.get(c.URL + "/rrc.pcapng?redact=1")
	if resp.StatusCode != 200 || strings.Contains(strings.ToLower(hexOf(pcap)), bcd) {
		t.Errorf("rrc.pcapng: status %d, leaks the MSIN", resp.StatusCode)
	}
	_, txt := ts.get(c.URL + "/ladder.txt?redact=1")
	if !strings.Contains(string(txt), "Redacted: yes") {
		t.Errorf("the text export does not say it is redacted")
	}
	resp, _ = ts.get(c.URL + "/frames.pcapng?redact=1")
	if resp.StatusCode != 422 {
		t.Errorf("redacted original frames: status %d, want 422", resp.StatusCode)
	}
}
