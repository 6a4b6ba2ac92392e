package mac_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

var (
	ul = mac.Context{RNTIType: mac.CRNTI, Direction: mac.DirectionUplink, Uplink: true, RNTI: 0x4601, HasRNTI: true}
	dl = mac.Context{RNTIType: mac.CRNTI, Direction: mac.DirectionDownlink, RNTI: 0x4601, HasRNTI: true}
)

func body(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0xa0 + i)
	}
	return b
}

// sub is the expected form of a SubPDU; Offset is checked separately.
func sub(lcid int, name string, data []byte) mac.SubPDU {
	return mac.SubPDU{LCID: lcid, ELCID: -1, Data: data, Name: name}
}

func ce(lcid int, name string, data []byte) mac.SubPDU {
	s := sub(lcid, name, data)
	s.CE = true
	return s
}

func pad(data []byte) mac.SubPDU {
	return mac.SubPDU{LCID: 63, ELCID: -1, Data: data, Padding: true, Name: "Padding"}
}

var ignoreOffset = cmpopts.IgnoreFields(mac.SubPDU{}, "Offset")

func TestSubPDUs(t *testing.T) {
	setupReq := []byte{0x14, 0x6c, 0x66, 0xe3, 0x53, 0x68}
	resume1 := []byte{0x40, 1, 2, 3, 4, 5, 6, 7}
	srb := body(20)
	long := body(300)
	ccch := func(lcid int, name string, ch rrc.Channel, data []byte) mac.SubPDU {
		s := sub(lcid, name, data)
		s.Channel = ch
		return s
	}
	tests := []struct {
		name string
		ctx  mac.Context
		pdu  []byte
		want []mac.SubPDU
		err  string
		is   error
	}{
		{"msg3: UL-CCCH and padding", ul,
			mactest.PDU(mactest.ULCCCH(setupReq), mactest.Padding(3)),
			[]mac.SubPDU{ccch(52, "CCCH (48 bits)", rrc.ULCCCH, setupReq), pad([]byte{0, 0})}, "", nil},
		{"UL-CCCH1", ul, mactest.ULCCCH1(resume1),
			[]mac.SubPDU{ccch(0, "CCCH1 (64 bits)", rrc.ULCCCH1, resume1)}, "", nil},
		{"srsRAN uplink: SRB1, short BSR, PHR, padding", ul,
			mactest.PDU(mactest.SDU(1, srb), mactest.ShortBSR(0, 0), mactest.SingleEntryPHR(25, 41), mactest.Padding(4)),
			[]mac.SubPDU{sub(1, "SRB1", srb), ce(61, "Short BSR", []byte{0}), ce(57, "Single Entry PHR", []byte{25, 41}), pad([]byte{0, 0, 0})}, "", nil},
		{"two-octet L", ul, mactest.PDU(mactest.SDU(2, long), mactest.SDULong(4, srb)),
			[]mac.SubPDU{sub(2, "SRB2", long), sub(4, "LCID 4", srb)}, "", nil},
		{"long BSR, C-RNTI", ul, mactest.PDU(mactest.CRNTI(0x4602), mactest.LongBSR(0x81, 5, 6), mactest.SDU(3, srb)),
			[]mac.SubPDU{ce(58, "C-RNTI", []byte{0x46, 0x02}), ce(62, "Long BSR", []byte{0x81, 5, 6}), sub(3, "SRB3", srb)}, "", nil},
		{"two-octet eLCID SDU", ul, mactest.PDU(mactest.ELCID2SDU(5, srb), mactest.Padding(1)),
			[]mac.SubPDU{{LCID: 33, ELCID: 5, Data: srb, Name: "LCID 325"}, pad([]byte{})}, "", nil},
		{"msg4: contention resolution, TA, DL-CCCH", dl,
			mactest.PDU(mactest.ContentionResolution(setupReq), mactest.TimingAdvance(0, 31), mactest.DLCCCH(long), mactest.Padding(2)),
			[]mac.SubPDU{ce(62, "UE Contention Resolution Identity", setupReq), ce(61, "Timing Advance Command", []byte{31}),
				ccch(0, "CCCH", rrc.DLCCCH, long), pad([]byte{0})}, "", nil},
		{"DRX commands (no body)", dl, mactest.PDU(mactest.Fixed(60, nil), mactest.Fixed(59, nil), mactest.SDU(1, srb)),
			[]mac.SubPDU{ce(60, "DRX Command", []byte{}), ce(59, "Long DRX Command", []byte{}), sub(1, "SRB1", srb)}, "", nil},
		{"padding only", dl, mactest.Padding(5), []mac.SubPDU{pad([]byte{0, 0, 0, 0})}, "", nil},
		{"empty pdu", dl, nil, nil, "", nil},

		{"SI-RNTI: BCCH-DL-SCH", mac.Context{RNTIType: mac.SIRNTI, Direction: 1}, srb,
			[]mac.SubPDU{{LCID: -1, ELCID: -1, Data: srb, Channel: rrc.BCCHDLSCH, Name: "BCCH-DL-SCH"}}, "", nil},
		{"P-RNTI: PCCH", mac.Context{RNTIType: mac.PRNTI, Direction: 1}, srb,
			[]mac.SubPDU{{LCID: -1, ELCID: -1, Data: srb, Channel: rrc.PCCH, Name: "PCCH"}}, "", nil},
		{"no RNTI: BCCH-BCH", mac.Context{RNTIType: mac.NoRNTI, Direction: 1}, srb[:3],
			[]mac.SubPDU{{LCID: -1, ELCID: -1, Data: srb[:3], Channel: rrc.BCCHBCH, Name: "BCCH-BCH"}}, "", nil},
		{"RA-RNTI: RAR, not read", mac.Context{RNTIType: mac.RARNTI, Direction: 1}, srb,
			[]mac.SubPDU{{LCID: -1, ELCID: -1, Data: srb, Name: "RAR"}}, "", nil},
		{"MSGB-RNTI: not read", mac.Context{RNTIType: mac.MSGBRNTI, Direction: 1}, srb,
			[]mac.SubPDU{{LCID: -1, ELCID: -1, Data: srb, Name: "MsgB"}}, "", nil},
		{"SI-RNTI uplink", mac.Context{RNTIType: mac.SIRNTI, Uplink: true}, srb, nil,
			"mac: byte 0: framing: rntiType: uplink with rnti type 4", nil},
		{"SI-RNTI empty", mac.Context{RNTIType: mac.SIRNTI, Direction: 1}, nil, nil,
			"mac: byte 0: pdu: truncated", mac.ErrTruncated},

		{"L beyond the pdu", dl, mactest.PDU(mactest.SDU(1, srb)[:10]), nil,
			"mac: byte 0: subpdu 0 lcid 1 (SRB1): length beyond end of pdu: 20 bytes, 8 left", mac.ErrBeyondPDU},
		{"UL-CCCH1 truncated", ul, []byte{0x3d, 0x01, 0x00, 0x05}, []mac.SubPDU{ce(61, "Short BSR", []byte{1})},
			"mac: byte 2: subpdu 1 lcid 0 (CCCH1 (64 bits)): length beyond end of pdu: 8 bytes, 1 left", mac.ErrBeyondPDU},
		{"two-octet L truncated", dl, []byte{0x41, 0x01}, nil,
			"mac: byte 1: subpdu 0 lcid 1 (SRB1): L: truncated", mac.ErrTruncated},
		{"one-octet L truncated", dl, []byte{0x3d, 0x05, 0x02}, []mac.SubPDU{ce(61, "Timing Advance Command", []byte{5})},
			"mac: byte 3: subpdu 1 lcid 2 (SRB2): L: truncated", mac.ErrTruncated},
		{"fixed CE truncated", dl, []byte{0x3e, 1, 2, 3}, nil,
			"mac: byte 0: subpdu 0 lcid 62 (UE Contention Resolution Identity): length beyond end of pdu: 6 bytes, 3 left", mac.ErrBeyondPDU},
		{"eLCID truncated", ul, []byte{0x22}, nil,
			"mac: byte 1: subpdu 0 lcid 34 (one-octet eLCID): truncated", mac.ErrTruncated},
		{"reserved UL LCID", ul, mactest.PDU(mactest.SDU(1, srb), []byte{40, 1, 2}), []mac.SubPDU{sub(1, "SRB1", srb)},
			"mac: byte 22: subpdu 1 lcid 40 (reserved): size unknown: rest of pdu not read", mac.ErrUnknownSize},
		{"reserved DL LCID", dl, []byte{35, 1}, nil,
			"mac: byte 0: subpdu 0 lcid 35 (reserved): size unknown: rest of pdu not read", mac.ErrUnknownSize},
		{"eLCID of unknown size", dl, mactest.ELCID1Fixed(236, body(3)), nil,
			"mac: byte 0: subpdu 0 lcid 34 elcid 236 (Enhanced TCI States Indication for UE-specific PDCCH): size unknown: rest of pdu not read", mac.ErrUnknownSize},
		{"reserved eLCID", ul, mactest.ELCID1Fixed(7, nil), nil,
			"mac: byte 0: subpdu 0 lcid 34 elcid 7 (reserved): size unknown: rest of pdu not read", mac.ErrUnknownSize},
		{"RAR framed as C-RNTI (OpenAirInterface)", dl, []byte{0x80, 0x66, 0x00, 0x10, 0x2e, 0x63, 0x16, 0x93, 0xd7, 0, 0}, nil,
			"mac: byte 0: subpdu 0 lcid 0 (CCCH): length beyond end of pdu: 102 bytes, 9 left (reserved bit set: a random access response framed as C-RNTI?)", mac.ErrBeyondPDU},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mac.SubPDUs(tc.ctx, tc.pdu)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				var me *mac.Error
				if !errors.As(err, &me) {
					t.Errorf("%T is not a *mac.Error", err)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("%v is not %v", err, tc.is)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, ignoreOffset, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("subPDUs (-want +got):\n%s", diff)
			}
			checkOffsets(t, tc.pdu, got)
		})
	}
}

// checkOffsets checks that each subPDU's data lies in the PDU after its
// subheader offset, and that offsets increase.
func checkOffsets(t *testing.T, pdu []byte, subs []mac.SubPDU) {
	t.Helper()
	prev := -1
	for i, s := range subs {
		if s.LCID < 0 {
			continue
		}
		if s.Offset <= prev || s.Offset >= len(pdu) {
			t.Errorf("subpdu %d: offset %d after %d in a %d-byte pdu", i, s.Offset, prev, len(pdu))
		}
		prev = s.Offset
	}
}

// The sizes of TS 38.321 v17 §6.1.3, written here from the spec apart from
// the package's tables, so that a typo in either shows.
var fixedCEs = []struct {
	uplink bool
	lcid   int
	elcid  int
	size   int
}{
	{true, 44, -1, 2}, {true, 48, -1, 4}, {true, 49, -1, 1}, {true, 53, -1, 2}, {true, 55, -1, 0},
	{true, 57, -1, 2}, {true, 58, -1, 2}, {true, 59, -1, 1}, {true, 61, -1, 1},
	{true, 34, 245, 2}, {true, 34, 247, 2}, {true, 34, 253, 1},
	{false, 47, -1, 2}, {false, 48, -1, 2}, {false, 49, -1, 3}, {false, 51, -1, 2}, {false, 52, -1, 2},
	{false, 56, -1, 1}, {false, 57, -1, 4}, {false, 58, -1, 1}, {false, 59, -1, 0}, {false, 60, -1, 0},
	{false, 61, -1, 1}, {false, 62, -1, 6},
	{false, 34, 230, 1}, {false, 34, 251, 1}, {false, 34, 252, 2}, {false, 34, 255, 2},
}

var variableCEs = []struct {
	uplink bool
	lcid   int
	elcid  int
}{
	{true, 43, -1}, {true, 45, -1}, {true, 46, -1}, {true, 50, -1}, {true, 51, -1}, {true, 54, -1},
	{true, 56, -1}, {true, 60, -1}, {true, 62, -1},
	{true, 34, 229}, {true, 34, 230}, {true, 34, 232}, {true, 34, 233}, {true, 34, 235}, {true, 34, 236},
	{true, 34, 237}, {true, 34, 239}, {true, 34, 246}, {true, 34, 248}, {true, 34, 249}, {true, 34, 250},
	{true, 34, 251}, {true, 34, 255},
	{false, 50, -1}, {false, 53, -1}, {false, 54, -1}, {false, 55, -1},
	{false, 34, 227}, {false, 34, 228}, {false, 34, 229}, {false, 34, 231}, {false, 34, 232},
	{false, 34, 233}, {false, 34, 238}, {false, 34, 245}, {false, 34, 246}, {false, 34, 248},
	{false, 34, 249}, {false, 34, 250}, {false, 34, 253},
}

// TestEveryCE puts each MAC CE before an SRB1 SDU: the SDU is found only
// if the CE's size (fixed, or from its L field) is right.
func TestEveryCE(t *testing.T) {
	srb := body(7)
	check := func(t *testing.T, ctx mac.Context, lcid, elcid int, cePDU []byte, bodyLen int) {
		t.Helper()
		pdu := mactest.PDU(cePDU, mactest.SDU(1, srb), mactest.Padding(2))
		got, err := mac.SubPDUs(ctx, pdu)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("%d subPDUs %+v, want CE, SDU, padding", len(got), got)
		}
		if c := got[0]; !c.CE || c.LCID != lcid || c.ELCID != elcid || len(c.Data) != bodyLen || c.Name == "" {
			t.Errorf("CE %+v, want lcid %d elcid %d, %d bytes", c, lcid, elcid, bodyLen)
		}
		if s := got[1]; s.CE || s.LCID != 1 || string(s.Data) != string(srb) || s.LogicalChannel() != 1 {
			t.Errorf("SDU %+v after the CE", s)
		}
		if !got[2].Padding {
			t.Errorf("no padding at the end: %+v", got[2])
		}
	}
	for _, c := range fixedCEs {
		ctx := dl
		if c.uplink {
			ctx = ul
		}
		t.Run(fmt.Sprintf("fixed ul=%v lcid=%d elcid=%d", c.uplink, c.lcid, c.elcid), func(t *testing.T) {
			if c.elcid >= 0 {
				check(t, ctx, c.lcid, c.elcid, mactest.ELCID1Fixed(c.elcid, body(c.size)), c.size)
			} else {
				check(t, ctx, c.lcid, c.elcid, mactest.Fixed(c.lcid, body(c.size)), c.size)
			}
		})
	}
	for _, c := range variableCEs {
		ctx := dl
		if c.uplink {
			ctx = ul
		}
		t.Run(fmt.Sprintf("variable ul=%v lcid=%d elcid=%d", c.uplink, c.lcid, c.elcid), func(t *testing.T) {
			for _, n := range []int{0, 5, 300} {
				if c.elcid >= 0 {
					check(t, ctx, c.lcid, c.elcid, mactest.ELCID1Variable(c.elcid, body(n)), n)
				} else {
					check(t, ctx, c.lcid, c.elcid, mactest.SDU(c.lcid, body(n)), n)
				}
			}
		})
	}
}

func TestZeroFill(t *testing.T) {
	srb := body(10)
	zf := func(data []byte) mac.SubPDU {
		return mac.SubPDU{LCID: 0, ELCID: -1, Data: data, Padding: true, ZeroFill: true, Name: "zero fill"}
	}
	tests := []struct {
		name string
		ctx  mac.Context
		pdu  []byte
		want []mac.SubPDU
	}{
		// OpenAirInterface --opt: a zero-filled uplink block, which Wireshark
		// reads as twelve malformed RRCResumeRequest1.
		{"uplink all zero", ul, make([]byte, 111), []mac.SubPDU{zf(make([]byte, 111))}},
		{"uplink zero after an SDU", ul, mactest.PDU(mactest.SDU(1, srb), make([]byte, 30)),
			[]mac.SubPDU{sub(1, "SRB1", srb), zf(make([]byte, 30))}},
		{"one zero byte", ul, mactest.PDU(mactest.ShortBSR(0, 1), []byte{0}),
			[]mac.SubPDU{ce(61, "Short BSR", []byte{1}), zf([]byte{0})}},
		{"downlink zero after an SDU", dl, mactest.PDU(mactest.SDU(1, srb), make([]byte, 4)),
			[]mac.SubPDU{sub(1, "SRB1", srb), zf(make([]byte, 4))}},
		// Zero bytes inside an SDU, or before a non-zero byte, are data.
		{"zeros inside data", ul, mactest.PDU(mactest.SDU(1, make([]byte, 10)), mactest.ShortBSR(0, 0)),
			[]mac.SubPDU{sub(1, "SRB1", make([]byte, 10)), ce(61, "Short BSR", []byte{0})}},
		{"UL-CCCH1 ending in zeros", ul, mactest.ULCCCH1([]byte{0x40, 0, 0, 0, 0, 0, 0, 0}),
			[]mac.SubPDU{{LCID: 0, ELCID: -1, Data: []byte{0x40, 0, 0, 0, 0, 0, 0, 0}, Channel: rrc.ULCCCH1, Name: "CCCH1 (64 bits)"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mac.SubPDUs(tc.ctx, tc.pdu)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, ignoreOffset); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendSubPDUsAllocs(t *testing.T) {
	pdu := mactest.PDU(mactest.SDU(1, body(40)), mactest.ShortBSR(0, 0), mactest.SingleEntryPHR(1, 2), mactest.Padding(9))
	dst := make([]mac.SubPDU, 0, 8)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := mac.AppendSubPDUs(dst[:0], ul, pdu); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("AppendSubPDUs allocates %v times, want 0", n)
	}
}
