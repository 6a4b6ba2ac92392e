package nas

import (
	"fmt"
	"testing"
)

// TestTables checks every message table against the format rules of
// TS 24.007 §11.2.4 for 5GS: type 1 IEIs (high nibble, bit 8 set) and
// type 3/4 IEIs below 0x80, type 6 (TLV-E) IEIs 0x7X and only they, no
// IEI twice in a message, mandatory IEs in V, half-octet, LV or LV-E
// format. A typo in a table breaks one of these.
func TestTables(t *testing.T) {
	for epd, table := range map[byte]map[byte]*msgSpec{EPD5GMM: mmMessages, EPD5GSM: smMessages} {
		for typ, spec := range table {
			where := fmt.Sprintf("EPD 0x%02x type 0x%02x %s", epd, typ, spec.name)
			if spec.name == "" {
				t.Errorf("%s: no name", where)
			}
			for _, p := range spec.mandatory {
				switch {
				case p.name == "":
					t.Errorf("%s: unnamed mandatory IE", where)
				case p.format == fV && p.n < 1:
					t.Errorf("%s: %s: V of %d octets", where, p.name, p.n)
				case p.format != fV && p.format != fHalf && p.format != fLV && p.format != fLVE:
					t.Errorf("%s: %s: mandatory IE of format %d", where, p.name, p.format)
				}
			}
			seen := map[byte]string{}
			for i := range spec.optional {
				p := &spec.optional[i]
				bad := ""
				switch p.format {
				case fTV1:
					if p.iei < 0x80 || p.iei&0x0f != 0 {
						bad = "type 1 IEI"
					}
				case fT:
					if p.iei < 0x80 {
						bad = "type 2 IEI"
					}
				case fTV:
					if p.iei >= 0x80 || p.n < 1 || p.iei&0xf0 == 0x70 {
						bad = "type 3 IEI or length"
					}
				case fTLV:
					if p.iei >= 0x70 {
						bad = "type 4 IEI"
					}
				case fTLVE:
					if p.iei&0xf0 != 0x70 {
						bad = "type 6 IEI"
					}
				default:
					bad = "format"
				}
				if bad != "" {
					t.Errorf("%s: %s (IEI 0x%02x): bad %s", where, p.name, p.iei, bad)
				}
				if p.name == "" {
					t.Errorf("%s: IEI 0x%02x unnamed", where, p.iei)
				}
				if prev, ok := seen[p.iei]; ok {
					t.Errorf("%s: IEI 0x%02x for %s and %s", where, p.iei, prev, p.name)
				}
				seen[p.iei] = p.name
				if got := spec.lookup(p.iei | 0x01&byte(boolToInt(p.format == fTV1))); got != p {
					t.Errorf("%s: lookup(0x%02x) finds %v, want %s", where, p.iei, got, p.name)
				}
			}
		}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
