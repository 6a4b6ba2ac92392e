// Package capturetest builds capture files in memory for tests: classic pcap
// in both byte orders with micro- or nanosecond timestamps, pcapng with one
// interface per link type, gzip wrapping, and the payloads of link type 252
// (Wireshark exported PDUs).
//
// It exists so that every test on a fresh checkout has the captures it needs
// without copying anyone else's files. It imports nothing from the project.
package capturetest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"time"
)

// Link types used by the tests.
const (
	LinkTypeEthernet    = 1
	LinkTypeRawIPv4     = 228
	LinkTypeExportedPDU = 252
)

// Format selects the container written by File.Bytes.
type Format int

const (
	Pcap     Format = iota // classic pcap, microsecond timestamps
	PcapNano               // classic pcap, nanosecond timestamps
	Pcapng                 // pcapng, one interface per distinct link type
)

// Packet is one record of a capture.
type Packet struct {
	Time     time.Time
	LinkType uint32 // pcapng: the interface's link type; pcap: ignored (File.LinkType is used)
	Data     []byte
	OrigLen  int // original length when larger than len(Data); 0 means len(Data)
}

// File describes a capture to build.
type File struct {
	Format    Format
	BigEndian bool
	LinkType  uint32 // classic pcap only
	Snaplen   uint32 // 0 means 262144
	Packets   []Packet
}

func (f File) order() binary.ByteOrder {
	if f.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// Bytes encodes the file.
func (f File) Bytes() []byte {
	if f.Format == Pcapng {
		return f.pcapng()
	}
	return f.pcap()
}

func (f File) snaplen() uint32 {
	if f.Snaplen == 0 {
		return 262144
	}
	return f.Snaplen
}

func (f File) pcap() []byte {
	o := f.order()
	var b bytes.Buffer
	h := make([]byte, 24)
	magic := uint32(0xa1b2c3d4)
	if f.Format == PcapNano {
		magic = 0xa1b23c4d
	}
	o.PutUint32(h[0:], magic)
	o.PutUint16(h[4:], 2)
	o.PutUint16(h[6:], 4)
	o.PutUint32(h[16:], f.snaplen())
	o.PutUint32(h[20:], f.LinkType)
	b.Write(h)
	for _, p := range f.Packets {
		r := make([]byte, 16)
		sub := uint32(p.Time.Nanosecond() / 1000)
		if f.Format == PcapNano {
			sub = uint32(p.Time.Nanosecond())
		}
		o.PutUint32(r[0:], uint32(p.Time.Unix()))
		o.PutUint32(r[4:], sub)
		o.PutUint32(r[8:], uint32(len(p.Data)))
		o.PutUint32(r[12:], uint32(max(p.OrigLen, len(p.Data))))
		b.Write(r)
		b.Write(p.Data)
	}
	return b.Bytes()
}

func (f File) pcapng() []byte {
	o := f.order()
	var b bytes.Buffer
	block := func(typ uint32, body []byte) {
		pad := (4 - len(body)%4) % 4
		total := uint32(12 + len(body) + pad)
		hdr := make([]byte, 8)
		o.PutUint32(hdr[0:], typ)
		o.PutUint32(hdr[4:], total)
		b.Write(hdr)
		b.Write(body)
		b.Write(make([]byte, pad))
		tail := make([]byte, 4)
		o.PutUint32(tail, total)
		b.Write(tail)
	}
	shb := make([]byte, 16)
	o.PutUint32(shb[0:], 0x1a2b3c4d)
	o.PutUint16(shb[4:], 1)
	o.PutUint16(shb[6:], 0)
	o.PutUint64(shb[8:], ^uint64(0)) // section length unknown
	block(0x0a0d0d0a, shb)

	ifaces := map[uint32]uint32{}
	for _, p := range f.Packets {
		if _, ok := ifaces[p.LinkType]; ok {
			continue
		}
		ifaces[p.LinkType] = uint32(len(ifaces))
		idb := make([]byte, 8)
		o.PutUint16(idb[0:], uint16(p.LinkType))
		o.PutUint32(idb[4:], f.snaplen())
		block(0x00000001, idb) // default resolution: microseconds
	}
	for _, p := range f.Packets {
		body := make([]byte, 20, 20+len(p.Data))
		ts := uint64(p.Time.UnixMicro())
		o.PutUint32(body[0:], ifaces[p.LinkType])
		o.PutUint32(body[4:], uint32(ts>>32))
		o.PutUint32(body[8:], uint32(ts))
		o.PutUint32(body[12:], uint32(len(p.Data)))
		o.PutUint32(body[16:], uint32(max(p.OrigLen, len(p.Data))))
		body = append(body, p.Data...)
		block(0x00000006, body)
	}
	return b.Bytes()
}

// Gzip compresses b.
func Gzip(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// Exported-PDU tags (Wireshark epan/exported_pdu.h).
const (
	TagEnd           = 0
	TagDissectorName = 12
	TagOrigFrameNum  = 30
)

// ExportedPDU returns the payload of a link type 252 record that hands pdu to
// the named dissector, with the name written as Wireshark writes it.
func ExportedPDU(dissector string, pdu []byte) []byte {
	return exportedPDU([]byte(dissector), pdu)
}

// ExportedPDUPadded writes the dissector name as a NUL-terminated string
// padded to a multiple of four bytes, the padding counted in the tag length,
// as srsRAN does (so a name whose length is a multiple of four gets four
// NULs).
func ExportedPDUPadded(dissector string, pdu []byte) []byte {
	name := []byte(dissector)
	name = append(name, make([]byte, 4-len(name)%4)...)
	return exportedPDU(name, pdu)
}

func exportedPDU(name, pdu []byte) []byte {
	b := make([]byte, 0, 8+len(name)+len(pdu))
	b = binary.BigEndian.AppendUint16(b, TagDissectorName)
	b = binary.BigEndian.AppendUint16(b, uint16(len(name)))
	b = append(b, name...)
	b = binary.BigEndian.AppendUint16(b, TagEnd)
	b = binary.BigEndian.AppendUint16(b, 0)
	return append(b, pdu...)
}

// ExportedPDUTags builds a link type 252 payload from arbitrary tags (in
// order) and the PDU; the end-of-options tag is added.
func ExportedPDUTags(tags []Tag, pdu []byte) []byte {
	var b []byte
	for _, t := range tags {
		b = binary.BigEndian.AppendUint16(b, t.Type)
		b = binary.BigEndian.AppendUint16(b, uint16(len(t.Value)))
		b = append(b, t.Value...)
	}
	b = binary.BigEndian.AppendUint16(b, TagEnd)
	b = binary.BigEndian.AppendUint16(b, 0)
	return append(b, pdu...)
}

// Tag is one exported-PDU TLV.
type Tag struct {
	Type  uint16
	Value []byte
}
