package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"time"
)

// Fixed limits on pcapng structure, beyond those in Options.
const (
	maxBlockLen     = 64 << 20 // any pcapng block
	maxHeldBlockLen = 1 << 20  // blocks held whole to check their options (SHB, IDB, ISB)
	maxIfaces       = 4096     // interface description blocks in one section
	maxOptionLen    = 65532    // pcapgo's uint16 option arithmetic wraps beyond it
)

// pcapng block types.
const (
	blockSHB     = 0x0a0d0d0a
	blockIDB     = 1
	blockPB      = 2 // obsolete Packet Block
	blockSPB     = 3
	blockNRB     = 4
	blockISB     = 5
	blockEPB     = 6
	blockJournal = 9 // systemd Journal Export Block
	blockDSB     = 10
	blockSysdig  = 0x204 // sysdig event block
	blockCustom  = 0x00000bad
	blockCustom2 = 0x40000bad // custom block not to be copied
)

// frameBlock reports the block types that Wireshark (4.0) numbers as frames:
// the packet blocks, and records that carry no packet, which Next skips
// (pcapgo skips them too) but which still take a frame number.
func frameBlock(typ uint32) bool {
	switch typ {
	case blockEPB, blockPB, blockSPB, blockJournal, blockSysdig, blockCustom, blockCustom2:
		return true
	}
	return false
}

// pcapng option codes the framer reads (in interface description blocks).
const (
	optEnd      = 0
	optTSResol  = 9
	optTSOffset = 14
	optHidden   = 0xffff // what the framer turns every other option into for pcapgo
)

// record is what the framer learnt from the head of the last packet record it
// handed on; Reader.Next pairs it with the data pcapgo read.
type record struct {
	frame    int
	time     time.Time
	linkType uint32
	iface    int
	capLen   int
	origLen  int
}

// iface is a pcapng interface as the framer needs it.
type iface struct {
	linkType uint32
	snaplen  uint32
	units    uint64 // timestamp units per second (if_tsresol; default 10^6)
	offset   int64  // seconds added to every timestamp (if_tsoffset)
}

// time converts a timestamp in the interface's units, rounding down to the
// nanosecond as Wireshark does.
func (i iface) time(ts uint64) time.Time {
	sec, frac := ts/i.units, ts%i.units
	hi, lo := bits.Mul64(frac, 1e9)
	ns, _ := bits.Div64(hi, lo, i.units) // hi < units because frac < units
	return time.Unix(int64(sec)+i.offset, int64(ns)).UTC()
}

// framer is the io.Reader pcapgo reads from. It follows the record framing of
// the stream as the bytes go through and checks every record head before
// handing on a single byte of it, so that pcapgo never sees a length it would
// mis-handle: hostile allocations, underflowing block arithmetic, options
// running past their block. It never hands on bytes past the end of the
// record it has checked, so when pcapgo returns a packet, cur describes it.
//
// Where pcapgo's reading of a valid file differs from Wireshark's, the framer
// rewrites the head it hands on (pcap versions before 2.4, captured length
// above the original length, pcapng 1.2, pcapng options) and supplies the
// packet's metadata itself (frame numbers, link types above 255, timestamps).
//
// To let a new pcapng block type through to pcapgo: 1. give it a name in
// blockName and its smallest length in minBlockLen; 2. if Wireshark numbers
// it as a frame, add it to frameBlock; 3. if pcapgo parses its contents, hold
// it (see held) and check every field pcapgo reads, hiding options with
// options; 4. add a valid example to specials (cross-checked with tshark) and
// a malformed one to TestHostilePcapng.
type framer struct {
	src  *bufio.Reader
	opts Options
	ng   bool // pcapng, else pcap
	gz   bool

	off   int64 // bytes consumed from src
	err   error // sticky; io.EOF at a clean end
	frame int   // packet records begun, numbered as Wireshark does

	// What Read hands on next: out, then pass bytes straight from src, then
	// (pcapng) the block's trailing length once checked.
	out   []byte
	pass  int64
	trail bool

	// Where a cut-short input ends, for TruncatedError.
	cutFrame  int
	cutInside string

	buf     []byte  // record heads and held blocks; reused
	tbuf    [4]byte // trailing block length
	started bool
	order   binary.ByteOrder

	nanos        bool   // pcap: nanosecond timestamps
	major, minor uint16 // pcap version

	btype  uint32 // pcapng block being read
	blen   uint32
	bstart int64
	ifaces []iface // of the current section

	linkTypes []uint32 // sorted, unique
	cur       record
}

func newFramer(src *bufio.Reader, opts Options, ng, gz bool) *framer {
	return &framer{src: src, opts: opts, ng: ng, gz: gz, buf: make([]byte, 64)}
}

func (f *framer) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for f.err == nil {
		switch {
		case len(f.out) > 0:
			n := copy(p, f.out)
			f.out = f.out[n:]
			return n, nil
		case f.pass > 0:
			if int64(len(p)) > f.pass {
				p = p[:f.pass]
			}
			n, err := f.src.Read(p)
			f.off += int64(n)
			f.pass -= int64(n)
			if err != nil && f.pass > 0 {
				f.err = f.cut(err, f.cutFrame, f.cutInside)
			}
			if n > 0 {
				return n, nil
			}
		case f.trail:
			f.err = f.trailer()
		default:
			f.err = f.next()
		}
	}
	return 0, f.err
}

// readFull reads len(b) bytes unless the input ends or fails first; it
// returns the input's own error, which io.ReadFull would rewrite.
func (f *framer) readFull(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := f.src.Read(b[n:])
		n += m
		if err != nil && n < len(b) {
			f.off += int64(n)
			return n, err
		}
	}
	f.off += int64(n)
	return n, nil
}

// scratch returns f.buf resized to n bytes, keeping its contents.
func (f *framer) scratch(n int) []byte {
	if cap(f.buf) < n {
		b := make([]byte, n, max(n, 2*cap(f.buf)))
		copy(b, f.buf[:cap(f.buf)])
		f.buf = b
	}
	return f.buf[:n]
}

// cut turns the end of the input inside a record into a TruncatedError; other
// errors come from the input or gzip and are already labelled.
func (f *framer) cut(err error, frame int, inside string) error {
	if !isEOF(err) {
		return err
	}
	return &TruncatedError{Frame: frame, Inside: inside}
}

// end handles the input ending between records.
func (f *framer) end(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	return f.cut(err, f.frame+1, "")
}

// within checks that the record being read, of which more bytes remain
// unread, ends inside the MaxExpanded limit.
func (f *framer) within(more int64) error {
	if f.off+more <= f.opts.MaxExpanded {
		return nil
	}
	if f.gz {
		return limitf("capture: gzip: decompressed data exceeds the %d-byte limit", f.opts.MaxExpanded)
	}
	return limitf("capture: file exceeds the %d-byte limit", f.opts.MaxExpanded)
}

func (f *framer) checkCapLen(capLen uint32) error {
	if int64(capLen) > int64(f.opts.MaxPacketLen) {
		return limitf("capture: packet %d: captured length %d exceeds the %d-byte limit", f.frame, capLen, f.opts.MaxPacketLen)
	}
	return nil
}

func (f *framer) next() error {
	if !f.started {
		f.started = true
		if !f.ng {
			return f.pcapHeader()
		}
	}
	if f.ng {
		return f.block()
	}
	return f.pcapRecord()
}

// pcap

func (f *framer) pcapHeader() error {
	h := f.scratch(24)
	if n, err := f.readFull(h); n < len(h) {
		return f.cut(err, 1, "pcap file header")
	}
	switch string(h[:4]) {
	case "\xd4\xc3\xb2\xa1":
		f.order = binary.LittleEndian
	case "\xa1\xb2\xc3\xd4":
		f.order = binary.BigEndian
	case "\x4d\x3c\xb2\xa1":
		f.order, f.nanos = binary.LittleEndian, true
	case "\xa1\xb2\x3c\x4d":
		f.order, f.nanos = binary.BigEndian, true
	default: // NewReader sniffed the magic
		return fmt.Errorf("%w (first bytes %s)", ErrNotCapture, hexBytes(h[:4]))
	}
	f.major, f.minor = f.order.Uint16(h[4:]), f.order.Uint16(h[6:])
	if f.major < 2 {
		return fmt.Errorf("capture: pcap: unsupported version %d.%d", f.major, f.minor)
	}
	field := f.order.Uint32(h[20:])
	if field&0x03ff0000 != 0 {
		return fmt.Errorf("capture: pcap: link type field 0x%08x has reserved bits set", field)
	}
	// The upper bits hold the FCS length (libpcap's LT_LINKTYPE).
	f.linkTypes = []uint32{field & 0xffff}
	// pcapgo reads only version 2.4; pcapRecord deals with the older layouts.
	f.order.PutUint16(h[4:], 2)
	f.order.PutUint16(h[6:], 4)
	f.out = h
	return nil
}

func (f *framer) pcapRecord() error {
	h := f.scratch(16)
	n, err := f.readFull(h)
	if n == 0 {
		return f.end(err)
	}
	if n < len(h) {
		return f.cut(err, f.frame+1, insidePacket)
	}
	f.frame++
	f.cutFrame, f.cutInside = f.frame, insidePacket
	if f.frame > f.opts.MaxPackets {
		return limitf("capture: more than %d packets", f.opts.MaxPackets)
	}
	sec, sub := f.order.Uint32(h[0:]), f.order.Uint32(h[4:])
	capLen, origLen := f.order.Uint32(h[8:]), f.order.Uint32(h[12:])
	if f.major == 2 && (f.minor < 3 || f.minor == 3 && capLen > origLen) {
		// Versions before 2.3, and some 2.3 writers, swapped the two
		// lengths; Wireshark reads them this way.
		capLen, origLen = origLen, capLen
	}
	if err := f.checkCapLen(capLen); err != nil {
		return err
	}
	if err := f.within(int64(capLen)); err != nil {
		return err
	}
	f.order.PutUint32(h[8:], capLen)
	// pcapgo rejects a captured length above the original one; Wireshark
	// reads such packets.
	f.order.PutUint32(h[12:], max(capLen, origLen))
	if !f.nanos {
		sub *= 1000 // wraps for invalid values, exactly as in Wireshark
	}
	f.cur = record{
		frame:    f.frame,
		time:     time.Unix(int64(sec), int64(sub)).UTC(),
		linkType: f.linkTypes[0],
		capLen:   int(capLen),
		origLen:  int(origLen),
	}
	f.out, f.pass = h, int64(capLen)
	return nil
}

// pcapng

// blockName names a block type in messages.
func blockName(typ uint32) string {
	switch typ {
	case blockSHB:
		return "section header block"
	case blockIDB:
		return "interface description block"
	case blockPB, blockSPB, blockEPB:
		return "packet"
	case blockNRB:
		return "name resolution block"
	case blockISB:
		return "interface statistics block"
	case blockJournal:
		return "systemd journal export block"
	case blockDSB:
		return "decryption secrets block"
	case blockSysdig:
		return "sysdig event block"
	case blockCustom, blockCustom2:
		return "custom block"
	}
	return fmt.Sprintf("block of type 0x%08x", typ)
}

// minBlockLen is the smallest total length of a block of each type.
func minBlockLen(typ uint32) uint32 {
	switch typ {
	case blockSHB:
		return 28
	case blockIDB:
		return 20
	case blockPB, blockEPB:
		return 32
	case blockSPB:
		return 16
	case blockISB:
		return 24
	case blockCustom, blockCustom2:
		return 16 // a Private Enterprise Number at least
	}
	return 12
}

// where names the block being read in messages: "packet 9" or
// "interface description block at byte 1234".
func (f *framer) where() string {
	switch f.btype {
	case blockPB, blockSPB, blockEPB:
		return fmt.Sprintf("packet %d", f.frame)
	}
	return fmt.Sprintf("%s at byte %d", blockName(f.btype), f.bstart)
}

func (f *framer) errorf(format string, args ...any) error {
	return fmt.Errorf("capture: pcapng: %s: %s", f.where(), fmt.Sprintf(format, args...))
}

// enter starts a block of type typ: packet records are numbered from here.
func (f *framer) enter(typ uint32) error {
	f.btype = typ
	switch {
	case frameBlock(typ):
		f.frame++
		f.cutFrame, f.cutInside = f.frame, blockName(typ)
		if f.frame > f.opts.MaxPackets {
			return limitf("capture: more than %d packets", f.opts.MaxPackets)
		}
	default:
		f.cutFrame, f.cutInside = f.frame+1, blockName(typ)
	}
	return nil
}

func (f *framer) block() error {
	f.bstart = f.off
	h := f.scratch(12)
	n, err := f.readFull(h[:8])
	if n == 0 {
		return f.end(err)
	}
	if n < 4 {
		return f.cut(err, f.frame+1, "block header")
	}
	shb := string(h[:4]) == "\x0a\x0d\x0d\x0a" // the same in both byte orders
	typ := uint32(blockSHB)
	if !shb {
		typ = f.order.Uint32(h)
	}
	if err := f.enter(typ); err != nil {
		return err
	}
	if n < 8 {
		return f.cut(err, f.cutFrame, f.cutInside)
	}
	if shb {
		// The byte-order magic after the length says how to read the length.
		if n, err := f.readFull(h[8:12]); n < 4 {
			return f.cut(err, f.cutFrame, f.cutInside)
		}
		switch string(h[8:12]) {
		case "\x4d\x3c\x2b\x1a":
			f.order = binary.LittleEndian
		case "\x1a\x2b\x3c\x4d":
			f.order = binary.BigEndian
		default:
			return f.errorf("byte-order magic %s is invalid", hexBytes(h[8:12]))
		}
	}
	f.blen = f.order.Uint32(h[4:])
	switch {
	case f.blen < 12 || f.blen%4 != 0:
		return f.errorf("block length %d is invalid", f.blen)
	case f.blen > maxBlockLen:
		return limitf("capture: pcapng: %s: block length %d exceeds the %d-byte limit", f.where(), f.blen, maxBlockLen)
	case f.blen < minBlockLen(typ):
		return f.errorf("block length %d is too short for its type", f.blen)
	}
	if err := f.within(int64(f.blen) - (f.off - f.bstart)); err != nil {
		return err
	}
	switch typ {
	case blockSHB:
		return f.held(f.sectionHeader)
	case blockIDB:
		return f.held(f.interfaceDescription)
	case blockISB:
		return f.held(f.interfaceStatistics)
	case blockEPB, blockPB:
		return f.packet()
	case blockSPB:
		return f.simplePacket()
	}
	// Any other block goes through unread, and pcapgo skips it.
	f.out, f.pass, f.trail = h[:8], int64(f.blen)-12, true
	return nil
}

func (f *framer) trailer() error {
	if n, err := f.readFull(f.tbuf[:]); n < 4 {
		return f.cut(err, f.cutFrame, f.cutInside)
	}
	if got := f.order.Uint32(f.tbuf[:]); got != f.blen {
		return f.errorf("trailing block length %d does not match the leading %d", got, f.blen)
	}
	f.trail = false
	f.out = f.tbuf[:]
	return nil
}

// held reads a whole block, checks its trailing length and lets parse check
// (and rewrite) it before it is handed on.
func (f *framer) held(parse func(b []byte) error) error {
	if f.blen > maxHeldBlockLen {
		return limitf("capture: pcapng: %s: block length %d exceeds the %d-byte limit for its type", f.where(), f.blen, maxHeldBlockLen)
	}
	read := int(f.off - f.bstart)
	b := f.scratch(int(f.blen))
	if n, err := f.readFull(b[read:]); n < len(b)-read {
		return f.cut(err, f.cutFrame, f.cutInside)
	}
	if got := f.order.Uint32(b[len(b)-4:]); got != f.blen {
		return f.errorf("trailing block length %d does not match the leading %d", got, f.blen)
	}
	if err := parse(b); err != nil {
		return err
	}
	f.out = b
	return nil
}

// options checks the options of a held block, from start to the trailing
// length, calling each on every option, and hides them all from pcapgo
// (whose option handling is unsafe: stale values for short options, a zero
// divisor from if_tsresol, strings kept for every interface).
func (f *framer) options(b []byte, start int, each func(code uint16, val []byte) error) error {
	end := len(b) - 4
	for pos := start; pos+4 <= end; {
		code, n := f.order.Uint16(b[pos:]), int(f.order.Uint16(b[pos+2:]))
		if code == optEnd {
			f.order.PutUint16(b[pos+2:], 0) // pcapgo rejects a non-empty opt_endofopt
			return nil
		}
		if n > maxOptionLen {
			return f.errorf("option %d: length %d is invalid", code, n)
		}
		next := pos + 4 + (n+3)&^3
		if next > end {
			return f.errorf("option %d: length %d runs past the end of the block", code, n)
		}
		if each != nil {
			if err := each(code, b[pos+4:pos+4+n]); err != nil {
				return err
			}
		}
		f.order.PutUint16(b[pos:], optHidden)
		pos = next
	}
	return nil
}

func (f *framer) sectionHeader(b []byte) error {
	major, minor := f.order.Uint16(b[12:]), f.order.Uint16(b[14:])
	if major != 1 || minor != 0 && minor != 2 {
		return f.errorf("unsupported version %d.%d", major, minor)
	}
	f.order.PutUint16(b[14:], 0) // pcapgo reads only 1.0; 1.2 is laid out the same
	if err := f.options(b, 24, nil); err != nil {
		return err
	}
	f.ifaces = f.ifaces[:0]
	return nil
}

func (f *framer) interfaceDescription(b []byte) error {
	if len(f.ifaces) >= maxIfaces {
		return limitf("capture: pcapng: %s: more than %d interfaces in one section", f.where(), maxIfaces)
	}
	ifc := iface{
		linkType: uint32(f.order.Uint16(b[8:])),
		snaplen:  f.order.Uint32(b[12:]),
		units:    1e6,
	}
	err := f.options(b, 16, func(code uint16, v []byte) error {
		// Like Wireshark, ignore these options when their length is wrong.
		switch {
		case code == optTSResol && len(v) == 1:
			units, ok := tsUnits(v[0])
			if !ok {
				return f.errorf("interface %d: timestamp resolution %s is not supported", len(f.ifaces), tsResolName(v[0]))
			}
			ifc.units = units
		case code == optTSOffset && len(v) == 8:
			ifc.offset = int64(f.order.Uint64(v))
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.ifaces = append(f.ifaces, ifc)
	if i, found := slices.BinarySearch(f.linkTypes, ifc.linkType); !found {
		f.linkTypes = slices.Insert(f.linkTypes, i, ifc.linkType)
	}
	return nil
}

// tsUnits returns the timestamp units per second of an if_tsresol value:
// 10^-n, or 2^-n with the top bit set. Resolutions whose unit count does not
// fit in 64 bits are refused.
func tsUnits(r byte) (uint64, bool) {
	e := r & 0x7f
	if r&0x80 != 0 {
		return 1 << e, e <= 63
	}
	if e > 19 {
		return 0, false
	}
	u := uint64(1)
	for range e {
		u *= 10
	}
	return u, true
}

func tsResolName(r byte) string {
	if r&0x80 != 0 {
		return fmt.Sprintf("2^-%d s", r&0x7f)
	}
	return fmt.Sprintf("10^-%d s", r)
}

func (f *framer) interfaceStatistics(b []byte) error {
	if id := f.order.Uint32(b[8:]); id >= uint32(len(f.ifaces)) {
		return f.errorf("interface %d is not defined (the section has %d)", id, len(f.ifaces))
	}
	return f.options(b, 20, nil)
}

// packet reads the head of an Enhanced Packet Block or obsolete Packet Block.
func (f *framer) packet() error {
	b := f.scratch(28)
	if n, err := f.readFull(b[8:28]); n < 20 {
		return f.cut(err, f.cutFrame, f.cutInside)
	}
	var id uint32
	if f.btype == blockPB {
		id = uint32(f.order.Uint16(b[8:]))
	} else {
		id = f.order.Uint32(b[8:])
	}
	if id >= uint32(len(f.ifaces)) {
		return f.errorf("interface %d is not defined (the section has %d)", id, len(f.ifaces))
	}
	ts := uint64(f.order.Uint32(b[12:]))<<32 | uint64(f.order.Uint32(b[16:]))
	capLen, origLen := f.order.Uint32(b[20:]), f.order.Uint32(b[24:])
	if err := f.checkCapLen(capLen); err != nil {
		return err
	}
	if capLen > f.blen-32 {
		return f.errorf("captured length %d does not fit in block length %d", capLen, f.blen)
	}
	ifc := f.ifaces[id]
	f.cur = record{
		frame:    f.frame,
		time:     ifc.time(ts),
		linkType: ifc.linkType,
		iface:    int(id),
		capLen:   int(capLen),
		origLen:  int(origLen),
	}
	f.out, f.pass, f.trail = b, int64(f.blen)-32, true
	return nil
}

// simplePacket reads the head of a Simple Packet Block: interface 0, no
// timestamp, captured length the original length cut to the snap length.
func (f *framer) simplePacket() error {
	b := f.scratch(12)
	if n, err := f.readFull(b[8:12]); n < 4 {
		return f.cut(err, f.cutFrame, f.cutInside)
	}
	if len(f.ifaces) == 0 {
		return f.errorf("simple packet block before any interface description block")
	}
	origLen := f.order.Uint32(b[8:])
	capLen := origLen
	if s := f.ifaces[0].snaplen; s != 0 && capLen > s {
		capLen = s
	}
	if err := f.checkCapLen(capLen); err != nil {
		return err
	}
	if capLen > f.blen-16 {
		return f.errorf("captured length %d does not fit in block length %d", capLen, f.blen)
	}
	f.cur = record{
		frame:    f.frame,
		linkType: f.ifaces[0].linkType,
		capLen:   int(capLen),
		origLen:  int(origLen),
	}
	f.out, f.pass, f.trail = b, int64(f.blen)-16, true
	return nil
}
