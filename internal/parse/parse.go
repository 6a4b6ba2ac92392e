// Package parse turns a capture file into the list of signalling messages it
// carries: one Event per NR RRC, F1AP or NGAP message, in capture order,
// with the frame it came from, its time, the nodes it travels between and
// the UE identities its layers give.
//
// It owns every protocol layer, one subpackage each: capture (pcap, pcapng,
// gzip), framing (link types, IP, SCTP, UDP carriers), exportpdu, mac, rlc,
// pdcp, f1ap, ngap, rrc, nas, per and uper. It is the only entry point the
// rest of the program calls and must not import anything above it (ladder,
// store, server, web).
package parse

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// Options bound the work done on one capture.
type Options struct {
	Capture     capture.Options
	MaxWarnings int // detailed warnings kept; 0 means 1000 (the rest are only counted)
}

// Event is one signalling message found in the capture: an NR RRC message
// (decoded, or ciphered and shown as such), an F1AP or NGAP message.
type Event struct {
	Frame    int       // 1-based packet number, as Wireshark numbers it
	Time     time.Time // capture time of that packet (UTC)
	Protocol string    // "NR-RRC", "F1AP", "NGAP"
	From, To string    // nodes: "UE", "gNB", "gNB-DU", "gNB-CU", "AMF"
	Uplink   bool      // towards the core (UE → gNB, gNB-DU → gNB-CU, gNB → AMF)

	// UE is the identity the carrying layer gives the UE, as a key for
	// this connection: "c-rnti 0x4601", "gNB-DU-UE-F1AP-ID 3", "RAN-UE-NGAP-ID 1",
	// "rls 10.45.0.2:4997" (a suffix "#2" counts its reuses); "" when the
	// layer gives none. Links are every such key the message carries (an
	// F1AP message names both its DU and CU ids); the ladder joins them.
	UE    string
	Links []string
	IDs   IDs

	Channel rrc.Channel
	Bearer  string // "SRB0".."SRB3", "BCCH", "PCCH"; "" for F1AP/NGAP
	Message string // ASN.1 type name (RRCSetupRequest, SecurityModeFailure, …) or F1AP/NGAP message name; "" when unreadable
	Alt     string // ASN.1 alternative identifier (securityModeFailure, spare3, …)
	TxID    int    // rrc-TransactionIdentifier, -1 when the message has none
	PDU     []byte // the RRC PDU (for SRB1..3 the PDCP payload), or the F1AP/NGAP PDU
	Error   string // why the message could not be identified; "" when it was

	// RRC below PDCP.
	PDCPSN          int    // PDCP sequence number, -1 when none
	Ciphered        bool   // sent after AS security activation: ciphered, not decoded
	Cipher          string // the ciphering algorithm in force ("nea2") when Ciphered
	Retransmissions int    // RLC repeats of this message, shown once
	RetransFrames   []int  // frames of those repeats
	Carrier         int    // index in Events of the F1AP message that carried it; -1 when none

	// The field-by-field decode (empty when DecodeError says why not).
	ASN1        []byte      // X.697 JSON (JER)
	Lines       []Line      // the readable tree
	DecodeError string      // where decoding stopped: path and bit offset
	NAS         []NAS       // NAS messages carried, in order
	Algorithms  *Algorithms // of a SecurityModeCommand

	// F1AP and NGAP.
	Cause                  string                // readable cause, when the message has one
	UESecurityCapabilities *SecurityCapabilities // NGAP InitialContextSetupRequest
}

// IDs are the UE identities a message carries (-1 when absent).
type IDs struct {
	RNTI             int   // C-RNTI (MAC, F1AP)
	DUUEID, CUUEID   int64 // gNB-DU-UE-F1AP-ID, gNB-CU-UE-F1AP-ID
	RANUEID, AMFUEID int64 // RAN-UE-NGAP-ID, AMF-UE-NGAP-ID
}

func noIDs() IDs { return IDs{RNTI: -1, DUUEID: -1, CUUEID: -1, RANUEID: -1, AMFUEID: -1} }

// SecurityCapabilities are the NR algorithms a UE supports, as NGAP carries
// them (nea/nia 1..3; algorithm 0 is always supported).
type SecurityCapabilities struct {
	NEA, NIA [4]bool
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
	Why        string `json:"why"`  // "not supported yet", "not signalling"
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
	Packets  int
	Warnings []Warning // what went wrong with the packets that were read
	Skipped  []Skipped
	Cause    error // a reading error that stopped the parse, if any
}

func (e *UnreadableError) Error() string {
	var parts []string
	for _, s := range e.Skipped {
		parts = append(parts, fmt.Sprintf("%s: %s (%d %s)", s.What, s.Why, s.Packets, plural(s.Packets, "packet")))
	}
	var b strings.Builder
	switch {
	case e.Packets == 0 && e.Cause == nil:
		b.WriteString("the capture holds no packets")
	case e.Packets == 0:
		b.WriteString(e.Cause.Error())
	default:
		fmt.Fprintf(&b, "no NR RRC, F1AP or NGAP messages in %d %s", e.Packets, plural(e.Packets, "packet"))
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
		if e.Cause != nil {
			b.WriteString("; " + e.Cause.Error())
		}
		if n := len(e.Warnings); n > 0 && e.Cause == nil {
			w := e.Warnings[0]
			fmt.Fprintf(&b, "; %d %s, the first in frame %d: %s", n, plural(n, "problem"), w.Frame, w.Error)
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
	p := newParser(opts, &Result{Format: cr.Format(), Compressed: cr.Compressed()})
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
	p.finish(p.res.Packets)
	p.res.LinkTypes = cr.LinkTypes()
	if len(p.res.Events) == 0 {
		var problems []Warning
		for _, w := range p.res.Warnings {
			if _, skipped := p.skipped[strings.SplitN(w.Error, ":", 2)[0]]; !skipped {
				problems = append(problems, w)
			}
		}
		return nil, &UnreadableError{Packets: p.res.Packets, Skipped: p.res.Skipped, Cause: stop, Warnings: problems}
	}
	return p.res, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
