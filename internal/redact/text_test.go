package redact

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/ladder"
)

func TestText(t *testing.T) {
	m := func(n int) string { return strings.Repeat(Mask, n) }
	cases := []struct {
		in, want, wantRNTI string // wantRNTI: with Options.RNTI, when it differs
	}{
		{in: "", want: ""},
		{in: "nothing to see: RRCSetupComplete, 12.4 ms", want: "nothing to see: RRCSetupComplete, 12.4 ms"},
		{
			in:   "2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-0123456789",
			want: "2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-" + m(10),
		},
		{in: "suci-0-208-93-0-1-3-0a1b2c3d4e5f", want: "suci-0-208-93-0-1-3-" + m(12)},
		{in: "joined by 5G-S-TMSI 1-1-00000016", want: "joined by 5G-S-TMSI 1-1-" + m(8)},
		{in: "joined by IMEI 35249311454808, 5G-S-TMSI 1009-1-c0ffee01", want: "joined by IMEI " + m(14) + ", 5G-S-TMSI 1009-1-" + m(8)},
		{in: "IMEISV 3534900698733019", want: "IMEISV " + m(16)},
		{in: "SUCI user0123@nai.5gc.mnc001.mcc001.3gppnetwork.org", want: "SUCI " + m(8) + "@nai.5gc.mnc001.mcc001.3gppnetwork.org"},
		{in: "SUPI imsi-001010123456789", want: "SUPI imsi-00101" + m(10)},
		{in: "SUPI nai-someone@example.org", want: "SUPI nai-" + m(7) + "@example.org"},
		{in: "5G-GUTI MCC 001, MNC 01, AMF region ID 202, AMF set ID 1009, AMF pointer 1, 5G-TMSI 0xc0ffee01", want: "5G-GUTI MCC 001, MNC 01, AMF region ID 202, AMF set ID 1009, AMF pointer 1, 5G-TMSI 0x" + m(8)},
		{in: "5G-TMSI 3237998081 (0xc0ffee01)", want: "5G-TMSI " + m(10) + " (0x" + m(8) + ")"},
		{in: "UE 1 · C-RNTI 0x4601", want: "UE 1 · C-RNTI 0x4601", wantRNTI: "UE 1 · C-RNTI 0x" + m(4)},
		{in: "rlc: frame 812: ue 0x4601 srb1 dl: sn 7", want: "rlc: frame 812: ue 0x4601 srb1 dl: sn 7", wantRNTI: "rlc: frame 812: ue 0x" + m(4) + " srb1 dl: sn 7"},
		{in: "c-rnti 0x4601#2", want: "c-rnti 0x4601#2", wantRNTI: "c-rnti 0x" + m(4) + "#2"},
		{in: "gNB-DU-UE-F1AP-ID 3, RAN-UE-NGAP-ID 1", want: "gNB-DU-UE-F1AP-ID 3, RAN-UE-NGAP-ID 1"},
		{in: "IMEI 123", want: "IMEI 123"}, // not an IMEI
	}
	for _, c := range cases {
		if got := Text(c.in, Options{}); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
		want := c.want
		if c.wantRNTI != "" {
			want = c.wantRNTI
		}
		if got := Text(c.in, Options{RNTI: true}); got != want {
			t.Errorf("Text(%q, RNTI) = %q, want %q", c.in, got, want)
		}
	}
}

func TestUE(t *testing.T) {
	rnti := 0x4601
	u := ladder.UE{
		Key:   "ue1",
		Label: "UE 1 · C-RNTI 0x4601",
		RNTI:  &rnti,
		Note:  "2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-0000000001, 5G-S-TMSI 1-1-00000016, IMEI 35249311454808",
		IDs:   []string{"C-RNTI 0x4601", "gNB-DU-UE-F1AP-ID 3", "RAN-UE-NGAP-ID 1"},
		Lanes: []string{"UE", "gNB-DU", "gNB-CU", "AMF"},
	}
	orig := u
	orig.IDs = append([]string(nil), u.IDs...)
	note := "2 RRC connections of the same UE, joined by SUCI suci-0-001-01-0000-0-0-••••••••••, 5G-S-TMSI 1-1-••••••••, IMEI ••••••••••••••"

	want := u
	want.Note = note
	if diff := cmp.Diff(want, UE(u, Options{})); diff != "" {
		t.Errorf("UE (-want +got):\n%s", diff)
	}

	want.Label = "UE 1 · C-RNTI 0x••••"
	want.IDs = []string{"C-RNTI 0x••••", "gNB-DU-UE-F1AP-ID 3", "RAN-UE-NGAP-ID 1"}
	want.RNTI = nil
	if diff := cmp.Diff(want, UE(u, Options{RNTI: true})); diff != "" {
		t.Errorf("UE with RNTI (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(orig, u); diff != "" {
		t.Errorf("UE modified its input (-before +after):\n%s", diff)
	}
}

func TestNotice(t *testing.T) {
	if n := Notice(Options{}); !strings.Contains(n, "C-RNTIs kept") || !strings.HasPrefix(n, "subscriber identities masked") {
		t.Errorf("Notice() = %q", n)
	}
	if n := Notice(Options{RNTI: true}); !strings.HasSuffix(n, ", C-RNTI") {
		t.Errorf("Notice(RNTI) = %q", n)
	}
}
