package pdcp_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/pdcp"
)

func TestParseSRB(t *testing.T) {
	rrcPDU := []byte{0x22, 0x80, 0x00}
	maci := []byte{0xde, 0xad, 0xbe, 0xef}
	tests := []struct {
		name string
		in   []byte
		want pdcp.SRBPDU
		err  string
		is   error
	}{
		{"sn 6", mactest.PDCPSRB(6, rrcPDU, nil), pdcp.SRBPDU{SN: 6, Payload: rrcPDU, MACI: make([]byte, 4)}, "", nil},
		{"sn 4095 with mac-i", mactest.PDCPSRB(4095, rrcPDU, maci), pdcp.SRBPDU{SN: 4095, Payload: rrcPDU, MACI: maci}, "", nil},
		{"one byte payload", mactest.PDCPSRB(1, []byte{0x10}, nil), pdcp.SRBPDU{SN: 1, Payload: []byte{0x10}, MACI: make([]byte, 4)}, "", nil},
		{"empty", nil, pdcp.SRBPDU{}, "pdcp: byte 0: header: truncated", pdcp.ErrTruncated},
		{"header only", []byte{0, 1}, pdcp.SRBPDU{}, "pdcp: byte 2: payload and mac-i: truncated: 2 bytes, need at least 7", nil},
		{"no payload", mactest.PDCPSRB(1, nil, nil), pdcp.SRBPDU{}, "pdcp: byte 6: payload and mac-i: truncated: 6 bytes, need at least 7", nil},
		{"reserved bits (drb data pdu)", []byte{0x80, 0x01, 1, 0, 0, 0, 0}, pdcp.SRBPDU{}, "pdcp: byte 0: header: reserved bits set: not an srb data pdu", pdcp.ErrReserved},
		{"control pdu form", []byte{0x00 | 0x10, 0x00, 1, 0, 0, 0, 0}, pdcp.SRBPDU{}, "pdcp: byte 0: header: reserved bits set: not an srb data pdu", pdcp.ErrReserved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pdcp.ParseSRB(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("error %v is not %v", err, tc.is)
				}
				if diff := cmp.Diff(pdcp.SRBPDU{}, got); diff != "" {
					t.Errorf("result on error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSRBAllocs(t *testing.T) {
	b := mactest.PDCPSRB(9, []byte{1, 2, 3, 4, 5}, nil)
	if n := testing.AllocsPerRun(100, func() { pdcp.ParseSRB(b) }); n != 0 {
		t.Errorf("ParseSRB allocates %v times, want 0", n)
	}
}

func BenchmarkParseSRB(b *testing.B) {
	pdu := mactest.PDCPSRB(9, make([]byte, 100), nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(pdu)))
	for b.Loop() {
		if _, err := pdcp.ParseSRB(pdu); err != nil {
			b.Fatal(err)
		}
	}
}
