package capture

import (
	"bytes"
	"encoding/binary"
)

// ngFile builds pcapng files block by block, including the options, block
// types and malformations that capturetest does not write.
type ngFile struct {
	o interface {
		binary.ByteOrder
		binary.AppendByteOrder
	}
	b bytes.Buffer
}

func newNG(bigEndian bool) *ngFile {
	if bigEndian {
		return &ngFile{o: binary.BigEndian}
	}
	return &ngFile{o: binary.LittleEndian}
}

func (n *ngFile) bytes() []byte { return bytes.Clone(n.b.Bytes()) }

// block writes a well-framed block of any type; body is padded to 4 bytes.
func (n *ngFile) block(typ uint32, body []byte) *ngFile {
	pad := (4 - len(body)%4) % 4
	total := uint32(12 + len(body) + pad)
	n.b.Write(n.o.AppendUint32(n.o.AppendUint32(nil, typ), total))
	n.b.Write(body)
	n.b.Write(make([]byte, pad))
	n.b.Write(n.o.AppendUint32(nil, total))
	return n
}

// raw writes bytes as they are (for malformed blocks).
func (n *ngFile) raw(b []byte) *ngFile { n.b.Write(b); return n }

// u32s encodes words in the file's byte order.
func (n *ngFile) u32s(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = n.o.AppendUint32(b, x)
	}
	return b
}

// opt encodes one option (padded); end appends opt_endofopt.
func (n *ngFile) opt(code uint16, val []byte) []byte {
	b := n.o.AppendUint16(nil, code)
	b = n.o.AppendUint16(b, uint16(len(val)))
	b = append(b, val...)
	return append(b, make([]byte, (4-len(val)%4)%4)...)
}

func (n *ngFile) end() []byte { return make([]byte, 4) }

func (n *ngFile) shbVersion(major, minor uint16, opts ...[]byte) *ngFile {
	body := n.o.AppendUint32(nil, 0x1a2b3c4d)
	body = n.o.AppendUint16(body, major)
	body = n.o.AppendUint16(body, minor)
	body = n.o.AppendUint64(body, ^uint64(0))
	return n.block(blockSHB, append(body, bytes.Join(opts, nil)...))
}

func (n *ngFile) shb(opts ...[]byte) *ngFile { return n.shbVersion(1, 0, opts...) }

func (n *ngFile) idb(linkType uint16, snaplen uint32, opts ...[]byte) *ngFile {
	body := n.o.AppendUint16(nil, linkType)
	body = n.o.AppendUint16(body, 0)
	body = n.o.AppendUint32(body, snaplen)
	return n.block(blockIDB, append(body, bytes.Join(opts, nil)...))
}

func (n *ngFile) epb(iface uint32, ts uint64, data []byte, origLen uint32, opts ...[]byte) *ngFile {
	body := n.u32s(iface, uint32(ts>>32), uint32(ts), uint32(len(data)), max(origLen, uint32(len(data))))
	body = append(body, data...)
	body = append(body, make([]byte, (4-len(data)%4)%4)...)
	return n.block(blockEPB, append(body, bytes.Join(opts, nil)...))
}

// pb writes an obsolete Packet Block.
func (n *ngFile) pb(iface uint16, ts uint64, data []byte) *ngFile {
	body := n.o.AppendUint16(nil, iface)
	body = n.o.AppendUint16(body, 0) // drops count
	body = append(body, n.u32s(uint32(ts>>32), uint32(ts), uint32(len(data)), uint32(len(data)))...)
	return n.block(blockPB, append(body, data...))
}

func (n *ngFile) spb(origLen uint32, data []byte) *ngFile {
	return n.block(blockSPB, append(n.u32s(origLen), data...))
}

func (n *ngFile) isb(iface uint32, opts ...[]byte) *ngFile {
	return n.block(blockISB, append(n.u32s(iface, 0, 0), bytes.Join(opts, nil)...))
}

// hand writes a block whose leading and trailing lengths are given, with
// body as is (no padding): for hostile lengths.
func (n *ngFile) hand(typ, lead uint32, body []byte, trail uint32) *ngFile {
	n.b.Write(n.u32s(typ, lead))
	n.b.Write(body)
	n.b.Write(n.u32s(trail))
	return n
}
