package f1ap

import (
	"github.com/nrladder/nrladder/internal/parse/ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// summarize fills the Message's fields from the message's IEs.
func (m *Message) summarize(mv *per.Value) {
	srb := -1
	for id, v := range ap.IEs(mv) {
		switch id {
		case 40:
			m.CUUEID = ap.Uint64(v)
		case 41:
			m.DUUEID = ap.Uint64(v)
		case 95:
			if v.Kind == per.Integer && v.Int >= 0 && v.Int <= 0xffff {
				c := uint16(v.Int)
				m.CRNTI = &c
			}
		case 111:
			m.NRCGI = ap.NRCGI(v, "pLMN-Identity")
		case 63:
			if m.NRCGI == "" {
				m.NRCGI = ap.NRCGI(v, "pLMN-Identity")
			}
		case 0:
			m.Cause = ap.Cause(v)
		case 64:
			if v.Kind == per.Integer {
				srb = int(v.Int)
			}
		}
	}
	for id, v := range ap.IEs(mv) {
		switch id {
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
			id := ap.FieldID(e)
			if kind, ok := extensionKinds[id]; ok {
				if x := ap.Contained(e); x != nil && x.Kind == per.OctetString {
					cs = append(cs, Container{IE: ie + "." + IEName(id), SRBID: -1, Data: x.Octets, Kind: kind})
				}
			}
		}
	}
	return cs
}
