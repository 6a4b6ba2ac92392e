package ap

import (
	"errors"
	"testing"
)

// The length determinant of an open type (X.691 11.9.3.8): one octet
// below 128, two below 16K, then one per fragment of 16K to 64K octets
// before the rest's.
func TestLengthSize(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 1}, {127, 1}, {128, 2}, {16383, 2}, {16384, 2}, {16384 + 127, 2}, {16384 + 128, 3},
		{4 * 16384, 2}, {5 * 16384, 3},
	} {
		if got := lengthSize(tt.n); got != tt.want {
			t.Errorf("lengthSize(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestPLMN(t *testing.T) {
	for _, tt := range []struct {
		b    []byte
		want string
	}{
		{[]byte{0x02, 0xf8, 0x39}, "208-93"},
		{[]byte{0x13, 0x00, 0x14}, "310-410"},
		{[]byte{0x02, 0xf8}, ""},
	} {
		if got := PLMN(tt.b); got != tt.want {
			t.Errorf("PLMN(% x) = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestTables(t *testing.T) {
	p := &Protocol{
		Procedures: []Procedure{1: {Name: "Setup", Messages: [3]string{"SetupRequest", "SetupResponse", ""}}},
		IENames:    []string{0: "Cause", 2: "Name"},
	}
	for _, tt := range []struct {
		code          int
		outcome       string
		name, message string
		ok            bool
	}{
		{1, InitiatingMessage, "Setup", "SetupRequest", true},
		{1, SuccessfulOutcome, "Setup", "SetupResponse", true},
		{1, UnsuccessfulOutcome, "Setup", "", false},
		{1, "choice-extension", "Setup", "", false},
		{0, InitiatingMessage, "", "", false},
		{2, InitiatingMessage, "", "", false},
		{-1, InitiatingMessage, "", "", false},
	} {
		name, message, ok := p.Procedure(tt.code, tt.outcome)
		if name != tt.name || message != tt.message || ok != tt.ok {
			t.Errorf("Procedure(%d, %s) = %q, %q, %v", tt.code, tt.outcome, name, message, ok)
		}
	}
	for id, want := range map[int]string{0: "Cause", 1: "ie 1", 2: "Name", 3: "ie 3", -1: "ie -1"} {
		if got := p.IEName(id); got != want {
			t.Errorf("IEName(%d) = %q, want %q", id, got, want)
		}
	}
}

func TestErrorText(t *testing.T) {
	err := errors.New("unknown ie")
	if got := ErrorText("f1ap", "", err); got != "f1ap: unknown ie" {
		t.Errorf("without path: %q", got)
	}
	if got := ErrorText("ngap", "InitialUEMessage: ie 5000 ie 5000 at byte 74", err); got != "ngap: InitialUEMessage: ie 5000 ie 5000 at byte 74: unknown ie" {
		t.Errorf("with path: %q", got)
	}
}
