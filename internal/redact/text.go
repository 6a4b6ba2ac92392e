package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Patterns of identities in the text nrladder and its decoders write.
// Each masks its submatches from the second on (the first is the whole
// match); the rest of the match stays.
var (
	// suci-0-001-01-0000-0-0-0123456789 (TS 23.003 §2.2B): the scheme
	// output.
	suciText = regexp.MustCompile(`\bsuci-\d+-\d{3}-\d{2,3}-[0-9A-Fa-f]{1,4}-\d+-\d+-([0-9A-Fa-f]+)`)
	// "SUCI user@realm": a SUCI of SUPI format NAI, as the ladder quotes
	// it; the username.
	suciNAIText = regexp.MustCompile(`\bSUCI ([^\s,;@]+)@`)
	// A SUPI: imsi-001010123456789, "IMSI 001010123456789"; the digits
	// after MCC and a two-digit MNC. nai-user@realm: the username.
	imsiText = regexp.MustCompile(`(?i)\bimsi[- :]\d{5}(\d{1,10})\b`)
	naiText  = regexp.MustCompile(`\bnai-([^\s,;@]+)@`)
	// "5G-S-TMSI 1-1-00000016" (AMF set ID, AMF pointer, 5G-TMSI): the
	// 5G-TMSI.
	stmsiText = regexp.MustCompile(`\b5G-S-TMSI \d+-\d+-([0-9A-Fa-f]{8})\b`)
	// "5G-TMSI 0xc0ffee01", "5G-TMSI 3237998081 (0xc0ffee01)".
	tmsiText    = regexp.MustCompile(`\b5G-TMSI:? 0x([0-9A-Fa-f]{1,8})\b`)
	tmsiDecText = regexp.MustCompile(`\b5G-TMSI:? (\d+) \(0x([0-9A-Fa-f]{1,8})\)`)
	// "IMEI 35249311454808", "IMEISV 3534900698733019".
	imeiText = regexp.MustCompile(`\bIMEI(?:SV)?:? (\d{14,16})\b`)
	// With Options.RNTI: "C-RNTI 0x4601", "c-rnti 0x4601", "ue 0x4601"
	// (MAC and RLC warnings), "rnti=0x4601".
	rntiText = regexp.MustCompile(`(?i)\b(?:c-rnti|rnti|ue)[ :=]0x([0-9a-f]{1,4})\b`)
)

// Text returns s with the identities it quotes masked: SUCIs
// ("suci-0-001-01-0000-0-0-0123456789" keeps its shape with the MSIN
// masked), SUPIs ("imsi-…", "nai-…"), the 5G-TMSI of "5G-S-TMSI 1-1-00000016"
// and "5G-TMSI 0x…", IMEIs and IMEISVs ("IMEI 35249311454808"), and with
// Options.RNTI the RNTIs ("C-RNTI 0x4601", "ue 0x4601"). Each masked
// character becomes Mask.
func Text(s string, opts Options) string {
	if s == "" {
		return s
	}
	for _, re := range textPatterns {
		s = maskMatches(re, s)
	}
	if opts.RNTI {
		s = maskMatches(rntiText, s)
	}
	return s
}

var textPatterns = []*regexp.Regexp{suciText, suciNAIText, imsiText, naiText, stmsiText, tmsiText, tmsiDecText, imeiText}

// maskMatches masks the submatches of every match of re in s.
func maskMatches(re *regexp.Regexp, s string) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < last || m[g] < 0 {
				continue
			}
			b.WriteString(s[last:m[g]])
			b.WriteString(strings.Repeat(Mask, utf8.RuneCountInString(s[m[g]:m[g+1]])))
			last = m[g+1]
		}
	}
	b.WriteString(s[last:])
	return b.String()
}
