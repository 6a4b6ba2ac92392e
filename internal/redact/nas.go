package redact

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/nas"
)

// maskNAS returns the NAS PDU with the 5GS mobile identities it carries
// masked (TS 24.501 §9.11.3.4), and whether anything changed; the input
// is never modified. The PDU is read as if 5G-EA0 were in force: a
// message that only looks ciphered because the ciphering algorithm was
// not known is searched too.
//
//	SUCI, SUPI format IMSI   the scheme output: MSIN digits (null scheme)
//	                         or ECIES output become 0; MCC, MNC, routing
//	                         indicator, scheme and key ids stay
//	SUCI, NAI format         the username (before "@") becomes "0"s
//	SUCI, other formats      the value after the first octet becomes 0
//	5G-GUTI, 5G-S-TMSI       the 5G-TMSI becomes 0; PLMN and AMF ids stay
//	IMEI, IMEISV             every digit becomes 0; the type stays
//	MAC address, EUI-64      the address becomes 0 (a PEI too)
//
// BCD filler nibbles (0xf) stay, so the number of digits does not change.
// A malformed identity (too short for its type) is masked after its type
// octet. Octets after the point where the decoding failed become 0: they
// cannot be searched; except in a message whose header says it is
// ciphered, whose failure says it is ciphertext.
func maskNAS(pdu []byte) ([]byte, bool) {
	m, err := nas.Decode(pdu, nas.Options{CipheringAlgorithm: 0})
	if m == nil {
		return pdu, false
	}
	out := bytes.Clone(pdu)
	walkNAS(m, func(m *nas.Message) {
		for _, id := range m.Identities {
			maskIdentity(out, id)
		}
		for _, note := range m.Notes {
			if sm := malformedIdentity.FindStringSubmatch(note); sm != nil {
				off, _ := strconv.Atoi(sm[1])
				n, _ := strconv.Atoi(sm[2])
				if off >= 0 && n > 1 && off+n <= len(out) {
					clear(out[off+1 : off+n])
				}
			}
		}
	})
	// A message whose security header says it is ciphered and that does
	// not decode is ciphertext, most likely: it is left as it is.
	ciphered := m.SecurityHeader == nas.IntegrityProtectedCiphered || m.SecurityHeader == nas.IntegrityProtectedCipheredNew
	var ne *nas.Error
	if errors.As(err, &ne) && !ciphered && ne.Offset >= 0 && ne.Offset < len(out) {
		clear(out[ne.Offset:])
	}
	if bytes.Equal(out, pdu) {
		return pdu, false
	}
	return out, true
}

// malformedIdentity matches the note package nas writes for an identity
// too short for its type: "5GS mobile identity at byte 4: 5G-GUTI value
// of 5 bytes, want 11", "… SUCI value of 5 bytes, want at least 8".
var malformedIdentity = regexp.MustCompile(`at byte (\d+): [^:]*value of (\d+) bytes, want`)

// walkNAS calls f for m and every message nested in it.
func walkNAS(m *nas.Message, f func(*nas.Message)) {
	seen := map[*nas.Message]bool{}
	var walk func(*nas.Message)
	walk = func(m *nas.Message) {
		if m == nil || seen[m] {
			return
		}
		seen[m] = true
		f(m)
		walk(m.Inner)
		walk(m.Contained)
		walk(m.Payload)
	}
	walk(m)
}

// maskIdentity masks one identity in pdu, in place.
func maskIdentity(pdu []byte, id nas.Identity) {
	if id.Start < 0 || id.End > len(pdu) || id.Start >= id.End {
		return
	}
	v := pdu[id.Start:id.End]
	switch id.Type {
	case nas.SUCI:
		switch {
		case id.SUPIFormat == 1:
			maskNAI(v[1:], '0')
		case id.SUPIFormat != 0:
			clear(v[1:])
		case len(v) >= 8 && id.ProtectionScheme == 0:
			zeroDigits(v[8:])
		case len(v) >= 8:
			clear(v[8:])
		}
	case nas.GUTI5G:
		if len(v) >= 11 {
			clear(v[7:11])
		}
	case nas.STMSI5G:
		if len(v) >= 7 {
			clear(v[3:7])
		}
	case nas.IMEI, nas.IMEISV:
		v[0] &= 0x0f // the first digit; odd/even indicator and type stay
		zeroDigits(v[1:])
	case nas.MACAddress, nas.EUI64:
		clear(v[1:])
	}
}

// zeroDigits sets every BCD digit to 0, leaving 0xf filler nibbles.
func zeroDigits(b []byte) {
	for i, x := range b {
		lo, hi := x&0x0f, x>>4
		if lo != 0x0f {
			lo = 0
		}
		if hi != 0x0f {
			hi = 0
		}
		b[i] = hi<<4 | lo
	}
}

// maskNAI replaces the username of a network access identifier (the part
// before "@", or all of it without one) with c.
func maskNAI(b []byte, c byte) {
	n := bytes.IndexByte(b, '@')
	if n < 0 {
		n = len(b)
	}
	for i := range b[:n] {
		b[i] = c
	}
}

// redecodeNAS decodes a masked NAS PDU again, for the decoded value a
// parse.NAS keeps; ciphered says the original could not be read.
func redecodeNAS(pdu []byte, ciphered bool) *nas.Message {
	alg := 0
	if ciphered {
		alg = -1
	}
	m, _ := nas.Decode(pdu, nas.Options{CipheringAlgorithm: alg})
	return m
}

// nasLines returns a copy of a NAS decode tree with the identities masked:
// every 5GS mobile identity IE (a line whose first child is "Type of
// identity") has its value and the children that spell the identity
// masked with Mask, keeping the parts that name the network.
func nasLines(ls []parse.Line) []parse.Line {
	if ls == nil {
		return nil
	}
	out := slices.Clone(ls)
	for i := 0; i+1 < len(out); i++ {
		if out[i+1].Name != "Type of identity" || out[i+1].Depth != out[i].Depth+1 {
			continue
		}
		end := i + 1
		for end < len(out) && out[end].Depth > out[i].Depth {
			end++
		}
		maskIdentityLines(out[i:end])
		i = end - 1
	}
	return out
}

// maskIdentityLines masks one identity IE: block[0] is the IE, the rest
// its children.
func maskIdentityLines(block []parse.Line) {
	typ := valueName(block[1].Value)
	format := "IMSI"
	for _, l := range block[2:] {
		if l.Name == "SUPI format" {
			format = valueName(l.Value)
		}
	}
	head := &block[0].Value
	malformed := strings.HasPrefix(*head, "malformed")
	if !malformed {
		rest, ok := strings.CutPrefix(*head, typ+" ")
		if ok {
			switch typ {
			case "SUCI":
				switch format {
				case "IMSI":
					if i := strings.LastIndexByte(rest, '-'); i >= 0 {
						rest = rest[:i+1] + maskAll(rest[i+1:])
					} else {
						rest = maskAll(rest)
					}
				case "Network Specific Identifier":
					rest = maskNAIText(rest)
				default:
					rest = maskHex(rest)
				}
			case "5G-GUTI", "5G-S-TMSI":
				rest = maskMatches(tmsiText, rest)
			case "IMEI", "IMEISV", "MAC address", "EUI-64":
				rest = maskHex(rest)
			}
			*head = typ + " " + rest
		}
	}
	for i := range block[2:] {
		l := &block[2+i]
		switch l.Name {
		case "Value":
			if malformed && len(l.Value) >= 2 {
				// The whole value: its first octet is the type.
				l.Value = l.Value[:2] + maskHex(l.Value[2:])
				break
			}
			l.Value = maskHex(l.Value)
		case "MSIN", "IMEI", "IMEISV", "MAC address", "EUI-64", "Scheme output":
			l.Value = maskHex(l.Value)
		case "NAI":
			l.Value = maskNAIText(l.Value)
		case "5G-TMSI":
			l.Value = "masked (0x" + strings.Repeat(Mask, 8) + ")"
		}
	}
}

// valueName is the name of a value written "name (n)": "SUCI (1)" gives
// "SUCI".
func valueName(v string) string {
	if i := strings.LastIndex(v, " ("); i >= 0 {
		return v[:i]
	}
	return v
}

// maskAll replaces every character of s with Mask.
func maskAll(s string) string { return strings.Repeat(Mask, utf8.RuneCountInString(s)) }

// maskHex replaces the hex digits of s with Mask up to a "…" (after which
// package nas writes the length of what it cut): "0a1b… (80 bytes)". An
// "(empty)" value stays.
func maskHex(s string) string {
	if s == "(empty)" {
		return s
	}
	head, tail, _ := strings.Cut(s, "…")
	var b strings.Builder
	for _, r := range head {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' {
			b.WriteString(Mask)
			continue
		}
		b.WriteRune(r)
	}
	if tail != "" || strings.Contains(s, "…") {
		b.WriteString("…" + tail)
	}
	return b.String()
}

// maskNAIText masks the username of a network access identifier.
func maskNAIText(s string) string {
	user, realm, ok := strings.Cut(s, "@")
	if !ok {
		return maskAll(s)
	}
	return maskAll(user) + "@" + realm
}
