package ngap

import (
	"github.com/nrladder/nrladder/internal/parse/ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// summarize fills the Message's fields from the message's IEs.
func (m *Message) summarize(mv *per.Value) {
	for id, v := range ap.IEs(mv) {
		switch id {
		case 85:
			m.RANUEID = ap.Uint64(v)
		case 10:
			m.AMFUEID = ap.Uint64(v)
		case 114:
			switch c := v.Chosen(); {
			case c == nil:
			case c.Name == "uE-NGAP-ID-pair":
				if a := c.Field("aMF-UE-NGAP-ID"); a != nil {
					m.AMFUEID = ap.Uint64(a)
				}
				if r := c.Field("rAN-UE-NGAP-ID"); r != nil {
					m.RANUEID = ap.Uint64(r)
				}
			case c.Name == "aMF-UE-NGAP-ID":
				m.AMFUEID = ap.Uint64(c)
			}
		case 15:
			m.Cause = ap.Cause(v)
		case 119:
			m.UESecurityCapabilities = securityCapabilities(v)
		case 121:
			if nr := v.Get("userLocationInformationNR.nR-CGI"); nr != nil {
				m.NRCGI = ap.NRCGI(nr, "pLMNIdentity")
			}
		}
	}
	m.NASPDUs = appendNAS(m.NASPDUs, mv)
}

// appendNAS appends the NAS-PDU values found in v, depth first.
func appendNAS(out [][]byte, v *per.Value) [][]byte {
	if v.Type == "NAS-PDU" && v.Kind == per.OctetString {
		return append(out, v.Octets)
	}
	switch v.Kind {
	case per.Sequence, per.SequenceOf, per.Choice:
		for i := range v.Fields {
			out = appendNAS(out, &v.Fields[i])
		}
	case per.OctetString:
		if v.Contained != nil {
			out = appendNAS(out, v.Contained)
		}
	}
	return out
}

func securityCapabilities(v *per.Value) *SecurityCapabilities {
	var c SecurityCapabilities
	for _, f := range []struct {
		name string
		dst  *uint16
	}{
		{"nRencryptionAlgorithms", &c.NREncryption},
		{"nRintegrityProtectionAlgorithms", &c.NRIntegrity},
		{"eUTRAencryptionAlgorithms", &c.EUTRAEncryption},
		{"eUTRAintegrityProtectionAlgorithms", &c.EUTRAIntegrity},
	} {
		b := v.Field(f.name)
		if b == nil || b.Kind != per.BitString {
			return nil
		}
		*f.dst = first16(b)
	}
	return &c
}

// first16 returns the first 16 bits of a BIT STRING, zero-padded.
func first16(b *per.Value) uint16 {
	var u uint16
	for i := 0; i < 16 && i < b.Len && i/8 < len(b.Bits); i++ {
		if b.Bits[i/8]>>(7-i%8)&1 == 1 {
			u |= 0x8000 >> i
		}
	}
	return u
}
