package f1ap

import (
	"github.com/nrladder/nrladder/internal/parse/per"
)

// maxIEDepth bounds the nesting of IE fields inside IE values (a list
// item's extension container is depth 3). Every level decodes its octets
// anew, so the bound keeps a hostile PDU's work within maxIEDepth passes.
const maxIEDepth = 12

// ieDecoder decodes the open types of IE fields in place.
type ieDecoder struct {
	schema *per.Schema
	msg    *Message
}

// message decodes the IE values of a message whose encoding starts at
// byte off of the PDU. Byte offsets of the IE values follow from the
// ALIGNED PER layout of SEQUENCE { protocolIEs ProtocolIE-Container, ... }:
// the extension bit and padding, a 16-bit count, then per IE a 16-bit id,
// the criticality (one padded octet) and the open type.
func (d *ieDecoder) message(mv *per.Value, off int) {
	ies := mv.Field("protocolIEs")
	if ies == nil {
		ies = mv.Field("privateIEs")
		if ies == nil {
			return
		}
	}
	pos := off + 3
	for i := range ies.Fields {
		f := &ies.Fields[i]
		val := fieldValue(f)
		if val == nil {
			continue
		}
		pos += 3 + lengthSize(len(val.Octets))
		d.field(f, d.msg.Name, pos, 1)
		pos += len(val.Octets)
	}
}

// isField reports whether v is an IE field: ProtocolIE-Field (also as
// ProtocolIE-SingleContainer) or ProtocolExtensionField.
func isField(v *per.Value) bool {
	switch v.Type {
	case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
		return v.Kind == per.Sequence
	}
	return false
}

// fieldValue returns the open type of an IE field: "value" or
// "extensionValue".
func fieldValue(f *per.Value) *per.Value {
	if len(f.Fields) != 3 || f.Fields[2].Kind != per.OctetString {
		return nil
	}
	return &f.Fields[2]
}

func fieldID(f *per.Value) int {
	if id := f.Field("id"); id != nil && id.Kind == per.Integer {
		return int(id.Int)
	}
	return -1 // a private IE (PrivateIE-ID)
}

// field decodes the value of the IE field f in place. path names where f
// is; off is the offset of the value in the PDU, or -1 inside an IE.
func (d *ieDecoder) field(f *per.Value, path string, off int, depth int) {
	val := fieldValue(f)
	if val == nil || val.Contained != nil {
		return
	}
	id := fieldID(f)
	if id < 0 {
		return
	}
	path += ": ie " + itoa(id) + " " + IEName(id)
	if off >= 0 {
		path += " at byte " + itoa(off)
	}
	typ := ieTypes[id]
	switch {
	case id >= len(ieNames) || ieNames[id] == "":
		d.note(path, ErrUnknownIE)
		return
	case typ == "":
		d.note(path, per.ErrUnmodelled)
		return
	case depth > maxIEDepth:
		d.note(path, per.ErrLimit)
		return
	}
	v, err := d.schema.Decode(typ, val.Octets, options)
	val.Container = typ
	if err != nil {
		val.Err = err
		d.note(path, err)
		return
	}
	val.Contained = v
	d.walk(v, path, depth+1)
}

// walk decodes in place the IE fields found inside a decoded value.
func (d *ieDecoder) walk(v *per.Value, path string, depth int) {
	if isField(v) {
		d.field(v, path, -1, depth)
		return
	}
	switch v.Kind {
	case per.Sequence, per.SequenceOf, per.Choice:
		for i := range v.Fields {
			d.walk(&v.Fields[i], path, depth)
		}
	case per.OctetString: // OCTET STRING (CONTAINING X)
		switch {
		case v.Contained != nil:
			d.walk(v.Contained, path, depth)
		case v.Err != nil:
			d.note(path+": "+v.Name, v.Err)
		}
	}
}

func (d *ieDecoder) note(path string, err error) {
	d.msg.Undecoded = append(d.msg.Undecoded, &Error{Path: path, Err: err})
}

// contained returns the decoded value of an IE field, or nil.
func contained(f *per.Value) *per.Value {
	if val := fieldValue(f); val != nil {
		return val.Contained
	}
	return nil
}

// summarize fills the Message's fields from the message's IEs.
func (m *Message) summarize(mv *per.Value) {
	ies := mv.Field("protocolIEs")
	if ies == nil {
		return
	}
	srb := -1
	for i := range ies.Fields {
		f := &ies.Fields[i]
		v := contained(f)
		if v == nil {
			continue
		}
		switch fieldID(f) {
		case 40:
			m.CUUEID = uint64p(v)
		case 41:
			m.DUUEID = uint64p(v)
		case 95:
			if v.Kind == per.Integer && v.Int >= 0 && v.Int <= 0xffff {
				c := uint16(v.Int)
				m.CRNTI = &c
			}
		case 111:
			m.NRCGI = nrcgi(v)
		case 63:
			if m.NRCGI == "" {
				m.NRCGI = nrcgi(v)
			}
		case 0:
			m.Cause = causeText(v)
		case 64:
			if v.Kind == per.Integer {
				srb = int(v.Int)
			}
		}
	}
	for i := range ies.Fields {
		f := &ies.Fields[i]
		v := contained(f)
		if v == nil {
			continue
		}
		switch id := fieldID(f); id {
		case 50:
			m.Containers = append(m.Containers, m.rrcContainer(v.Octets, srb))
		case 241:
			m.Containers = append(m.Containers, Container{IE: IEName(id), SRBID: 1, Data: v.Octets, Kind: KindPDCPSRB})
		case 128:
			m.Containers = append(m.Containers, Container{IE: IEName(id), SRBID: -1, Data: v.Octets, Kind: KindCellGroupConfig})
		case 9, 39:
			m.Containers = appendInformation(m.Containers, IEName(id), v)
		}
	}
}

// rrcContainer places the RRCContainer IE of the message on its SRB.
func (m *Message) rrcContainer(data []byte, srb int) Container {
	c := Container{IE: "RRCContainer", SRBID: srb, Data: data}
	uplink := false
	switch m.Name {
	case "InitialULRRCMessageTransfer":
		c.SRBID, uplink = 0, true
	case "ULRRCMessageTransfer":
		uplink = true
	case "UEContextSetupRequest", "UEContextModificationRequest":
		if c.SRBID < 0 {
			c.SRBID = 1 // 38.473 8.3.1.2, 8.3.4.2: sent on SRB1
		}
	}
	switch {
	case c.SRBID < 0:
		c.Kind = KindRRC
	case c.SRBID > 0:
		c.Kind = KindPDCPSRB
	case !uplink:
		c.Kind = KindDLCCCH
	case len(data) == 8:
		c.Kind = KindULCCCH1
	default:
		c.Kind = KindULCCCH
	}
	return c
}

// informationKinds are the RRC structures of CUtoDURRCInformation and
// DUtoCURRCInformation, by component name or extension IE id.
var informationKinds = map[string]string{
	"cG-ConfigInfo":                  KindCGConfigInfo,
	"uE-CapabilityRAT-ContainerList": KindUECapability,
	"measConfig":                     KindMeasConfig,
	"cellGroupConfig":                KindCellGroupConfig,
	"measGapConfig":                  KindMeasGapConfig,
	"requestedP-MaxFR1":              KindPMax,
}

var extensionKinds = map[int]string{
	119: KindHandoverPreparationInformation,
	163: KindMeasurementTimingConfiguration,
	173: KindCellGroupConfig,
	214: KindUEAssistanceInformation,
	234: KindCGConfig,
}

// appendInformation appends the RRC parts of a CUtoDURRCInformation or
// DUtoCURRCInformation value, in order, extension IEs included.
func appendInformation(cs []Container, ie string, v *per.Value) []Container {
	for i := range v.Fields {
		f := &v.Fields[i]
		if kind, ok := informationKinds[f.Name]; ok && f.Kind == per.OctetString {
			cs = append(cs, Container{IE: ie + "." + f.Name, SRBID: -1, Data: f.Octets, Kind: kind})
			continue
		}
		if f.Name != "iE-Extensions" {
			continue
		}
		for j := range f.Fields {
			e := &f.Fields[j]
			id := fieldID(e)
			if kind, ok := extensionKinds[id]; ok {
				if x := contained(e); x != nil && x.Kind == per.OctetString {
					cs = append(cs, Container{IE: ie + "." + IEName(id), SRBID: -1, Data: x.Octets, Kind: kind})
				}
			}
		}
	}
	return cs
}

func uint64p(v *per.Value) *uint64 {
	if v.Kind != per.Integer || v.Int < 0 {
		return nil
	}
	u := uint64(v.Int)
	return &u
}
