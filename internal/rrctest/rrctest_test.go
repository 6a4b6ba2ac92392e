package rrctest_test

import (
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBuildersMatchVectors builds, with the values of each vector, the
// message the vector encodes and compares the bytes.
func TestBuildersMatchVectors(t *testing.T) {
	vs := rrctest.Vectors(t)
	registration := mustHex(t, "7e004179000d0100f110f0ff000000000000102e02e0e0")
	authRequest := mustHex(t, "7e0056000200002100112233445566778899aabbccddeeff2010ffeeddccbbaa99887766554433221100")
	authResponse := mustHex(t, "7e00572d100123456789abcdef0123456789abcdef")

	tests := []struct {
		label string
		got   []byte
	}{
		{"RRCSetupRequest (randomValue, mo-Signalling)", rrctest.RRCSetupRequest(0x123456789, rrctest.MOSignalling)},
		{"RRCSetupRequest (ng-5G-S-TMSI-Part1, mo-Data)", rrctest.RRCSetupRequestTMSIPart1(0x123456789, rrctest.MOData)},
		{"RRCSetup (minimal masterCellGroup = CellGroupConfig{cellGroupId 0})", rrctest.RRCSetup(0)},
		{"RRCReject (waitTime 10)", rrctest.RRCReject(10)},
		{"RRCSetupComplete (Registration request NAS)", rrctest.RRCSetupComplete(0, registration)},
		{"DLInformationTransfer (Authentication request NAS)", rrctest.DLInformationTransfer(1, authRequest)},
		{"ULInformationTransfer (Authentication response NAS)", rrctest.ULInformationTransfer(authResponse)},
		{"SecurityModeCommand (nea2, nia2)", rrctest.SecurityModeCommand(2, rrctest.NEA2, rrctest.NIA2)},
		{"SecurityModeComplete", rrctest.SecurityModeComplete(2)},
		{"SecurityModeFailure", rrctest.SecurityModeFailure(2)},
		{"UECapabilityEnquiry (nr, no filter)", rrctest.UECapabilityEnquiry(3)},
		{"RRCReconfiguration (empty)", rrctest.RRCReconfiguration(0)},
		{"RRCReconfigurationComplete", rrctest.RRCReconfigurationComplete(0)},
		{"RRCRelease (plain, no suspendConfig)", rrctest.RRCRelease(1)},
		{"RRCReestablishmentRequest (otherFailure)", rrctest.RRCReestablishmentRequest(17921, 1, 0xbeef, rrctest.OtherFailure)},
		{"RRCReestablishment (NCC 2)", rrctest.RRCReestablishment(0, 2)},
		{"RRCReestablishmentComplete", rrctest.RRCReestablishmentComplete(0)},
		{"RRCResumeRequest1 (mo-Data)", rrctest.RRCResumeRequest1(0x123456789a, 0xabcd, rrctest.MOData)},
		{"Paging (ng-5G-S-TMSI)", rrctest.Paging(0x0123456789ab)},
		{"MIB (SFN msb 0x2a, scs30, coreset0 12)", rrctest.MIB(rrctest.MIBFields{
			SystemFrameNumber:       0x2a,
			SubCarrierSpacingCommon: 1,
			ControlResourceSetZero:  12,
		})},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			v := rrctest.VectorByLabel(t, vs, tt.label)
			want, err := v.PDU()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(hex.EncodeToString(want), hex.EncodeToString(tt.got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.label, diff)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		ch   rrc.Channel
		path []int
		tail []byte
		want string
	}{
		{rrc.BCCHBCH, []int{0}, nil, "00"},
		{rrc.BCCHBCH, []int{1}, nil, "80"},
		{rrc.DLDCCH, []int{0, 4}, []byte{0xff}, "27f8"},    // 0 0100 11111111 pad
		{rrc.ULDCCH, []int{1, 0, 3}, []byte{0xc0}, "8f00"}, // 1 0 0011 11000000 pad
		{rrc.ULDCCH, []int{1, 1}, nil, "c0"},
		{rrc.ULCCCH1, []int{0, 3}, nil, "60"},
		{rrc.PCCH, []int{1}, []byte{1}, "8080"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(rrctest.Header(tt.ch, tt.path, tt.tail))
		if got != tt.want {
			t.Errorf("Header(%v, %v, % x) = %s, want %s", tt.ch, tt.path, tt.tail, got, tt.want)
		}
	}
}

func TestHeaderPanicsOnBadPath(t *testing.T) {
	for _, tt := range []struct {
		ch   rrc.Channel
		path []int
	}{
		{rrc.DLDCCH, []int{0, 16}},
		{rrc.DLDCCH, []int{1, 0, 1}},
		{rrc.BCCHBCH, []int{0, 0}},
		{rrc.ULDCCH, []int{1, 2}},
		{rrc.ChannelUnknown, []int{0, 0}},
		{rrc.ULCCCH, nil},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Header(%v, %v) did not panic", tt.ch, tt.path)
				}
			}()
			rrctest.Header(tt.ch, tt.path, nil)
		}()
	}
}

func TestPaths(t *testing.T) {
	counts := map[rrc.Channel]int{
		rrc.BCCHBCH: 2, rrc.BCCHDLSCH: 3, rrc.DLCCCH: 5, rrc.DLDCCH: 17,
		rrc.PCCH: 3, rrc.ULCCCH: 5, rrc.ULCCCH1: 5, rrc.ULDCCH: 16 + 16 + 1,
	}
	for ch, want := range counts {
		ps := rrctest.Paths(ch)
		if len(ps) != want {
			t.Errorf("len(Paths(%v)) = %d, want %d", ch, len(ps), want)
		}
		for _, p := range ps {
			rrctest.Header(ch, p, nil) // must not panic
		}
	}
}

func TestVectorAlternative(t *testing.T) {
	vs := rrctest.Vectors(t)
	type alt struct {
		Path string
		TxID int
	}
	var got []alt
	for _, label := range []string{"SecurityModeCommand (nea2, nia2)", "MIB (SFN msb 0x2a, scs30, coreset0 12)", "ULInformationTransfer (Authentication response NAS)"} {
		p, id, ok := rrctest.VectorByLabel(t, vs, label).Alternative()
		if !ok {
			t.Fatalf("%s: no alternative", label)
		}
		got = append(got, alt{p, id})
	}
	want := []alt{{"c1.securityModeCommand", 2}, {"mib", -1}, {"c1.ulInformationTransfer", -1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Alternative (-want +got):\n%s", diff)
	}
}
