package ap

import (
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// Cause renders a Cause value: "radioNetwork: normal-release", the
// extension value's index when the schema does not know its name
// ("radioNetwork: extension value 45").
func Cause(v *per.Value) string {
	c := v.Chosen()
	if c == nil {
		return ""
	}
	switch {
	case c.Kind == per.Enumerated && c.Ident != "":
		return c.Name + ": " + c.Ident
	case c.Kind == per.Enumerated:
		return c.Name + ": extension value " + strconv.FormatInt(c.Int, 10)
	}
	return c.Name
}

// NRCGI renders an NR cell global identity: "PLMN 208-99 NCI 0x000BC614E".
// plmnField names its PLMN component, which the protocols spell
// differently: "pLMN-Identity" in F1AP's NRCGI, "pLMNIdentity" in NGAP's
// NR-CGI.
func NRCGI(v *per.Value, plmnField string) string {
	plmn, cell := v.Field(plmnField), v.Field("nRCellIdentity")
	if plmn == nil || cell == nil || cell.Len != 36 || len(cell.Bits) < 5 {
		return ""
	}
	var nci uint64
	for _, b := range cell.Bits[:5] {
		nci = nci<<8 | uint64(b)
	}
	nci >>= 4
	return "PLMN " + PLMN(plmn.Octets) + " NCI 0x" + strings.ToUpper(leftPad(strconv.FormatUint(nci, 16), 9))
}

// PLMN renders a PLMN identity (TS 38.413 9.3.3.5: MCC and MNC digits in
// BCD, the MNC's third digit 0xF when absent) as "MCC-MNC"; "" unless it
// has 3 octets.
func PLMN(b []byte) string {
	if len(b) != 3 {
		return ""
	}
	d := [6]byte{b[0] & 15, b[0] >> 4, b[1] & 15, b[2] & 15, b[2] >> 4, b[1] >> 4}
	var s strings.Builder
	for i, x := range d {
		if i == 3 {
			s.WriteByte('-')
		}
		if i == 5 && x == 15 {
			break
		}
		s.WriteByte(hexDigit(x))
	}
	return s.String()
}

func hexDigit(x byte) byte {
	if x < 10 {
		return '0' + x
	}
	return 'A' + x - 10
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}
