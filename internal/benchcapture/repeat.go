package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"time"

	"github.com/nrladder/nrladder/internal/parse/capture"
)

// Link types the generator rewrites.
const (
	linkEthernet = 1
	linkUser2    = 149 // srsRAN MAC-NR: fake UDP header, then "mac-nr" framing
	linkRawIPv4  = 228
)

// Stats say what Repeat found in one copy of the capture and what it wrote.
type Stats struct {
	LinkType uint32
	Packets  int // per repetition
	F1AP     int // F1AP PDUs per repetition, re-encoded with shifted ids
	NGAP     int // NGAP PDUs per repetition, re-encoded with shifted ids
	Kept     int // F1AP/NGAP PDUs per repetition copied as they are (undecodable, not re-encodable or fragmented)
	IDs      int // id values shifted per repetition
	RNTIs    int // MAC-NR PDUs per repetition whose C-RNTI is shifted

	Stride    map[string]int64 // id type (or "C-RNTI", "TSN") → shift per repetition
	Period    time.Duration    // time shift per repetition
	WrappedAt int              // first repetition whose C-RNTIs repeat those of repetition 0; 0 when none does
	Bytes     int64            // written
}

// packet is one packet of the capture as a template for its copies.
type packet struct {
	time time.Time
	data []byte

	// An IPv4/SCTP packet: the IPv4 header at ipOff, ipLen octets of IP
	// packet (Ethernet padding follows), the SCTP chunks.
	ipOff, ipLen int
	chunks       []chunk

	// A MAC-NR PDU: the offset of its C-RNTI value; 0 when none is shifted.
	rntiOff int
}

// chunk is one SCTP chunk.
type chunk struct {
	raw []byte  // the chunk without padding
	pdu *apPDU  // the decoded F1AP/NGAP user data of a DATA chunk; nil when copied
	tsn tsnKind // where the chunk holds a TSN
}

type tsnKind uint8

const (
	tsnNone       tsnKind = iota
	tsnData               // DATA: TSN at 4
	tsnCumulative         // SACK, SHUTDOWN: cumulative TSN ack at 4
	tsnInitial            // INIT, INIT ACK: initial TSN at 16
)

// SCTP chunk types and payload protocol identifiers.
const (
	chunkDATA     = 0
	chunkINIT     = 1
	chunkINITACK  = 2
	chunkSACK     = 3
	chunkSHUTDOWN = 7
	ppidNGAP      = 60
	ppidF1AP      = 62
	portNGAP      = 38412
	portF1AP      = 38472
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Repeat writes to w a pcap (nanosecond timestamps) holding n copies of the
// capture in, one after the other in time. Copy k (from 0: copy 0 is the
// capture itself, SCTP checksums aside) has:
//   - every time shifted by k times the capture's span cut to whole seconds
//     plus two seconds;
//   - in every F1AP and NGAP PDU (Ethernet or raw IPv4, SCTP), each
//     gNB-CU-UE-F1AP-ID, gNB-DU-UE-F1AP-ID, RAN-UE-NGAP-ID and
//     AMF-UE-NGAP-ID raised by k times (the largest value of its type in
//     the capture + 1): the PDU is decoded with the project's f1ap and ngap
//     packages and re-encoded with package per, so a value whose encoded
//     length grows is written right;
//   - SCTP TSNs (DATA, SACK, SHUTDOWN, INIT, INIT ACK) raised by k times
//     the largest span of TSNs of one direction, so that neither nrladder
//     nor tshark takes a copy for retransmissions of the first; chunk, IP
//     lengths, the IPv4 header checksum and the SCTP CRC32c recomputed;
//   - in every MAC-NR PDU of link type 149 whose RNTI type is C-RNTI, the
//     RNTI raised by k times the span of C-RNTIs in the capture, modulo the
//     C-RNTI range 0x0001..0xFFEF.
//
// Everything else is copied as it is, and so is an F1AP or NGAP PDU that
// nrladder cannot decode or that does not re-encode to its own octets
// (Stats.Kept).
func Repeat(w io.Writer, in []byte, n int) (Stats, error) {
	st := Stats{Stride: map[string]int64{}}
	if n < 1 {
		return st, fmt.Errorf("repetitions %d: want at least 1", n)
	}
	pkts, err := readPackets(in, &st)
	if err != nil {
		return st, err
	}
	if err := strides(pkts, n, &st); err != nil {
		return st, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	writeHeader(bw, st.LinkType)
	st.Bytes = 24
	var buf []byte
	for k := range n {
		for i := range pkts {
			p := &pkts[i]
			buf, err = p.copy(buf[:0], int64(k), &st)
			if err != nil {
				return st, fmt.Errorf("repetition %d: frame %d: %w", k, i+1, err)
			}
			writeRecord(bw, p.time.Add(time.Duration(k)*st.Period), buf)
			st.Bytes += 16 + int64(len(buf))
		}
	}
	return st, bw.Flush()
}

// readPackets reads the capture with the project's reader and prepares
// every packet for copying.
func readPackets(in []byte, st *Stats) ([]packet, error) {
	r, err := capture.NewReader(bytes.NewReader(in), capture.Options{})
	if err != nil {
		return nil, err
	}
	var pkts []packet
	for {
		cp, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(pkts) == 0 {
			st.LinkType = cp.LinkType
		} else if cp.LinkType != st.LinkType {
			return nil, fmt.Errorf("frame %d: link type %d after %d: one link type only", cp.Frame, cp.LinkType, st.LinkType)
		}
		if cp.OrigLen > len(cp.Data) {
			return nil, fmt.Errorf("frame %d: cut to %d of %d octets by the snap length", cp.Frame, len(cp.Data), cp.OrigLen)
		}
		p := packet{time: cp.Time, data: cp.Data}
		switch cp.LinkType {
		case linkEthernet, linkRawIPv4:
			err = p.prepareSCTP(cp.LinkType, st)
		case linkUser2:
			p.prepareMAC(st)
		default:
			return nil, fmt.Errorf("link type %d: only Ethernet (1), raw IPv4 (228) and srsRAN MAC-NR (149) are repeated", cp.LinkType)
		}
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", cp.Frame, err)
		}
		pkts = append(pkts, p)
	}
	if len(pkts) == 0 {
		return nil, errors.New("the capture holds no packets")
	}
	st.Packets = len(pkts)
	return pkts, nil
}

// prepareSCTP finds the SCTP chunks of an IPv4 packet and decodes the F1AP
// and NGAP PDUs of its DATA chunks. Other packets stay as they are.
func (p *packet) prepareSCTP(link uint32, st *Stats) error {
	b := p.data
	off := 0
	if link == linkEthernet {
		off = 14
		for len(b) >= off && (binary.BigEndian.Uint16(b[off-2:]) == 0x8100 || binary.BigEndian.Uint16(b[off-2:]) == 0x88a8) {
			off += 4 // VLAN tags
		}
		if len(b) < off || binary.BigEndian.Uint16(b[off-2:]) != 0x0800 {
			return nil
		}
	}
	if len(b) < off+20 || b[off]>>4 != 4 || b[off+9] != 132 {
		return nil // not IPv4, not SCTP
	}
	ihl := int(b[off]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[off+2:]))
	if frag := binary.BigEndian.Uint16(b[off+6:]); frag&0x3fff != 0 {
		return nil // an IP fragment: copied as it is
	}
	if ihl < 20 || total < ihl+12 || off+total > len(b) {
		return fmt.Errorf("ipv4: header %d, total length %d, %d octets captured", ihl, total, len(b)-off)
	}
	sctp := b[off+ihl : off+total]
	sport, dport := binary.BigEndian.Uint16(sctp[0:]), binary.BigEndian.Uint16(sctp[2:])
	var chunks []chunk
	for q := 12; q < len(sctp); {
		if len(sctp)-q < 4 {
			return fmt.Errorf("sctp: chunk header at %d: %d octets left", q, len(sctp)-q)
		}
		typ, flags, n := sctp[q], sctp[q+1], int(binary.BigEndian.Uint16(sctp[q+2:]))
		if n < 4 || n > len(sctp)-q {
			return fmt.Errorf("sctp: chunk type %d at %d: length %d, %d octets left", typ, q, n, len(sctp)-q)
		}
		c := chunk{raw: sctp[q : q+n]}
		switch typ {
		case chunkDATA:
			if n < 16 {
				return fmt.Errorf("sctp: DATA chunk at %d: length %d", q, n)
			}
			c.tsn = tsnData
			if flags&0x03 == 0x03 && n > 16 { // unfragmented
				proto := apProtocol(binary.BigEndian.Uint32(c.raw[12:]), sport, dport)
				if proto != "" {
					pdu, err := decodeAP(proto, c.raw[16:])
					if errors.Is(err, errRoundTrip) {
						pdu, err = nil, nil
					}
					if err != nil {
						return fmt.Errorf("%s at sctp offset %d: %w", proto, q+16, err)
					}
					c.pdu = pdu
					switch {
					case pdu == nil:
						st.Kept++
					case proto == "f1ap":
						st.F1AP++
					default:
						st.NGAP++
					}
					if pdu != nil {
						st.IDs += len(pdu.ids)
					}
				}
			} else if apProtocol(binary.BigEndian.Uint32(c.raw[12:]), sport, dport) != "" {
				st.Kept++
			}
		case chunkSACK, chunkSHUTDOWN:
			if n >= 8 {
				c.tsn = tsnCumulative
			}
		case chunkINIT, chunkINITACK:
			if n >= 20 {
				c.tsn = tsnInitial
			}
		}
		chunks = append(chunks, c)
		q += (n + 3) &^ 3
	}
	p.ipOff, p.ipLen, p.chunks = off, total, chunks
	return nil
}

// apProtocol names the payload of a DATA chunk as nrladder's framing does:
// by PPID, else by port.
func apProtocol(ppid uint32, sport, dport uint16) string {
	switch {
	case ppid == ppidF1AP:
		return "f1ap"
	case ppid == ppidNGAP:
		return "ngap"
	case ppid != 0:
		return ""
	case sport == portF1AP || dport == portF1AP:
		return "f1ap"
	case sport == portNGAP || dport == portNGAP:
		return "ngap"
	}
	return ""
}

// prepareMAC finds the C-RNTI of a MAC-NR PDU of link type 149: an 8-octet
// fake UDP header, "mac-nr", radioType, direction, rntiType, then tags of
// fixed sizes up to the payload tag 0x01.
func (p *packet) prepareMAC(st *Stats) {
	b := p.data
	const start = 8 + len("mac-nr")
	if len(b) < start+3 || string(b[8:start]) != "mac-nr" || b[start+2] != 3 { // rntiType 3: C-RNTI
		return
	}
	sizes := [...]int{0x02: 2, 0x03: 2, 0x04: 2, 0x05: 1, 0x06: 1, 0x07: 4}
	for q := start + 3; q < len(b); {
		tag := b[q]
		if int(tag) >= len(sizes) || sizes[tag] == 0 || q+1+sizes[tag] > len(b) {
			return // the payload tag, or framing nobody reads: copied as it is
		}
		if tag == 0x02 {
			p.rntiOff = q + 1
			st.RNTIs++
			return
		}
		q += 1 + sizes[tag]
	}
}

// C-RNTI values (TS 38.321 7.1).
const (
	minCRNTI = 0x0001
	maxCRNTI = 0xffef
)

// strides sets the shifts per repetition and checks that n repetitions
// keep every id in its range.
func strides(pkts []packet, n int, st *Stats) error {
	maxID := map[string]int64{}
	type direction struct{ src, dst [6]byte }
	base := map[direction]uint32{}
	lo, hi := map[direction]int64{}, map[direction]int64{}
	rntiLo, rntiHi := -1, -1
	for i := range pkts {
		p := &pkts[i]
		for _, c := range p.chunks {
			if c.pdu != nil {
				for _, v := range c.pdu.ids {
					maxID[v.Type] = max(maxID[v.Type], v.Int)
				}
			}
			if c.tsn == tsnData || c.tsn == tsnInitial {
				ip := p.data[p.ipOff:]
				ihl := int(ip[0]&0x0f) * 4
				var d direction
				copy(d.src[:], ip[12:16])
				copy(d.src[4:], ip[ihl:ihl+2])
				copy(d.dst[:], ip[16:20])
				copy(d.dst[4:], ip[ihl+2:ihl+4])
				tsn := c.tsnValue()
				f, ok := base[d]
				if !ok {
					base[d], f = tsn, tsn
				}
				rel := int64(int32(tsn - f))
				lo[d], hi[d] = min(lo[d], rel), max(hi[d], rel)
			}
		}
		if p.rntiOff > 0 {
			r := int(binary.BigEndian.Uint16(p.data[p.rntiOff:]))
			if rntiLo < 0 || r < rntiLo {
				rntiLo = r
			}
			rntiHi = max(rntiHi, r)
		}
	}
	for typ, m := range maxID {
		s := m + 1
		if last := m + int64(n-1)*s; last > idRanges[typ] {
			return fmt.Errorf("%d repetitions: %s would reach %d, beyond its range 0..%d", n, typ, last, idRanges[typ])
		}
		st.Stride[typ] = s
	}
	var tsnStride int64
	for d := range base {
		tsnStride = max(tsnStride, hi[d]-lo[d]+1)
	}
	if tsnStride > 0 {
		st.Stride["TSN"] = tsnStride
	}
	if rntiLo >= 0 {
		s := int64(rntiHi - rntiLo + 1)
		st.Stride["C-RNTI"] = s
		if fit := int64(maxCRNTI-minCRNTI+1) / s; int64(n) > fit {
			st.WrappedAt = int(fit)
		}
	}
	first, last := pkts[0].time, pkts[0].time
	for _, p := range pkts {
		if p.time.Before(first) {
			first = p.time
		}
		if p.time.After(last) {
			last = p.time
		}
	}
	st.Period = last.Sub(first).Truncate(time.Second) + 2*time.Second
	return nil
}

func (c *chunk) tsnValue() uint32 {
	switch c.tsn {
	case tsnData, tsnCumulative:
		return binary.BigEndian.Uint32(c.raw[4:])
	case tsnInitial:
		return binary.BigEndian.Uint32(c.raw[16:])
	}
	return 0
}

// copy appends to b copy k of the packet.
func (p *packet) copy(b []byte, k int64, st *Stats) ([]byte, error) {
	switch {
	case p.chunks != nil:
		return p.copySCTP(b, k, st)
	case p.rntiOff > 0:
		b = append(b, p.data...)
		r := int64(binary.BigEndian.Uint16(p.data[p.rntiOff:]))
		r = minCRNTI + (r-minCRNTI+k*st.Stride["C-RNTI"])%(maxCRNTI-minCRNTI+1)
		binary.BigEndian.PutUint16(b[p.rntiOff:], uint16(r))
		return b, nil
	}
	return append(b, p.data...), nil
}

// copySCTP writes the link header, the IPv4 header with its new length and
// checksum, the SCTP common header, the chunks with their TSNs and user
// data shifted, the new CRC32c, then the link's trailing octets.
func (p *packet) copySCTP(b []byte, k int64, st *Stats) ([]byte, error) {
	ip := p.data[p.ipOff:]
	ihl := int(ip[0]&0x0f) * 4
	b = append(b, p.data[:p.ipOff+ihl+12]...)
	ipStart, sctpStart := p.ipOff, p.ipOff+ihl
	tsnShift := uint32(k * st.Stride["TSN"])
	for _, c := range p.chunks {
		at := len(b)
		switch {
		case c.pdu != nil && len(c.pdu.ids) > 0:
			c.pdu.shift(k, st.Stride)
			pdu, err := c.pdu.encode()
			if err != nil {
				return nil, err
			}
			b = append(b, c.raw[:16]...)
			b = append(b, pdu...)
			binary.BigEndian.PutUint16(b[at+2:], uint16(16+len(pdu)))
		default:
			b = append(b, c.raw...)
		}
		switch c.tsn {
		case tsnData, tsnCumulative:
			binary.BigEndian.PutUint32(b[at+4:], c.tsnValue()+tsnShift)
		case tsnInitial:
			binary.BigEndian.PutUint32(b[at+16:], c.tsnValue()+tsnShift)
		}
		for len(b)%4 != (sctpStart)%4 {
			b = append(b, 0)
		}
	}
	if len(b)-ipStart > 0xffff {
		return nil, fmt.Errorf("ipv4: %d octets", len(b)-ipStart)
	}
	binary.BigEndian.PutUint16(b[ipStart+2:], uint16(len(b)-ipStart))
	b[ipStart+10], b[ipStart+11] = 0, 0
	binary.BigEndian.PutUint16(b[ipStart+10:], ipChecksum(b[ipStart:sctpStart]))
	clear(b[sctpStart+8 : sctpStart+12])
	binary.LittleEndian.PutUint32(b[sctpStart+8:], crc32.Checksum(b[sctpStart:], castagnoli))
	return append(b, p.data[p.ipOff+p.ipLen:]...), nil
}

// ipChecksum is the IPv4 header checksum (RFC 791, RFC 1071).
func ipChecksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// writeHeader writes a classic pcap header (little endian, nanoseconds).
func writeHeader(w *bufio.Writer, link uint32) {
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], 0xa1b23c4d) // nanosecond timestamps
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], 262144)
	binary.LittleEndian.PutUint32(h[20:], link)
	w.Write(h[:])
}

func writeRecord(w *bufio.Writer, t time.Time, data []byte) {
	var h [16]byte
	binary.LittleEndian.PutUint32(h[0:], uint32(t.Unix()))
	binary.LittleEndian.PutUint32(h[4:], uint32(t.Nanosecond()))
	binary.LittleEndian.PutUint32(h[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[12:], uint32(len(data)))
	w.Write(h[:])
	w.Write(data)
}
