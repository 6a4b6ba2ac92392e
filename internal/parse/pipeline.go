package parse

import (
	"fmt"
	"strconv"

	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/framing"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/pdcp"
	"github.com/nrladder/nrladder/internal/parse/rlc"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// parser holds the state of one capture's parse: the framing reassembly,
// the MAC/RLC stack, per-connection AS and NAS security, and the reuse
// counts that tell one use of a UE id from the next.
type parser struct {
	opts    Options
	res     *Result
	skipped map[string]int // kind → index in res.Skipped

	framing *framing.Decoder
	mac     mac.Stack
	macIDs  map[int]int // mac.RRC ID → index in res.Events

	sec          map[string]*security // AS security per connection (Event.UE)
	nasCiphering map[string]int       // 5G-EA per connection, from its NAS security mode command

	// gen counts the uses of a UE id: a new RRC connection on a C-RNTI, a
	// new InitialULRRCMessageTransfer for a gNB-DU-UE-F1AP-ID, a new
	// InitialUEMessage for a RAN-UE-NGAP-ID, … ends the previous use.
	gen      map[string]int
	released map[string]bool // CU/AMF ids whose context was released: the next use is a new one
}

// security is the AS security state of one connection.
type security struct {
	commanded string // cipheringAlgorithm of the SecurityModeCommand awaiting its answer
	active    string // ciphering algorithm in force since SecurityModeComplete ("" when none)
}

func newParser(opts Options, res *Result) *parser {
	return &parser{
		opts:         opts,
		res:          res,
		skipped:      map[string]int{},
		framing:      framing.NewDecoder(framing.Options{Unknown: true}),
		macIDs:       map[int]int{},
		sec:          map[string]*security{},
		nasCiphering: map[string]int{},
		gen:          map[string]int{},
		released:     map[string]bool{},
	}
}

func (p *parser) warn(frame int, layer, msg string) {
	if len(p.res.Warnings) >= p.opts.MaxWarnings {
		p.res.WarningsDropped++
		return
	}
	p.res.Warnings = append(p.res.Warnings, Warning{Frame: frame, Layer: layer, Error: msg})
}

// skip records a packet the parser does not read; the first packet of each
// kind also becomes a warning so that it is visible with its frame number.
func (p *parser) skip(frame int, layer, what, why string) {
	i, ok := p.skipped[what]
	if !ok {
		if len(p.res.Skipped) >= 32 {
			what, why = "other packets", "not read"
			if i, ok = p.skipped[what]; ok {
				goto count
			}
		}
		i = len(p.res.Skipped)
		p.skipped[what] = i
		p.res.Skipped = append(p.res.Skipped, Skipped{What: what, Why: why, FirstFrame: frame})
		if why != "not signalling" {
			p.warn(frame, layer, what+": "+why+" (the first of its kind; the others are counted)")
		}
	}
count:
	s := &p.res.Skipped[i]
	s.Packets++
	s.LastFrame = frame
}

// linkTypes the framing reads.
var linkTypes = map[uint32]bool{0: true, 1: true, 101: true, 113: true, 228: true, 229: true, 252: true, 276: true}

func (p *parser) packet(pkt capture.Packet) {
	if !linkTypes[pkt.LinkType] && (pkt.LinkType < 147 || pkt.LinkType > 162) {
		what := fmt.Sprintf("link type %d", pkt.LinkType)
		if name := capture.LinkTypeName(pkt.LinkType); name != what {
			what += " (" + name + ")"
		}
		p.skip(pkt.Frame, "link", what, "not supported yet")
		return
	}
	before := p.framing.Stats()
	units, warns := p.framing.Packet(pkt)
	for _, w := range warns {
		p.warn(w.Frame, w.Layer, w.Error)
	}
	after := p.framing.Stats()
	held := after.IPFragments > before.IPFragments || after.SCTPFragments > before.SCTPFragments
	if len(units) == 0 && len(warns) == 0 && !held {
		p.skip(pkt.Frame, "framing", "packets without signalling (ARP, TCP, SCTP control, …)", "not signalling")
	}
	for i := range units {
		p.unit(&units[i])
	}
}

// finish reports what is left over at the end of the capture.
func (p *parser) finish(lastFrame int) {
	for _, w := range p.framing.Flush() {
		p.warn(w.Frame, w.Layer, w.Error)
	}
	for _, w := range p.mac.Flush(lastFrame) {
		p.warn(w.Frame, w.Layer, w.Error())
	}
}

func (p *parser) unit(u *framing.Unit) {
	switch {
	case u.Protocol == framing.ProtocolF1AP:
		p.f1ap(u)
	case u.Protocol == framing.ProtocolNGAP:
		p.ngap(u)
	case u.Protocol == framing.ProtocolMACNR || u.Protocol == framing.ProtocolMACNRFramed:
		ctx, pdu, err := mac.ParseFraming(u.Payload, u.Protocol == framing.ProtocolMACNR)
		if err != nil {
			p.warn(u.Frame, "mac-nr", fmt.Sprintf("mac: frame %d: %v", u.Frame, err))
			return
		}
		p.macOutput(p.mac.Push(ctx, pdu, u.Frame, u.Time))
	case u.Protocol == framing.ProtocolRLCNR:
		ctx, pdu, err := rlc.ParseFraming(u.Payload)
		if err != nil {
			p.warn(u.Frame, "rlc-nr", fmt.Sprintf("rlc: frame %d: %v", u.Frame, err))
			return
		}
		p.macOutput(p.mac.PushRLC(ctx, pdu, u.Frame, u.Time))
	case len(u.Protocol) > len(framing.ProtocolNRRRC) && u.Protocol[:len(framing.ProtocolNRRRC)] == framing.ProtocolNRRRC:
		ch, ok := rrc.ChannelFromDissector(u.Protocol)
		if !ok {
			p.skip(u.Frame, "nr-rrc", fmt.Sprintf("NR RRC PDU %q", u.Protocol), "not supported yet")
			return
		}
		ue := ""
		if u.Detail.Carrier == framing.CarrierRLS {
			// UERANSIM: the UE is the end of the RLS link that is not
			// the gNB's port 4997.
			addr := u.Src
			if !ch.Uplink() {
				addr = u.Dst
			}
			ue = "rls " + addr.String()
		}
		ev := p.newRRC(u.Frame, u, ch, u.Payload)
		p.rrcEvent(&ev, ue, false)
	case u.Protocol == "":
		p.skip(u.Frame, "framing", unknownKind(u), "not signalling")
	default:
		p.skip(u.Frame, "framing", u.Protocol+" messages", "not supported yet")
	}
}

// unknownKind names a UDP or SCTP payload nobody reads.
func unknownKind(u *framing.Unit) string {
	port := min(u.Src.Port(), u.Dst.Port())
	return fmt.Sprintf("%s payloads on port %d", u.Transport, port)
}

func (p *parser) newRRC(frame int, u *framing.Unit, ch rrc.Channel, pdu []byte) Event {
	ev := Event{
		Frame:    frame,
		Time:     u.Time,
		Protocol: "NR-RRC",
		Uplink:   ch.Uplink(),
		Channel:  ch,
		Bearer:   bearerOf(ch),
		TxID:     -1,
		PDCPSN:   -1,
		Carrier:  -1,
		IDs:      noIDs(),
		PDU:      append([]byte(nil), pdu...),
	}
	ev.From, ev.To = "gNB", "UE"
	if ev.Uplink {
		ev.From, ev.To = "UE", "gNB"
	}
	return ev
}

// rrcEvent identifies, decodes and adds an RRC event of connection ue.
// pdcp says the PDU came out of PDCP on SRB1..3: after AS security
// activation it is ciphered and is shown as such, never decoded.
func (p *parser) rrcEvent(ev *Event, ue string, pdcp bool) {
	ev.UE = ue
	if ue != "" {
		ev.Links = append(ev.Links, ue)
	}
	st := p.sec[ue]
	if st == nil {
		st = &security{}
		p.sec[ue] = st
	}
	if pdcp && st.active != "" {
		ev.Ciphered, ev.Cipher = true, st.active
		p.res.Events = append(p.res.Events, *ev)
		return
	}
	m, err := rrc.Classify(ev.Channel, ev.PDU)
	if err != nil {
		ev.Error = err.Error()
		p.warn(ev.Frame, "nr-rrc", err.Error())
		p.res.Events = append(p.res.Events, *ev)
		return
	}
	ev.Message, ev.Alt, ev.TxID = m.Name, m.Alt, m.TxID
	if err := p.decodeRRC(ev); err != nil {
		p.warn(ev.Frame, "nr-rrc", ev.Message+": "+err.Error())
	}
	switch ev.Message {
	case "SecurityModeCommand":
		st.commanded = ""
		if ev.Algorithms != nil {
			st.commanded = ev.Algorithms.Ciphering
		}
	case "SecurityModeComplete":
		if st.commanded != "" && st.commanded != "nea0" {
			st.active = st.commanded
		}
		st.commanded = ""
	case "SecurityModeFailure":
		st.commanded = ""
	case "RRCSetupRequest", "RRCResumeRequest", "RRCResumeRequest1", "RRCSetup":
		*st = security{}
	}
	p.res.Events = append(p.res.Events, *ev)
}

// macOutput turns what the MAC/RLC/PDCP stack found into events.
func (p *parser) macOutput(out mac.Output) {
	for _, w := range out.Warnings {
		p.warn(w.Frame, w.Layer, w.Error())
	}
	for _, m := range out.RRC {
		u := &framing.Unit{Time: m.Time}
		ev := p.newRRC(m.Frame, u, m.Channel, m.PDU)
		ev.Bearer = m.Bearer
		ev.PDCPSN = m.PDCPSN
		ev.Retransmissions = m.Retransmissions
		ev.RetransFrames = append([]int(nil), m.RetransmissionFrames...)
		ue := ""
		if m.Bearer != "BCCH" && m.Bearer != "PCCH" {
			key := "c-rnti 0x" + strconv.FormatUint(uint64(m.UE), 16)
			if m.Channel == rrc.ULCCCH || m.Channel == rrc.ULCCCH1 {
				p.gen[key]++ // a new RRC connection on this RNTI
			}
			ue = p.use(key)
			ev.IDs.RNTI = int(m.UE)
		}
		p.macIDs[m.ID] = len(p.res.Events)
		p.rrcEvent(&ev, ue, m.PDCPSN >= 0)
	}
	for _, r := range out.Retransmissions {
		if i, ok := p.macIDs[r.ID]; ok {
			p.res.Events[i].Retransmissions++
			p.res.Events[i].RetransFrames = append(p.res.Events[i].RetransFrames, r.Frame)
		}
	}
}

// use is the key of the current use of a UE id: "c-rnti 0x4601", then
// "c-rnti 0x4601#2" once it was released and given to another connection.
func (p *parser) use(key string) string {
	g := p.gen[key]
	if g <= 1 {
		return key
	}
	return key + "#" + strconv.Itoa(g)
}

// f1ap adds the F1AP message and the RRC messages it carries.
func (p *parser) f1ap(u *framing.Unit) {
	m, err := f1ap.Decode(u.Payload)
	if m == nil {
		p.warn(u.Frame, "f1ap", fmt.Sprintf("f1ap: frame %d: %v", u.Frame, err))
		return
	}
	if err != nil {
		p.warn(u.Frame, "f1ap", fmt.Sprintf("f1ap: frame %d: %v", u.Frame, err))
	}
	ev := Event{
		Frame: u.Frame, Time: u.Time, Protocol: "F1AP", Message: m.Name, TxID: -1, PDCPSN: -1, Carrier: -1,
		IDs: noIDs(), PDU: append([]byte(nil), u.Payload...), Cause: m.Cause, ASN1: m.ASN1, Lines: lines(m.Lines),
	}
	if ev.Message == "" {
		ev.Message = "F1AP procedure " + strconv.Itoa(m.ProcedureCode)
	}
	ev.Uplink = f1apFromDU(m.Name, u)
	ev.From, ev.To = "gNB-CU", "gNB-DU"
	if ev.Uplink {
		ev.From, ev.To = "gNB-DU", "gNB-CU"
	}
	var du, cu string
	if m.DUUEID != nil {
		ev.IDs.DUUEID = int64(*m.DUUEID)
		key := "gNB-DU-UE-F1AP-ID " + strconv.FormatUint(*m.DUUEID, 10)
		if m.Name == "InitialULRRCMessageTransfer" {
			p.gen[key]++
		}
		du = p.use(key)
		ev.Links = append(ev.Links, du)
	}
	if m.CUUEID != nil {
		ev.IDs.CUUEID = int64(*m.CUUEID)
		key := "gNB-CU-UE-F1AP-ID " + strconv.FormatUint(*m.CUUEID, 10)
		if p.gen[key] == 0 || p.released[key] {
			p.gen[key]++
			delete(p.released, key)
		}
		cu = p.use(key)
		ev.Links = append(ev.Links, cu)
	}
	if m.CRNTI != nil {
		ev.IDs.RNTI = int(*m.CRNTI)
	}
	ev.UE = du
	if ev.UE == "" {
		ev.UE = cu
	}
	if m.Name == "UEContextReleaseComplete" && cu != "" {
		p.released["gNB-CU-UE-F1AP-ID "+strconv.FormatUint(*m.CUUEID, 10)] = true
	}
	carrier := len(p.res.Events)
	p.res.Events = append(p.res.Events, ev)

	for _, c := range m.Containers {
		var ch rrc.Channel
		pdcpWrapped := false
		switch c.Kind {
		case f1ap.KindULCCCH:
			ch = rrc.ULCCCH
		case f1ap.KindULCCCH1:
			ch = rrc.ULCCCH1
		case f1ap.KindDLCCCH:
			ch = rrc.DLCCCH
		case f1ap.KindPDCPSRB:
			ch = rrc.DLDCCH
			if ev.Uplink {
				ch = rrc.ULDCCH
			}
			pdcpWrapped = true
		case f1ap.KindRRC:
			// An RRC container whose SRB the message does not say (a
			// UEContextReleaseCommand without SRBID): a PDCP PDU on SRB1
			// when it reads as one.
			if _, err := pdcp.ParseSRB(c.Data); err != nil {
				p.warn(u.Frame, "f1ap", fmt.Sprintf("f1ap: frame %d: %s %s: no SRB ID and not a PDCP PDU: not shown (%v)", u.Frame, m.Name, c.IE, err))
				continue
			}
			c.SRBID = 1
			ch = rrc.DLDCCH
			if ev.Uplink {
				ch = rrc.ULDCCH
			}
			pdcpWrapped = true
		default:
			continue // CellGroupConfig, UE capabilities …: shown in the F1AP message's tree
		}
		rev := p.newRRC(u.Frame, u, ch, c.Data)
		rev.Carrier = carrier
		rev.IDs = ev.IDs
		rev.Links = append(rev.Links, ev.Links...)
		if c.SRBID >= 0 {
			rev.Bearer = "SRB" + strconv.Itoa(c.SRBID)
		}
		if pdcpWrapped {
			pdu, err := pdcp.ParseSRB(c.Data)
			if err != nil {
				p.warn(u.Frame, "pdcp", fmt.Sprintf("pdcp: frame %d: %s %s: %v", u.Frame, m.Name, c.IE, err))
				continue
			}
			rev.PDU = append([]byte(nil), pdu.Payload...)
			rev.PDCPSN = pdu.SN
		}
		if ch == rrc.ULCCCH || ch == rrc.ULCCCH1 { // a new connection
			p.sec[ev.UE] = &security{}
		}
		// rrcEvent sets UE and appends it to Links; keep the F1AP keys.
		links := rev.Links
		rev.Links = nil
		p.rrcEvent(&rev, ev.UE, pdcpWrapped)
		last := &p.res.Events[len(p.res.Events)-1]
		last.Links = appendUnique(links, last.Links...)
	}
}

// f1apFromDU tells whether an F1AP message goes from the gNB-DU to the
// gNB-CU: by its name, and for the few the name does not settle, by the
// SCTP port (the gNB-CU listens on 38472).
func f1apFromDU(name string, u *framing.Unit) bool {
	if dir, ok := f1apDirection[name]; ok {
		return dir
	}
	if u.Dst.Port() == 38472 {
		return true
	}
	if u.Src.Port() == 38472 {
		return false
	}
	return true
}

// f1apDirection: true for messages the gNB-DU sends.
var f1apDirection = map[string]bool{
	"InitialULRRCMessageTransfer": true, "ULRRCMessageTransfer": true, "DLRRCMessageTransfer": false,
	"UEContextSetupRequest": false, "UEContextSetupResponse": true, "UEContextSetupFailure": true,
	"UEContextReleaseCommand": false, "UEContextReleaseComplete": true, "UEContextReleaseRequest": true,
	"UEContextModificationRequest": false, "UEContextModificationResponse": true, "UEContextModificationFailure": true,
	"UEContextModificationRequired": true, "UEContextModificationConfirm": false, "UEContextModificationRefuse": false,
	"F1SetupRequest": true, "F1SetupResponse": false, "F1SetupFailure": false,
	"GNBDUConfigurationUpdate": true, "GNBDUConfigurationUpdateAcknowledge": false, "GNBDUConfigurationUpdateFailure": false,
	"GNBCUConfigurationUpdate": false, "GNBCUConfigurationUpdateAcknowledge": true, "GNBCUConfigurationUpdateFailure": true,
	"RRCDeliveryReport": true, "Paging": false, "UEInactivityNotification": true, "NotifyMessage": true,
	"SystemInformationDeliveryCommand": false,
}

// ngap adds the NGAP message, with the NAS it carries decoded.
func (p *parser) ngap(u *framing.Unit) {
	m, err := ngap.Decode(u.Payload)
	if m == nil {
		p.warn(u.Frame, "ngap", fmt.Sprintf("ngap: frame %d: %v", u.Frame, err))
		return
	}
	if err != nil {
		p.warn(u.Frame, "ngap", fmt.Sprintf("ngap: frame %d: %v", u.Frame, err))
	}
	ev := Event{
		Frame: u.Frame, Time: u.Time, Protocol: "NGAP", Message: m.Name, TxID: -1, PDCPSN: -1, Carrier: -1,
		IDs: noIDs(), PDU: append([]byte(nil), u.Payload...), Cause: m.Cause, ASN1: m.ASN1, Lines: lines(m.Lines),
	}
	if ev.Message == "" {
		ev.Message = "NGAP procedure " + strconv.Itoa(m.ProcedureCode)
	}
	ev.Uplink = ngapFromGNB(m.Name, u)
	ev.From, ev.To = "AMF", "gNB"
	if ev.Uplink {
		ev.From, ev.To = "gNB", "AMF"
	}
	if m.RANUEID != nil {
		ev.IDs.RANUEID = int64(*m.RANUEID)
		key := "RAN-UE-NGAP-ID " + strconv.FormatUint(*m.RANUEID, 10)
		if m.Name == "InitialUEMessage" {
			p.gen[key]++
		}
		ev.UE = p.use(key)
		ev.Links = append(ev.Links, ev.UE)
	}
	if m.AMFUEID != nil {
		ev.IDs.AMFUEID = int64(*m.AMFUEID)
		key := "AMF-UE-NGAP-ID " + strconv.FormatUint(*m.AMFUEID, 10)
		if p.gen[key] == 0 || p.released[key] {
			p.gen[key]++
			delete(p.released, key)
		}
		k := p.use(key)
		ev.Links = append(ev.Links, k)
		if ev.UE == "" {
			ev.UE = k
		}
		if m.Name == "UEContextReleaseComplete" {
			p.released[key] = true
		}
	}
	if c := m.UESecurityCapabilities; c != nil {
		ev.UESecurityCapabilities = &SecurityCapabilities{}
		for i := 0; i < 4; i++ {
			ev.UESecurityCapabilities.NEA[i] = c.NEA(i)
			ev.UESecurityCapabilities.NIA[i] = c.NIA(i)
		}
	}
	for _, pdu := range m.NASPDUs {
		ev.NAS = append(ev.NAS, p.decodeNAS(ev.UE, pdu))
	}
	p.res.Events = append(p.res.Events, ev)
}

// ngapFromGNB tells whether an NGAP message goes from the gNB to the AMF.
func ngapFromGNB(name string, u *framing.Unit) bool {
	if dir, ok := ngapDirection[name]; ok {
		return dir
	}
	if u.Dst.Port() == 38412 {
		return true
	}
	if u.Src.Port() == 38412 {
		return false
	}
	return true
}

// ngapDirection: true for messages the gNB sends.
var ngapDirection = map[string]bool{
	"InitialUEMessage": true, "UplinkNASTransport": true, "DownlinkNASTransport": false,
	"InitialContextSetupRequest": false, "InitialContextSetupResponse": true, "InitialContextSetupFailure": true,
	"UEContextReleaseRequest": true, "UEContextReleaseCommand": false, "UEContextReleaseComplete": true,
	"UEContextModificationRequest": false, "UEContextModificationResponse": true, "UEContextModificationFailure": true,
	"PDUSessionResourceSetupRequest": false, "PDUSessionResourceSetupResponse": true,
	"PDUSessionResourceReleaseCommand": false, "PDUSessionResourceReleaseResponse": true,
	"PDUSessionResourceModifyRequest": false, "PDUSessionResourceModifyResponse": true,
	"NGSetupRequest": true, "NGSetupResponse": false, "NGSetupFailure": false,
	"UERadioCapabilityInfoIndication": true, "NASNonDeliveryIndication": true, "RerouteNASRequest": true,
	"Paging": false, "ErrorIndication": true, "UplinkRANConfigurationTransfer": true,
	"DownlinkRANConfigurationTransfer": false, "AMFConfigurationUpdate": false, "RANConfigurationUpdate": true,
	"HandoverRequired": true, "HandoverCommand": false, "HandoverRequest": false, "HandoverRequestAcknowledge": true,
}

func appendUnique(dst []string, more ...string) []string {
	for _, m := range more {
		found := false
		for _, d := range dst {
			if d == m {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, m)
		}
	}
	return dst
}

// bearerOf is the bearer a channel's messages travel on when the carrier
// does not say: SRB0 for CCCH, SRB1 for DCCH, BCCH and PCCH.
func bearerOf(ch rrc.Channel) string {
	switch ch {
	case rrc.BCCHBCH, rrc.BCCHDLSCH:
		return "BCCH"
	case rrc.PCCH:
		return "PCCH"
	}
	return ch.SRB()
}
