package nas

import (
	"fmt"
	"strconv"
	"strings"
)

// Value decoders (valueFunc) of TS 24.501 §9.11. Each fills ie.Value and,
// where it helps, ie.Children; some also set the message's structured
// fields.

// registrationTypeValue: 5GS registration type (§9.11.3.7), a half octet.
func registrationTypeValue(c *ctx, ie *IE, v []byte, _ int) {
	typ, follow := int(v[0]&0x07), v[0]&0x08 != 0
	c.m.RegistrationType, c.m.FollowOnRequest = typ, follow
	forText := "no follow-on request pending"
	if follow {
		forText = "follow-on request pending"
	}
	ie.Value = name(registrationTypes[:], typ) + ", " + forText
	ie.Children = []IE{
		{Name: "Follow-On Request bit (FOR)", Value: forText},
		{Name: "5GS registration type", Value: name(registrationTypes[:], typ)},
	}
}

// ksiValue: NAS key set identifier (§9.11.3.32), a half octet. The first
// ngKSI of a message is its NgKSI.
func ksiValue(c *ctx, ie *IE, v []byte, _ int) {
	k := KeySetID{Mapped: v[0]&0x08 != 0, Value: int(v[0] & 0x07)}
	if ie.Name == "ngKSI" && c.m.NgKSI == nil {
		c.m.NgKSI = &k
	}
	tsc := "native security context"
	if k.Mapped {
		tsc = "mapped security context"
	}
	if k.Value == 7 {
		ie.Value = "7 (no key is available)"
	} else {
		ie.Value = strconv.Itoa(k.Value) + " (" + tsc + ")"
	}
	ie.Children = []IE{
		{Name: "Type of security context flag (TSC)", Value: tsc},
		{Name: "NAS key set identifier", Value: strconv.Itoa(k.Value)},
	}
}

// mmCauseValue: 5GMM cause (§9.11.3.2).
func mmCauseValue(c *ctx, ie *IE, v []byte, _ int) {
	c.m.MMCause = int(v[0])
	ie.Value = withValue(MMCauseName(c.m.MMCause), c.m.MMCause)
}

// smCauseValue: 5GSM cause (§9.11.4.2).
func smCauseValue(c *ctx, ie *IE, v []byte, _ int) {
	c.m.SMCause = int(v[0])
	ie.Value = withValue(SMCauseName(c.m.SMCause), c.m.SMCause)
}

// algorithmsValue: NAS security algorithms (§9.11.3.34).
func algorithmsValue(c *ctx, ie *IE, v []byte, _ int) {
	a := Algorithms{Ciphering: int(v[0] >> 4), Integrity: int(v[0] & 0x0f)}
	c.m.Algorithms = &a
	ie.Value = CipheringAlgorithmName(a.Ciphering) + ", " + IntegrityAlgorithmName(a.Integrity)
	ie.Children = []IE{
		{Name: "Type of ciphering algorithm", Value: withValue(CipheringAlgorithmName(a.Ciphering), a.Ciphering)},
		{Name: "Type of integrity protection algorithm", Value: withValue(IntegrityAlgorithmName(a.Integrity), a.Integrity)},
	}
}

// ueSecurityCapabilityValue: UE security capability (§9.11.3.54), 2 to 8
// octets: 5G-EA, 5G-IA, then optionally EEA and EIA.
func ueSecurityCapabilityValue(c *ctx, ie *IE, v []byte, off int) {
	if len(v) < 2 {
		ie.Value = fmt.Sprintf("malformed: %d bytes, want at least 2", len(v))
		c.notef("%s at byte %d: %d bytes, want at least 2", ie.Name, off, len(v))
		return
	}
	sc := SecurityCapability{EA: v[0], IA: v[1]}
	if len(v) >= 4 {
		sc.EPS, sc.EEA, sc.EIA = true, v[2], v[3]
	}
	c.m.UESecurityCapability = &sc
	parts := []string{"5G-EA " + algList(sc.EA), "5G-IA " + algList(sc.IA)}
	ie.Children = make([]IE, 0, 32)
	bits(ie, capEANames[:], sc.EA)
	bits(ie, capIANames[:], sc.IA)
	if sc.EPS {
		parts = append(parts, "EEA "+algList(sc.EEA), "EIA "+algList(sc.EIA))
		bits(ie, capEEANames[:], sc.EEA)
		bits(ie, capEIANames[:], sc.EIA)
	}
	ie.Value = strings.Join(parts, "; ")
}

// algList lists the algorithm numbers of a capability octet: "0 1 2 3",
// or "none".
func algList(m uint8) string {
	var s []string
	for i := range 8 {
		if m&(0x80>>i) != 0 {
			s = append(s, strconv.Itoa(i))
		}
	}
	if s == nil {
		return "none"
	}
	return strings.Join(s, " ")
}

func bits(ie *IE, names []string, m uint8) {
	for i, n := range names {
		val := "Not supported"
		if m&(0x80>>i) != 0 {
			val = "Supported"
		}
		ie.Children = append(ie.Children, IE{Name: n, Value: val})
	}
}

// payloadTypeValue: payload container type (§9.11.3.40), a half octet.
func payloadTypeValue(c *ctx, ie *IE, v []byte, _ int) {
	c.m.PayloadContainerType = int(v[0] & 0x0f)
	ie.Value = name(payloadContainerTypes[:], c.m.PayloadContainerType)
}

// payloadValue: payload container (§9.11.3.39). N1 SM information holds a
// 5GSM message, decoded into the message's Payload; multiple payloads
// (§9.11.3.39, Figure 9.11.3.39.2) are listed entry by entry.
func payloadValue(c *ctx, ie *IE, v []byte, off int) {
	switch c.m.PayloadContainerType {
	case payloadN1SM:
		sm := c.nestedIE(ie, off, len(v))
		if sm != nil {
			c.m.Payload = sm
		}
	case payloadMultiple:
		c.multiplePayloads(ie, v, off)
	default:
		ie.Value = hexString(v)
	}
}

// nestedIE decodes the NAS message in an IE value and shows it as the
// IE's children; decoding problems become notes.
func (c *ctx) nestedIE(ie *IE, off, n int) *Message {
	sm, err := c.nested(off, n)
	if err != nil {
		c.notef("%s: %v", ie.Name, err)
	}
	if sm == nil {
		ie.Value = hexString(c.d.b[off : off+n])
		return nil
	}
	ie.Value = sm.Summary()
	ie.Children = sm.IEs
	return sm
}

func (c *ctx) multiplePayloads(ie *IE, v []byte, off int) {
	if len(v) < 1 {
		ie.Value = "malformed: empty"
		return
	}
	count := int(v[0])
	ie.Value = strconv.Itoa(count) + " entries"
	pos := 1
	for i := 0; i < count; i++ {
		if len(v)-pos < 3 {
			c.notef("%s at byte %d: entry %d cut off", ie.Name, off, i+1)
			return
		}
		n := int(v[pos])<<8 | int(v[pos+1])
		if n < 1 || n > len(v)-pos-2 {
			c.notef("%s at byte %d: entry %d length %d runs past the end", ie.Name, off, i+1, n)
			return
		}
		e := v[pos+2 : pos+2+n]
		eoff := off + pos + 2
		typ := int(e[0] & 0x0f)
		opts := int(e[0] >> 4)
		entry := IE{Name: "Payload container entry " + strconv.Itoa(i+1), Value: name(payloadContainerTypes[:], typ)}
		// Optional IEs of the entry: type (1), length (1), value.
		p := 1
		for j := 0; j < opts && p+2 <= len(e); j++ {
			l := int(e[p+1])
			if p+2+l > len(e) {
				break
			}
			entry.Children = append(entry.Children, IE{Name: fmt.Sprintf("Optional IE 0x%02x", e[p]), Value: hexString(e[p+2 : p+2+l])})
			p += 2 + l
		}
		content := IE{Name: "Payload container", Value: hexString(e[p:])}
		if typ == payloadN1SM && p < len(e) {
			if sm := c.nestedIE(&content, eoff+p, len(e)-p); sm != nil && c.m.Payload == nil {
				c.m.Payload = sm
			}
		}
		entry.Children = append(entry.Children, content)
		ie.Children = append(ie.Children, entry)
		pos += 2 + n
	}
}

// nasContainerValue: NAS message container (§9.11.3.33). It holds a whole
// plain NAS message, readable in a Security mode complete (which is itself
// ciphered, so the inner message was deciphered to get here) and wherever
// 5G-EA0 is in force; elsewhere it is ciphered.
func nasContainerValue(c *ctx, ie *IE, v []byte, off int) {
	if c.m.Type != typeSecurityModeComplete {
		switch {
		case c.d.opts.CipheringAlgorithm != 0:
			ie.Value = containerCiphered + strconv.Itoa(len(v)) + " bytes"
			return
		case len(v) > 0 && v[0] != EPD5GMM && v[0] != EPD5GSM:
			ie.Value = containerCiphered + strconv.Itoa(len(v)) + " bytes"
			c.notef("%s at byte %d: 0x%02x is not a 5GS extended protocol discriminator although 5G-EA0 is in force: taken as ciphered", ie.Name, off, v[0])
			return
		}
	}
	if in := c.nestedIE(ie, off, len(v)); in != nil {
		c.m.Contained = in
	}
}

const (
	typeSecurityModeComplete = 0x5e
	containerCiphered        = "ciphered, "
)

// pduSessionIDIE: PDU session identity 2 (§9.11.3.41).
func pduSessionIDIE(c *ctx, ie *IE, v []byte, _ int) {
	if ie.Name == "PDU session ID" {
		c.m.PDUSessionID = int(v[0])
	}
	ie.Value = pduSessionIDValue(int(v[0]))
}

func requestTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(requestTypes[:], int(v[0]&0x07))
}

func identityTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(identityTypes[:], int(v[0]&0x07))
}

func accessTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(accessTypes[:], int(v[0]&0x03))
}

func serviceTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(serviceTypes[:], int(v[0]&0x0f))
}

func controlPlaneServiceTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(controlPlaneServiceTypes[:], int(v[0]&0x07))
}

func pduSessionTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(pduSessionTypes[:], int(v[0]&0x07))
}

func sscModeValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = name(sscModes[:], int(v[0]&0x07))
}

// deregistrationTypeValue: De-registration type (§9.11.3.20), a half octet.
func deregistrationTypeValue(_ *ctx, ie *IE, v []byte, _ int) {
	switchOff, reReg, access := v[0]&0x08 != 0, v[0]&0x04 != 0, int(v[0]&0x03)
	off := "Normal de-registration"
	if switchOff {
		off = "Switch off"
	}
	re := "re-registration not required"
	if reReg {
		re = "re-registration required"
	}
	ie.Value = off + ", " + re + ", " + name(accessTypes[:], access)
	ie.Children = []IE{
		{Name: "Switch off", Value: off},
		{Name: "Re-registration required", Value: re},
		{Name: "Access type", Value: name(accessTypes[:], access)},
	}
}

// registrationResultValue: 5GS registration result (§9.11.3.6).
func registrationResultValue(_ *ctx, ie *IE, v []byte, _ int) {
	if len(v) < 1 {
		ie.Value = "malformed: empty"
		return
	}
	res := int(v[0] & 0x07)
	ie.Value = name(accessTypes[:], res)
	flags := []struct {
		bit       byte
		name, yes string
	}{
		{0x08, "SMS over NAS", "SMS over NAS allowed"},
		{0x10, "NSSAA to be performed", "network slice-specific authentication and authorization is to be performed"},
		{0x20, "Emergency registered", "registered for emergency services"},
	}
	for _, f := range flags {
		if v[0]&f.bit != 0 {
			ie.Value += ", " + f.yes
		}
	}
}

// imeisvRequestValue: IMEISV request (§9.11.3.28), a half octet.
func imeisvRequestValue(_ *ctx, ie *IE, v []byte, _ int) {
	if v[0]&0x07 == 1 {
		ie.Value = "IMEISV requested (1)"
	} else {
		ie.Value = withValue("IMEISV not requested", int(v[0]&0x07))
	}
}

// additionalSecurityValue: Additional 5G security information (§9.11.3.12).
func additionalSecurityValue(_ *ctx, ie *IE, v []byte, _ int) {
	if len(v) < 1 {
		ie.Value = "malformed: empty"
		return
	}
	rinmr, hdp := v[0]&0x02 != 0, v[0]&0x01 != 0
	ie.Value = fmt.Sprintf("RINMR %s, HDP %s", requested(rinmr, "requested", "not requested"), requested(hdp, "required", "not required"))
	ie.Children = []IE{
		{Name: "Retransmission of initial NAS message request (RINMR)", Value: requested(rinmr, "Requested", "Not requested")},
		{Name: "Horizontal derivation parameter (HDP)", Value: requested(hdp, "Required", "Not required")},
	}
}

func requested(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// snssaiValue: S-NSSAI (§9.11.2.8): SST, then SD, mapped SST and mapped SD
// as the length says.
func snssaiValue(_ *ctx, ie *IE, v []byte, _ int) { ie.Value = snssai(v) }

func snssai(v []byte) string {
	if len(v) == 0 {
		return "malformed: empty"
	}
	s := "SST " + name(sstNames[:], int(v[0]))
	switch len(v) {
	case 1:
	case 2:
		s += ", mapped HPLMN SST " + strconv.Itoa(int(v[1]))
	case 4, 5, 8:
		s += fmt.Sprintf(", SD 0x%02x%02x%02x", v[1], v[2], v[3])
		if len(v) >= 5 {
			s += ", mapped HPLMN SST " + strconv.Itoa(int(v[4]))
		}
		if len(v) == 8 {
			s += fmt.Sprintf(", mapped HPLMN SD 0x%02x%02x%02x", v[5], v[6], v[7])
		}
	default:
		s += ", malformed: " + hexString(v)
	}
	return s
}

// nssaiValue: NSSAI (§9.11.3.37): S-NSSAI values, each with its length.
func nssaiValue(_ *ctx, ie *IE, v []byte, _ int) {
	var names []string
	for pos := 0; pos < len(v); {
		n := int(v[pos])
		if n > len(v)-pos-1 {
			ie.Children = append(ie.Children, IE{Name: "S-NSSAI", Value: "malformed: " + hexString(v[pos:])})
			break
		}
		s := snssai(v[pos+1 : pos+1+n])
		ie.Children = append(ie.Children, IE{Name: "S-NSSAI", Value: s})
		names = append(names, s)
		pos += 1 + n
	}
	ie.Value = strconv.Itoa(len(ie.Children)) + " S-NSSAI"
	if len(names) == 1 {
		ie.Value = names[0]
	}
}

// dnnValue: DNN (§9.11.2.1B), an APN in label format: "internet".
func dnnValue(_ *ctx, ie *IE, v []byte, _ int) {
	var labels []string
	for pos := 0; pos < len(v); {
		n := int(v[pos])
		if n > len(v)-pos-1 {
			ie.Value = "malformed: " + hexString(v)
			return
		}
		labels = append(labels, string(v[pos+1:pos+1+n]))
		pos += 1 + n
	}
	ie.Value = strings.Join(labels, ".")
}

// taiValue: 5GS tracking area identity (§9.11.3.8): PLMN and 3-octet TAC.
func taiValue(_ *ctx, ie *IE, v []byte, _ int) {
	mcc, mnc := plmn(v[0:3])
	ie.Value = fmt.Sprintf("MCC %s, MNC %s, TAC 0x%02x%02x%02x", mcc, mnc, v[3], v[4], v[5])
}

// integrityRateValue: integrity protection maximum data rate (§9.11.4.7).
func integrityRateValue(_ *ctx, ie *IE, v []byte, _ int) {
	rate := func(x byte) string {
		switch x {
		case 0:
			return "64 kbps"
		case 1:
			return "NULL"
		case 0xff:
			return "Full data rate"
		}
		return fmt.Sprintf("reserved (%d)", x)
	}
	ie.Value = "uplink " + rate(v[0]) + ", downlink " + rate(v[1])
}

// eapValue: EAP message (§9.11.2.2, RFC 3748): code, identifier, type.
func eapValue(_ *ctx, ie *IE, v []byte, _ int) {
	if len(v) < 4 {
		ie.Value = hexString(v)
		return
	}
	ie.Value = fmt.Sprintf("%s, identifier %d, length %d", name(eapCodes[:], int(v[0])), v[1], int(v[2])<<8|int(v[3]))
	if len(v) > 4 && (v[0] == 1 || v[0] == 2) {
		ie.Value += ", type " + strconv.Itoa(int(v[4]))
	}
}

// GPRS timers (TS 24.008 §10.5.7.3, §10.5.7.4, §10.5.7.4a).
func gprsTimer2Value(_ *ctx, ie *IE, v []byte, _ int) {
	if len(v) != 1 {
		ie.Value = hexString(v)
		return
	}
	ie.Value = timer(v[0], [...]string{"2 s", "1 min", "6 min", "1 min", "1 min", "1 min", "1 min", ""})
}

func gprsTimer3Value(_ *ctx, ie *IE, v []byte, _ int) {
	if len(v) != 1 {
		ie.Value = hexString(v)
		return
	}
	ie.Value = timer(v[0], [...]string{"10 min", "1 h", "10 h", "2 s", "30 s", "1 min", "320 h", ""})
}

// timer writes a timer octet: 5-bit value times the unit of bits 8-6; an
// empty unit means deactivated.
func timer(x byte, units [8]string) string {
	unit := units[x>>5]
	if unit == "" {
		return "deactivated"
	}
	n, u, _ := strings.Cut(unit, " ")
	k, _ := strconv.Atoi(n)
	return strconv.Itoa(int(x&0x1f)*k) + " " + u
}

// packetFiltersValue: maximum number of supported packet filters
// (§9.11.4.9), 11 bits.
func packetFiltersValue(_ *ctx, ie *IE, v []byte, _ int) {
	ie.Value = strconv.Itoa(int(v[0])<<3 | int(v[1])>>5)
}
