package rrc_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// FuzzDecode feeds arbitrary bytes to the full decoder on every channel:
// it must not panic, must fail with a *per.Error naming the channel's
// message type, and on success render JER and a tree.
func FuzzDecode(f *testing.F) {
	for _, b := range builders() {
		f.Add(uint8(b.ch), b.pdu)
	}
	for _, s := range tracetest.Normal() {
		f.Add(uint8(s.Channel), s.PDU)
	}
	if _, ok := rrctest.SharedDir(); ok {
		for _, v := range rrctest.Vectors(f) {
			if ch, ok := rrc.ChannelFromName(v.Channel); ok && v.RAT == "nr" {
				if pdu, err := v.PDU(); err == nil {
					f.Add(uint8(ch), pdu)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, c uint8, pdu []byte) {
		ch := rrc.Channel(c%8 + 1)
		v, err := rrc.Decode(ch, pdu)
		if err != nil {
			var pe *per.Error
			if !errors.As(err, &pe) || !strings.HasPrefix(pe.Path, ch.MessageType()) {
				t.Fatalf("error %v (%T) is not a *per.Error under %s", err, err, ch.MessageType())
			}
			return
		}
		if len(v.AppendJER(nil)) == 0 || len(v.Tree()) == 0 {
			t.Fatal("decoded value renders nothing")
		}
	})
}

// BenchmarkDecode decodes a realistic mix: a whole connection with
// registration, AS security, UE capabilities and reconfiguration, and the
// failure scenario.
func BenchmarkDecode(b *testing.B) {
	steps := append(tracetest.Normal(), tracetest.SecurityModeFailure()...)
	for _, bl := range builders() {
		steps = append(steps, tracetest.Step{Channel: bl.ch, PDU: bl.pdu})
	}
	bytes := 0
	for _, s := range steps {
		bytes += len(s.PDU)
		if _, err := rrc.Decode(s.Channel, s.PDU); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(bytes))
	for b.Loop() {
		for _, s := range steps {
			rrc.Decode(s.Channel, s.PDU)
		}
	}
	b.ReportMetric(float64(len(steps))*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(len(steps)), "msgs/op")
}
