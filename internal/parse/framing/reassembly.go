package framing

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"
)

// maxIPPayload is the largest reassembled IP payload: the 16-bit length
// fields of IPv4 and IPv6 (jumbograms are not supported).
const maxIPPayload = 65535

// fragKey identifies the datagram an IP fragment belongs to (RFC 791: source,
// destination, protocol and identification; RFC 8200: source, destination
// and identification).
type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8 // IPv4 protocol; 0 for IPv6
	v6       bool
}

type span struct{ lo, hi int }

// fragEntry is a datagram being reassembled.
type fragEntry struct {
	buf        []byte // payload so far; len is the highest end received
	have       []span // received byte ranges, sorted, merged
	total      int    // payload length, -1 until the last fragment has come
	proto      uint8  // IPv6: next header of the first fragment
	firstFrame int
	last       int // Stats.Packets when it last advanced
	n          int // distinct fragments received
}

// fragment adds an IP fragment (payload data at offset foff) to its datagram
// and returns the whole payload once complete (with, for IPv6, the next
// header from the first fragment). The returned slice is no longer held by
// the Decoder.
func (d *Decoder) fragment(k fragKey, layer string, off, foff int, data []byte, more bool, proto uint8) ([]byte, uint8, bool) {
	d.stats.IPFragments++
	e := d.frags[k]
	if e == nil {
		if len(d.frags) >= d.opts.MaxPendingDatagrams {
			d.evictOldest(evictDatagrams, nil, fmt.Sprintf("more than %d datagrams in reassembly", d.opts.MaxPendingDatagrams))
		}
		e = &fragEntry{total: -1, firstFrame: d.cur.frame}
		d.frags[k] = e
		d.armSweep()
	}
	fail := func(format string, args ...any) ([]byte, uint8, bool) {
		d.warnAt(layer, off, format+"; datagram dropped", args...)
		d.removeDatagram(k, e)
		d.stats.IPDropped++
		return nil, 0, false
	}
	end := foff + len(data)
	switch {
	case end > maxIPPayload:
		return fail("fragment at offset %d with %d bytes ends past byte %d", foff, len(data), maxIPPayload)
	case e.total >= 0 && end > e.total:
		return fail("fragment at offset %d ends at %d, past the end %d set by the last fragment", foff, end, e.total)
	case !more && e.total >= 0 && end != e.total:
		return fail("a second last fragment ends at %d, not %d", end, e.total)
	case !more && end < len(e.buf):
		return fail("last fragment ends at %d but earlier fragments reach %d", end, len(e.buf))
	}
	covered := 0
	for _, s := range e.have {
		lo, hi := max(s.lo, foff), min(s.hi, end)
		if lo >= hi {
			continue
		}
		if !bytes.Equal(e.buf[lo:hi], data[lo-foff:hi-foff]) {
			return fail("fragment at offset %d overlaps earlier fragments with different bytes", foff)
		}
		covered += hi - lo
	}
	e.last = d.stats.Packets
	if !more {
		e.total = end
	}
	if foff == 0 {
		e.proto = proto
	}
	if covered == len(data) && len(data) > 0 {
		return nil, 0, false // a duplicate: nothing new
	}
	e.n++
	if grow := end - len(e.buf); grow > 0 {
		if !d.reserve(grow, e) {
			return fail("reassembly memory limit of %d bytes reached", d.opts.MaxPendingBytes)
		}
		e.buf = append(e.buf, make([]byte, grow)...)
		d.stats.PendingBytes += grow
	}
	copy(e.buf[foff:end], data)
	e.have = addSpan(e.have, span{foff, end})
	if e.total < 0 || len(e.have) != 1 || e.have[0] != (span{0, e.total}) {
		return nil, 0, false
	}
	d.cur.firstFrame = min(d.cur.firstFrame, e.firstFrame)
	d.cur.ipFrags = e.n
	d.removeDatagram(k, e)
	d.stats.IPReassembled++
	return e.buf, e.proto, true
}

// addSpan inserts s into the sorted, merged list have.
func addSpan(have []span, s span) []span {
	i := 0
	for i < len(have) && have[i].hi < s.lo {
		i++
	}
	j := i
	for j < len(have) && have[j].lo <= s.hi {
		s.lo, s.hi = min(s.lo, have[j].lo), max(s.hi, have[j].hi)
		j++
	}
	return slices.Replace(have, i, j, s)
}

func (d *Decoder) removeDatagram(k fragKey, e *fragEntry) {
	if d.frags[k] == e {
		delete(d.frags, k)
		d.stats.PendingBytes -= len(e.buf)
	}
}

// dropDatagram gives up on an incomplete datagram, saying why.
func (d *Decoder) dropDatagram(k fragKey, e *fragEntry, why string) {
	layer, total := "ipv4", "?"
	if k.v6 {
		layer = "ipv6"
	}
	if e.total >= 0 {
		total = fmt.Sprint(e.total)
	}
	received := 0
	for _, s := range e.have {
		received += s.hi - s.lo
	}
	d.warnFrame(e.firstFrame, layer, fmt.Sprintf("incomplete datagram (id 0x%x, %s → %s, %d of %s bytes in %d fragments) dropped: %s",
		k.id, k.src, k.dst, received, total, e.n, why))
	d.removeDatagram(k, e)
	d.stats.IPDropped++
}

// assocKey identifies one direction of an SCTP association: the
// verification tag is the receiver's, so it differs per direction, and it
// survives a multi-homed path change where the addresses do not.
type assocKey struct {
	vtag         uint32
	sport, dport uint16
}

// chunkKey identifies an SCTP fragment: by TSN for DATA (the fragments of a
// user message have consecutive TSNs), by stream, U flag, message
// identifier and fragment sequence number for I-DATA.
type chunkKey struct {
	assoc  assocKey
	idata  bool
	stream uint16 // I-DATA only
	u      bool   // I-DATA only
	mid    uint32 // I-DATA only
	seq    uint32 // TSN (DATA) or FSN (I-DATA; 0 for the first fragment)
}

// chunkFrag is one fragment of a user message.
type chunkFrag struct {
	data       []byte
	begin, end bool
	unordered  bool
	stream     uint16
	ssn        uint16
	mid        uint32
	ppid       uint32
	tsn        uint32
	frame      int
	last       int // Stats.Packets when it came (or was last repeated)
}

// chunkGroup names the user message a fragment belongs to, for warnings
// and for dropping all of its fragments together.
type chunkGroup struct {
	assoc  assocKey
	idata  bool
	stream uint16
	ssn    uint16
	mid    uint32
}

func groupOf(k chunkKey, f *chunkFrag) chunkGroup {
	return chunkGroup{assoc: k.assoc, idata: k.idata, stream: f.stream, ssn: f.ssn, mid: f.mid}
}

// sctpFragment stores one fragment and, when it completes a user message,
// returns the message and its first fragment.
func (d *Decoder) sctpFragment(k chunkKey, f chunkFrag, off int) (msg []byte, first *chunkFrag, n int, ok bool) {
	d.stats.SCTPFragments++
	if old := d.chunks[k]; old != nil {
		if old.begin == f.begin && old.end == f.end && bytes.Equal(old.data, f.data) {
			old.last = d.stats.Packets // a retransmission
		} else {
			d.warnAt("sctp", off, "fragment tsn %d repeats with different contents; the first copy is kept", f.tsn)
		}
		return nil, nil, 0, false
	}
	if len(d.chunks) >= d.opts.MaxPendingChunks {
		d.evictOldest(evictChunks, nil, fmt.Sprintf("more than %d SCTP fragments pending", d.opts.MaxPendingChunks))
	}
	if !d.reserve(len(f.data), nil) {
		d.warnAt("sctp", off, "fragment tsn %d dropped: reassembly memory limit of %d bytes reached", f.tsn, d.opts.MaxPendingBytes)
		d.stats.SCTPDropped++
		return nil, nil, 0, false
	}
	f.data = bytes.Clone(f.data)
	f.frame, f.last = d.cur.frame, d.stats.Packets
	d.chunks[k] = &f
	d.stats.PendingBytes += len(f.data)
	d.armSweep()

	// Walk back to the first fragment, then forward to the last.
	start := k
	for cf := &f; !cf.begin; {
		start.seq--
		if cf = d.chunks[start]; cf == nil || cf.end {
			return nil, nil, 0, false
		}
	}
	first = d.chunks[start]
	size, frame := 0, first.frame
	for i := start; ; i.seq++ {
		cf := d.chunks[i]
		if cf == nil || (n > 0 && cf.begin) || n >= len(d.chunks) {
			return nil, nil, 0, false
		}
		n++
		size += len(cf.data)
		frame = min(frame, cf.frame)
		if !k.idata && (cf.stream != first.stream || cf.unordered != first.unordered || (!first.unordered && cf.ssn != first.ssn)) {
			d.warnAt("sctp", off, "fragments tsn %d to %d mix streams or stream sequence numbers; dropped", first.tsn, f.tsn)
			d.deleteRun(start, n)
			d.stats.SCTPDropped += n
			return nil, nil, 0, false
		}
		if cf.end {
			break
		}
	}
	if size > d.opts.MaxMessageSize {
		d.warnAt("sctp", off, "user message of %d bytes in %d fragments exceeds the %d-byte limit; dropped", size, n, d.opts.MaxMessageSize)
		d.deleteRun(start, n)
		d.stats.SCTPDropped += n
		return nil, nil, 0, false
	}
	firstCopy := *first
	msg = make([]byte, 0, size)
	for i, j := start, 0; j < n; i.seq, j = i.seq+1, j+1 {
		msg = append(msg, d.chunks[i].data...)
	}
	d.deleteRun(start, n)
	d.stats.SCTPReassembled++
	firstCopy.frame = frame
	return msg, &firstCopy, n, true
}

// deleteRun removes n consecutive fragments starting at k.
func (d *Decoder) deleteRun(k chunkKey, n int) {
	for range n {
		if cf := d.chunks[k]; cf != nil {
			d.stats.PendingBytes -= len(cf.data)
			delete(d.chunks, k)
		}
		k.seq++
	}
}

// dropChunks gives up on the fragments matching drop, with one warning per
// user message.
func (d *Decoder) dropChunks(drop func(chunkKey, *chunkFrag) bool, why string) {
	type agg struct {
		n, frame int
		lo, hi   uint32
		stream   uint16
	}
	var groups map[chunkGroup]*agg
	var order []chunkGroup
	for k, f := range d.chunks {
		if !drop(k, f) {
			continue
		}
		if groups == nil {
			groups = map[chunkGroup]*agg{}
		}
		g := groupOf(k, f)
		a := groups[g]
		if a == nil {
			a = &agg{frame: f.frame, lo: f.tsn, hi: f.tsn, stream: f.stream}
			groups[g] = a
			order = append(order, g)
		}
		a.n++
		a.frame = min(a.frame, f.frame)
		if int32(f.tsn-a.lo) < 0 {
			a.lo = f.tsn
		}
		if int32(f.tsn-a.hi) > 0 {
			a.hi = f.tsn
		}
		d.stats.PendingBytes -= len(f.data)
		delete(d.chunks, k)
		d.stats.SCTPDropped++
	}
	slices.SortFunc(order, func(x, y chunkGroup) int { return groups[x].frame - groups[y].frame })
	for _, g := range order {
		a := groups[g]
		d.warnFrame(a.frame, "sctp", fmt.Sprintf("%d fragments of a user message on stream %d (tsn %d to %d, port %d → %d) dropped: %s",
			a.n, a.stream, a.lo, a.hi, g.assoc.sport, g.assoc.dport, why))
	}
}

// reserve makes room for n more pending bytes, dropping the oldest
// reassemblies (never keep) as needed. It reports false when even that is
// not enough.
func (d *Decoder) reserve(n int, keep *fragEntry) bool {
	for d.stats.PendingBytes+n > d.opts.MaxPendingBytes {
		if !d.evictOldest(evictAny, keep, fmt.Sprintf("reassembly memory limit of %d bytes reached", d.opts.MaxPendingBytes)) {
			return false
		}
	}
	return true
}

// What evictOldest may drop.
const (
	evictAny = iota
	evictDatagrams
	evictChunks
)

// evictOldest drops the reassembly that advanced least recently: an IP
// datagram or all fragments of an SCTP user message.
func (d *Decoder) evictOldest(which int, keep *fragEntry, why string) bool {
	var (
		fk     fragKey
		fe     *fragEntry
		ck     chunkKey
		cf     *chunkFrag
		oldest = int(^uint(0) >> 1)
	)
	if which != evictChunks {
		for k, e := range d.frags {
			if e != keep && e.last < oldest {
				fk, fe, oldest = k, e, e.last
			}
		}
	}
	if which != evictDatagrams {
		for k, f := range d.chunks {
			if f.last < oldest {
				ck, cf, fe, oldest = k, f, nil, f.last
			}
		}
	}
	switch {
	case fe != nil:
		d.dropDatagram(fk, fe, why)
	case cf != nil:
		g := groupOf(ck, cf)
		d.dropChunks(func(k chunkKey, f *chunkFrag) bool { return groupOf(k, f) == g }, why)
	default:
		return false
	}
	return true
}

// armSweep makes sure an expiry sweep is scheduled.
func (d *Decoder) armSweep() {
	if d.nextSweep == 0 {
		d.nextSweep = d.stats.Packets + d.opts.Timeout
	}
}

// expire drops the reassemblies that have not advanced for Options.Timeout
// packets. It runs only when one may be due.
func (d *Decoder) expire() {
	if d.nextSweep == 0 || d.stats.Packets < d.nextSweep {
		return
	}
	now, limit := d.stats.Packets, d.opts.Timeout
	why := fmt.Sprintf("no progress for %d packets", limit)
	next := 0
	due := func(last int) bool {
		if now-last >= limit {
			return true
		}
		if next == 0 || last+limit < next {
			next = last + limit
		}
		return false
	}
	for k, e := range d.frags {
		if due(e.last) {
			d.dropDatagram(k, e, why)
		}
	}
	// A user message with an expired fragment can never complete: drop
	// all of its fragments.
	var expired map[chunkGroup]bool
	for k, f := range d.chunks {
		if due(f.last) {
			if expired == nil {
				expired = map[chunkGroup]bool{}
			}
			expired[groupOf(k, f)] = true
		}
	}
	if expired != nil {
		d.dropChunks(func(k chunkKey, f *chunkFrag) bool { return expired[groupOf(k, f)] }, why)
		next = 0
		for _, f := range d.chunks {
			due(f.last)
		}
		for _, e := range d.frags {
			due(e.last)
		}
	}
	d.nextSweep = next
}
