package nas

import (
	"fmt"
	"strconv"
)

// decoder holds the PDU given to Decode; every offset below is into it, so
// errors and identity spans are positions in the caller's bytes.
type decoder struct {
	b    []byte
	opts Options
}

func truncated(off int, format string, args ...any) *Error {
	return &Error{Offset: off, Err: ErrTruncated, Detail: fmt.Sprintf(format, args...)}
}

// message decodes the NAS message in b[start:end].
func (d *decoder) message(start, end, depth int) (*Message, error) {
	if start >= end {
		return nil, &Error{Offset: start, Err: ErrEmpty}
	}
	b := d.b
	m := &Message{EPD: b[start], SequenceNumber: -1, PDUSessionID: -1, PTI: -1, IEs: make([]IE, 0, 8)}
	switch m.EPD {
	case EPD5GMM:
		m.IEs = append(m.IEs, IE{Name: "Extended protocol discriminator", Value: epd5GMMValue})
		if end-start < 2 {
			return nil, truncated(start+1, "security header type: 1 byte needed, 0 left")
		}
		m.SecurityHeader = int(b[start+1] & 0x0f)
		if m.SecurityHeader >= len(securityHeaderNames) {
			return nil, &Error{Offset: start + 1, Err: ErrReservedSecurityHeader, Detail: strconv.Itoa(m.SecurityHeader)}
		}
		m.IEs = append(m.IEs, IE{Name: "Security header type", Value: securityHeaderValues[m.SecurityHeader]})
		if m.SecurityHeader != Plain {
			if err := d.protected(m, start, end, depth); err != nil && m.Inner == nil {
				return nil, err
			} else if err != nil {
				return m, err
			}
			return m, nil
		}
		if end-start < 3 {
			return nil, truncated(start+2, "message type: 1 byte needed, 0 left")
		}
		m.Type = b[start+2]
		return m, d.body(m, mmMessages[m.Type], start+3, end, depth)
	case EPD5GSM:
		m.IEs = append(m.IEs, IE{Name: "Extended protocol discriminator", Value: epd5GSMValue})
		if end-start < 4 {
			return nil, truncated(start, "5GSM header: 4 bytes needed, %d left", end-start)
		}
		m.PDUSessionID = int(b[start+1])
		m.PTI = int(b[start+2])
		m.Type = b[start+3]
		m.IEs = append(m.IEs,
			IE{Name: "PDU session identity", Value: pduSessionIDValue(m.PDUSessionID)},
			IE{Name: "Procedure transaction identity", Value: strconv.Itoa(m.PTI)})
		return m, d.body(m, smMessages[m.Type], start+4, end, depth)
	}
	return nil, &Error{Offset: start, Err: ErrUnknownEPD, Detail: fmt.Sprintf("0x%02x, want 0x7e 5GMM or 0x2e 5GSM", m.EPD)}
}

// protected decodes the security header of m and, when it can be read,
// the plain message after it.
func (d *decoder) protected(m *Message, start, end, depth int) error {
	b := d.b
	if end-start < securityHeaderLen {
		return truncated(start+2, "security header: MAC and sequence number need 5 bytes, %d left", end-start-2)
	}
	m.MAC = append([]byte(nil), b[start+2:start+6]...)
	m.SequenceNumber = int(b[start+6])
	m.IEs = append(m.IEs,
		IE{Name: "Message authentication code", Value: "0x" + hexString(m.MAC)},
		IE{Name: "Sequence number", Value: strconv.Itoa(m.SequenceNumber)})
	inner := start + securityHeaderLen
	ciphered := m.SecurityHeader == IntegrityProtectedCiphered || m.SecurityHeader == IntegrityProtectedCipheredNew
	switch {
	case ciphered && d.opts.CipheringAlgorithm != 0:
		m.Ciphered = true
		m.IEs = append(m.IEs, IE{Name: "Ciphered message", Value: strconv.Itoa(end-inner) + " bytes"})
		return nil
	case inner >= end:
		return truncated(inner, "no plain NAS message after the security header")
	case ciphered && d.b[inner] != EPD5GMM && d.b[inner] != EPD5GSM:
		// 5G-EA0 is said to be in force, but this is not a plain message.
		m.Ciphered = true
		m.IEs = append(m.IEs, IE{Name: "Ciphered message", Value: strconv.Itoa(end-inner) + " bytes"})
		m.Notes = append(m.Notes, fmt.Sprintf("byte %d: 0x%02x is not a 5GS extended protocol discriminator although 5G-EA0 is in force: taken as ciphered", inner, d.b[inner]))
		return nil
	case depth >= maxDepth:
		m.Notes = append(m.Notes, "security protected message nested too deep: not decoded")
		return nil
	}
	in, err := d.message(inner, end, depth+1)
	if in == nil {
		return err
	}
	m.Inner = in
	m.promote(in)
	m.IEs = append(m.IEs, IE{Name: "Plain NAS 5GS message", Value: in.Summary(), Children: in.IEs})
	return err
}

// promote copies what the inner plain message says onto the security
// protected message around it.
func (m *Message) promote(in *Message) {
	m.Type, m.Name = in.Type, in.Name
	m.PDUSessionID, m.PTI = in.PDUSessionID, in.PTI
	m.Identities = in.Identities
	m.UESecurityCapability = in.UESecurityCapability
	m.Algorithms = in.Algorithms
	m.NgKSI = in.NgKSI
	m.RegistrationType, m.FollowOnRequest = in.RegistrationType, in.FollowOnRequest
	m.MMCause, m.SMCause = in.MMCause, in.SMCause
	m.PayloadContainerType = in.PayloadContainerType
	m.Payload, m.Contained = in.Payload, in.Contained
	m.Notes = in.Notes
}

// body decodes the IEs of a plain message of the given spec from b[pos:end].
func (d *decoder) body(m *Message, spec *msgSpec, pos, end, depth int) error {
	if spec != nil {
		m.Name = spec.name
		m.IEs = append(m.IEs, IE{Name: "Message type", Value: spec.typeValue})
	} else {
		typeIE := IE{Name: "Message type"}
		typeIE.Value = fmt.Sprintf("%s (0x%02x)", unknownTypeName(m.EPD, m.Type), m.Type)
		m.IEs = append(m.IEs, typeIE)
		m.Notes = append(m.Notes, unknownTypeName(m.EPD, m.Type)+": IEs not decoded")
		return nil
	}
	c := &ctx{d: d, m: m, depth: depth}

	for i := range spec.mandatory {
		p := &spec.mandatory[i]
		var err error
		pos, err = c.mandatory(p, pos, end)
		if err != nil {
			return err
		}
	}
	for pos < end {
		iei := d.b[pos]
		p := spec.lookup(iei)
		if p == nil {
			var stop bool
			pos, stop = c.unknown(iei, pos, end)
			if stop {
				return nil
			}
			continue
		}
		var err error
		pos, err = c.optional(p, pos, end)
		if err != nil {
			return err
		}
	}
	return nil
}

// ctx is the state of decoding one plain message.
type ctx struct {
	d     *decoder
	m     *Message
	depth int
}

func (c *ctx) add(ie IE)                { c.m.IEs = append(c.m.IEs, ie) }
func (c *ctx) note(s string)            { c.m.Notes = append(c.m.Notes, s) }
func (c *ctx) notef(f string, a ...any) { c.note(fmt.Sprintf(f, a...)) }

// value runs p's value decoder on b[off:off+n] and adds the IE.
func (c *ctx) value(p *ie, off, n int) {
	v := c.d.b[off : off+n]
	ie := IE{Name: p.name}
	if p.dec == nil {
		ie.Value = hexString(v)
	} else {
		p.dec(c, &ie, v, off)
	}
	c.add(ie)
}

// half runs p's decoder on a half octet value.
func (c *ctx) half(p *ie, nibble byte, off int) {
	ie := IE{Name: p.name}
	if p.dec == nil {
		ie.Value = strconv.Itoa(int(nibble))
	} else {
		p.dec(c, &ie, []byte{nibble}, off)
	}
	c.add(ie)
}

// mandatory decodes a mandatory IE (format V, half octets, LV or LV-E)
// at pos and returns the position after it.
func (c *ctx) mandatory(p *ie, pos, end int) (int, error) {
	b := c.d.b
	switch p.format {
	case fHalf:
		if pos >= end {
			return pos, truncated(pos, "%s: 1 byte needed, 0 left", p.name)
		}
		c.half(p, b[pos]&0x0f, pos)
		if p.hi != nil {
			c.half(p.hi, b[pos]>>4, pos)
		}
		return pos + 1, nil
	case fV:
		if end-pos < p.n {
			return pos, truncated(pos, "%s: %s needed, %d left", p.name, bytesN(p.n), end-pos)
		}
		c.value(p, pos, p.n)
		return pos + p.n, nil
	case fLV, fLVE:
		return c.lengthValue(p, pos, pos, end)
	}
	panic("nas: bad mandatory format for " + p.name)
}

// lengthValue decodes the length and value of an LV, LV-E, TLV or TLV-E
// IE whose length field is at lpos (the IE starts at start).
func (c *ctx) lengthValue(p *ie, start, lpos, end int) (int, error) {
	b := c.d.b
	width := 1
	if p.format == fLVE || p.format == fTLVE {
		width = 2
	}
	if end-lpos < width {
		return lpos, truncated(start, "%s: length needs %s, %d left", p.name, bytesN(width), end-lpos)
	}
	n := int(b[lpos])
	if width == 2 {
		n = n<<8 | int(b[lpos+1])
	}
	vpos := lpos + width
	if n > end-vpos {
		return vpos, truncated(start, "%s length %d, %s left", p.name, n, bytesN(end-vpos))
	}
	c.value(p, vpos, n)
	return vpos + n, nil
}

// optional decodes the optional IE at pos whose IEI matched p.
func (c *ctx) optional(p *ie, pos, end int) (int, error) {
	b := c.d.b
	switch p.format {
	case fTV1:
		c.half(p, b[pos]&0x0f, pos)
		return pos + 1, nil
	case fT:
		c.add(IE{Name: p.name, Value: "present"})
		return pos + 1, nil
	case fTV:
		if end-pos-1 < p.n {
			return pos, truncated(pos, "%s: %s needed after the IEI, %d left", p.name, bytesN(p.n), end-pos-1)
		}
		c.value(p, pos+1, p.n)
		return pos + 1 + p.n, nil
	case fTLV, fTLVE:
		return c.lengthValue(p, pos, pos+1, end)
	}
	panic("nas: bad optional format for " + p.name)
}

// unknown handles an IEI the message's table does not hold, following
// TS 24.007 §11.2.4: a single octet IE when bit 8 is set, a TLV-E IE for
// 0x7X (5GS), a TLV IE otherwise, except that an IEI of 0000 xxxx is
// "comprehension required" and cannot be placed: decoding of IEs stops.
func (c *ctx) unknown(iei byte, pos, end int) (int, bool) {
	b := c.d.b
	stop := func(why string) (int, bool) {
		c.notef("IE 0x%02x at byte %d %s: IEs from there not decoded", iei, pos, why)
		c.add(IE{Name: "Undecoded IEs", Value: hexString(b[pos:end])})
		return end, true
	}
	switch {
	case iei >= 0x80:
		c.notef("unknown IE 0x%X- at byte %d skipped (single octet)", iei>>4, pos)
		c.add(IE{Name: fmt.Sprintf("Unknown IE 0x%X-", iei>>4), Value: fmt.Sprintf("0x%x", iei&0x0f)})
		return pos + 1, false
	case iei < 0x10:
		return stop("is not known in " + c.messageName())
	}
	width := 1
	if iei&0xf0 == 0x70 {
		width = 2
	}
	if end-pos-1 < width {
		return stop("is not known and its length is cut off")
	}
	n := int(b[pos+1])
	if width == 2 {
		n = n<<8 | int(b[pos+2])
	}
	vpos := pos + 1 + width
	if n > end-vpos {
		return stop(fmt.Sprintf("is not known and its length %d runs past the end", n))
	}
	c.notef("unknown IE 0x%02x at byte %d skipped (%d bytes)", iei, pos, n)
	c.add(IE{Name: fmt.Sprintf("Unknown IE 0x%02x", iei), Value: hexString(b[vpos : vpos+n])})
	return vpos + n, false
}

func (c *ctx) messageName() string {
	if c.m.Name != "" {
		return c.m.Name
	}
	return unknownTypeName(c.m.EPD, c.m.Type)
}

// nested decodes a NAS message carried in an IE value b[off:off+n].
func (c *ctx) nested(off, n int) (*Message, error) {
	if c.depth+1 > maxDepth {
		c.note("NAS message nested too deep: not decoded")
		return nil, nil
	}
	return c.d.message(off, off+n, c.depth+1)
}

const hexDigits = "0123456789abcdef"

// hexString writes up to hexLimit octets as hex ("0a1b2c"), with the
// total length when it cuts.
func hexString(v []byte) string {
	if len(v) == 0 {
		return "(empty)"
	}
	n := min(len(v), hexLimit)
	out := make([]byte, 0, 2*n+24)
	for _, x := range v[:n] {
		out = append(out, hexDigits[x>>4], hexDigits[x&0x0f])
	}
	if n < len(v) {
		out = append(out, "… ("...)
		out = strconv.AppendInt(out, int64(len(v)), 10)
		out = append(out, " bytes)"...)
	}
	return string(out)
}

func bytesN(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

func pduSessionIDValue(v int) string {
	if v == 0 {
		return "No PDU session identity assigned (0)"
	}
	return strconv.Itoa(v)
}
