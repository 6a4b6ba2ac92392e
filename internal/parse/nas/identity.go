package nas

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// IdentityType is the type of identity of a 5GS mobile identity (TS 24.501
// §9.11.3.4).
type IdentityType uint8

const (
	NoIdentity IdentityType = iota
	SUCI
	GUTI5G // 5G-GUTI
	IMEI
	STMSI5G // 5G-S-TMSI
	IMEISV
	MACAddress
	EUI64
)

func (t IdentityType) String() string {
	if int(t) < len(identityTypes) {
		return identityTypes[t]
	}
	return "unknown identity type " + strconv.Itoa(int(t))
}

// Identity is one 5GS mobile identity. The fields that do not belong to
// its type are zero.
//
// Start and End delimit the identity's value (type octet onwards, after
// the length) in the PDU given to Decode, so that a caller can mask the
// octets as well as the text.
type Identity struct {
	Type  IdentityType
	IE    string // the IE that carries it: "5GS mobile identity", "5G-GUTI", "Additional GUTI", "IMEISV", …
	Value string // the whole identity as text, e.g. "suci-0-001-01-0000-0-0-0000000001"

	// Digits: IMEI or IMEISV digits; for a SUCI with the null scheme, the
	// MSIN digits (the IMSI is MCC+MNC+Digits).
	Digits string

	MCC, MNC string // SUCI (SUPI format IMSI) and 5G-GUTI

	// SUCI.
	SUPIFormat             int    // 0 IMSI, 1 network specific identifier (NAI), 2 GCI, 3 GLI
	RoutingIndicator       string // 1 to 4 digits
	ProtectionScheme       int    // 0 null scheme, 1 ECIES profile A, 2 ECIES profile B, …
	HomeNetworkPublicKeyID int
	SchemeOutput           []byte // the scheme output (for the null scheme, the MSIN in BCD)
	NAI                    string // SUPI format NAI: the SUCI as a network access identifier

	// 5G-GUTI and 5G-S-TMSI.
	AMFRegionID int // 5G-GUTI only
	AMFSetID    int
	AMFPointer  int
	TMSI        uint32 // 5G-TMSI

	Address []byte // MAC address (6 octets) or EUI-64 (8 octets)

	Start, End int
}

// mobileIdentityValue decodes a 5GS mobile identity (TS 24.501
// §9.11.3.4), adds it to the message's Identities and describes it.
func mobileIdentityValue(c *ctx, ie *IE, v []byte, off int) {
	if len(v) == 0 {
		ie.Value = "malformed: empty"
		c.notef("%s at byte %d is empty", ie.Name, off)
		return
	}
	id := Identity{Type: IdentityType(v[0] & 0x07), IE: ie.Name, Start: off, End: off + len(v)}
	ie.Children = append(ie.Children, IE{Name: "Type of identity", Value: withValue(id.Type.String(), int(id.Type))})
	short := func(want int) bool {
		if len(v) >= want {
			return false
		}
		ie.Value = fmt.Sprintf("malformed %s: %d bytes, want %d", id.Type, len(v), want)
		ie.Children = append(ie.Children, IE{Name: "Value", Value: hexString(v)})
		c.notef("%s at byte %d: %s value of %d bytes, want %d", ie.Name, off, id.Type, len(v), want)
		return true
	}
	switch id.Type {
	case NoIdentity:
		id.Value = "no identity"
	case SUCI:
		if !suci(c, ie, &id, v) {
			return
		}
	case GUTI5G:
		if short(11) {
			return
		}
		id.MCC, id.MNC = plmn(v[1:4])
		id.AMFRegionID = int(v[4])
		id.AMFSetID, id.AMFPointer = amfSetPointer(v[5], v[6])
		id.TMSI = be32(v[7:11])
		id.Value = fmt.Sprintf("MCC %s, MNC %s, AMF region ID %d, AMF set ID %d, AMF pointer %d, 5G-TMSI 0x%08x",
			id.MCC, id.MNC, id.AMFRegionID, id.AMFSetID, id.AMFPointer, id.TMSI)
		ie.Children = append(ie.Children,
			IE{Name: "Mobile Country Code (MCC)", Value: id.MCC},
			IE{Name: "Mobile Network Code (MNC)", Value: id.MNC},
			IE{Name: "AMF Region ID", Value: strconv.Itoa(id.AMFRegionID)},
			IE{Name: "AMF Set ID", Value: strconv.Itoa(id.AMFSetID)},
			IE{Name: "AMF Pointer", Value: strconv.Itoa(id.AMFPointer)},
			IE{Name: "5G-TMSI", Value: fmt.Sprintf("%d (0x%08x)", id.TMSI, id.TMSI)})
	case IMEI, IMEISV:
		var sb strings.Builder
		digits(&sb, v[0]>>4)
		for _, x := range v[1:] {
			digits(&sb, x&0x0f, x>>4)
		}
		id.Digits = sb.String()
		id.Value = id.Digits
		ie.Children = append(ie.Children, IE{Name: id.Type.String(), Value: id.Digits})
	case STMSI5G:
		if short(7) {
			return
		}
		id.AMFSetID, id.AMFPointer = amfSetPointer(v[1], v[2])
		id.TMSI = be32(v[3:7])
		id.Value = fmt.Sprintf("AMF set ID %d, AMF pointer %d, 5G-TMSI 0x%08x", id.AMFSetID, id.AMFPointer, id.TMSI)
		ie.Children = append(ie.Children,
			IE{Name: "AMF Set ID", Value: strconv.Itoa(id.AMFSetID)},
			IE{Name: "AMF Pointer", Value: strconv.Itoa(id.AMFPointer)},
			IE{Name: "5G-TMSI", Value: fmt.Sprintf("%d (0x%08x)", id.TMSI, id.TMSI)})
	case MACAddress, EUI64:
		n := 6
		if id.Type == EUI64 {
			n = 8
		}
		if short(1 + n) {
			return
		}
		id.Address = append([]byte(nil), v[1:1+n]...)
		id.Value = colonHex(id.Address)
		ie.Children = append(ie.Children, IE{Name: id.Type.String(), Value: id.Value})
	}
	ie.Value = id.Type.String() + " " + id.Value
	if id.Type == NoIdentity {
		ie.Value = id.Type.String()
	}
	c.m.Identities = append(c.m.Identities, id)
}

// suci decodes a SUCI; false when it is malformed (and described so).
func suci(c *ctx, ie *IE, id *Identity, v []byte) bool {
	id.SUPIFormat = int(v[0]>>4) & 0x07
	ie.Children = append(ie.Children, IE{Name: "SUPI format", Value: name(supiFormats[:], id.SUPIFormat)})
	switch id.SUPIFormat {
	case 0: // IMSI
	case 1: // network specific identifier: the SUCI in NAI format
		id.NAI = string(v[1:])
		id.Value = id.NAI
		ie.Children = append(ie.Children, IE{Name: "NAI", Value: id.NAI})
		return true
	default:
		id.SchemeOutput = append([]byte(nil), v[1:]...)
		id.Value = hexString(v[1:])
		ie.Children = append(ie.Children, IE{Name: "Value", Value: id.Value})
		return true
	}
	if len(v) < 8 {
		ie.Value = fmt.Sprintf("malformed SUCI: %d bytes, want at least 8", len(v))
		ie.Children = append(ie.Children, IE{Name: "Value", Value: hexString(v)})
		c.notef("%s at byte %d: SUCI value of %d bytes, want at least 8", ie.Name, id.Start, len(v))
		return false
	}
	id.MCC, id.MNC = plmn(v[1:4])
	var ri strings.Builder
	digits(&ri, v[4]&0x0f, v[4]>>4, v[5]&0x0f, v[5]>>4)
	id.RoutingIndicator = ri.String()
	id.ProtectionScheme = int(v[6] & 0x0f)
	id.HomeNetworkPublicKeyID = int(v[7])
	out := v[8:]
	id.SchemeOutput = append([]byte(nil), out...)
	ie.Children = append(ie.Children,
		IE{Name: "Mobile Country Code (MCC)", Value: id.MCC},
		IE{Name: "Mobile Network Code (MNC)", Value: id.MNC},
		IE{Name: "Routing indicator", Value: id.RoutingIndicator},
		IE{Name: "Protection scheme Id", Value: name(protectionSchemes[:], id.ProtectionScheme)},
		IE{Name: "Home network public key identifier", Value: strconv.Itoa(id.HomeNetworkPublicKeyID)})
	output := hex.EncodeToString(out) // in full: Value is the identity, not a display
	if id.ProtectionScheme == 0 {
		var sb strings.Builder
		for _, x := range out {
			digits(&sb, x&0x0f, x>>4)
		}
		id.Digits = sb.String()
		output = id.Digits
		ie.Children = append(ie.Children, IE{Name: "MSIN", Value: id.Digits})
	} else {
		ie.Children = append(ie.Children, IE{Name: "Scheme output", Value: hexString(out)})
	}
	id.Value = fmt.Sprintf("suci-0-%s-%s-%s-%d-%d-%s", id.MCC, id.MNC, id.RoutingIndicator,
		id.ProtectionScheme, id.HomeNetworkPublicKeyID, output)
	return true
}

// plmn reads the MCC and MNC of a 3-octet PLMN identity (TS 24.008
// §10.5.1.3): a 0xf third MNC digit means a 2-digit MNC.
func plmn(v []byte) (mcc, mnc string) {
	var a, b strings.Builder
	bcdDigit(&a, v[0]&0x0f)
	bcdDigit(&a, v[0]>>4)
	bcdDigit(&a, v[1]&0x0f)
	bcdDigit(&b, v[2]&0x0f)
	bcdDigit(&b, v[2]>>4)
	if v[1]>>4 != 0x0f {
		bcdDigit(&b, v[1]>>4)
	}
	return a.String(), b.String()
}

// digits appends BCD digits up to the first 0xf filler nibble.
func digits(sb *strings.Builder, nibbles ...byte) {
	for _, n := range nibbles {
		if n == 0x0f {
			return
		}
		bcdDigit(sb, n)
	}
}

// bcdDigit appends a digit; a nibble above 9 that is not filler is shown
// in hex so that a malformed identity stays visible.
func bcdDigit(sb *strings.Builder, n byte) { sb.WriteByte(hexDigits[n&0x0f]) }

func amfSetPointer(a, b byte) (set, pointer int) { return int(a)<<2 | int(b)>>6, int(b & 0x3f) }

func be32(v []byte) uint32 {
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}

func colonHex(v []byte) string {
	out := make([]byte, 0, 3*len(v))
	for i, x := range v {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, hexDigits[x>>4], hexDigits[x&0x0f])
	}
	return string(out)
}
