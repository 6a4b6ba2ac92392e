package rlc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Key names one RLC entity as a capture shows it: a UE, a bearer and a
// direction.
type Key struct {
	UE     uint16 // C-RNTI (or the capture's UE id)
	Bearer int    // logical channel id: 1..3 are SRB1..SRB3, 0 is SRB0
	Uplink bool
}

// String returns "ue 0x4601 srb1 dl", "ue 0x4601 lcid 4 ul".
func (k Key) String() string {
	s := "ue 0x" + fmt.Sprintf("%04x", k.UE) + " "
	if k.Bearer >= 0 && k.Bearer <= 3 {
		s += "srb" + strconv.Itoa(k.Bearer)
	} else {
		s += "lcid " + strconv.Itoa(k.Bearer)
	}
	if k.Uplink {
		return s + " ul"
	}
	return s + " dl"
}

// SDU is what a Push delivers: a complete RLC SDU, or the report that a
// PDU repeated an SDU delivered before (an AM retransmission).
type SDU struct {
	// Data is the complete SDU, owned by the caller. It is nil for a
	// retransmission: the bytes are those of the SDU delivered before.
	Data       []byte
	Frame      int // frame of the PDU that completed the SDU (or carried the repeat)
	FirstFrame int // frame of the SDU's first PDU
	SN         int // -1 for TM and for a UM complete SDU
	Segments   int // PDUs the SDU was built from (1 when not segmented)
	// Repeats counts PDUs that repeated bytes already held while the SDU
	// was being reassembled (retransmitted segments); RepeatFrames are
	// their frames.
	Repeats      int
	RepeatFrames []int
	// ID identifies the SDU within its Reassembler; a retransmission
	// carries the ID of the SDU it repeats.
	ID uint64
	// Retransmission is set when the PDU repeated an SDU already
	// delivered (same SN, same bytes); OriginalFrame is where it was
	// delivered.
	Retransmission bool
	OriginalFrame  int
}

// Warning is something a Push or Flush could not deliver, and why.
type Warning struct {
	Frame int
	Key   Key
	SN    int // -1 when not known
	Err   error
}

// Error returns "rlc: frame 812: ue 0x4601 srb1 dl: sn 7: segment so=120
// beyond reassembly window (max sdu 9216 bytes)".
func (w Warning) Error() string {
	s := "rlc: frame " + strconv.Itoa(w.Frame) + ": " + w.Key.String() + ": "
	if w.SN >= 0 {
		s += "sn " + strconv.Itoa(w.SN) + ": "
	}
	return s + strings.TrimPrefix(w.Err.Error(), "rlc: ")
}

func (w Warning) Unwrap() error { return w.Err }

// Limits bound a Reassembler's memory. A zero field takes its value from
// DefaultLimits.
type Limits struct {
	MaxSDU     int // largest SDU reassembled, in bytes
	MaxPending int // SDUs under reassembly per bearer
	MaxHistory int // delivered SDUs remembered per bearer, for retransmission checks
	MaxBearers int // bearers (Keys) tracked; the least recently used is dropped
	MaxBytes   int // bytes held overall (partial SDUs and history)
}

// DefaultLimits: an SRB SDU is at most a 9000-byte RRC PDU with its PDCP
// header and MAC-I.
var DefaultLimits = Limits{MaxSDU: 9216, MaxPending: 16, MaxHistory: 64, MaxBearers: 1024, MaxBytes: 32 << 20}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxSDU > 0 {
		d.MaxSDU = l.MaxSDU
	}
	if l.MaxPending > 0 {
		d.MaxPending = l.MaxPending
	}
	if l.MaxHistory > 0 {
		d.MaxHistory = l.MaxHistory
	}
	if l.MaxBearers > 0 {
		d.MaxBearers = l.MaxBearers
	}
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	return d
}

// Reassembler turns the RLC PDUs of many bearers into SDUs. The zero
// value is ready to use with DefaultLimits. It is not safe for concurrent
// use.
type Reassembler struct {
	Limits Limits // read on first use

	lim     Limits
	init    bool
	bearers map[Key]*bearer
	nextID  uint64
	clock   uint64
	bytes   int // held in partial buffers and history
}

// NewReassembler returns a Reassembler with the given limits.
func NewReassembler(l Limits) *Reassembler { return &Reassembler{Limits: l} }

type bearer struct {
	mode    Mode
	snBits  int
	pending []*partial  // oldest first
	history []delivered // oldest first
	lastUse uint64
}

type span struct{ lo, hi int }

type partial struct {
	sn         int
	buf        []byte
	have       []span // sorted, disjoint, not adjacent
	total      int    // -1 until the last segment is seen
	firstFrame int
	segments   int
	repeats    int
	repFrames  []int
}

type delivered struct {
	sn    int
	id    uint64
	frame int
	data  []byte
}

func (r *Reassembler) setup() {
	if !r.init {
		r.lim = r.Limits.withDefaults()
		r.bearers = map[Key]*bearer{}
		r.init = true
	}
}

// Push reads one RLC PDU of the entity k (mode and SN length as
// configured) carried in frame, and returns the SDUs it completes and the
// warnings it raises. A control (STATUS) PDU yields nothing. An AM PDU
// whose SN was already delivered with the same bytes is reported as a
// retransmission, never delivered twice; one whose bytes differ is taken
// as a new SDU (the entity was re-established) with a warning.
func (r *Reassembler) Push(k Key, mode Mode, snBits int, frame int, pdu []byte) ([]SDU, []Warning) {
	r.setup()
	h, data, err := ParseHeader(mode, snBits, pdu)
	if err != nil {
		return nil, []Warning{{Frame: frame, Key: k, SN: h.SN, Err: err}}
	}
	if h.Control {
		return nil, nil
	}
	if mode == TM || (h.SI == Full && mode == UM) {
		r.nextID++
		return []SDU{{Data: bytes.Clone(data), Frame: frame, FirstFrame: frame, SN: h.SN, Segments: 1, ID: r.nextID}}, nil
	}
	b := r.bearer(k, mode, snBits)
	var ws []Warning
	warn := func(err error) { ws = append(ws, Warning{Frame: frame, Key: k, SN: h.SN, Err: err}) }

	if mode == AM {
		if i := b.find(h.SN); i >= 0 {
			d := b.history[i]
			if repeats(d.data, h, data) {
				return []SDU{{Frame: frame, FirstFrame: frame, SN: h.SN, Segments: 1, ID: d.id, Retransmission: true, OriginalFrame: d.frame}}, nil
			}
			warn(fmt.Errorf("%w: delivered in frame %d, now so=%d len=%d with other bytes (rlc re-established?): taken as a new sdu", ErrConflict, d.frame, h.SO, len(data)))
			r.bytes -= len(d.data)
			b.history = append(b.history[:i], b.history[i+1:]...)
		}
	}

	end := h.SO + len(data)
	if end > r.lim.MaxSDU {
		warn(fmt.Errorf("segment so=%d len=%d %w (max sdu %d bytes)", h.SO, len(data), ErrBeyondWindow, r.lim.MaxSDU))
		return nil, ws
	}
	p := b.partial(h.SN)
	if h.SI == Full {
		segs, reps := 1, 0
		var repFrames []int
		if p != nil {
			if !p.agrees(0, data) || (p.total >= 0 && p.total != len(data)) {
				warn(fmt.Errorf("%w: complete pdu differs from the segments held (so %s): segments dropped", ErrConflict, p.spans()))
			} else {
				segs, reps, repFrames = p.segments+1, p.repeats, p.repFrames
			}
			r.drop(b, p)
		}
		return []SDU{r.deliver(b, k, h.SN, frame, frame, bytes.Clone(data), segs, reps, repFrames)}, ws
	}

	if p == nil {
		for len(b.pending) >= r.lim.MaxPending {
			old := b.pending[0]
			ws = append(ws, Warning{Frame: frame, Key: k, SN: old.sn, Err: fmt.Errorf("%w: %d sdus under reassembly: oldest dropped (first frame %d, held %s)", ErrIncomplete, len(b.pending), old.firstFrame, old.spans())})
			r.drop(b, old)
		}
		p = &partial{sn: h.SN, total: -1, firstFrame: frame}
		b.pending = append(b.pending, p)
	}
	if p.agrees(h.SO, data) && p.covers(h.SO, end) {
		p.repeats++
		if len(p.repFrames) < 64 {
			p.repFrames = append(p.repFrames, frame)
		}
		return nil, ws
	}
	if !p.agrees(h.SO, data) || (p.total >= 0 && end > p.total) || ((h.SI == Last) && p.maxEnd() > end) {
		warn(fmt.Errorf("%w: segment so=%d len=%d does not fit the segments held (%s): reassembly restarted", ErrConflict, h.SO, len(data), p.spans()))
		r.bytes -= cap(p.buf)
		*p = partial{sn: h.SN, total: -1, firstFrame: frame}
	}
	if end > len(p.buf) {
		grow := end - cap(p.buf)
		if grow > 0 && r.bytes+grow > r.lim.MaxBytes {
			warn(fmt.Errorf("%w (%d bytes): segment so=%d len=%d dropped", ErrLimit, r.lim.MaxBytes, h.SO, len(data)))
			if len(p.have) == 0 {
				r.drop(b, p)
			}
			return nil, ws
		}
		if grow > 0 {
			nb := make([]byte, end, max(end, 2*cap(p.buf)))
			copy(nb, p.buf)
			r.bytes += cap(nb) - cap(p.buf)
			p.buf = nb
		} else {
			p.buf = p.buf[:end]
		}
	}
	copy(p.buf[h.SO:], data)
	p.add(h.SO, end)
	p.segments++
	if h.SI == Last {
		p.total = end
	}
	if p.total >= 0 && len(p.have) == 1 && p.have[0].lo == 0 && p.have[0].hi == p.total {
		sdu := bytes.Clone(p.buf[:p.total])
		r.drop(b, p)
		return append([]SDU(nil), r.deliver(b, k, h.SN, frame, p.firstFrame, sdu, p.segments, p.repeats, p.repFrames)), ws
	}
	return nil, ws
}

// repeats reports whether the PDU h/data repeats part of the delivered SDU
// d consistently with its segmentation info.
func repeats(d []byte, h Header, data []byte) bool {
	end := h.SO + len(data)
	if end > len(d) || !bytes.Equal(d[h.SO:end], data) {
		return false
	}
	switch h.SI {
	case Full:
		return end == len(d)
	case First:
		return end < len(d)
	case Last:
		return h.SO > 0 && end == len(d)
	default:
		return h.SO > 0 && end < len(d)
	}
}

func (r *Reassembler) deliver(b *bearer, k Key, sn, frame, first int, data []byte, segs, reps int, repFrames []int) SDU {
	r.nextID++
	s := SDU{Data: data, Frame: frame, FirstFrame: first, SN: sn, Segments: segs, Repeats: reps, RepeatFrames: repFrames, ID: r.nextID}
	if b.mode != AM {
		return s
	}
	for len(b.history) > 0 && (len(b.history) >= r.lim.MaxHistory || r.bytes+len(data) > r.lim.MaxBytes) {
		r.bytes -= len(b.history[0].data)
		b.history[0] = delivered{}
		b.history = b.history[1:]
	}
	if r.bytes+len(data) <= r.lim.MaxBytes {
		b.history = append(b.history, delivered{sn: sn, id: s.ID, frame: frame, data: data})
		r.bytes += len(data)
	}
	return s
}

func (r *Reassembler) bearer(k Key, mode Mode, snBits int) *bearer {
	r.clock++
	b := r.bearers[k]
	if b != nil && (b.mode != mode || b.snBits != snBits) {
		r.release(b)
		b = nil
	}
	if b == nil {
		if len(r.bearers) >= r.lim.MaxBearers {
			r.evictLRU()
		}
		b = &bearer{mode: mode, snBits: snBits}
		r.bearers[k] = b
	}
	b.lastUse = r.clock
	return b
}

func (r *Reassembler) evictLRU() {
	var oldest Key
	var ob *bearer
	for k, b := range r.bearers {
		if ob == nil || b.lastUse < ob.lastUse {
			oldest, ob = k, b
		}
	}
	if ob != nil {
		r.release(ob)
		delete(r.bearers, oldest)
	}
}

func (r *Reassembler) release(b *bearer) {
	for _, p := range b.pending {
		r.bytes -= cap(p.buf)
	}
	for _, d := range b.history {
		r.bytes -= len(d.data)
	}
	b.pending, b.history = nil, nil
}

func (r *Reassembler) drop(b *bearer, p *partial) {
	for i, q := range b.pending {
		if q == p {
			r.bytes -= cap(p.buf)
			b.pending = append(b.pending[:i], b.pending[i+1:]...)
			return
		}
	}
}

func (b *bearer) find(sn int) int {
	for i := len(b.history) - 1; i >= 0; i-- {
		if b.history[i].sn == sn {
			return i
		}
	}
	return -1
}

func (b *bearer) partial(sn int) *partial {
	for _, p := range b.pending {
		if p.sn == sn {
			return p
		}
	}
	return nil
}

// Reset forgets every bearer of a UE: its RLC entities were
// (re-)established, so SNs start again. Partial SDUs are dropped without
// warning.
func (r *Reassembler) Reset(ue uint16) {
	r.setup()
	for k, b := range r.bearers {
		if k.UE == ue {
			r.release(b)
			delete(r.bearers, k)
		}
	}
}

// Flush reports every SDU still under reassembly (at the end of a
// capture) and forgets it. frame is the frame number the warnings carry.
func (r *Reassembler) Flush(frame int) []Warning {
	r.setup()
	var ws []Warning
	for k, b := range r.bearers {
		for _, p := range b.pending {
			ws = append(ws, Warning{Frame: frame, Key: k, SN: p.sn, Err: fmt.Errorf("%w at end of capture: first frame %d, held %s", ErrIncomplete, p.firstFrame, p.spans())})
			r.bytes -= cap(p.buf)
		}
		b.pending = nil
	}
	sortWarnings(ws)
	return ws
}

func sortWarnings(ws []Warning) {
	less := func(a, b Warning) bool {
		if a.Key != b.Key {
			if a.Key.UE != b.Key.UE {
				return a.Key.UE < b.Key.UE
			}
			if a.Key.Bearer != b.Key.Bearer {
				return a.Key.Bearer < b.Key.Bearer
			}
			return !a.Key.Uplink && b.Key.Uplink
		}
		return a.SN < b.SN
	}
	for i := 1; i < len(ws); i++ {
		for j := i; j > 0 && less(ws[j], ws[j-1]); j-- {
			ws[j], ws[j-1] = ws[j-1], ws[j]
		}
	}
}

// Held returns the bytes the Reassembler holds (partial SDUs and
// delivered SDUs kept for retransmission checks).
func (r *Reassembler) Held() int { return r.bytes }

// agrees reports whether data placed at so matches every byte already held.
func (p *partial) agrees(so int, data []byte) bool {
	end := so + len(data)
	for _, s := range p.have {
		lo, hi := max(s.lo, so), min(s.hi, end)
		if lo < hi && !bytes.Equal(p.buf[lo:hi], data[lo-so:hi-so]) {
			return false
		}
	}
	return true
}

func (p *partial) covers(lo, hi int) bool {
	for _, s := range p.have {
		if s.lo <= lo && hi <= s.hi {
			return true
		}
	}
	return false
}

func (p *partial) maxEnd() int {
	if len(p.have) == 0 {
		return 0
	}
	return p.have[len(p.have)-1].hi
}

func (p *partial) add(lo, hi int) {
	out := p.have[:0:0]
	placed := false
	for _, s := range p.have {
		switch {
		case s.hi < lo:
			out = append(out, s)
		case hi < s.lo:
			if !placed {
				out = append(out, span{lo, hi})
				placed = true
			}
			out = append(out, s)
		default:
			lo, hi = min(lo, s.lo), max(hi, s.hi)
		}
	}
	if !placed {
		out = append(out, span{lo, hi})
	}
	p.have = out
}

// spans describes the bytes held: "bytes 0-49 of 80", "bytes 0-49, 60-79".
func (p *partial) spans() string {
	if len(p.have) == 0 {
		return "no bytes"
	}
	var sb strings.Builder
	sb.WriteString("bytes ")
	for i, s := range p.have {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%d-%d", s.lo, s.hi-1)
	}
	if p.total >= 0 {
		fmt.Fprintf(&sb, " of %d", p.total)
	}
	return sb.String()
}
