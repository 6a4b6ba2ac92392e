package capture

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/pcapgo"
)

// Options bound the work done on one file. Zero (or negative) fields take the
// defaults.
type Options struct {
	MaxPackets   int   // 0 = default 20_000_000; more packets is an error
	MaxExpanded  int64 // 0 = default 4 GiB: cap on bytes read after gzip decompression; beyond it an error
	MaxPacketLen int   // 0 = default 262144 (Wireshark's standard maximum); a larger captured length is an error naming the packet
}

// Defaults for Options.
const (
	DefaultMaxPackets   = 20_000_000
	DefaultMaxExpanded  = 4 << 30
	DefaultMaxPacketLen = 262144
)

func (o Options) withDefaults() Options {
	if o.MaxPackets <= 0 {
		o.MaxPackets = DefaultMaxPackets
	}
	if o.MaxExpanded <= 0 {
		o.MaxExpanded = DefaultMaxExpanded
	}
	if o.MaxPacketLen <= 0 {
		o.MaxPacketLen = DefaultMaxPacketLen
	}
	return o
}

// Packet is one packet record of the file.
type Packet struct {
	Frame    int       // 1-based, as Wireshark numbers it (counts every packet record)
	Time     time.Time // UTC; the zero Time for a pcapng Simple Packet Block, which has none
	LinkType uint32
	Iface    int    // pcapng interface index within its section; 0 for pcap
	Data     []byte // owned by the caller (not reused)
	OrigLen  int    // length on the wire as the file states it (malformed files may state less than len(Data))
}

// ErrNotCapture is wrapped by the error for input that is neither pcap nor
// pcapng (after gzip decompression, if the input was gzip).
var ErrNotCapture = errors.New("capture: not a pcap or pcapng file")

// ErrLimit is wrapped by the errors for input beyond one of the Options limits
// (packet count, packet length, decompressed size) or beyond the fixed limits
// on pcapng block sizes and interfaces per section.
var ErrLimit = errors.New("capture: limit exceeded")

// limitError is an error that matches ErrLimit without repeating its text.
type limitError struct{ msg string }

func (e *limitError) Error() string        { return e.msg }
func (e *limitError) Is(target error) bool { return target == ErrLimit }

func limitf(format string, args ...any) error {
	return &limitError{msg: fmt.Sprintf(format, args...)}
}

// TruncatedError reports input that stops in the middle of a record: the
// upload or the gzip stream was cut short. The packets before it are intact.
// It matches io.ErrUnexpectedEOF with errors.Is.
type TruncatedError struct {
	// Frame is the number of the record being read when the data ran out:
	// the packet the file ends inside, or the one that would have come next.
	Frame int
	// Inside says what the data ends inside: "packet" (header or data of
	// packet Frame), a structure such as "pcap file header", "gzip header",
	// "block header" or "interface description block", or "" when the data
	// ends between two records but the stream itself (gzip, HTTP body) says
	// it was cut short.
	Inside string
}

func (e *TruncatedError) Error() string {
	after := fmt.Sprintf("after packet %d", e.Frame-1)
	if e.Frame <= 1 {
		after = "before the first packet"
	}
	switch e.Inside {
	case insidePacket:
		return fmt.Sprintf("capture: file ends inside packet %d", e.Frame)
	case "":
		return "capture: file is cut short " + after
	}
	return fmt.Sprintf("capture: file ends inside the %s %s", e.Inside, after)
}

func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

const insidePacket = "packet"

// Reader reads packets from a capture file. It is not safe for concurrent use.
type Reader struct {
	f      *framer
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	format string
	gz     bool
	err    error // sticky: once set, Next returns it
}

// NewReader sniffs the input (gzip 1f 8b, then pcap a1b2c3d4 / a1b23c4d in
// either byte order, or pcapng 0a0d0d0a) and reads the file header.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	raw := bufio.NewReaderSize(inputReader{r}, 64<<10)
	src, gz := raw, false
	head, err := raw.Peek(4)
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, gzipOpenError(err)
		}
		src, gz = bufio.NewReaderSize(gzipReader{zr}, 64<<10), true
		head, err = src.Peek(4)
		if err != nil && !isEOF(err) {
			return nil, err
		}
		if len(head) < 4 && errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &TruncatedError{Frame: 1}
		}
	} else if err != nil && !isEOF(err) {
		return nil, err
	}

	rd := &Reader{gz: gz}
	switch sniff(head) {
	case "pcap":
		rd.format = "pcap"
		rd.f = newFramer(src, opts, false, gz)
		if err := rd.guard(func() (err error) {
			rd.pcap, err = pcapgo.NewReader(rd.f)
			return err
		}); err != nil {
			return nil, err
		}
		// The framer has checked every captured length against MaxPacketLen;
		// pcapgo's own check against the header's snap length (which
		// Wireshark ignores) must not reject packets the framer accepted.
		rd.pcap.SetSnaplen(uint32(min(int64(opts.MaxPacketLen), math.MaxUint32)))
	case "pcapng":
		rd.format = "pcapng"
		rd.f = newFramer(src, opts, true, gz)
		if err := rd.guard(func() (err error) {
			rd.ng, err = pcapgo.NewNgReader(rd.f, pcapgo.NgReaderOptions{WantMixedLinkType: true})
			return err
		}); err != nil {
			return nil, err
		}
	case "pcap-modified":
		return nil, fmt.Errorf("%w (first bytes %s: the modified pcap format, not supported)", ErrNotCapture, hexBytes(head))
	default:
		return nil, notCapture(head, gz)
	}
	return rd, nil
}

// sniff names the container whose magic number head starts with.
func sniff(head []byte) string {
	if len(head) < 4 {
		return ""
	}
	switch string(head[:4]) {
	case "\xd4\xc3\xb2\xa1", "\xa1\xb2\xc3\xd4", "\x4d\x3c\xb2\xa1", "\xa1\xb2\x3c\x4d":
		return "pcap"
	case "\x0a\x0d\x0d\x0a":
		return "pcapng"
	case "\x34\xcd\xb2\xa1", "\xa1\xb2\xcd\x34":
		return "pcap-modified"
	}
	return ""
}

func notCapture(head []byte, gz bool) error {
	switch {
	case len(head) == 0 && gz:
		return fmt.Errorf("%w (empty after gzip decompression)", ErrNotCapture)
	case len(head) == 0:
		return fmt.Errorf("%w (empty file)", ErrNotCapture)
	case gz:
		return fmt.Errorf("%w (gzip-compressed; first bytes %s)", ErrNotCapture, hexBytes(head))
	}
	return fmt.Errorf("%w (first bytes %s)", ErrNotCapture, hexBytes(head))
}

func hexBytes(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}

// Next returns the next packet, or io.EOF at the clean end of the file. After
// any other error the file cannot be read further and Next keeps returning
// that error.
func (r *Reader) Next() (Packet, error) {
	if r.err != nil {
		return Packet{}, r.err
	}
	var (
		data []byte
		ci   gopacket.CaptureInfo
	)
	if err := r.guard(func() (err error) {
		if r.ng != nil {
			data, ci, err = r.ng.ReadPacketData()
		} else {
			data, ci, err = r.pcap.ReadPacketData()
		}
		return err
	}); err != nil {
		r.err = err
		return Packet{}, err
	}
	m := r.f.cur
	if len(data) != m.capLen || ci.CaptureLength != m.capLen || ci.InterfaceIndex != m.iface {
		// The framer validated this record and pcapgo read something else:
		// a bug here, not in the file. Stop rather than mislabel packets.
		r.err = fmt.Errorf("capture: %s: packet %d: internal error: decoder out of step (%d bytes, want %d)",
			r.format, m.frame, len(data), m.capLen)
		return Packet{}, r.err
	}
	return Packet{
		Frame:    m.frame,
		Time:     m.time,
		LinkType: m.linkType,
		Iface:    m.iface,
		Data:     data,
		OrigLen:  m.origLen,
	}, nil
}

// guard runs a pcapgo call. It prefers the framer's precise error to whatever
// pcapgo made of it, and turns a pcapgo panic into an error naming the packet.
func (r *Reader) guard(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("capture: %s: packet %d: internal error: %v", r.format, r.f.frame, p)
		}
	}()
	err = call()
	if err == nil {
		return nil
	}
	if r.f.err != nil {
		// Both io.EOF at a clean end and every validation error land here.
		return r.f.err
	}
	// pcapgo refused bytes the framer accepted: a gap in the framer.
	return fmt.Errorf("capture: %s: packet %d: internal error: pcapgo: %w", r.format, r.f.frame, err)
}

// Format returns "pcap" or "pcapng".
func (r *Reader) Format() string { return r.format }

// Compressed reports whether the input was gzip-compressed.
func (r *Reader) Compressed() bool { return r.gz }

// LinkTypes returns the link types seen so far, sorted and unique: for pcap
// the file header's; for pcapng those of every interface description block
// read so far (whether or not packets used it).
func (r *Reader) LinkTypes() []uint32 { return slices.Clone(r.f.linkTypes) }

// inputReader labels errors of the caller's reader so that later layers pass
// them on unchanged.
type inputReader struct{ r io.Reader }

func (in inputReader) Read(p []byte) (int, error) {
	n, err := in.r.Read(p)
	if err != nil && !isEOF(err) {
		err = &readError{err}
	}
	return n, err
}

type readError struct{ err error }

func (e *readError) Error() string { return "capture: read: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// gzipReader labels decompression errors.
type gzipReader struct{ z *gzip.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	if err != nil && !isEOF(err) {
		var re *readError
		if !errors.As(err, &re) {
			err = gzipError(err)
		}
	}
	return n, err
}

func gzipOpenError(err error) error {
	var re *readError
	switch {
	case isEOF(err):
		return &TruncatedError{Frame: 1, Inside: "gzip header"}
	case errors.As(err, &re):
		return err
	}
	return gzipError(err)
}

// gzipError prefixes a compress/gzip or compress/flate error, whose own text
// may already start with "gzip: ".
func gzipError(err error) error {
	if strings.HasPrefix(err.Error(), "gzip: ") {
		return fmt.Errorf("capture: %w", err)
	}
	return fmt.Errorf("capture: gzip: %w", err)
}

// isEOF reports the ends of input: io.EOF, and io.ErrUnexpectedEOF, which
// gzip (and net/http) return when their stream is cut short.
func isEOF(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }
