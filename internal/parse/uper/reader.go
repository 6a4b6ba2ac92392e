package uper

import "encoding/binary"

// Reader reads an unaligned PER encoding bit by bit, most significant bit
// first. The zero Reader reads an empty input; Reset points it at another.
//
// Errors are sticky: the first failure is kept, with its bit offset, and
// every later read returns zero without moving. Check Err once after a
// structure.
type Reader struct {
	b   []byte
	off int // bits consumed
	err error
}

// NewReader returns a Reader over b. The Reader does not copy b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Reset points r at b, clearing its offset and error.
func (r *Reader) Reset(b []byte) { *r = Reader{b: b} }

// Offset returns the number of bits consumed. After a failure it stays at
// the offset of the value that failed.
func (r *Reader) Offset() int { return r.off }

// Remaining returns the number of bits not yet consumed.
func (r *Reader) Remaining() int { return len(r.b)*8 - r.off }

// Err returns the first failure, an *Error, or nil.
func (r *Reader) Err() error { return r.err }

func (r *Reader) fail(err error, detail string) {
	if r.err == nil {
		r.err = &Error{Bit: r.off, Err: err, Detail: detail}
	}
}

// Bits reads n bits (0 <= n <= 64) as an unsigned number.
func (r *Reader) Bits(n int) uint64 {
	if r.err != nil {
		return 0
	}
	if n < 0 || n > 64 {
		r.fail(ErrInvalid, "width "+itoa(int64(n)))
		return 0
	}
	if left := r.Remaining(); n > left {
		r.fail(ErrTruncated, need(n, left))
		return 0
	}
	off := r.off
	if i := off >> 3; n <= 56 && i+8 <= len(r.b) {
		// Fast path: one 64-bit load holds the n bits after off&7.
		w := binary.BigEndian.Uint64(r.b[i:])
		r.off = off + n
		return w << (off & 7) >> (64 - n)
	}
	var v uint64
	for n > 0 {
		avail := 8 - off&7
		take := min(avail, n)
		chunk := uint64(r.b[off>>3]>>(avail-take)) & (1<<take - 1)
		v = v<<take | chunk
		n -= take
		off += take
	}
	r.off = off
	return v
}

// Skip consumes n bits without reading them.
func (r *Reader) Skip(n int) {
	if r.err != nil {
		return
	}
	if n < 0 {
		r.fail(ErrInvalid, "skip "+itoa(int64(n)))
		return
	}
	if left := r.Remaining(); n > left {
		r.fail(ErrTruncated, need(n, left))
		return
	}
	r.off += n
}

// Bool reads a BOOLEAN (one bit), also the presence bit of an OPTIONAL
// component and the extension bit of an extensible type.
func (r *Reader) Bool() bool { return r.Bits(1) == 1 }

// Constrained reads a constrained whole number lo..hi (X.691 11.5.7,
// unaligned): hi-lo in the fewest bits that hold it, nothing when lo == hi.
// A value above hi is an ErrRange failure.
func (r *Reader) Constrained(lo, hi int64) int64 {
	if r.err != nil {
		return 0
	}
	span, ok := rangeOf(lo, hi)
	if !ok {
		r.fail(ErrInvalid, "constraint "+itoa(lo)+".."+itoa(hi))
		return 0
	}
	start := r.off
	v := r.Bits(widthOf(span))
	if r.err != nil {
		return 0
	}
	if v > span {
		r.off = start
		r.fail(ErrRange, itoa(int64(uint64(lo)+v))+" not in "+itoa(lo)+".."+itoa(hi))
		return 0
	}
	return int64(uint64(lo) + v)
}

// Choice reads the index of a CHOICE with n root alternatives (X.691 23).
// When ext is true the type has an extension marker: a leading bit says
// whether an extension addition was chosen, and then its index (counted
// from 0 among the additions) follows as a normally small number and
// extended is true. The caller skips the addition's open type.
func (r *Reader) Choice(n int, ext bool) (idx int, extended bool) {
	if ext && r.Bool() {
		return int(r.NormallySmall()), r.err == nil
	}
	if n < 1 {
		r.fail(ErrInvalid, "choice of "+itoa(int64(n)))
		return 0, false
	}
	return int(r.Constrained(0, int64(n)-1)), false
}

// Enumerated reads an ENUMERATED with n root values (X.691 14); the
// encoding is that of Choice.
func (r *Reader) Enumerated(n int, ext bool) (idx int, extended bool) {
	return r.Choice(n, ext)
}

// NormallySmall reads a normally small non-negative whole number (X.691
// 11.6): a 0 bit and six bits, or a 1 bit and a semi-constrained number.
func (r *Reader) NormallySmall() uint64 {
	if !r.Bool() {
		return r.Bits(6)
	}
	n := r.Length()
	if r.err != nil {
		return 0
	}
	if n < 1 || n > 8 {
		r.fail(ErrUnsupported, "normally small number of "+itoa(int64(n))+" octets")
		return 0
	}
	return r.Bits(8 * n)
}

// Length reads an unconstrained length determinant (X.691 11.9.3.6-8,
// unaligned): 0 and 7 bits, 10 and 14 bits. Fragmented lengths (11) are
// reported as ErrUnsupported.
func (r *Reader) Length() int {
	if r.err != nil {
		return 0
	}
	start := r.off
	if !r.Bool() {
		return int(r.Bits(7))
	}
	if !r.Bool() {
		return int(r.Bits(14))
	}
	if r.err == nil {
		r.off = start
		r.fail(ErrUnsupported, "fragmented length")
	}
	return 0
}

// Octets fills dst with the next len(dst) octets, which need not be
// aligned. On failure dst is left zeroed.
func (r *Reader) Octets(dst []byte) {
	if r.err != nil {
		clear(dst)
		return
	}
	if left := r.Remaining(); 8*len(dst) > left {
		r.fail(ErrTruncated, need(8*len(dst), left))
		clear(dst)
		return
	}
	if r.off&7 == 0 {
		copy(dst, r.b[r.off>>3:])
		r.off += 8 * len(dst)
		return
	}
	for i := range dst {
		dst[i] = byte(r.Bits(8))
	}
}
