package mac

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse/pdcp"
	"github.com/nrladder/nrladder/internal/parse/rlc"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// RRC is one RRC PDU found by a Stack.
type RRC struct {
	// ID identifies the message within its Stack; Retransmission events
	// refer to it.
	ID         int
	Frame      int // frame that completed the PDU (its last RLC segment)
	FirstFrame int // frame of its first RLC segment
	Time       time.Time
	UE         uint16 // RNTI, or the capture's UE id when it gives no RNTI
	Uplink     bool
	Channel    rrc.Channel
	Bearer     string // "SRB0".."SRB3", "BCCH", "PCCH"
	LCID       int    // -1 for BCCH and PCCH
	PDU        []byte // the RRC PDU; for SRB1..3 the PDCP payload as is (ciphered or not)
	PDCPSN     int    // -1 for SRB0, BCCH, PCCH
	RLCSN      int    // -1 in RLC TM
	MACI       []byte // PDCP MAC-I; nil for SRB0, BCCH, PCCH
	Segments   int    // RLC PDUs the PDU was reassembled from
	// Retransmissions counts the repeats of this PDU: in a Push result,
	// RLC segments repeated while it was reassembled; a Collector adds
	// the Retransmission events that follow.
	Retransmissions      int
	RetransmissionFrames []int // frames of the repeats a Collector saw
}

// Retransmission reports that a frame repeated an RRC PDU delivered
// before: an RLC AM PDU with an SN already delivered and the same bytes,
// or an SRB0 PDU identical to the one the same UE sent (or received) just
// before (a HARQ or Msg3/Msg4 retransmission).
type Retransmission struct {
	ID     int // the RRC message repeated
	Frame  int
	Time   time.Time
	UE     uint16
	Bearer string
	RLCSN  int // -1 for SRB0
	// OriginalFrame is the frame where the message was delivered.
	OriginalFrame int
}

// Warning is something a Stack could not turn into an RRC PDU.
type Warning struct {
	Frame int
	Layer string // "mac", "rlc", "pdcp"
	Err   error
}

// Error returns "rlc: frame 812: ue 0x4601 srb1 dl: sn 7: segment so=120
// beyond reassembly window (max sdu 9216 bytes)".
func (w Warning) Error() string { return w.Err.Error() }

func (w Warning) Unwrap() error { return w.Err }

// located adds the frame and the UE/bearer to an error of a lower layer.
type located struct {
	layer string
	frame int
	where string
	err   error
}

func (e *located) Error() string {
	return e.layer + ": frame " + strconv.Itoa(e.frame) + ": " + e.where + ": " + strings.TrimPrefix(e.err.Error(), e.layer+": ")
}

func (e *located) Unwrap() error { return e.err }

// Output is what one Push finds.
type Output struct {
	RRC             []RRC
	Retransmissions []Retransmission
	Warnings        []Warning
	ZeroFill        int // bytes of zero-filled blocks taken as padding
}

// Stack turns MAC PDUs (or RLC PDUs of rlc-nr captures) into RRC PDUs:
// MAC subPDUs, RLC reassembly per UE, bearer and direction, PDCP for
// SRB1..SRB3. Feed it the frames of one capture in order.
//
// An RRC PDU is delivered once, in the frame that completes it. A frame
// that repeats it (an RLC AM PDU whose SN was delivered with the same
// bytes, or an SRB0 PDU identical to the UE's previous one within
// CCCHRepeatWindow) yields a Retransmission naming the message's ID, so
// that the ladder can draw one arrow "retransmitted ×N"; a Collector does
// that counting. A zero-filled block is padding, not RRC. An UL-CCCH
// message, or a DL-CCCH RRCSetup, starts the UE's SRB1..3 RLC entities
// afresh (SNs restart at 0).
//
// Memory is bounded by Limits (RLC reassembly) and by fixed caps on the
// bookkeeping of retransmissions. The zero value is ready to use. It is
// not safe for concurrent use.
type Stack struct {
	// SRBSNBits is the RLC AM SN length of SRB1..SRB3; 0 means 12 (TS
	// 38.331 §9.2.1).
	SRBSNBits int
	// CCCHRepeatWindow: an SRB0 PDU identical to the last one of the same
	// UE, direction and channel within this time is a retransmission. 0
	// means 200 ms; negative turns the check off.
	CCCHRepeatWindow time.Duration
	// Limits bound the RLC reassembly; zero fields take rlc.DefaultLimits.
	Limits rlc.Limits

	rlc      *rlc.Reassembler
	ids      map[uint64]int // RLC SDU id -> RRC ID
	maxSDUID uint64
	nextID   int
	ccch     map[ccchKey]ccchSeen
	subs     []SubPDU
}

type ccchKey struct {
	ue     uint16
	uplink bool
	ch     rrc.Channel
}

type ccchSeen struct {
	pdu   []byte
	at    time.Time
	id    int
	frame int
}

const (
	maxIDs  = 1 << 16
	maxCCCH = 4096
)

func (s *Stack) setup() {
	if s.rlc == nil {
		s.rlc = rlc.NewReassembler(s.Limits)
		s.ids = map[uint64]int{}
		s.ccch = map[ccchKey]ccchSeen{}
	}
}

func (s *Stack) snBits() int {
	if s.SRBSNBits == 0 {
		return 12
	}
	return s.SRBSNBits
}

func dir(uplink bool) string {
	if uplink {
		return "ul"
	}
	return "dl"
}

// Push reads one MAC PDU with its framing context, carried in frame at
// time t.
func (s *Stack) Push(ctx Context, pdu []byte, frame int, t time.Time) Output {
	s.setup()
	var out Output
	ue := ctx.UE()
	subs, err := AppendSubPDUs(s.subs[:0], ctx, pdu)
	defer func() {
		clear(subs) // keep no reference to the caller's PDU
		s.subs = subs[:0]
	}()
	for _, sp := range subs {
		switch {
		case sp.Padding:
			if sp.ZeroFill {
				out.ZeroFill += len(sp.Data)
			}
		case sp.Channel != rrc.ChannelUnknown:
			s.plain(&out, ue, ctx.Uplink, sp.Channel, sp.LCID, sp.Data, frame, t)
		case !sp.CE && sp.LCID >= 1 && sp.LCID <= 3:
			k := rlc.Key{UE: ue, Bearer: sp.LCID, Uplink: ctx.Uplink}
			s.srb(&out, k, rlc.AM, s.snBits(), sp.Data, frame, t)
		}
	}
	if err != nil {
		out.Warnings = append(out.Warnings, Warning{Frame: frame, Layer: "mac", Err: &located{"mac", frame, "ue 0x" + hex16(ue) + " " + dir(ctx.Uplink), err}})
	}
	return out
}

// PushRLC reads one RLC PDU of an rlc-nr capture.
func (s *Stack) PushRLC(ctx rlc.Context, pdu []byte, frame int, t time.Time) Output {
	s.setup()
	var out Output
	switch ctx.BearerType {
	case rlc.BearerSRB:
		k := rlc.Key{UE: ctx.UEID, Bearer: int(ctx.BearerID), Uplink: ctx.Uplink}
		s.srb(&out, k, ctx.Mode, ctx.SNBits, pdu, frame, t)
	case rlc.BearerCCCH:
		ch := rrc.DLCCCH
		if ctx.Uplink {
			ch = rrc.ULCCCH
			if len(pdu) == 8 {
				ch = rrc.ULCCCH1
			}
		}
		s.plain(&out, ctx.UEID, ctx.Uplink, ch, 0, pdu, frame, t)
	case rlc.BearerBCCHBCH:
		s.plain(&out, ctx.UEID, false, rrc.BCCHBCH, -1, pdu, frame, t)
	case rlc.BearerBCCHDLSCH:
		s.plain(&out, ctx.UEID, false, rrc.BCCHDLSCH, -1, pdu, frame, t)
	case rlc.BearerPCCH:
		s.plain(&out, ctx.UEID, false, rrc.PCCH, -1, pdu, frame, t)
	}
	return out
}

// Flush reports the RLC SDUs still under reassembly at the end of a
// capture; frame is the number the warnings carry (the last frame).
func (s *Stack) Flush(frame int) []Warning {
	s.setup()
	var ws []Warning
	for _, w := range s.rlc.Flush(frame) {
		ws = append(ws, Warning{Frame: frame, Layer: "rlc", Err: w})
	}
	return ws
}

// plain handles an RRC PDU carried as is: SRB0 (TM), BCCH, PCCH.
func (s *Stack) plain(out *Output, ue uint16, uplink bool, ch rrc.Channel, lcid int, data []byte, frame int, t time.Time) {
	bearer := "SRB0"
	switch ch {
	case rrc.BCCHBCH, rrc.BCCHDLSCH:
		bearer = "BCCH"
	case rrc.PCCH:
		bearer = "PCCH"
	}
	if len(data) == 0 {
		out.Warnings = append(out.Warnings, Warning{Frame: frame, Layer: "mac", Err: &located{"mac", frame, "ue 0x" + hex16(ue) + " " + strings.ToLower(bearer) + " " + dir(uplink), errors.New(ch.String() + ": empty sdu")}})
		return
	}
	m := RRC{
		ID: -1, Frame: frame, FirstFrame: frame, Time: t, UE: ue, Uplink: uplink,
		Channel: ch, Bearer: bearer, LCID: lcid, PDU: bytes.Clone(data), PDCPSN: -1, RLCSN: -1, Segments: 1,
	}
	if bearer == "SRB0" && s.CCCHRepeatWindow >= 0 {
		win := s.CCCHRepeatWindow
		if win == 0 {
			win = 200 * time.Millisecond
		}
		key := ccchKey{ue, uplink, ch}
		if last, ok := s.ccch[key]; ok && bytes.Equal(last.pdu, data) && !t.Before(last.at) && t.Sub(last.at) <= win {
			out.Retransmissions = append(out.Retransmissions, Retransmission{ID: last.id, Frame: frame, Time: t, UE: ue, Bearer: bearer, RLCSN: -1, OriginalFrame: last.frame})
			return
		}
		if len(s.ccch) >= maxCCCH {
			clear(s.ccch)
		}
		m.ID = s.newID()
		s.ccch[key] = ccchSeen{pdu: bytes.Clone(data), at: t, id: m.ID, frame: frame}
		// A new RRC connection (or a resume) on this RNTI: its SRB1..3
		// RLC entities start again.
		if uplink || isRRCSetup(data) {
			s.rlc.Reset(ue)
		}
	} else {
		m.ID = s.newID()
	}
	out.RRC = append(out.RRC, m)
}

func isRRCSetup(pdu []byte) bool {
	m, err := rrc.Classify(rrc.DLCCCH, pdu)
	return err == nil && m.Alt == "rrcSetup"
}

func (s *Stack) newID() int {
	s.nextID++
	return s.nextID - 1
}

// srb handles an RLC PDU of SRB1..SRB3.
func (s *Stack) srb(out *Output, k rlc.Key, mode rlc.Mode, snBits int, data []byte, frame int, t time.Time) {
	sdus, ws := s.rlc.Push(k, mode, snBits, frame, data)
	for _, w := range ws {
		out.Warnings = append(out.Warnings, Warning{Frame: frame, Layer: "rlc", Err: w})
	}
	bearer := "SRB" + strconv.Itoa(k.Bearer)
	for _, sdu := range sdus {
		if sdu.Retransmission {
			if id, ok := s.ids[sdu.ID]; ok {
				out.Retransmissions = append(out.Retransmissions, Retransmission{ID: id, Frame: frame, Time: t, UE: k.UE, Bearer: bearer, RLCSN: sdu.SN, OriginalFrame: sdu.OriginalFrame})
			}
			continue
		}
		p, err := pdcp.ParseSRB(sdu.Data)
		if err != nil {
			where := k.String() + ": rlc sn " + strconv.Itoa(sdu.SN)
			out.Warnings = append(out.Warnings, Warning{Frame: frame, Layer: "pdcp", Err: &located{"pdcp", frame, where, err}})
			continue
		}
		ch := rrc.DLDCCH
		if k.Uplink {
			ch = rrc.ULDCCH
		}
		id := s.newID()
		s.remember(sdu.ID, id)
		out.RRC = append(out.RRC, RRC{
			ID: id, Frame: frame, FirstFrame: sdu.FirstFrame, Time: t, UE: k.UE, Uplink: k.Uplink,
			Channel: ch, Bearer: bearer, LCID: k.Bearer, PDU: p.Payload, PDCPSN: p.SN, RLCSN: sdu.SN,
			MACI: p.MACI, Segments: sdu.Segments, Retransmissions: sdu.Repeats, RetransmissionFrames: sdu.RepeatFrames,
		})
	}
}

// remember maps an RLC SDU id to its RRC ID, keeping the most recent
// maxIDs (older SDUs have left the RLC history anyway).
func (s *Stack) remember(sduID uint64, id int) {
	s.ids[sduID] = id
	s.maxSDUID = max(s.maxSDUID, sduID)
	if len(s.ids) > maxIDs {
		for k := range s.ids {
			if k+maxIDs/2 < s.maxSDUID {
				delete(s.ids, k)
			}
		}
	}
}

func hex16(v uint16) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>12], digits[v>>8&15], digits[v>>4&15], digits[v&15]})
}

// Collector gathers the Outputs of a Stack into one list of messages, each
// with its final retransmission count.
type Collector struct {
	Messages []RRC
	Warnings []Warning
	ZeroFill int
	index    map[int]int
}

// Add appends one Output.
func (c *Collector) Add(o Output) {
	if c.index == nil {
		c.index = map[int]int{}
	}
	for _, m := range o.RRC {
		c.index[m.ID] = len(c.Messages)
		c.Messages = append(c.Messages, m)
	}
	for _, r := range o.Retransmissions {
		if i, ok := c.index[r.ID]; ok {
			c.Messages[i].Retransmissions++
			c.Messages[i].RetransmissionFrames = append(c.Messages[i].RetransmissionFrames, r.Frame)
		}
	}
	c.Warnings = append(c.Warnings, o.Warnings...)
	c.ZeroFill += o.ZeroFill
}
