package uper_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

// op is one read in a table test; the reads run in order on one Reader.
type op struct {
	kind   string // bits, bool, constrained, choice, length, skip, small
	n      int    // width, choice size, skip count
	lo, hi int64
	ext    bool
}

type result struct {
	Values    []int64
	Extended  []bool
	Offset    int
	Remaining int
	Err       string
}

func run(b []byte, ops []op) result {
	r := uper.NewReader(b)
	var res result
	for _, o := range ops {
		var v int64
		var x bool
		switch o.kind {
		case "bits":
			v = int64(r.Bits(o.n))
		case "bool":
			if r.Bool() {
				v = 1
			}
		case "constrained":
			v = r.Constrained(o.lo, o.hi)
		case "choice":
			var i int
			i, x = r.Choice(o.n, o.ext)
			v = int64(i)
		case "length":
			v = int64(r.Length())
		case "small":
			v = int64(r.NormallySmall())
		case "skip":
			r.Skip(o.n)
		}
		res.Values = append(res.Values, v)
		res.Extended = append(res.Extended, x)
	}
	res.Offset = r.Offset()
	res.Remaining = r.Remaining()
	if err := r.Err(); err != nil {
		res.Err = err.Error()
	}
	return res
}

func TestReader(t *testing.T) {
	bits := func(n int) op { return op{kind: "bits", n: n} }
	tests := []struct {
		name string
		in   []byte
		ops  []op
		want result
	}{
		{
			name: "nibbles across bytes",
			in:   []byte{0xab, 0xcd},
			ops:  []op{bits(4), bits(8), bits(4)},
			want: result{Values: []int64{0xa, 0xbc, 0xd}, Offset: 16},
		},
		{
			name: "zero width reads nothing",
			in:   []byte{0xff},
			ops:  []op{bits(0), bits(3)},
			want: result{Values: []int64{0, 7}, Offset: 3, Remaining: 5},
		},
		{
			name: "64 bits unaligned",
			in:   []byte{0x81, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x80},
			ops:  []op{bits(1), bits(64)},
			want: result{Values: []int64{1, 0x02468acf13579bdf}, Offset: 65, Remaining: 7},
		},
		{
			name: "constrained 1..3 and 0..0 and 0..15",
			in:   []byte{0b01_1010_00},
			ops:  []op{{kind: "constrained", lo: 1, hi: 3}, {kind: "constrained", lo: 0, hi: 0}, {kind: "constrained", lo: 0, hi: 15}},
			want: result{Values: []int64{2, 0, 10}, Offset: 6, Remaining: 2},
		},
		{
			name: "constrained negative range",
			in:   []byte{0b1111_1111},
			ops:  []op{{kind: "constrained", lo: -270, hi: 270}},
			want: result{Values: []int64{0}, Offset: 0, Remaining: 8, Err: "uper: bit 0: truncated input (need 10 bits, 8 left)"},
		},
		{
			name: "constrained value above hi",
			in:   []byte{0b0_11_00000},
			ops:  []op{bits(1), {kind: "constrained", lo: 1, hi: 3}},
			want: result{Values: []int64{0, 0}, Offset: 1, Remaining: 7, Err: "uper: bit 1: value out of range (4 not in 1..3)"},
		},
		{
			name: "choice root and extension",
			in:   []byte{0b0_10_1_0000, 0b011_00000},
			ops:  []op{{kind: "choice", n: 3, ext: true}, {kind: "choice", n: 3, ext: true}},
			want: result{Values: []int64{2, 3}, Extended: []bool{false, true}, Offset: 11, Remaining: 5},
		},
		{
			name: "choice of one alternative reads nothing",
			in:   []byte{0x80},
			ops:  []op{{kind: "choice", n: 1}, bits(1)},
			want: result{Values: []int64{0, 1}, Offset: 1, Remaining: 7},
		},
		{
			name: "length short and long",
			in:   []byte{0x05, 0b10_000001, 0x00},
			ops:  []op{{kind: "length"}, {kind: "length"}},
			want: result{Values: []int64{5, 256}, Offset: 24},
		},
		{
			name: "fragmented length unsupported",
			in:   []byte{0b11_000001},
			ops:  []op{{kind: "length"}},
			want: result{Values: []int64{0}, Remaining: 8, Err: "uper: bit 0: unsupported encoding (fragmented length)"},
		},
		{
			name: "normally small",
			in:   []byte{0b0_000101_0},
			ops:  []op{{kind: "small"}},
			want: result{Values: []int64{5}, Offset: 7, Remaining: 1},
		},
		{
			name: "truncated is sticky",
			in:   []byte{0xff, 0xf0},
			ops:  []op{bits(10), bits(8), bits(1), {kind: "bool"}},
			want: result{Values: []int64{0x3ff, 0, 0, 0}, Offset: 10, Remaining: 6, Err: "uper: bit 10: truncated input (need 8 bits, 6 left)"},
		},
		{
			name: "empty input",
			in:   nil,
			ops:  []op{{kind: "bool"}},
			want: result{Values: []int64{0}, Err: "uper: bit 0: truncated input (need 1 bits, 0 left)"},
		},
		{
			name: "skip",
			in:   []byte{0x0f},
			ops:  []op{{kind: "skip", n: 4}, bits(4), {kind: "skip", n: 1}},
			want: result{Values: []int64{0, 15, 0}, Offset: 8, Err: "uper: bit 8: truncated input (need 1 bits, 0 left)"},
		},
		{
			name: "width above 64 is invalid",
			in:   make([]byte, 16),
			ops:  []op{bits(65)},
			want: result{Values: []int64{0}, Remaining: 128, Err: "uper: bit 0: invalid argument (width 65)"},
		},
		{
			name: "inverted constraint is invalid",
			in:   []byte{0},
			ops:  []op{{kind: "constrained", lo: 3, hi: 1}},
			want: result{Values: []int64{0}, Remaining: 8, Err: "uper: bit 0: invalid argument (constraint 3..1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want.Extended == nil {
				tt.want.Extended = make([]bool, len(tt.ops))
			}
			got := run(tt.in, tt.ops)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reads of % x (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestErrorsIs(t *testing.T) {
	r := uper.NewReader([]byte{0x00})
	r.Bits(9)
	err := r.Err()
	if !errors.Is(err, uper.ErrTruncated) {
		t.Fatalf("errors.Is(%v, ErrTruncated) = false", err)
	}
	var ue *uper.Error
	if !errors.As(err, &ue) || ue.Bit != 0 {
		t.Fatalf("errors.As(%v) = %+v, want *Error at bit 0", err, ue)
	}
}

func TestOctets(t *testing.T) {
	r := uper.NewReader([]byte{0x81, 0x02, 0x03, 0x80})
	r.Bits(1)
	got := make([]byte, 3)
	r.Octets(got)
	if diff := cmp.Diff([]byte{0x02, 0x04, 0x07}, got); diff != "" {
		t.Errorf("Octets (-want +got):\n%s", diff)
	}
	r.Octets(got)
	if !errors.Is(r.Err(), uper.ErrTruncated) {
		t.Errorf("Octets past the end: err = %v, want ErrTruncated", r.Err())
	}
	if diff := cmp.Diff([]byte{0, 0, 0}, got); diff != "" {
		t.Errorf("Octets after failure should zero dst (-want +got):\n%s", diff)
	}
}

func TestWriter(t *testing.T) {
	tests := []struct {
		name    string
		write   func(w *uper.Writer)
		want    []byte
		wantLen int
		wantErr string
	}{
		{
			name:    "empty is one zero octet",
			write:   func(w *uper.Writer) {},
			want:    []byte{0},
			wantLen: 0,
		},
		{
			name:    "pads with zero bits",
			write:   func(w *uper.Writer) { w.Bits(0b101, 3) },
			want:    []byte{0b1010_0000},
			wantLen: 3,
		},
		{
			name: "constrained, choice, bool",
			write: func(w *uper.Writer) {
				w.Choice(0, 2, false)          // 0
				w.Choice(4, 16, false)         // 0100
				w.Constrained(2, 0, 3)         // 10
				w.Bool(false)                  // 0
				w.Enumerated(2, 8, true)       // 0 010
				w.Constrained(-270, -270, 270) // 10 zero bits
			},
			want:    []byte{0b0_0100_10_0, 0b0_010_0000, 0b000000_00},
			wantLen: 22,
		},
		{
			name: "length and octet string",
			write: func(w *uper.Writer) {
				w.Bits(1, 1)
				w.OctetString([]byte{0xff})
				w.Length(300)
			},
			want:    []byte{0b1_0000000, 0b1_1111111, 0b1_1000000, 0b1_0010110, 0b0_0000000},
			wantLen: 33,
		},
		{
			name: "64 bits",
			write: func(w *uper.Writer) {
				w.Bits(1, 4)
				w.Bits(0xfedcba9876543210, 64)
			},
			want:    []byte{0x1f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21, 0x00},
			wantLen: 68,
		},
		{
			name: "value wider than width",
			write: func(w *uper.Writer) {
				w.Bits(1, 2)
				w.Bits(4, 2)
				w.Bits(1, 2)
			},
			want:    []byte{0b01_000000},
			wantLen: 2,
			wantErr: "uper: bit 2: value out of range (value does not fit 2 bits)",
		},
		{
			name:    "constrained out of range",
			write:   func(w *uper.Writer) { w.Constrained(17, 1, 16) },
			want:    []byte{0},
			wantErr: "uper: bit 0: value out of range (17 not in 1..16)",
		},
		{
			name:    "fragmented length unsupported",
			write:   func(w *uper.Writer) { w.Length(16384) },
			want:    []byte{0},
			wantErr: "uper: bit 0: unsupported encoding (fragmented length 16384)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w uper.Writer
			tt.write(&w)
			if diff := cmp.Diff(tt.want, w.Bytes()); diff != "" {
				t.Errorf("Bytes (-want +got):\n%s", diff)
			}
			if w.Len() != tt.wantLen {
				t.Errorf("Len = %d, want %d", w.Len(), tt.wantLen)
			}
			var gotErr string
			if err := w.Err(); err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("Err = %q, want %q", gotErr, tt.wantErr)
			}
		})
	}
}

func TestReaderBitsAllocs(t *testing.T) {
	buf := make([]byte, 64)
	for i := range buf {
		buf[i] = byte(i * 37)
	}
	var r uper.Reader
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(buf)
		for r.Remaining() >= 13 {
			r.Bits(13)
			r.Constrained(0, 7)
			r.Bool()
		}
	})
	if allocs != 0 {
		t.Errorf("Reader.Bits allocates %v times per run, want 0", allocs)
	}
}

// FuzzReader checks two properties. Writing a sequence of values of the
// widths the input spells and reading them back gives the same values and
// offsets. Reading the raw input with those widths never panics and keeps
// Offset+Remaining equal to the input size.
func FuzzReader(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00})
	f.Add([]byte{0x0d, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x03, 0x07})
	f.Add([]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Round trip: each 9-octet group is a width (0..64) and a value.
		type item struct {
			width int
			value uint64
		}
		var items []item
		var w uper.Writer
		for g := data; len(g) >= 9; g = g[9:] {
			width := int(g[0]) % 65
			v := binary.BigEndian.Uint64(g[1:9])
			if width < 64 {
				v &= 1<<width - 1
			}
			items = append(items, item{width, v})
			w.Bits(v, width)
		}
		if err := w.Err(); err != nil {
			t.Fatalf("writer: %v", err)
		}
		r := uper.NewReader(w.Bytes())
		off := 0
		for i, it := range items {
			if got := r.Bits(it.width); got != it.value {
				t.Fatalf("item %d: Bits(%d) = %#x, want %#x", i, it.width, got, it.value)
			}
			off += it.width
			if r.Offset() != off {
				t.Fatalf("item %d: Offset = %d, want %d", i, r.Offset(), off)
			}
		}
		if err := r.Err(); err != nil {
			t.Fatalf("reader: %v", err)
		}
		if pad := r.Remaining(); pad < 0 || pad > 7 && w.Len() > 0 {
			t.Fatalf("Remaining after all items = %d, want padding 0..7", pad)
		}

		// Arbitrary input: the widths are the input's own octets.
		r = uper.NewReader(data)
		for i, c := range data {
			switch c % 5 {
			case 0:
				r.Bits(int(c) % 66)
			case 1:
				r.Constrained(int64(int8(c)), int64(c)*int64(i+1))
			case 2:
				r.Choice(int(c)%20, c&1 == 1)
			case 3:
				r.Length()
			case 4:
				r.NormallySmall()
			}
			if r.Offset()+r.Remaining() != 8*len(data) {
				t.Fatalf("Offset %d + Remaining %d != %d bits", r.Offset(), r.Remaining(), 8*len(data))
			}
		}
	})
}

func BenchmarkReaderBits(b *testing.B) {
	buf := make([]byte, 1500)
	for i := range buf {
		buf[i] = byte(i)
	}
	var r uper.Reader
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(buf)
		for r.Remaining() >= 11 {
			r.Bits(11)
		}
	}
}

func BenchmarkWriterBits(b *testing.B) {
	var w uper.Writer
	b.ReportAllocs()
	for b.Loop() {
		w = uper.Writer{}
		for i := range 1000 {
			w.Bits(uint64(i)&0x7ff, 11)
		}
	}
}
