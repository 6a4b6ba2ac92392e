package nastest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncodings checks the IE encoders against encodings written out
// from TS 24.501 and TS 24.008 figures.
func TestEncodings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want []byte
	}{
		{"PLMN 001-01", PLMN("001", "01"), []byte{0x00, 0xf1, 0x10}},
		{"PLMN 310-410", PLMN("310", "410"), []byte{0x13, 0x00, 0x14}},
		{"BCD odd", BCD("12345"), []byte{0x21, 0x43, 0xf5}},
		{"SUCI null scheme", SUCI("208", "93", "1234", "0123456789"),
			[]byte{0x01, 0x02, 0xf8, 0x39, 0x21, 0x43, 0x00, 0x00, 0x10, 0x32, 0x54, 0x76, 0x98}},
		{"5G-GUTI", GUTI("001", "01", 0xca, 0x3f1, 1, 0xc0ffee01),
			[]byte{0xf2, 0x00, 0xf1, 0x10, 0xca, 0xfc, 0x41, 0xc0, 0xff, 0xee, 0x01}},
		{"5G-S-TMSI", STMSI(0x3f1, 1, 0xc0ffee01), []byte{0xf4, 0xfc, 0x41, 0xc0, 0xff, 0xee, 0x01}},
		{"IMEISV", IMEISV("3534900698733019"), []byte{0x35, 0x35, 0x94, 0x00, 0x96, 0x78, 0x33, 0x10, 0xf9}},
		{"IMEI", IMEI("353490069873301"), []byte{0x3b, 0x35, 0x94, 0x00, 0x96, 0x78, 0x33, 0x10}},
		{"APN", APN("ims.mnc001"), []byte{3, 'i', 'm', 's', 6, 'm', 'n', 'c', '0', '0', '1'}},
		{"type 3 protection", Protect(3, 0x01020304, 5, []byte{0x7e, 0x00, 0x5d}), []byte{0x7e, 0x03, 1, 2, 3, 4, 5, 0x7e, 0x00, 0x5d}},
		{"LV-E", LVE([]byte{0xaa}), []byte{0x00, 0x01, 0xaa}},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if c := Cipher([]byte{EPD5GMM, 0x00}); c[0] == EPD5GMM || c[0] == EPD5GSM {
		t.Errorf("Cipher output starts with an EPD: % x", c)
	}
}
