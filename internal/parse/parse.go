// Package parse turns a capture file into the list of signalling messages it
// carries: one Event per NR RRC message, in capture order, with the frame it
// came from, its time, direction, channel and identity.
//
// It owns every protocol layer (one subpackage each: capture, exportpdu, rrc,
// uper) and is the only entry point the rest of the program calls. It must not
// import anything above it (ladder, store, server, web).
package parse

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/exportpdu"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// Options bound the work done on one capture.
type Options struct {
	Capture     capture.Options
	MaxWarnings int // detailed warnings kept; 0 means 1000 (the rest are only counted)
}

// Event is one signalling message found in the capture.
type Event struct {
	Frame    int       // 1-based packet number, as Wireshark numbers it
	Time     time.Time // capture time of that packet (UTC)
	UE       string    // identity the carrying layer gives the UE; "" when it gives none
	Uplink   bool      // UE → network
	Protocol string    // "NR-RRC"
	Channel  rrc.Channel
	Message  string // ASN.1 type name (RRCSetupRequest, SecurityModeFailure, …); "" when unreadable
	Alt      string // ASN.1 alternative identifier (securityModeFailure, spare3, …)
	TxID     int    // rrc-TransactionIdentifier, -1 when the message has none
	PDU      []byte // the RRC PDU as captured
	Error    string // why the message could not be identified; "" when it was
}

// Warning is something in the capture that was not turned into an event.
type Warning struct {
	Frame int    `json:"frame"`
	Layer string `json:"layer"`
	Error string `json:"error"`
}

// Skipped counts packets of one kind that the parser does not read (yet).
type Skipped struct {
	What       string `json:"what"` // e.g. "link type 1 (Ethernet)", "exported PDU for dissector \"ngap\""
	Packets    int    `json:"packets"`
	FirstFrame int    `json:"firstFrame"`
	LastFrame  int    `json:"lastFrame"`
}

// Result is everything parsed from one capture.
type Result struct {
	Format          string   // "pcap" or "pcapng"
	Compressed      bool     // the file was gzip-compressed
	LinkTypes       []uint32 // link types of the file's interfaces, sorted
	Packets         int      // packet records read
	Events          []Event
	Warnings        []Warning // at most Options.MaxWarnings
	WarningsDropped int       // warnings beyond that limit
	Skipped         []Skipped // packets not read, grouped by kind, in order of first appearance
}

// UnreadableError is returned when a capture was read but holds nothing the
// parser understands. Its message says what was found instead.
type UnreadableError struct {
	Packets int
	Skipped []Skipped
	Cause   error // a reading error that stopped the parse, if any
}

func (e *UnreadableError) Error() string {
	var parts []string
	for _, s := range e.Skipped {
		parts = append(parts, fmt.Sprintf("%s (%d %s)", s.What+" is not supported yet", s.Packets, plural(s.Packets, "packet")))
	}
	var b strings.Builder
	switch {
	case e.Packets == 0 && e.Cause == nil:
		b.WriteString("the capture holds no packets")
	case e.Packets == 0:
		b.WriteString(e.Cause.Error())
	default:
		fmt.Fprintf(&b, "no NR RRC messages in %d %s", e.Packets, plural(e.Packets, "packet"))
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
		if e.Cause != nil {
			b.WriteString("; " + e.Cause.Error())
		}
	}
	return b.String()
}

func (e *UnreadableError) Unwrap() error { return e.Cause }

// ErrLimit is wrapped by the error for a capture beyond a configured limit
// (packets, decompressed size, packet length).
var ErrLimit = capture.ErrLimit

// ErrNotCapture is wrapped by the error for input that is not pcap or pcapng.
var ErrNotCapture = capture.ErrNotCapture

// Trace reads a whole capture. Reading errors after the first packet do not
// fail the parse: they become warnings and the events read so far are kept.
// A capture with no events at all is an *UnreadableError.
func Trace(r io.Reader, opts Options) (*Result, error) {
	if opts.MaxWarnings == 0 {
		opts.MaxWarnings = 1000
	}
	cr, err := capture.NewReader(r, opts.Capture)
	if err != nil {
		return nil, err
	}
	p := &parser{opts: opts, res: &Result{Format: cr.Format(), Compressed: cr.Compressed()}, skipped: map[string]int{}}
	var stop error
	for {
		pkt, err := cr.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, capture.ErrLimit) {
			// A limit is not damage to keep going past: the capture is
			// refused rather than shown cut at an arbitrary point.
			return nil, err
		}
		if err != nil {
			stop = err
			frame := p.res.Packets + 1
			var te *capture.TruncatedError
			if errors.As(err, &te) && te.Frame > 0 {
				frame = te.Frame
			}
			p.warn(frame, "capture", err.Error())
			break
		}
		p.res.Packets++
		p.packet(pkt)
	}
	p.res.LinkTypes = cr.LinkTypes()
	if len(p.res.Events) == 0 {
		return nil, &UnreadableError{Packets: p.res.Packets, Skipped: p.res.Skipped, Cause: stop}
	}
	return p.res, nil
}

type parser struct {
	opts    Options
	res     *Result
	skipped map[string]int // kind → index in res.Skipped
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
func (p *parser) skip(frame int, layer, what string) {
	i, ok := p.skipped[what]
	if !ok {
		i = len(p.res.Skipped)
		p.skipped[what] = i
		p.res.Skipped = append(p.res.Skipped, Skipped{What: what, FirstFrame: frame})
		p.warn(frame, layer, what+" is not supported yet (first of its kind; see the skipped-packet counts)")
	}
	s := &p.res.Skipped[i]
	s.Packets++
	s.LastFrame = frame
}

func (p *parser) packet(pkt capture.Packet) {
	switch pkt.LinkType {
	case 252:
		p.exportedPDU(pkt)
	default:
		p.skip(pkt.Frame, "link", fmt.Sprintf("link type %d (%s)", pkt.LinkType, capture.LinkTypeName(pkt.LinkType)))
	}
}

func (p *parser) exportedPDU(pkt capture.Packet) {
	h, pdu, err := exportpdu.Parse(pkt.Data)
	if err != nil {
		p.warn(pkt.Frame, "exported-pdu", err.Error())
		return
	}
	ch, ok := rrc.ChannelFromDissector(h.Dissector)
	if !ok {
		name := h.Dissector
		if name == "" && h.Heuristic != "" {
			name = "heuristic " + h.Heuristic
		}
		p.skip(pkt.Frame, "exported-pdu", fmt.Sprintf("exported PDU for dissector %q", name))
		return
	}
	p.rrc(pkt, ch, pdu, "")
}

// rrc adds the event for one RRC PDU on a known logical channel.
func (p *parser) rrc(pkt capture.Packet, ch rrc.Channel, pdu []byte, ue string) {
	ev := Event{
		Frame:    pkt.Frame,
		Time:     pkt.Time,
		UE:       ue,
		Uplink:   ch.Uplink(),
		Protocol: "NR-RRC",
		Channel:  ch,
		TxID:     -1,
		PDU:      append([]byte(nil), pdu...),
	}
	m, err := rrc.Classify(ch, pdu)
	if err != nil {
		ev.Error = err.Error()
		p.warn(pkt.Frame, "nr-rrc", err.Error())
	} else {
		ev.Message, ev.Alt, ev.TxID = m.Name, m.Alt, m.TxID
	}
	p.res.Events = append(p.res.Events, ev)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
