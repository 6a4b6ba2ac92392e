package framing

import (
	"encoding/binary"
	"net/netip"
)

// SCTP chunk types that carry user data.
const (
	chunkDATA  = 0
	chunkIDATA = 64 // RFC 8260
)

// DATA chunk flags.
const (
	flagEnd       = 0x01
	flagBegin     = 0x02
	flagUnordered = 0x04
)

// SCTP payload protocol identifiers (IANA) and well-known ports of the RAN
// application protocols.
const (
	ppidNGAP = 60
	ppidXnAP = 61
	ppidF1AP = 62
	ppidE1AP = 64
	ppidE2AP = 70 // E2-CP

	portNGAP = 38412
	portXnAP = 38422
	portE1AP = 38462
	portF1AP = 38472
	portE2AP = 36421
)

// sctpProtocol names an SCTP payload by its PPID, else by either port (as
// Wireshark does: the PPID table first, then the ports).
func sctpProtocol(ppid uint32, sport, dport uint16) string {
	switch ppid {
	case ppidF1AP:
		return ProtocolF1AP
	case ppidNGAP:
		return ProtocolNGAP
	case ppidE1AP:
		return ProtocolE1AP
	case ppidE2AP:
		return ProtocolE2AP
	case ppidXnAP:
		return ProtocolXnAP
	}
	for _, p := range [2]uint16{min(sport, dport), max(sport, dport)} {
		switch p {
		case portF1AP:
			return ProtocolF1AP
		case portNGAP:
			return ProtocolNGAP
		case portE1AP:
			return ProtocolE1AP
		case portE2AP:
			return ProtocolE2AP
		case portXnAP:
			return ProtocolXnAP
		}
	}
	return ""
}

// sctp reads an SCTP packet at b (byte off): the common header, then every
// chunk. DATA and I-DATA chunks become units (after reassembly when
// fragmented); the other chunks are skipped.
func (d *Decoder) sctp(src, dst netip.Addr, b []byte, off int) {
	if len(b) < 12 {
		d.warnAt("sctp", off, "common header needs 12 bytes, %d left", len(b))
		return
	}
	sport, dport := binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:])
	vtag := binary.BigEndian.Uint32(b[4:])
	pkt := sctpPacket{
		src:   netip.AddrPortFrom(src, sport),
		dst:   netip.AddrPortFrom(dst, dport),
		assoc: assocKey{vtag: vtag, sport: sport, dport: dport},
	}
	data := false
	for p := 12; p < len(b); {
		if len(b)-p < 4 {
			d.warnAt("sctp", off+p, "chunk header needs 4 bytes, %d left", len(b)-p)
			return
		}
		typ, flags, n := b[p], b[p+1], int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 4 {
			d.warnAt("sctp", off+p, "chunk type %d length %d is below 4", typ, n)
			return
		}
		if n > len(b)-p {
			d.warnAt("sctp", off+p, "chunk type %d length %d exceeds the %d bytes left", typ, n, len(b)-p)
			return
		}
		switch typ {
		case chunkDATA:
			data = true
			d.dataChunk(&pkt, flags, b[p:p+n], off+p)
		case chunkIDATA:
			data = true
			d.idataChunk(&pkt, flags, b[p:p+n], off+p)
		}
		p += (n + 3) &^ 3 // chunks are padded to 4 bytes
	}
	if !data {
		d.skip() // INIT, SACK, HEARTBEAT, …
	}
}

type sctpPacket struct {
	src, dst netip.AddrPort
	assoc    assocKey
}

// dataChunk: type(1)=0 flags(1) length(2) TSN(4) stream(2) SSN(2) PPID(4)
// user data.
func (d *Decoder) dataChunk(pkt *sctpPacket, flags uint8, c []byte, off int) {
	if len(c) < 16 {
		d.warnAt("sctp", off, "DATA chunk length %d is below 16", len(c))
		return
	}
	if len(c) == 16 {
		d.warnAt("sctp", off, "DATA chunk tsn %d carries no user data", binary.BigEndian.Uint32(c[4:]))
		return
	}
	if d.retransmission(pkt.assoc, binary.BigEndian.Uint32(c[4:])) {
		return
	}
	f := chunkFrag{
		data:      c[16:],
		begin:     flags&flagBegin != 0,
		end:       flags&flagEnd != 0,
		unordered: flags&flagUnordered != 0,
		tsn:       binary.BigEndian.Uint32(c[4:]),
		stream:    binary.BigEndian.Uint16(c[8:]),
		ssn:       binary.BigEndian.Uint16(c[10:]),
		ppid:      binary.BigEndian.Uint32(c[12:]),
	}
	d.userData(pkt, chunkKey{assoc: pkt.assoc, seq: f.tsn}, f, false, off)
}

// idataChunk: type(1)=64 flags(1) length(2) TSN(4) stream(2) reserved(2)
// MID(4) PPID (first fragment) or FSN (the others)(4) user data.
func (d *Decoder) idataChunk(pkt *sctpPacket, flags uint8, c []byte, off int) {
	if len(c) < 20 {
		d.warnAt("sctp", off, "I-DATA chunk length %d is below 20", len(c))
		return
	}
	if len(c) == 20 {
		d.warnAt("sctp", off, "I-DATA chunk tsn %d carries no user data", binary.BigEndian.Uint32(c[4:]))
		return
	}
	if d.retransmission(pkt.assoc, binary.BigEndian.Uint32(c[4:])) {
		return
	}
	f := chunkFrag{
		data:      c[20:],
		begin:     flags&flagBegin != 0,
		end:       flags&flagEnd != 0,
		unordered: flags&flagUnordered != 0,
		tsn:       binary.BigEndian.Uint32(c[4:]),
		stream:    binary.BigEndian.Uint16(c[8:]),
		mid:       binary.BigEndian.Uint32(c[12:]),
	}
	var fsn uint32
	if f.begin {
		f.ppid = binary.BigEndian.Uint32(c[16:])
	} else {
		fsn = binary.BigEndian.Uint32(c[16:])
		if fsn == 0 {
			d.warnAt("sctp", off, "I-DATA chunk tsn %d: a fragment other than the first has fragment sequence number 0", f.tsn)
			return
		}
	}
	k := chunkKey{assoc: pkt.assoc, idata: true, stream: f.stream, u: f.unordered, mid: f.mid, seq: fsn}
	d.userData(pkt, k, f, true, off)
}

// userData emits a whole user message, or stores a fragment and emits the
// message it completes.
func (d *Decoder) userData(pkt *sctpPacket, k chunkKey, f chunkFrag, idata bool, off int) {
	u := Unit{Transport: SCTP, Src: pkt.src, Dst: pkt.dst}
	payload, first, n := f.data, &f, 0
	if !f.begin || !f.end {
		msg, fst, cnt, ok := d.sctpFragment(k, f, off)
		if !ok {
			return
		}
		payload, first, n = msg, fst, cnt
		u.Detail.FirstFrame = fst.frame
	}
	u.PPID, u.Stream = first.ppid, first.stream
	u.Protocol = sctpProtocol(first.ppid, pkt.src.Port(), pkt.dst.Port())
	u.Detail.SCTP = SCTPDetail{
		VerificationTag: pkt.assoc.vtag,
		TSN:             first.tsn,
		SSN:             first.ssn,
		MID:             first.mid,
		IData:           idata,
		Unordered:       first.unordered,
		Fragments:       n,
	}
	d.emit(u, payload)
}

// maxAssociations bounds the association directions whose recent TSNs are
// remembered; the least recently used is forgotten first.
const maxAssociations = 1024

// tsnWindow remembers which of the 256 TSNs up to the highest seen in one
// direction of an association have been seen.
type tsnWindow struct {
	top  uint32
	bits [4]uint64 // bit i: TSN top-i has been seen
	last int       // Stats.Packets when last used
}

// retransmission reports whether a DATA or I-DATA chunk repeats a TSN
// already seen in its association direction (an SCTP retransmission, or
// the same packet captured twice), and remembers the TSN. Like tshark's
// TSN analysis, the decoder then skips the chunk: the user message was
// already delivered. A TSN more than 256 below the highest seen cannot be
// told and counts as new.
func (d *Decoder) retransmission(a assocKey, tsn uint32) bool {
	w := d.tsns[a]
	if w == nil {
		if len(d.tsns) >= maxAssociations {
			var oldest assocKey
			least := int(^uint(0) >> 1)
			for k, v := range d.tsns {
				if v.last < least {
					oldest, least = k, v.last
				}
			}
			delete(d.tsns, oldest)
		}
		w = &tsnWindow{top: tsn, bits: [4]uint64{1}, last: d.stats.Packets}
		d.tsns[a] = w
		return false
	}
	w.last = d.stats.Packets
	if behind := w.top - tsn; int32(behind) >= 0 {
		if behind >= 256 {
			return false
		}
		word, bit := behind/64, uint64(1)<<(behind%64)
		if w.bits[word]&bit != 0 {
			d.stats.SCTPRetransmissions++
			return true
		}
		w.bits[word] |= bit
		return false
	}
	w.shift(tsn - w.top)
	w.top = tsn
	w.bits[0] |= 1
	return false
}

// shift moves the window up by n TSNs.
func (w *tsnWindow) shift(n uint32) {
	if n >= 256 {
		w.bits = [4]uint64{}
		return
	}
	words, bits := int(n/64), n%64
	var out [4]uint64
	for i := 3; i >= words; i-- {
		out[i] = w.bits[i-words] << bits
		if bits > 0 && i-words-1 >= 0 {
			out[i] |= w.bits[i-words-1] >> (64 - bits)
		}
	}
	w.bits = out
}
