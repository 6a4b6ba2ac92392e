// Package nastest builds 5GS NAS PDUs (TS 24.501) for tests: the messages of
// a registration with NAS security (Registration request with a null-scheme
// SUCI, authentication, security mode command and complete, Registration
// accept and reject, identity, service request, PDU session establishment
// in UL NAS transport, deregistration), the security header around them,
// and the IEs they are made of. Every PDU is assembled field by field from
// the specification, not pasted as hex.
//
// It imports nothing from the project. Builders panic on arguments that
// cannot be encoded: they are for tests.
package nastest

import (
	"encoding/binary"
	"fmt"
)

// Extended protocol discriminators and security header types.
const (
	EPD5GMM = 0x7e
	EPD5GSM = 0x2e

	Plain                         = 0
	IntegrityProtected            = 1
	IntegrityProtectedCiphered    = 2
	IntegrityProtectedNew         = 3
	IntegrityProtectedCipheredNew = 4
)

// The values the builders use unless told otherwise.
const (
	MCC              = "001"
	MNC              = "01"
	RoutingIndicator = "0000"
	MSIN             = "0000000001"
	IMEISVDigits     = "3534900698733019"
	AMFRegionID      = 0xca
	AMFSetID         = 0x3f1
	AMFPointer       = 1
	TMSI             = 0xc0ffee01
	DNN              = "internet"
)

// MM returns a plain 5GMM message: EPD, security header type 0, message
// type, body.
func MM(typ byte, body ...[]byte) []byte {
	b := []byte{EPD5GMM, Plain, typ}
	for _, p := range body {
		b = append(b, p...)
	}
	return b
}

// SM returns a 5GSM message: EPD, PDU session ID, PTI, message type, body.
func SM(psi, pti int, typ byte, body ...[]byte) []byte {
	b := []byte{EPD5GSM, byte(psi), byte(pti), typ}
	for _, p := range body {
		b = append(b, p...)
	}
	return b
}

// Protect wraps a plain message in a security header of type sht with the
// given MAC and sequence number. The message is not ciphered: for types 2
// and 4 that is what 5G-EA0 sends; use Cipher for a real-looking one.
func Protect(sht int, mac uint32, sn byte, inner []byte) []byte {
	if sht < 1 || sht > 4 {
		panic(fmt.Sprintf("nastest: security header type %d", sht))
	}
	b := []byte{EPD5GMM, byte(sht)}
	b = binary.BigEndian.AppendUint32(b, mac)
	b = append(b, sn)
	return append(b, inner...)
}

// Cipher scrambles plain with a fixed key stream, standing in for
// 128-5G-EA1..3 output: the result does not start with a valid EPD.
func Cipher(plain []byte) []byte {
	out := make([]byte, len(plain))
	x := uint32(0x9e3779b9)
	for i, p := range plain {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = p ^ byte(x)
	}
	if len(out) > 0 && (out[0] == EPD5GMM || out[0] == EPD5GSM) {
		out[0] ^= 0x01
	}
	return out
}

// IE helpers: a value with its IEI and length in each TS 24.007 format.

// TV1 is a type 1 IE: IEI in the high nibble, value in the low one.
func TV1(iei, v byte) []byte { return []byte{iei&0xf0 | v&0x0f} }

// TV is a type 3 IE: IEI and a fixed-length value.
func TV(iei byte, v ...byte) []byte { return append([]byte{iei}, v...) }

// TLV is a type 4 IE: IEI, 1-octet length, value.
func TLV(iei byte, v []byte) []byte { return append([]byte{iei}, LV(v)...) }

// TLVE is a type 6 IE: IEI, 2-octet length, value.
func TLVE(iei byte, v []byte) []byte { return append([]byte{iei}, LVE(v)...) }

// LV is a length (1 octet) and value.
func LV(v []byte) []byte {
	if len(v) > 0xff {
		panic("nastest: LV value too long")
	}
	return append([]byte{byte(len(v))}, v...)
}

// LVE is a length (2 octets) and value.
func LVE(v []byte) []byte {
	if len(v) > 0xffff {
		panic("nastest: LV-E value too long")
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(v))), v...)
}

// PLMN encodes an MCC and a 2- or 3-digit MNC (TS 24.008 §10.5.1.3).
func PLMN(mcc, mnc string) []byte {
	d := func(s string, i int) byte {
		if i >= len(s) {
			return 0x0f
		}
		c := s[i]
		if c < '0' || c > '9' {
			panic("nastest: digit " + s)
		}
		return c - '0'
	}
	if len(mcc) != 3 || len(mnc) < 2 || len(mnc) > 3 {
		panic("nastest: PLMN " + mcc + "-" + mnc)
	}
	return []byte{d(mcc, 1)<<4 | d(mcc, 0), d(mnc, 2)<<4 | d(mcc, 2), d(mnc, 1)<<4 | d(mnc, 0)}
}

// BCD packs digits two per octet, low nibble first, 0xf filler.
func BCD(digits string) []byte {
	var b []byte
	for i := 0; i < len(digits); i += 2 {
		lo := digits[i] - '0'
		hi := byte(0x0f)
		if i+1 < len(digits) {
			hi = digits[i+1] - '0'
		}
		b = append(b, hi<<4|lo)
	}
	return b
}

// 5GS mobile identity values (TS 24.501 §9.11.3.4), without the length.

// SUCI is a SUCI of SUPI format IMSI with the null protection scheme.
func SUCI(mcc, mnc, routing, msin string) []byte {
	ri := BCD(routing)
	for len(ri) < 2 {
		ri = append(ri, 0xff)
	}
	b := []byte{0x01} // SUPI format IMSI, type SUCI
	b = append(b, PLMN(mcc, mnc)...)
	b = append(b, ri...)
	b = append(b, 0x00, 0x00) // protection scheme null, home network public key id 0
	return append(b, BCD(msin)...)
}

// SUCIProfileA is a SUCI with ECIES profile A: the scheme output is a
// 32-octet ephemeral public key, the ciphertext and an 8-octet MAC tag.
func SUCIProfileA(mcc, mnc, routing string, keyID byte, output []byte) []byte {
	b := []byte{0x01}
	b = append(b, PLMN(mcc, mnc)...)
	b = append(b, BCD(routing)...)
	b = append(b, 0x01, keyID)
	return append(b, output...)
}

// SUCINAI is a SUCI of SUPI format network specific identifier.
func SUCINAI(nai string) []byte { return append([]byte{0x11}, nai...) }

// GUTI is a 5G-GUTI.
func GUTI(mcc, mnc string, region byte, set uint16, pointer byte, tmsi uint32) []byte {
	b := []byte{0xf2} // spare 1111, type 5G-GUTI
	b = append(b, PLMN(mcc, mnc)...)
	b = append(b, region, byte(set>>2), byte(set<<6)|pointer&0x3f)
	return binary.BigEndian.AppendUint32(b, tmsi)
}

// STMSI is a 5G-S-TMSI.
func STMSI(set uint16, pointer byte, tmsi uint32) []byte {
	b := []byte{0xf4, byte(set >> 2), byte(set<<6) | pointer&0x3f}
	return binary.BigEndian.AppendUint32(b, tmsi)
}

// IMEISV is an IMEISV (16 digits); IMEI is an IMEI (15 digits).
func IMEISV(digits string) []byte { return imei(5, digits) }

// IMEI is an IMEI (15 digits).
func IMEI(digits string) []byte { return imei(3, digits) }

func imei(typ byte, digits string) []byte {
	odd := byte(len(digits)%2) << 3
	b := []byte{(digits[0]-'0')<<4 | odd | typ}
	return append(b, BCD(digits[1:])...)
}

// MAC is a MAC address identity; EUI64 an EUI-64 one.
func MAC(addr [6]byte) []byte { return append([]byte{0x06}, addr[:]...) }

// EUI64 is an EUI-64 identity.
func EUI64(addr [8]byte) []byte { return append([]byte{0x07}, addr[:]...) }

// NoIdentity is the "no identity" mobile identity.
func NoIdentity() []byte { return []byte{0x00} }

// UESecurityCapability returns the value of a UE security capability IE:
// 5G-EA and 5G-IA bitmaps (MSB = algorithm 0) and, when eps, EEA and EIA.
func UESecurityCapability(ea, ia byte, eps bool, eea, eia byte) []byte {
	if eps {
		return []byte{ea, ia, eea, eia}
	}
	return []byte{ea, ia}
}

// SNSSAI is an S-NSSAI value with SST and a 24-bit SD.
func SNSSAI(sst byte, sd uint32) []byte { return []byte{sst, byte(sd >> 16), byte(sd >> 8), byte(sd)} }

// APN encodes a DNN in label format.
func APN(dnn string) []byte {
	var b []byte
	start := 0
	for i := 0; i <= len(dnn); i++ {
		if i == len(dnn) || dnn[i] == '.' {
			b = append(b, byte(i-start))
			b = append(b, dnn[start:i]...)
			start = i + 1
		}
	}
	return b
}
