package mac_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
)

func TestParseFraming(t *testing.T) {
	pdu := []byte{0x34, 1, 2, 3, 4, 5, 6, 0x3f}
	all := [][]byte{mactest.TagRNTI(0x4601), mactest.TagUEID(0x0400), mactest.TagHARQID(3),
		mactest.TagPHRType2OtherCell(1), mactest.TagFrameSubframe(0x1a24), mactest.TagFrameSlot(448, 7)}
	tests := []struct {
		name   string
		in     []byte
		prefix bool
		want   mac.Context
		pdu    []byte
		err    string
		is     error
	}{
		{"srsRAN uplink, every tag", mactest.MACNR(true, mactest.FDD, mactest.Uplink, mactest.RNTIC, all, pdu), true,
			mac.Context{RadioType: 1, Direction: 0, RNTIType: 3, RNTI: 0x4601, UEID: 0x400, HasRNTI: true, HasUEID: true,
				HARQID: 3, HasHARQID: true, PHRType2OtherCell: 1, HasPHRType2OtherCell: true,
				FrameSubframe: 0x1a24, HasFrameSubframe: true, SFN: 448, Slot: 7, HasFrameSlot: true, Uplink: true}, pdu, "", nil},
		{"OAI downlink", mactest.MACNR(true, mactest.TDD, mactest.Downlink, mactest.RNTIC,
			[][]byte{mactest.TagRNTI(0x93d7), mactest.TagUEID(0x93d7), mactest.TagFrameSlot(449, 1)}, pdu), true,
			mac.Context{RadioType: 2, Direction: 1, RNTIType: 3, RNTI: 0x93d7, UEID: 0x93d7, HasRNTI: true, HasUEID: true,
				SFN: 449, Slot: 1, HasFrameSlot: true}, pdu, "", nil},
		{"mac-nr-framed (no prefix), no tags", mactest.MACNR(false, mactest.FDD, mactest.Downlink, mactest.RNTISI, nil, pdu), false,
			mac.Context{RadioType: 1, Direction: 1, RNTIType: 4}, pdu, "", nil},
		{"empty payload", mactest.MACNR(true, mactest.FDD, mactest.Downlink, mactest.RNTIC, nil, nil), true,
			mac.Context{RadioType: 1, Direction: 1, RNTIType: 3}, []byte{}, "", nil},
		{"no prefix", mactest.MACNR(false, 1, 1, 3, nil, pdu), true, mac.Context{}, nil,
			`mac: byte 0: framing: no "mac-nr" prefix`, mac.ErrNoPrefix},
		{"short", []byte("mac-nr\x01\x01"), true, mac.Context{}, nil,
			"mac: byte 8: framing: radioType, direction, rntiType: truncated", mac.ErrTruncated},
		{"bad direction", []byte("mac-nr\x01\x02\x03\x01"), true, mac.Context{}, nil,
			"mac: byte 7: framing: direction: unknown direction 2", nil},
		{"bad rnti type", []byte("mac-nr\x01\x01\x07\x01"), true, mac.Context{}, nil,
			"mac: byte 8: framing: rntiType: unknown rnti type 7", nil},
		{"unknown tag", []byte("mac-nr\x01\x01\x03\x08\x00\x01"), true, mac.Context{}, nil,
			"mac: byte 9: framing: unknown tag 0x08", mac.ErrUnknownTag},
		{"truncated rnti", []byte("mac-nr\x01\x01\x03\x02\x46"), true, mac.Context{}, nil,
			"mac: byte 10: framing: rnti: truncated", mac.ErrTruncated},
		{"truncated frame/slot", []byte("mac-nr\x01\x01\x03\x07\x00\x01\x00"), true, mac.Context{}, nil,
			"mac: byte 10: framing: frame/slot: truncated", mac.ErrTruncated},
		{"no payload tag", []byte("mac-nr\x01\x01\x03\x06\x00"), true, mac.Context{}, nil,
			"mac: byte 11: framing: no payload tag", mac.ErrNoPayload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, p, err := mac.ParseFraming(tc.in, tc.prefix)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("%v is not %v", err, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c); diff != "" {
				t.Errorf("context (-want +got):\n%s", diff)
			}
			if !bytes.Equal(p, tc.pdu) {
				t.Errorf("pdu %x, want %x", p, tc.pdu)
			}
		})
	}
}

func TestContextUE(t *testing.T) {
	for _, tc := range []struct {
		c    mac.Context
		want uint16
	}{
		{mac.Context{RNTI: 0x4601, HasRNTI: true, UEID: 1, HasUEID: true}, 0x4601},
		{mac.Context{UEID: 13556, HasUEID: true}, 13556},
		{mac.Context{}, 0},
	} {
		if got := tc.c.UE(); got != tc.want {
			t.Errorf("%+v: UE() = %#x, want %#x", tc.c, got, tc.want)
		}
	}
}
