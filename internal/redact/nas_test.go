package redact

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/nas"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

const nai = "type0.rid0.schid0.userid0123456789@nai.5gc.mnc001.mcc001.3gppnetwork.org"

var (
	mac    = [6]byte{0x02, 0x42, 0xac, 0x11, 0x00, 0x02}
	eui64  = [8]byte{0x02, 0x42, 0xac, 0xff, 0xfe, 0x11, 0x00, 0x02}
	ecies  = bytes.Repeat([]byte{0xa5}, 40)
	suci   = nastest.SUCI("001", "01", "0000", msin)
	suci0  = nastest.SUCI("001", "01", "0000", "0000000000")
	guti   = nastest.GUTI("001", "01", 0xca, amfSetID, amfPointer, tmsi)
	guti0  = nastest.GUTI("001", "01", 0xca, amfSetID, amfPointer, 0)
	sTMSI0 = nastest.STMSI(amfSetID, amfPointer, 0)
)

// TestMaskNAS runs NAS PDUs through the parser (in ULInformationTransfer)
// and checks the masked octets against the same message built with the
// identity zeroed, and the masked tree against the lines a reader must
// see.
func TestMaskNAS(t *testing.T) {
	register := func(id []byte) []byte { return nastest.RegistrationRequest(id, 0xe0, 0xe0) }
	mask8 := strings.Repeat(Mask, 8)
	cases := []struct {
		name  string
		pdu   []byte
		want  []byte            // the masked PDU; nil: unchanged
		lines map[string]string // masked tree lines by name
		gone  []string          // text that must not show
	}{
		{
			name: "SUCI null scheme",
			pdu:  register(suci),
			want: register(suci0),
			lines: map[string]string{
				"5GS mobile identity": "SUCI suci-0-001-01-0000-0-0-" + strings.Repeat(Mask, 10),
				"MSIN":                strings.Repeat(Mask, 10),
				"Routing indicator":   "0000",
			},
			gone: []string{msin},
		},
		{
			name:  "SUCI null scheme, odd MSIN",
			pdu:   register(nastest.SUCI("001", "001", "12", "012345678")),
			want:  register(nastest.SUCI("001", "001", "12", "000000000")),
			lines: map[string]string{"MSIN": strings.Repeat(Mask, 9), "Mobile Network Code (MNC)": "001", "Routing indicator": "12"},
			gone:  []string{"012345678"},
		},
		{
			name: "SUCI ECIES profile A",
			pdu:  register(nastest.SUCIProfileA("001", "01", "0000", 3, ecies)),
			want: register(nastest.SUCIProfileA("001", "01", "0000", 3, make([]byte, len(ecies)))),
			lines: map[string]string{
				"5GS mobile identity":                "SUCI suci-0-001-01-0000-1-3-" + strings.Repeat(Mask, 80),
				"Scheme output":                      strings.Repeat(Mask, 80),
				"Home network public key identifier": "3",
			},
			gone: []string{"a5a5a5a5"},
		},
		{
			name:  "SUCI NAI",
			pdu:   register(nastest.SUCINAI(nai)),
			want:  register(nastest.SUCINAI(strings.Repeat("0", strings.Index(nai, "@")) + nai[strings.Index(nai, "@"):])),
			lines: map[string]string{"NAI": strings.Repeat(Mask, strings.Index(nai, "@")) + nai[strings.Index(nai, "@"):]},
			gone:  []string{"userid0123456789"},
		},
		{
			name:  "5G-GUTI",
			pdu:   nastest.RegistrationAccept(guti),
			want:  nastest.RegistrationAccept(guti0),
			lines: map[string]string{"5G-GUTI": "5G-GUTI MCC 001, MNC 01, AMF region ID 202, AMF set ID 1009, AMF pointer 1, 5G-TMSI 0x" + mask8, "5G-TMSI": "masked (0x" + mask8 + ")", "AMF Set ID": "1009"},
			gone:  []string{tmsiHex, tmsiDec},
		},
		{
			name:  "5G-GUTI of a Deregistration request",
			pdu:   nastest.DeregistrationRequest(false, 1, guti),
			want:  nastest.DeregistrationRequest(false, 1, guti0),
			lines: map[string]string{"5G-TMSI": "masked (0x" + mask8 + ")"},
			gone:  []string{tmsiHex, tmsiDec},
		},
		{
			name:  "5G-S-TMSI",
			pdu:   nastest.ServiceRequest(1, 2, nastest.STMSI(amfSetID, amfPointer, tmsi)),
			want:  nastest.ServiceRequest(1, 2, sTMSI0),
			lines: map[string]string{"5G-S-TMSI": "5G-S-TMSI AMF set ID 1009, AMF pointer 1, 5G-TMSI 0x" + mask8},
			gone:  []string{tmsiHex, tmsiDec},
		},
		{
			name:  "IMEISV",
			pdu:   nastest.IdentityResponse(nastest.IMEISV(imeisv)),
			want:  nastest.IdentityResponse(nastest.IMEISV("0000000000000000")),
			lines: map[string]string{"Mobile identity": "IMEISV " + strings.Repeat(Mask, 16), "IMEISV": strings.Repeat(Mask, 16)},
			gone:  []string{imeisv},
		},
		{
			name:  "IMEI",
			pdu:   nastest.IdentityResponse(nastest.IMEI("352493114548085")),
			want:  nastest.IdentityResponse(nastest.IMEI("000000000000000")),
			lines: map[string]string{"IMEI": strings.Repeat(Mask, 15)},
			gone:  []string{"352493114548085"},
		},
		{
			name:  "MAC address",
			pdu:   nastest.IdentityResponse(nastest.MAC(mac)),
			want:  nastest.IdentityResponse(nastest.MAC([6]byte{})),
			lines: map[string]string{"MAC address": "••:••:••:••:••:••"},
			gone:  []string{"02:42:ac:11:00:02"},
		},
		{
			name:  "EUI-64",
			pdu:   nastest.IdentityResponse(nastest.EUI64(eui64)),
			want:  nastest.IdentityResponse(nastest.EUI64([8]byte{})),
			lines: map[string]string{"EUI-64": "••:••:••:••:••:••:••:••"},
			gone:  []string{"02:42:ac:ff:fe:11:00:02"},
		},
		{
			name:  "integrity protected Registration request",
			pdu:   nastest.Protect(nastest.IntegrityProtected, 0x01020304, 1, register(suci)),
			want:  nastest.Protect(nastest.IntegrityProtected, 0x01020304, 1, register(suci0)),
			lines: map[string]string{"MSIN": strings.Repeat(Mask, 10)},
			gone:  []string{msin},
		},
		{
			// Under 5G-EA0 the Security mode complete is readable, but the
			// parser, not knowing the algorithm here, shows it ciphered:
			// its octets are masked all the same.
			name: "Security mode complete under 5G-EA0 with a NAS message container",
			pdu:  nastest.ProtectedSecurityModeComplete(imeisv, register(suci), false),
			want: nastest.ProtectedSecurityModeComplete("0000000000000000", register(suci0), false),
			gone: []string{imeisv, msin},
		},
		{
			name: "ciphered Security mode complete",
			pdu:  nastest.ProtectedSecurityModeComplete(imeisv, register(suci), true),
		},
		{
			name:  "malformed 5G-GUTI",
			pdu:   nastest.IdentityResponse([]byte{0xf2, 0x00, 0xf1, 0x10, 0xca}),
			want:  nastest.IdentityResponse([]byte{0xf2, 0, 0, 0, 0}),
			lines: map[string]string{"Mobile identity": "malformed 5G-GUTI: 5 bytes, want 11", "Value": "f2" + strings.Repeat(Mask, 8)},
			gone:  []string{"00f110ca"},
		},
		{
			name: "Registration request cut inside its identity",
			pdu:  register(suci)[:12],
			want: append(register(suci)[:4], make([]byte, 8)...),
			gone: []string{msin},
		},
		{
			// Ciphertext that happens to start like a plain message and
			// then does not decode is left alone.
			name: "ciphertext that looks plain",
			pdu:  nastest.Protect(nastest.IntegrityProtectedCiphered, 0x01020304, 3, []byte{0x7e, 0x00, 0x41, 0x79, 0x00, 0x50, 0x01, 0x9a, 0x3c}),
		},
		{
			name: "no identity",
			pdu:  nastest.SecurityModeCommand(0, 2, 0, 0xe0, 0xe0),
		},
		{
			// After that 5G-EA0 Security mode command the parser reads it:
			// the tree shows the masked identities too.
			name:  "readable Security mode complete under 5G-EA0",
			pdu:   nastest.ProtectedSecurityModeComplete(imeisv, register(suci), false),
			want:  nastest.ProtectedSecurityModeComplete("0000000000000000", register(suci0), false),
			lines: map[string]string{"IMEISV": strings.Repeat(Mask, 16), "MSIN": strings.Repeat(Mask, 10)},
			gone:  []string{imeisv, msin},
		},
	}
	var steps []tracetest.Step
	for i, c := range cases {
		steps = append(steps, tracetest.Step{At: ms(float64(i)), Channel: rrc.ULDCCH, PDU: rrctest.ULInformationTransfer(c.pdu)})
	}
	tr := build(t, tracetest.Pcap(steps))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := tr.Messages[i]
			if len(m.NAS) != 1 || !bytes.Equal(m.NAS[0].PDU, c.pdu) {
				t.Fatalf("message %d does not carry the NAS PDU", i)
			}
			want := c.want
			if want == nil {
				want = c.pdu
			}
			d := m.Detail()
			out, err := Message(m, &d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := out.NAS[0]
			if !bytes.Equal(n.PDU, want) {
				t.Errorf("masked PDU\n got %x\nwant %x", n.PDU, want)
			}
			if n.Summary != m.NAS[0].Summary {
				t.Errorf("summary %q, want %q", n.Summary, m.NAS[0].Summary)
			}
			got := map[string]string{}
			for _, l := range n.Lines {
				if _, ok := c.lines[l.Name]; ok {
					got[l.Name] = l.Value
				}
			}
			if diff := cmp.Diff(c.lines, got, cmpEmpty); diff != "" {
				t.Errorf("masked lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(n.Lines, d.NAS[0]); diff != "" {
				t.Errorf("detail NAS tree differs from the message's (-message +detail):\n%s", diff)
			}
			text, _ := json.Marshal([]any{n.Lines, n.Decoded, n.Identities, out})
			for _, g := range c.gone {
				if strings.Contains(strings.ToLower(string(text)), g) {
					t.Errorf("%q still shows", g)
				}
			}
			if bytes.Equal(want, c.pdu) != bytes.Equal(n.PDU, m.NAS[0].PDU) {
				t.Errorf("changed")
			}
		})
	}
}

var cmpEmpty = cmp.FilterValues(func(a, b map[string]string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// TestMaskNASIdempotent checks that masking a masked PDU changes nothing.
func TestMaskNASIdempotent(t *testing.T) {
	for _, pdu := range nasSeeds() {
		once, _ := maskNAS(pdu)
		twice, changed := maskNAS(once)
		if changed || !bytes.Equal(once, twice) {
			t.Errorf("%x: masked %x, then %x", pdu, once, twice)
		}
	}
}

// nasSeeds are NAS PDUs that carry every kind of identity.
func nasSeeds() [][]byte {
	register := func(id []byte) []byte { return nastest.RegistrationRequest(id, 0xe0, 0xe0) }
	return [][]byte{
		register(suci),
		register(nastest.SUCIProfileA("001", "01", "0000", 3, ecies)),
		register(nastest.SUCINAI(nai)),
		nastest.RegistrationAccept(guti),
		nastest.ServiceRequest(1, 2, nastest.STMSI(amfSetID, amfPointer, tmsi)),
		nastest.IdentityResponse(nastest.IMEISV(imeisv)),
		nastest.IdentityResponse(nastest.MAC(mac)),
		nastest.ProtectedSecurityModeComplete(imeisv, register(suci), false),
		nastest.Protect(nastest.IntegrityProtected, 1, 1, nastest.ULNASTransport(1, nastest.PDUSessionEstablishmentRequest(1, 1))),
		nastest.IdentityResponse([]byte{0xf2, 0x00, 0xf1, 0x10, 0xca}),
		register(suci)[:12],
	}
}

// TestRedecodeNAS checks the decoded value a masked NAS entry keeps.
func TestRedecodeNAS(t *testing.T) {
	pdu, _ := maskNAS(nastest.RegistrationRequest(suci, 0xe0, 0xe0))
	m := redecodeNAS(pdu, false)
	if m == nil || len(m.Identities) != 1 || m.Identities[0].Digits != "0000000000" || m.Identities[0].Type != nas.SUCI {
		t.Fatalf("decoded %+v", m)
	}
}
