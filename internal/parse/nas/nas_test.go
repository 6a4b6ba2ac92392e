package nas_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/nas"
)

var update = flag.Bool("update", false, "rewrite testdata/golden and testdata/fuzz/FuzzDecode from the nastest builders")

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9]+`)

func slug(s string) string { return strings.Trim(unsafeName.ReplaceAllString(s, "-"), "-") }

// render writes a decoded message as text: summary, IE tree, notes.
func render(m *nas.Message) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "summary: %s\n", m.Summary())
	var walk func(ies []nas.IE, depth int)
	walk = func(ies []nas.IE, depth int) {
		for _, ie := range ies {
			fmt.Fprintf(&sb, "%s%s: %s\n", strings.Repeat("  ", depth+1), ie.Name, ie.Value)
			walk(ie.Children, depth+1)
		}
	}
	walk(m.IEs, 0)
	for _, n := range m.Notes {
		fmt.Fprintf(&sb, "note: %s\n", n)
	}
	return sb.String()
}

// TestBuilders decodes every nastest builder: the structured fields must
// be as the builder wrote them (cmp.Diff), the IE tree as in the golden
// file testdata/golden/<builder>.txt (go test -run TestBuilders -update
// rewrites them; review the diff).
func TestBuilders(t *testing.T) {
	for _, b := range builders() {
		t.Run(slug(b.name), func(t *testing.T) {
			m, err := nas.Decode(b.pdu, b.opts)
			if err != nil {
				t.Fatalf("Decode(% x): %v", b.pdu, err)
			}
			if diff := cmp.Diff(&b.want, viewOf(m)); diff != "" {
				t.Errorf("Decode(% x) (-want +got):\n%s", b.pdu, diff)
			}
			golden := filepath.Join("testdata", "golden", slug(b.name)+".txt")
			got := render(m)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("golden file missing (go test -run TestBuilders -update): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("IE tree differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// The message types of TS 24.501 Tables 9.7.1 (5GMM) and 9.7.2 (5GSM),
// Rel-17, written out here so that the test checks the package's tables
// rather than repeats them.
var (
	mmTypes = map[byte]string{
		0x41: "Registration request", 0x42: "Registration accept", 0x43: "Registration complete", 0x44: "Registration reject",
		0x45: "Deregistration request (UE originating)", 0x46: "Deregistration accept (UE originating)",
		0x47: "Deregistration request (UE terminated)", 0x48: "Deregistration accept (UE terminated)",
		0x4c: "Service request", 0x4d: "Service reject", 0x4e: "Service accept", 0x4f: "Control plane service request",
		0x50: "Network slice-specific authentication command", 0x51: "Network slice-specific authentication complete",
		0x52: "Network slice-specific authentication result",
		0x54: "Configuration update command", 0x55: "Configuration update complete",
		0x56: "Authentication request", 0x57: "Authentication response", 0x58: "Authentication reject",
		0x59: "Authentication failure", 0x5a: "Authentication result",
		0x5b: "Identity request", 0x5c: "Identity response",
		0x5d: "Security mode command", 0x5e: "Security mode complete", 0x5f: "Security mode reject",
		0x64: "5GMM status", 0x65: "Notification", 0x66: "Notification response",
		0x67: "UL NAS transport", 0x68: "DL NAS transport",
		0x69: "Relay key request", 0x6a: "Relay key accept", 0x6b: "Relay key reject",
		0x6c: "Relay authentication request", 0x6d: "Relay authentication response",
	}
	smTypes = map[byte]string{
		0xc1: "PDU session establishment request", 0xc2: "PDU session establishment accept", 0xc3: "PDU session establishment reject",
		0xc5: "PDU session authentication command", 0xc6: "PDU session authentication complete", 0xc7: "PDU session authentication result",
		0xc9: "PDU session modification request", 0xca: "PDU session modification reject", 0xcb: "PDU session modification command",
		0xcc: "PDU session modification complete", 0xcd: "PDU session modification command reject",
		0xd1: "PDU session release request", 0xd2: "PDU session release reject", 0xd3: "PDU session release command",
		0xd4: "PDU session release complete", 0xd6: "5GSM status",
		0xd8: "Service-level authentication command", 0xd9: "Service-level authentication complete",
		0xda: "Remote UE report", 0xdb: "Remote UE report response",
	}
)

// TestMessageNames walks every message type value under both EPDs: an
// assigned type is named (by MessageName and by Decode of a header-only
// PDU, which may then be truncated), any other is unnamed and noted.
func TestMessageNames(t *testing.T) {
	for _, tc := range []struct {
		epd   byte
		names map[byte]string
		pdu   func(typ byte) []byte
	}{
		{nas.EPD5GMM, mmTypes, func(typ byte) []byte { return []byte{0x7e, 0x00, typ} }},
		{nas.EPD5GSM, smTypes, func(typ byte) []byte { return []byte{0x2e, 0x05, 0x01, typ} }},
	} {
		named := 0
		for v := range 256 {
			typ := byte(v)
			want := tc.names[typ]
			if got := nas.MessageName(tc.epd, typ); got != want {
				t.Errorf("MessageName(0x%02x, 0x%02x) = %q, want %q", tc.epd, typ, got, want)
			}
			m, err := nas.Decode(tc.pdu(typ), nas.Options{CipheringAlgorithm: -1})
			if err != nil && !errors.Is(err, nas.ErrTruncated) {
				t.Errorf("Decode type 0x%02x: %v", typ, err)
			}
			if m == nil {
				t.Fatalf("Decode type 0x%02x: nil message", typ)
			}
			if m.Name != want || m.Type != typ {
				t.Errorf("Decode type 0x%02x: Name %q Type 0x%02x, want %q", typ, m.Name, m.Type, want)
			}
			switch {
			case want != "" && !strings.HasPrefix(m.Summary(), want):
				t.Errorf("Summary = %q, want %q", m.Summary(), want)
			case want == "" && (len(m.Notes) != 1 || !strings.Contains(m.Summary(), fmt.Sprintf("unknown 5G%cM message type 0x%02x", "MS"[boolInt(tc.epd == nas.EPD5GSM)], typ))):
				t.Errorf("type 0x%02x: Summary %q, notes %q", typ, m.Summary(), m.Notes)
			}
			if want != "" {
				named++
			}
		}
		if named != len(tc.names) {
			t.Errorf("EPD 0x%02x: %d named types, want %d", tc.epd, named, len(tc.names))
		}
	}
	if nas.MessageName(0x07, 0x41) != "" {
		t.Error("EPS mobility management message named")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCauseNames checks the cause tables against values from TS 24.501
// Annex A/B and tshark's spelling.
func TestCauseNames(t *testing.T) {
	for _, tc := range []struct {
		f    func(int) string
		v    int
		want string
	}{
		{nas.MMCauseName, 3, "Illegal UE"},
		{nas.MMCauseName, 7, "5GS services not allowed"},
		{nas.MMCauseName, 21, "Synch failure"},
		{nas.MMCauseName, 23, "UE security capabilities mismatch"},
		{nas.MMCauseName, 24, "Security mode rejected, unspecified"},
		{nas.MMCauseName, 111, "Protocol error, unspecified"},
		{nas.MMCauseName, 2, "unknown 5GMM cause"},
		{nas.SMCauseName, 36, "Regular deactivation"},
		{nas.SMCauseName, 0, "unknown 5GSM cause"},
		{nas.CipheringAlgorithmName, 0, "5G-EA0 (null ciphering algorithm)"},
		{nas.CipheringAlgorithmName, 2, "128-5G-EA2"},
		{nas.IntegrityAlgorithmName, 3, "128-5G-IA3"},
		{nas.IntegrityAlgorithmName, 8, "unknown"},
	} {
		if got := tc.f(tc.v); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestSecurityCapability(t *testing.T) {
	c := nas.SecurityCapability{EA: 0xb0, IA: 0x60}
	for alg, want := range []bool{true, false, true, true, false, false, false, false} {
		if c.SupportsEA(alg) != want {
			t.Errorf("SupportsEA(%d) = %v", alg, !want)
		}
	}
	if c.SupportsIA(0) || !c.SupportsIA(1) || !c.SupportsIA(2) || c.SupportsIA(3) || c.SupportsIA(-1) || c.SupportsIA(8) {
		t.Error("SupportsIA wrong")
	}
	if c.SupportsEEA(0) || c.SupportsEIA(1) {
		t.Error("EPS algorithms supported without the EPS octets")
	}
}

// TestErrors checks the exact error of each way a PDU can fail, that it
// wraps the sentinel, and that a failure after the header still returns
// the message named.
func TestErrors(t *testing.T) {
	smc := nastest.ProtectedSecurityModeCommand(2, 2, 1, 0xf0, 0xf0)
	for _, tc := range []struct {
		name     string
		pdu      []byte
		opts     nas.Options
		sentinel error
		want     string
		partial  string // Name of the message returned with the error; "" for none
	}{
		{"empty", nil, unknownAlg, nas.ErrEmpty, "nas: byte 0: empty input", ""},
		{"EPS NAS", []byte{0x07, 0x41}, unknownAlg, nas.ErrUnknownEPD,
			"nas: byte 0: unknown extended protocol discriminator (0x07, want 0x7e 5GMM or 0x2e 5GSM)", ""},
		{"EPD only", []byte{0x7e}, unknownAlg, nas.ErrTruncated,
			"nas: byte 1: truncated input (security header type: 1 byte needed, 0 left)", ""},
		{"reserved security header", []byte{0x7e, 0x05, 0, 0, 0, 0, 0}, unknownAlg, nas.ErrReservedSecurityHeader,
			"nas: byte 1: reserved security header type (5)", ""},
		{"no message type", []byte{0x7e, 0x00}, unknownAlg, nas.ErrTruncated,
			"nas: byte 2: truncated input (message type: 1 byte needed, 0 left)", ""},
		{"5GSM header", []byte{0x2e, 0x01, 0x01}, unknownAlg, nas.ErrTruncated,
			"nas: byte 0: truncated input (5GSM header: 4 bytes needed, 3 left)", ""},
		{"security header cut", []byte{0x7e, 0x02, 0xaa, 0xbb}, unknownAlg, nas.ErrTruncated,
			"nas: byte 2: truncated input (security header: MAC and sequence number need 5 bytes, 2 left)", ""},
		{"nothing after the security header", smc[:7], unknownAlg, nas.ErrTruncated,
			"nas: byte 7: truncated input (no plain NAS message after the security header)", ""},
		{"mobile identity cut", regRequest[:10], unknownAlg, nas.ErrTruncated,
			"nas: byte 4: truncated input (5GS mobile identity length 13, 4 bytes left)", "Registration request"},
		{"mobile identity length cut", regRequest[:5], unknownAlg, nas.ErrTruncated,
			"nas: byte 4: truncated input (5GS mobile identity: length needs 2 bytes, 1 left)", "Registration request"},
		{"cause missing", []byte{0x7e, 0x00, 0x44}, unknownAlg, nas.ErrTruncated,
			"nas: byte 3: truncated input (5GMM cause: 1 byte needed, 0 left)", "Registration reject"},
		{"inner message cut", smc[:len(smc)-6], unknownAlg, nas.ErrTruncated,
			"nas: byte 12: truncated input (Replayed UE security capabilities length 4, 2 bytes left)", "Security mode command"},
		{"type 3 IE cut", []byte{0x7e, 0x00, 0x56, 0x00, 0x02, 0x00, 0x00, 0x21}, unknownAlg, nas.ErrTruncated,
			"nas: byte 7: truncated input (Authentication parameter RAND (5G authentication challenge): 16 bytes needed after the IEI, 0 left)",
			"Authentication request"},
		{"TLV IE cut", []byte{0x7e, 0x00, 0x57, 0x2d, 0x10}, unknownAlg, nas.ErrTruncated,
			"nas: byte 3: truncated input (Authentication response parameter length 16, 0 bytes left)", "Authentication response"},
		{"5G-EA0 inner EPS", nastest.Protect(2, 1, 1, []byte{0x07, 0x41}), nullAlg, nil,
			"", ""},
	} {
		t.Run(slug(tc.name), func(t *testing.T) {
			m, err := nas.Decode(tc.pdu, tc.opts)
			if tc.sentinel == nil {
				if err != nil {
					t.Fatalf("Decode(% x): %v", tc.pdu, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Decode(% x) succeeded", tc.pdu)
			}
			if err.Error() != tc.want {
				t.Errorf("Decode(% x) error\n got %q\nwant %q", tc.pdu, err, tc.want)
			}
			var ne *nas.Error
			if !errors.Is(err, tc.sentinel) || !errors.As(err, &ne) {
				t.Errorf("error %v does not wrap %v in *nas.Error", err, tc.sentinel)
			}
			switch {
			case tc.partial == "" && m != nil:
				t.Errorf("message %q returned with a header error", m.Summary())
			case tc.partial != "" && (m == nil || m.Name != tc.partial):
				t.Errorf("partial message %+v, want %q", m, tc.partial)
			}
		})
	}
}

// TestNotes covers what decodes with a note rather than an error: IEs
// that cannot be placed, unknown message types, malformed values,
// "5G-EA0" messages that are not plain.
func TestNotes(t *testing.T) {
	reject := nastest.RegistrationReject(7) // ... 0x44 cause, T3502 TLV at byte 4
	for _, tc := range []struct {
		name      string
		pdu       []byte
		opts      nas.Options
		wantNotes []string
		wantLast  nas.IE // the last IE
		check     func(t *testing.T, m *nas.Message)
	}{
		{name: "comprehension required IEI stops decoding",
			pdu:       append(nastest.MM(0x44, []byte{7}), 0x05, 0x01, 0x02, 0x16, 0x01, 0x2c),
			wantNotes: []string{"IE 0x05 at byte 4 is not known in Registration reject: IEs from there not decoded"},
			wantLast:  nas.IE{Name: "Undecoded IEs", Value: "05010216012c"}},
		{name: "unknown TLV IE skipped",
			pdu:       append(nastest.MM(0x44, []byte{7}), append([]byte{0x4f, 0x02, 0xaa, 0xbb}, reject[4:]...)...),
			wantNotes: []string{"unknown IE 0x4f at byte 4 skipped (2 bytes)"},
			wantLast:  nas.IE{Name: "T3502 value", Value: "12 min"}},
		{name: "unknown TLV-E IE skipped",
			pdu:       append(nastest.MM(0x44, []byte{7}), append([]byte{0x7f, 0x00, 0x01, 0xaa}, reject[4:]...)...),
			wantNotes: []string{"unknown IE 0x7f at byte 4 skipped (1 bytes)"},
			wantLast:  nas.IE{Name: "T3502 value", Value: "12 min"}},
		{name: "unknown type 1 IE skipped",
			pdu:       append(nastest.MM(0x44, []byte{7}), append([]byte{0xb1}, reject[4:]...)...),
			wantNotes: []string{"unknown IE 0xB- at byte 4 skipped (single octet)"},
			wantLast:  nas.IE{Name: "T3502 value", Value: "12 min"}},
		{name: "unknown IE length past the end",
			pdu:       append(nastest.MM(0x44, []byte{7}), 0x4f, 0x09, 0xaa),
			wantNotes: []string{"IE 0x4f at byte 4 is not known and its length 9 runs past the end: IEs from there not decoded"},
			wantLast:  nas.IE{Name: "Undecoded IEs", Value: "4f09aa"}},
		{name: "unknown message type",
			pdu:       []byte{0x7e, 0x00, 0x49, 0x01, 0x02},
			wantNotes: []string{"unknown 5GMM message type 0x49: IEs not decoded"},
			wantLast:  nas.IE{Name: "Message type", Value: "unknown 5GMM message type 0x49 (0x49)"}},
		{name: "malformed 5G-GUTI",
			pdu:       nastest.IdentityResponse([]byte{0xf2, 0x00, 0xf1, 0x10, 0xca}),
			wantNotes: []string{"Mobile identity at byte 5: 5G-GUTI value of 5 bytes, want 11"},
			wantLast: nas.IE{Name: "Mobile identity", Value: "malformed 5G-GUTI: 5 bytes, want 11", Children: []nas.IE{
				{Name: "Type of identity", Value: "5G-GUTI (2)"}, {Name: "Value", Value: "f200f110ca"}}}},
		{name: "5G-EA0 but not plain",
			pdu:       nastest.Protect(2, 1, 9, nastest.Cipher(nastest.RegistrationComplete())),
			opts:      nullAlg,
			wantNotes: []string{"byte 7: 0x67 is not a 5GS extended protocol discriminator although 5G-EA0 is in force: taken as ciphered"},
			wantLast:  nas.IE{Name: "Ciphered message", Value: "3 bytes"},
			check: func(t *testing.T, m *nas.Message) {
				if !m.Ciphered || m.Summary() != "ciphered NAS" || m.Plain() != nil {
					t.Errorf("Ciphered %v Summary %q Plain %v", m.Ciphered, m.Summary(), m.Plain())
				}
			}},
		{name: "payload container with a bad 5GSM message",
			pdu:       nastest.ULNASTransport(1, []byte{0x2e, 0x01}),
			wantNotes: []string{"Payload container: nas: byte 6: truncated input (5GSM header: 4 bytes needed, 2 left)"},
			wantLast:  nas.IE{Name: "DNN", Value: "internet"}},
	} {
		t.Run(slug(tc.name), func(t *testing.T) {
			m, err := nas.Decode(tc.pdu, tc.opts)
			if err != nil {
				t.Fatalf("Decode(% x): %v", tc.pdu, err)
			}
			if diff := cmp.Diff(tc.wantNotes, m.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			ies := m.IEs
			if p := m.Plain(); p != nil {
				ies = p.IEs
			}
			if diff := cmp.Diff(tc.wantLast, ies[len(ies)-1]); diff != "" {
				t.Errorf("last IE (-want +got):\n%s", diff)
			}
			if tc.check != nil {
				tc.check(t, m)
			}
		})
	}
}

// TestInnerOffsets checks that errors and identity spans inside a
// security protected message count from the start of the whole PDU, and
// that the promoted fields are the inner message's.
func TestInnerOffsets(t *testing.T) {
	pdu := nastest.Protect(1, 0x01020304, 7, regRequest)
	m, err := nas.Decode(pdu, unknownAlg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Plain() != m.Inner || m.Inner.SecurityHeader != nas.Plain || m.SequenceNumber != 7 ||
		!cmp.Equal(m.MAC, []byte{1, 2, 3, 4}) {
		t.Errorf("outer %+v", m)
	}
	if diff := cmp.Diff(m.Inner.Identities, m.Identities); diff != "" {
		t.Errorf("promoted identities differ:\n%s", diff)
	}
	id := m.Identities[0]
	if id.Start != 13 || id.End != 26 || !cmp.Equal(pdu[id.Start+8:id.End], id.SchemeOutput) {
		t.Errorf("identity span %d..%d", id.Start, id.End)
	}
}

// TestDecodeDoesNotAlias checks that the decoded message keeps no
// reference to the caller's bytes.
func TestDecodeDoesNotAlias(t *testing.T) {
	pdu := nastest.ProtectedSecurityModeComplete(nastest.IMEISVDigits, regRequest, false)
	m, err := nas.Decode(pdu, nullAlg)
	if err != nil {
		t.Fatal(err)
	}
	before := render(m) + fmt.Sprint(m.MAC, m.Contained.Identities[0].SchemeOutput)
	for i := range pdu {
		pdu[i] = 0xff
	}
	if after := render(m) + fmt.Sprint(m.MAC, m.Contained.Identities[0].SchemeOutput); after != before {
		t.Errorf("message changed with its input:\n%s\n%s", before, after)
	}
}
