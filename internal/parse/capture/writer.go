package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// Writer writes a pcapng file (little-endian, one section, nanosecond
// timestamps), adding an interface the first time a packet of a link type
// comes. pcapgo's writer cannot be used: its link types are 8-bit, and
// captures carry 252, 276 and others beyond.
type Writer struct {
	w      *bufio.Writer
	ifaces map[uint32]uint32 // link type → interface index
	err    error
}

// NewWriter writes the section header and returns a Writer. Close flushes.
func NewWriter(w io.Writer) *Writer {
	cw := &Writer{w: bufio.NewWriter(w), ifaces: map[uint32]uint32{}}
	shb := make([]byte, 16)
	binary.LittleEndian.PutUint32(shb[0:], 0x1a2b3c4d)
	binary.LittleEndian.PutUint16(shb[4:], 1)
	binary.LittleEndian.PutUint16(shb[6:], 0)
	binary.LittleEndian.PutUint64(shb[8:], ^uint64(0)) // section length not given
	cw.block(0x0a0d0d0a, shb, nil)
	return cw
}

// optComment is the pcapng comment option (optEnd and optTSResol are the
// framer's).
const optComment = 1

func (cw *Writer) block(typ uint32, body []byte, opts []byte) {
	if cw.err != nil {
		return
	}
	pad := (4 - len(body)%4) % 4
	total := uint32(12 + len(body) + pad + len(opts))
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:], typ)
	binary.LittleEndian.PutUint32(hdr[4:], total)
	cw.w.Write(hdr[:])
	cw.w.Write(body)
	cw.w.Write(make([]byte, pad))
	cw.w.Write(opts)
	var tail [4]byte
	binary.LittleEndian.PutUint32(tail[:], total)
	_, cw.err = cw.w.Write(tail[:])
}

// option encodes one pcapng option, padded.
func option(code uint16, value []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	b = append(b, value...)
	return append(b, make([]byte, (4-len(value)%4)%4)...)
}

// WritePacket writes one packet of the given link type, with an optional
// comment (Wireshark shows it as the packet comment).
func (cw *Writer) WritePacket(t time.Time, linkType uint32, data []byte, origLen int, comment string) error {
	if cw.err != nil {
		return cw.err
	}
	if len(data) > DefaultMaxPacketLen {
		return fmt.Errorf("capture: writing a packet of %d bytes, above the %d-byte limit", len(data), DefaultMaxPacketLen)
	}
	idx, ok := cw.ifaces[linkType]
	if !ok {
		idx = uint32(len(cw.ifaces))
		cw.ifaces[linkType] = idx
		idb := make([]byte, 8)
		binary.LittleEndian.PutUint16(idb[0:], uint16(linkType))
		binary.LittleEndian.PutUint32(idb[4:], 0) // no snap length limit
		opts := append(option(optTSResol, []byte{9}), option(optEnd, nil)...)
		cw.block(0x00000001, idb, opts)
	}
	ts := uint64(t.UnixNano())
	body := make([]byte, 20, 20+len(data))
	binary.LittleEndian.PutUint32(body[0:], idx)
	binary.LittleEndian.PutUint32(body[4:], uint32(ts>>32))
	binary.LittleEndian.PutUint32(body[8:], uint32(ts))
	binary.LittleEndian.PutUint32(body[12:], uint32(len(data)))
	binary.LittleEndian.PutUint32(body[16:], uint32(max(origLen, len(data))))
	body = append(body, data...)
	var opts []byte
	if comment != "" {
		opts = append(option(optComment, []byte(comment)), option(optEnd, nil)...)
	}
	cw.block(0x00000006, body, opts)
	return cw.err
}

// Close flushes what is buffered.
func (cw *Writer) Close() error {
	if cw.err != nil {
		return cw.err
	}
	return cw.w.Flush()
}
