package mac_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/parse/mac"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// seedPDUs are MAC PDUs built by mactest: the fuzz seeds of FuzzSubPDUs
// and, framed, of FuzzFraming and FuzzStack.
func seedPDUs() map[string]struct {
	uplink bool
	pdu    []byte
} {
	type seed = struct {
		uplink bool
		pdu    []byte
	}
	setupReq := rrctest.RRCSetupRequest(0x2468acf12, 3)
	complete := srbPDUs(0, 0, rrctest.RRCSetupComplete(0, make([]byte, 60)), 30)
	rel := srbPDUs(6, 6, rrctest.RRCRelease(1))
	return map[string]seed{
		"ul-msg3":         {true, mactest.PDU(mactest.ULCCCH(setupReq), mactest.Padding(3))},
		"dl-msg4":         {false, mactest.PDU(mactest.ContentionResolution(setupReq), mactest.TimingAdvance(0, 31), mactest.DLCCCH(rrctest.RRCSetup(0)), mactest.Padding(2))},
		"ul-srb1-bsr-phr": {true, mactest.PDU(mactest.SDU(1, complete[0]), mactest.ShortBSR(0, 3), mactest.SingleEntryPHR(30, 40), mactest.Padding(9))},
		"ul-srb1-last":    {true, mactest.PDU(mactest.SDU(1, complete[1]), mactest.LongBSR(0x81, 1, 2))},
		"dl-status-srb1":  {false, mactest.PDU(mactest.SDU(1, mactest.AMStatus(6)), mactest.SDULong(1, rel[0]), mactest.Padding(5))},
		"ul-ccch1":        {true, mactest.ULCCCH1(rrctest.RRCResumeRequest1(0x123456789a, 0x55aa, 2))},
		"ul-zero-fill":    {true, make([]byte, 40)},
		"ul-elcid":        {true, mactest.PDU(mactest.ELCID1Fixed(247, []byte{1, 2}), mactest.ELCID1Variable(255, []byte{3}), mactest.ELCID2SDU(4, []byte{5}))},
		"dl-elcid":        {false, mactest.PDU(mactest.ELCID1Fixed(252, []byte{1, 2}), mactest.ELCID1Variable(250, []byte{3, 4}), mactest.Fixed(57, body(4)))},
		"dl-rar-as-crnti": {false, []byte{0x80, 0x66, 0x00, 0x10, 0x2e, 0x63, 0x16, 0x93, 0xd7, 0, 0}},
		"dl-empty-ce":     {false, mactest.PDU(mactest.SDU(50, nil), mactest.SDU(1, nil))},
	}
}

// FuzzSubPDUs: SubPDUs never panics; the subPDUs it returns lie in order
// in the PDU, each after a subheader of 1 to 5 octets, and, without
// error, end where the PDU ends.
func FuzzSubPDUs(f *testing.F) {
	for _, s := range seedPDUs() {
		f.Add(s.uplink, uint8(mac.CRNTI), s.pdu)
	}
	f.Add(false, uint8(mac.SIRNTI), []byte{0x40})
	f.Fuzz(func(t *testing.T, uplink bool, rntiType uint8, pdu []byte) {
		ctx := mac.Context{Uplink: uplink, RNTIType: rntiType % 7}
		if !uplink {
			ctx.Direction = mac.DirectionDownlink
		}
		subs, err := mac.SubPDUs(ctx, pdu)
		if err != nil {
			var me *mac.Error
			if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), "mac: ") {
				t.Fatalf("error %v (%T)", err, err)
			}
		}
		for i, s := range subs {
			if s.LCID < 0 {
				if len(subs) != 1 || !bytes.Equal(s.Data, pdu) {
					t.Fatalf("whole-PDU subPDU %+v", s)
				}
				return
			}
			// The data runs up to the next subheader (or the end of the
			// PDU), after a subheader of 1 to 5 octets (none for a zero fill).
			next := len(pdu)
			if i+1 < len(subs) {
				next = subs[i+1].Offset
			} else if err != nil {
				next = -1 // the subPDU that failed would start at the data end
			}
			if i > 0 && s.Offset <= subs[i-1].Offset {
				t.Fatalf("subpdu %d at %d after %d", i, s.Offset, subs[i-1].Offset)
			}
			if next >= 0 {
				hdr := next - len(s.Data) - s.Offset
				minHdr := 1
				if s.ZeroFill {
					minHdr = 0
				}
				if hdr < minHdr || hdr > 5 || !bytes.Equal(pdu[next-len(s.Data):next], s.Data) {
					t.Fatalf("subpdu %d %+v: %d-byte subheader before data ending at %d", i, s, hdr, next)
				}
			}
			if s.Padding && i != len(subs)-1 {
				t.Fatalf("padding before subpdu %d", i+1)
			}
			if s.CE && s.Channel != 0 {
				t.Fatalf("CE with a channel: %+v", s)
			}
		}
		if err == nil && len(pdu) > 0 && len(subs) == 0 {
			t.Fatalf("no subPDUs and no error for %x", pdu)
		}
	})
}

// FuzzFraming: ParseFraming never panics; on success the PDU is the tail
// of the input after the payload tag and the direction is consistent.
func FuzzFraming(f *testing.F) {
	for _, s := range seedPDUs() {
		dir := byte(mactest.Downlink)
		if s.uplink {
			dir = mactest.Uplink
		}
		f.Add(mactest.MACNRC(dir, 0x4601, s.pdu), true)
	}
	f.Add(mactest.MACNR(false, mactest.TDD, mactest.Downlink, mactest.RNTISI, [][]byte{mactest.TagFrameSubframe(3), mactest.TagPHRType2OtherCell(1)}, []byte{1}), false)
	f.Fuzz(func(t *testing.T, b []byte, prefix bool) {
		ctx, pdu, err := mac.ParseFraming(b, prefix)
		if err != nil {
			var me *mac.Error
			if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), "mac: byte ") || me.Offset > len(b) {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		if len(pdu) >= len(b) || !bytes.Equal(b[len(b)-len(pdu):], pdu) || b[len(b)-len(pdu)-1] != 0x01 {
			t.Fatalf("pdu %x is not the tail after a payload tag of %x", pdu, b)
		}
		if ctx.Uplink != (ctx.Direction == mac.DirectionUplink) || ctx.Direction > 1 || ctx.RNTIType > mac.MSGBRNTI {
			t.Fatalf("context %+v", ctx)
		}
	})
}

// FuzzStack feeds a Stack a series of MAC PDUs cut from the input: it
// never panics, its memory stays bounded, and every RRC PDU and
// retransmission it reports is well formed.
func FuzzStack(f *testing.F) {
	var all []byte
	names := make([]string, 0, len(seedPDUs()))
	for n := range seedPDUs() {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := seedPDUs()[n]
		f.Add(stackInput(s.uplink, s.pdu))
		all = append(all, stackInput(s.uplink, s.pdu)...)
	}
	f.Add(all)
	f.Fuzz(func(t *testing.T, b []byte) {
		st := mac.Stack{Limits: stackLimits}
		ids := map[int]bool{}
		frame := 0
		for len(b) >= 3 {
			frame++
			flags, n := b[0], int(b[1])<<8|int(b[2])
			b = b[3:]
			n = min(n, len(b))
			ctx := mac.Context{RNTIType: flags >> 4 % 7, Uplink: flags&1 == 1, RNTI: uint16(flags>>1) & 3, HasRNTI: true}
			if !ctx.Uplink {
				ctx.Direction = 1
			}
			out := st.Push(ctx, b[:n], frame, t0.Add(time.Duration(frame)*time.Millisecond))
			b = b[n:]
			for _, m := range out.RRC {
				if ids[m.ID] || len(m.PDU) == 0 || m.Frame != frame || m.Channel == 0 {
					t.Fatalf("frame %d: message %+v", frame, m)
				}
				ids[m.ID] = true
			}
			for _, r := range out.Retransmissions {
				if !ids[r.ID] || r.Frame != frame || r.OriginalFrame > frame {
					t.Fatalf("frame %d: retransmission %+v", frame, r)
				}
			}
			for _, w := range out.Warnings {
				if !strings.HasPrefix(w.Error(), w.Layer+": frame "+fmt.Sprint(frame)+": ") {
					t.Fatalf("warning %q", w.Error())
				}
			}
		}
		st.Flush(frame)
	})
}

// stackLimits keep FuzzStack's reassembly small.
var stackLimits = rlcLimits()

// stackInput encodes one MAC PDU for FuzzStack: flags (RNTI type << 4 |
// UE << 1 | uplink), a 2-byte length, the PDU.
func stackInput(uplink bool, pdu []byte) []byte {
	flags := byte(mac.CRNTI << 4)
	if uplink {
		flags |= 1
	}
	return append([]byte{flags, byte(len(pdu) >> 8), byte(len(pdu))}, pdu...)
}

// TestFuzzSeedFiles keeps testdata/fuzz equal to the seeds built above
// (by mactest and rrctest); run with -update to rewrite it.
func TestFuzzSeedFiles(t *testing.T) {
	subs, framing, stack := map[string]string{}, map[string]string{}, map[string]string{}
	for name, s := range seedPDUs() {
		dir := byte(mactest.Downlink)
		if s.uplink {
			dir = mactest.Uplink
		}
		subs[name] = fmt.Sprintf("go test fuzz v1\nbool(%v)\nuint8(%d)\n[]byte(%q)\n", s.uplink, mac.CRNTI, s.pdu)
		framing[name] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(true)\n", mactest.MACNRC(dir, 0x4601, s.pdu))
		stack[name] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", stackInput(s.uplink, s.pdu))
	}
	checkSeedDir(t, "FuzzSubPDUs", subs)
	checkSeedDir(t, "FuzzFraming", framing)
	checkSeedDir(t, "FuzzStack", stack)
}

func checkSeedDir(t *testing.T, target string, files map[string]string) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if *update {
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run go test -run TestFuzzSeedFiles -update", p)
		}
	}
}
