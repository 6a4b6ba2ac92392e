package framing

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/nrladder/nrladder/internal/parse/capture"
)

// Transport says what carried a Unit's payload.
type Transport uint8

const (
	// Raw: no transport header; the link type carries the protocol
	// directly (exported PDU, user DLT). Src and Dst are zero.
	Raw Transport = iota
	// UDP datagram (also the fake UDP header of srsRAN's user DLT 149 and
	// of an exported PDU for the "udp" dissector: Src and Dst then have a
	// port but no address, unless the exported PDU named the addresses).
	UDP
	// SCTP DATA or I-DATA chunk, or a user message reassembled from them.
	SCTP
)

func (t Transport) String() string {
	switch t {
	case Raw:
		return "raw"
	case UDP:
		return "udp"
	case SCTP:
		return "sctp"
	}
	return fmt.Sprintf("transport(%d)", uint8(t))
}

// Values of Unit.Protocol. NR RRC units are named after Wireshark's
// dissector for the logical channel ("nr-rrc.ul.dcch"; see NRRRC), or after
// a PDU-level dissector ("nr-rrc.rrc_reconf_msg") when the framing says so.
const (
	ProtocolF1AP        = "f1ap"
	ProtocolNGAP        = "ngap"
	ProtocolE1AP        = "e1ap"          // named, not decoded by the project
	ProtocolE2AP        = "e2ap"          // named, not decoded by the project
	ProtocolXnAP        = "xnap"          // named, not decoded by the project
	ProtocolMACNR       = "mac-nr"        // UDP payload starting with "mac-nr": the framing header is included
	ProtocolMACNRFramed = "mac-nr-framed" // the same framing without the "mac-nr" prefix
	ProtocolRLCNR       = "rlc-nr"        // UDP payload starting with "rlc-nr", prefix included
	ProtocolPDCPNR      = "pdcp-nr"       // UDP payload starting with "pdcp-nr", prefix included
	ProtocolNAS5GS      = "nas-5gs"
	// ProtocolNRRRC prefixes every plain NR RRC unit.
	ProtocolNRRRC = "nr-rrc."
)

// NR RRC logical channels as Wireshark names their dissectors, in the
// order 3GPP lists them (GSMTAP v3 sub types 1–9).
const (
	NRRRCBCCHBCH   = "nr-rrc.bcch.bch"
	NRRRCBCCHDLSCH = "nr-rrc.bcch.dl.sch"
	NRRRCDLCCCH    = "nr-rrc.dl.ccch"
	NRRRCDLDCCH    = "nr-rrc.dl.dcch"
	NRRRCMCCH      = "nr-rrc.mcch"
	NRRRCPCCH      = "nr-rrc.pcch"
	NRRRCULCCCH    = "nr-rrc.ul.ccch"
	NRRRCULCCCH1   = "nr-rrc.ul.ccch1"
	NRRRCULDCCH    = "nr-rrc.ul.dcch"
	// NRRRCReconfiguration is a bare RRCReconfiguration (not inside a
	// DL-DCCH-Message), as Qualcomm logs the NR part of an EN-DC
	// reconfiguration.
	NRRRCReconfiguration = "nr-rrc.rrc_reconf_msg"
)

// Carrier says which framing inside the transport (or which link type) a
// Unit's payload was found in.
type Carrier uint8

const (
	CarrierNone        Carrier = iota // SCTP chunk or UDP payload as it is ("mac-nr" framing included)
	CarrierGSMTAP                     // GSMTAP version 3 header removed
	CarrierQCSuper                    // QCSuper NR RRC OTA log header removed
	CarrierRLS                        // UERANSIM RLS header removed
	CarrierExportedPDU                // link type 252 options removed
	CarrierUserDLT                    // user DLT 147–162, recognised by content
)

func (c Carrier) String() string {
	switch c {
	case CarrierNone:
		return ""
	case CarrierGSMTAP:
		return "gsmtap"
	case CarrierQCSuper:
		return "qcsuper"
	case CarrierRLS:
		return "rls"
	case CarrierExportedPDU:
		return "exported-pdu"
	case CarrierUserDLT:
		return "user-dlt"
	}
	return fmt.Sprintf("carrier(%d)", uint8(c))
}

// Unit is one payload for a protocol decoder.
type Unit struct {
	Frame     int // the frame that completed it (the last fragment), 1-based
	Time      time.Time
	Transport Transport
	Src, Dst  netip.AddrPort // zero for Raw
	PPID      uint32         // SCTP payload protocol identifier
	Stream    uint16         // SCTP stream
	Payload   []byte         // owned by the caller
	// Protocol is what the payload is, when the framing says or implies
	// it: one of the Protocol constants, an "nr-rrc." name, or "" when
	// unknown (such units are only returned with Options.Unknown).
	Protocol string
	Detail   Detail
}

// Detail is what the framing said about a Unit beyond its payload. Only the
// part for the Unit's Carrier (and SCTP for SCTP units) is filled in.
type Detail struct {
	LinkType uint32  // of the packet that completed the unit
	Carrier  Carrier // framing the payload was found in
	// FirstFrame is the first packet that contributed to the unit (its
	// first IP fragment or SCTP chunk); it equals Frame for a unit that
	// came whole in one packet.
	FirstFrame  int
	IPFragments int // IP fragments its datagram was reassembled from; 0 when not fragmented

	SCTP     SCTPDetail
	GSMTAP   GSMTAPDetail
	QCSuper  QCSuperDetail
	RLS      RLSDetail
	Exported ExportedDetail
}

// SCTPDetail describes the chunk (or the first of the chunks) of an SCTP
// unit.
type SCTPDetail struct {
	VerificationTag uint32
	TSN             uint32 // of the first chunk
	SSN             uint16 // stream sequence number (DATA)
	MID             uint32 // message identifier (I-DATA)
	IData           bool   // carried in I-DATA chunks (RFC 8260)
	Unordered       bool
	Fragments       int // chunks the user message was reassembled from; 0 when it came in one
}

// GSMTAPDetail is the GSMTAP version 3 header of a unit.
type GSMTAPDetail struct {
	Type, SubType uint16
	ARFCN         uint32 // metadata tag 0x0002 (channel number)
	HasARFCN      bool
	PCI           uint16 // metadata tag 0x0005 (BSIC/PSC/PCI)
	HasPCI        bool
}

// QCSuperDetail is the header of Qualcomm's NR RRC OTA log packet (log code
// 0xB821) as QCSuper forwards it.
type QCSuperDetail struct {
	LogVersion  uint32 // layout of the header (9, 12, 14, 17, 19, 20, 23, 26)
	RRCRelease  uint8  // 3GPP release of the modem's RRC (major)
	RRCVersion  uint8
	RadioBearer uint8
	PCI         uint16
	NRARFCN     uint32
	PDUNumber   uint8 // Qualcomm's channel/PDU code, version dependent
}

// RLSDetail is the UERANSIM Radio Link Simulation header of a unit.
type RLSDetail struct {
	Version [3]uint8 // UERANSIM major, minor, patch
	MsgType uint8    // 6 = PDU transmission
	STI     uint64   // sender's temporary identifier
	PDUType uint8    // 1 = RRC
	PDUID   uint32
	Channel uint32 // UERANSIM's RrcChannel: 0 BCCH-BCH … 7 UL-DCCH
}

// ExportedDetail holds the exported-PDU options (link type 252) of a unit.
type ExportedDetail struct {
	Dissector    string // tag 12 (or the heuristic name, tag 13)
	OrigFrame    int    // tag 30; 0 when absent
	HasDirection bool
	Direction    uint32 // tag 35: 0 sent, 1 received
}

// Warning reports a packet, or a reassembly, that could not be read.
type Warning struct {
	Frame int
	Layer string // "ethernet", "ipv4", "sctp", "gsmtap", …
	// Error is the whole message: "framing: frame 12: ipv4: byte 14:
	// header length 4 is below 20".
	Error string
}

// Options bound the memory and work of a Decoder. Zero (or negative)
// fields take the defaults.
type Options struct {
	// MaxPendingBytes caps the bytes held by all incomplete reassemblies
	// (IP and SCTP together). Default 8 MiB.
	MaxPendingBytes int
	// MaxPendingDatagrams caps the IPv4 and IPv6 datagrams being
	// reassembled at once. Default 1024.
	MaxPendingDatagrams int
	// MaxPendingChunks caps the SCTP fragments waiting for the rest of
	// their user message. Default 4096.
	MaxPendingChunks int
	// MaxMessageSize caps a reassembled SCTP user message. Default 1 MiB.
	MaxMessageSize int
	// Timeout is the number of packets after which an incomplete
	// reassembly that has not advanced is dropped. Default 10000.
	Timeout int
	// Unknown also returns the units whose Protocol is "" (any other UDP
	// or SCTP payload). By default they are counted (Stats.Unknown) and
	// dropped.
	Unknown bool
}

// Defaults for Options.
const (
	DefaultMaxPendingBytes     = 8 << 20
	DefaultMaxPendingDatagrams = 1024
	DefaultMaxPendingChunks    = 4096
	DefaultMaxMessageSize      = 1 << 20
	DefaultTimeout             = 10000
)

func (o Options) withDefaults() Options {
	if o.MaxPendingBytes <= 0 {
		o.MaxPendingBytes = DefaultMaxPendingBytes
	}
	if o.MaxPendingDatagrams <= 0 {
		o.MaxPendingDatagrams = DefaultMaxPendingDatagrams
	}
	if o.MaxPendingChunks <= 0 {
		o.MaxPendingChunks = DefaultMaxPendingChunks
	}
	if o.MaxMessageSize <= 0 {
		o.MaxMessageSize = DefaultMaxMessageSize
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// Stats counts what a Decoder has seen.
type Stats struct {
	Packets    int // packets given to Packet
	Units      int // units returned
	Unknown    int // units of unknown protocol dropped (see Options.Unknown)
	Skipped    int // packets with nothing for the ladder (ARP, TCP, DNS, SCTP control chunks, RLS heartbeats…)
	Warnings   int // warnings returned
	Suppressed int // repeats of a once-per-kind warning, not returned

	IPFragments     int // IPv4 and IPv6 fragments received
	IPReassembled   int // datagrams completed from fragments
	IPDropped       int // incomplete datagrams dropped (timeout, limits, inconsistency, Flush)
	SCTPFragments   int // DATA/I-DATA chunks that were part of a fragmented user message
	SCTPReassembled int // user messages completed from fragments
	SCTPDropped     int // fragments dropped (timeout, limits, inconsistency, Flush)
	// SCTPRetransmissions counts DATA and I-DATA chunks skipped because
	// their TSN had been seen (see Decoder.Packet).
	SCTPRetransmissions int

	PendingBytes int // bytes held by incomplete reassemblies now
}

// maxOnce bounds the set of once-per-kind warning keys; hostile input could
// otherwise invent a new kind in every packet (exported-PDU dissector
// names). Beyond it every such warning is suppressed.
const maxOnce = 256

// Decoder turns packets into Units. It holds reassembly state across
// packets; it is not safe for concurrent use.
type Decoder struct {
	opts  Options
	stats Stats

	// the packet being decoded
	cur struct {
		frame      int
		time       time.Time
		link       uint32
		firstFrame int    // earliest frame contributing to what is being decoded
		ipFrags    int    // fragments of the datagram being decoded
		reasm      string // "reassembled ipv4 payload" etc.: what error offsets count in
	}
	// units of the packet being decoded, with their payloads in arena
	// (spans[i] locates units[i]'s): Packet hands them over in two
	// allocations, whatever their number.
	units []Unit
	spans []span
	arena []byte
	warns []Warning

	frags     map[fragKey]*fragEntry
	chunks    map[chunkKey]*chunkFrag
	tsns      map[assocKey]*tsnWindow
	nextSweep int // packet count at which an expiry sweep is due (0: nothing pending)

	once map[string]struct{}
}

// NewDecoder returns a Decoder with the given limits.
func NewDecoder(opts Options) *Decoder {
	return &Decoder{
		opts:   opts.withDefaults(),
		frags:  map[fragKey]*fragEntry{},
		chunks: map[chunkKey]*chunkFrag{},
		tsns:   map[assocKey]*tsnWindow{},
		once:   map[string]struct{}{},
	}
}

// Stats returns the counters so far.
func (d *Decoder) Stats() Stats { return d.stats }

// Packet decodes one packet and returns the units it completes and the
// warnings it causes. Both slices belong to the caller.
//
// An SCTP DATA or I-DATA chunk whose TSN was already seen in the same
// direction of the same association (a retransmission, or a packet captured
// twice) gives no unit, as in tshark: its user message has been delivered.
// Stats.SCTPRetransmissions counts them.
func (d *Decoder) Packet(p capture.Packet) ([]Unit, []Warning) {
	d.stats.Packets++
	d.cur.frame, d.cur.time, d.cur.link = p.Frame, p.Time, p.LinkType
	d.cur.firstFrame, d.cur.ipFrags, d.cur.reasm = p.Frame, 0, ""

	d.link(p.LinkType, p.Data)
	d.expire()

	var units []Unit
	if len(d.units) > 0 {
		units = make([]Unit, len(d.units))
		copy(units, d.units)
		buf := make([]byte, len(d.arena))
		copy(buf, d.arena)
		for i, s := range d.spans {
			units[i].Payload = buf[s.lo:s.hi:s.hi]
		}
		clear(d.units) // drop references to strings for the collector
		d.units, d.spans, d.arena = d.units[:0], d.spans[:0], d.arena[:0]
	}
	warns := d.warns
	d.warns = nil
	return units, warns
}

// Flush gives up on every incomplete reassembly, reporting each, and
// forgets the SCTP TSNs seen, as at the end of a capture. The Decoder can
// be used for another capture afterwards.
func (d *Decoder) Flush() []Warning {
	clear(d.tsns)
	for k, e := range d.frags {
		d.dropDatagram(k, e, "capture ended before its missing fragments")
	}
	d.dropChunks(func(chunkKey, *chunkFrag) bool { return true }, "capture ended before its other fragments")
	d.nextSweep = 0
	warns := d.warns
	d.warns = nil
	return warns
}

// emit appends a unit for payload, which is copied.
func (d *Decoder) emit(u Unit, payload []byte) {
	if u.Protocol == "" && !d.opts.Unknown {
		d.stats.Unknown++
		return
	}
	u.Frame, u.Time = d.cur.frame, d.cur.time
	d.spans = append(d.spans, span{len(d.arena), len(d.arena) + len(payload)})
	d.arena = append(d.arena, payload...)
	u.Detail.LinkType = d.cur.link
	if u.Detail.FirstFrame == 0 || d.cur.firstFrame < u.Detail.FirstFrame {
		u.Detail.FirstFrame = d.cur.firstFrame
	}
	u.Detail.IPFragments = d.cur.ipFrags
	d.units = append(d.units, u)
	d.stats.Units++
}

// skip counts a packet that carries nothing the decoder looks for.
func (d *Decoder) skip() { d.stats.Skipped++ }

// warnAt reports a problem at byte off of the packet (or of the reassembled
// datagram or message being decoded).
func (d *Decoder) warnAt(layer string, off int, format string, args ...any) {
	where := fmt.Sprintf("byte %d", off)
	if d.cur.reasm != "" {
		where += " of the " + d.cur.reasm
	}
	d.warnFrame(d.cur.frame, layer, where+": "+fmt.Sprintf(format, args...))
}

// warnFrame reports a problem that belongs to the given frame.
func (d *Decoder) warnFrame(frame int, layer, msg string) {
	d.warns = append(d.warns, Warning{
		Frame: frame,
		Layer: layer,
		Error: fmt.Sprintf("framing: frame %d: %s: %s", frame, layer, msg),
	})
	d.stats.Warnings++
}

// warnOnce reports a well-formed but unsupported kind of packet the first
// time it is seen; later packets of the kind are only counted.
func (d *Decoder) warnOnce(kind, layer string, off int, format string, args ...any) {
	if _, seen := d.once[kind]; seen || len(d.once) >= maxOnce {
		d.stats.Suppressed++
		return
	}
	d.once[kind] = struct{}{}
	d.warnAt(layer, off, format+" (reported once; later packets like it are skipped silently)", args...)
}
