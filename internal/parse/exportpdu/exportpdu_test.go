package exportpdu

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nrladder/nrladder/internal/capturetest"
)

func TestParse(t *testing.T) {
	pdu := []byte{0x34, 0x00}
	tests := []struct {
		name    string
		in      []byte
		want    Header
		wantPDU []byte
	}{
		{
			name:    "plain name",
			in:      capturetest.ExportedPDU("nr-rrc.ul.dcch", pdu),
			want:    Header{Dissector: "nr-rrc.ul.dcch", PDUOffset: 22},
			wantPDU: pdu,
		},
		{
			name:    "NUL padded name (srsRAN)",
			in:      capturetest.ExportedPDUPadded("nr-rrc.ul.dcch", pdu),
			want:    Header{Dissector: "nr-rrc.ul.dcch", PDUOffset: 24},
			wantPDU: pdu,
		},
		{
			name: "other tags before and after",
			in: capturetest.ExportedPDUTags([]capturetest.Tag{
				{Type: TagColInfo, Value: []byte("hello")},
				{Type: TagDissectorName, Value: []byte("nr-rrc.dl.ccch\x00\x00")},
				{Type: TagOrigFrameNum, Value: []byte{0, 0, 1, 2}},
				{Type: TagP2PDirection, Value: []byte{0, 0, 0, 1}},
			}, pdu),
			want:    Header{Dissector: "nr-rrc.dl.ccch", OrigFrame: 258, HasDirection: true, Direction: 1, PDUOffset: 49},
			wantPDU: pdu,
		},
		{
			name:    "empty pdu",
			in:      capturetest.ExportedPDU("ngap", nil),
			want:    Header{Dissector: "ngap", PDUOffset: 12},
			wantPDU: []byte{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, h); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPDU, got); diff != "" {
				t.Errorf("pdu (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	full := capturetest.ExportedPDU("nr-rrc.ul.dcch", []byte{0x34})
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "exportpdu: byte 0: truncated input: option header needs 4 bytes, 0 left"},
		{"cut inside name", full[:10], "exportpdu: byte 0: truncated input: tag 12 length 14, 6 bytes left"},
		{"no end tag", full[:18], "exportpdu: byte 18: truncated input: option header needs 4 bytes, 0 left"},
		{"end tag with length past the end", []byte{0, 0, 0, 9, 1}, "exportpdu: byte 4: truncated input: end-of-options length 9, 1 bytes left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse(tt.in)
			if err == nil {
				t.Fatal("Parse: no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			if !errors.Is(err, ErrTruncated) {
				t.Errorf("error %v does not wrap ErrTruncated", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(capturetest.ExportedPDU("nr-rrc.ul.dcch", []byte{0x34, 0x00}))
	f.Add(capturetest.ExportedPDUPadded("nr-rrc.dl.dcch", []byte{0x24, 0x09, 0x10}))
	f.Add([]byte{0, 12, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, pdu, err := Parse(b)
		if err != nil {
			return
		}
		if h.PDUOffset+len(pdu) != len(b) {
			t.Fatalf("pdu offset %d + len %d != input len %d", h.PDUOffset, len(pdu), len(b))
		}
	})
}

func BenchmarkParse(b *testing.B) {
	rec := capturetest.ExportedPDUPadded("nr-rrc.ul.dcch", []byte{0x34, 0x00})
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, _, err := Parse(rec); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendParses(t *testing.T) {
	rec := Append(nil, "nr-rrc.ul.dcch", []byte{0x34, 0x00})
	h, pdu, err := Parse(rec)
	if err != nil || h.Dissector != "nr-rrc.ul.dcch" || !cmp.Equal(pdu, []byte{0x34, 0x00}) {
		t.Errorf("Parse(Append(…)) = %+v, %x, %v", h, pdu, err)
	}
	if want := capturetest.ExportedPDU("nr-rrc.ul.dcch", []byte{0x34, 0x00}); !cmp.Equal(rec, want) {
		t.Errorf("Append = %x, want %x", rec, want)
	}
}
