package uper

// Writer builds an unaligned PER encoding bit by bit, most significant bit
// first. The zero Writer is ready to use.
//
// Errors are sticky like the Reader's: the first failure is kept with the
// bit offset at which the bad value would have been written, and later
// writes are ignored.
type Writer struct {
	buf []byte
	n   int // bits written
	err error
}

// Len returns the number of bits written.
func (w *Writer) Len() int { return w.n }

// Err returns the first failure, an *Error, or nil.
func (w *Writer) Err() error { return w.err }

// Bytes returns the encoding padded with zero bits to a whole octet. An
// empty encoding is one zero octet, as X.691 11.1 requires of a complete
// encoding (the content of an OCTET STRING CONTAINING an empty value, for
// instance). The result aliases the Writer's buffer until the next write.
func (w *Writer) Bytes() []byte {
	if w.n == 0 {
		return []byte{0}
	}
	return w.buf[:len(w.buf):len(w.buf)]
}

func (w *Writer) fail(err error, detail string) {
	if w.err == nil {
		w.err = &Error{Bit: w.n, Err: err, Detail: detail}
	}
}

// Bits writes the low n bits of v (0 <= n <= 64); v must fit in n bits.
func (w *Writer) Bits(v uint64, n int) {
	if w.err != nil {
		return
	}
	if n < 0 || n > 64 {
		w.fail(ErrInvalid, "width "+itoa(int64(n)))
		return
	}
	if n < 64 && v>>n != 0 {
		w.fail(ErrRange, "value does not fit "+itoa(int64(n))+" bits")
		return
	}
	for n > 0 {
		if w.n&7 == 0 {
			w.buf = append(w.buf, 0)
		}
		free := 8 - w.n&7
		take := min(free, n)
		chunk := byte(v>>(n-take)) & byte(1<<take-1)
		w.buf[len(w.buf)-1] |= chunk << (free - take)
		n -= take
		w.n += take
	}
}

// Bool writes one bit: a BOOLEAN, a presence bit, an extension bit.
func (w *Writer) Bool(b bool) {
	if b {
		w.Bits(1, 1)
	} else {
		w.Bits(0, 1)
	}
}

// Constrained writes v as a constrained whole number lo..hi.
func (w *Writer) Constrained(v, lo, hi int64) {
	if w.err != nil {
		return
	}
	span, ok := rangeOf(lo, hi)
	if !ok {
		w.fail(ErrInvalid, "constraint "+itoa(lo)+".."+itoa(hi))
		return
	}
	if v < lo || v > hi {
		w.fail(ErrRange, itoa(v)+" not in "+itoa(lo)+".."+itoa(hi))
		return
	}
	w.Bits(uint64(v)-uint64(lo), widthOf(span))
}

// Choice writes the index of root alternative idx of a CHOICE with n root
// alternatives; ext says whether the type has an extension marker (a 0
// bit is written first). Extension additions are not written.
func (w *Writer) Choice(idx, n int, ext bool) {
	if n < 1 {
		w.fail(ErrInvalid, "choice of "+itoa(int64(n)))
		return
	}
	if ext {
		w.Bool(false)
	}
	w.Constrained(int64(idx), 0, int64(n)-1)
}

// Enumerated writes root value idx of an ENUMERATED with n root values.
func (w *Writer) Enumerated(idx, n int, ext bool) { w.Choice(idx, n, ext) }

// NormallySmall writes a normally small non-negative whole number up to 63.
func (w *Writer) NormallySmall(v uint64) {
	if v > 63 {
		w.fail(ErrUnsupported, "normally small number "+itoa(int64(min(v, 1<<62)))+" above 63")
		return
	}
	w.Bool(false)
	w.Bits(v, 6)
}

// Length writes an unconstrained length determinant, 0 <= n < 16384.
func (w *Writer) Length(n int) {
	switch {
	case n < 0:
		w.fail(ErrInvalid, "length "+itoa(int64(n)))
	case n < 128:
		w.Bits(uint64(n), 8)
	case n < 16384:
		w.Bits(0b10<<14|uint64(n), 16)
	default:
		w.fail(ErrUnsupported, "fragmented length "+itoa(int64(n)))
	}
}

// Octets writes the octets of b at the current bit position.
func (w *Writer) Octets(b []byte) {
	for _, c := range b {
		w.Bits(uint64(c), 8)
	}
}

// OctetString writes an OCTET STRING without size constraint: a length
// determinant and the octets.
func (w *Writer) OctetString(b []byte) {
	w.Length(len(b))
	w.Octets(b)
}
