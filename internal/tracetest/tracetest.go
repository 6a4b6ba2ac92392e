// Package tracetest builds whole captures for tests and benchmarks: RRC
// exchanges (from rrctest) written as Wireshark exported PDUs (link type 252)
// into pcap or pcapng files (with capturetest). It is test support only.
package tracetest

import (
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// Start is the time of the first packet of every scenario.
var Start = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

// Step is one RRC message of a scenario.
type Step struct {
	At      time.Duration // since Start
	Channel rrc.Channel
	PDU     []byte
}

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

// Connection is RRC setup and the NAS registration up to (not including) AS
// security, starting at the given offset.
func Connection(at time.Duration) []Step {
	register := nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", "0000000001"), 0xe0, 0xe0)
	var rand, autn, res [16]byte
	for i := range rand {
		rand[i], autn[i], res[i] = byte(i), byte(0x80+i), byte(0x40+i)
	}
	return []Step{
		{at, rrc.ULCCCH, rrctest.RRCSetupRequest(0x2468acf12, 3)},
		{at + ms(1.8), rrc.DLCCCH, rrctest.RRCSetup(0)},
		{at + ms(9.6), rrc.ULDCCH, rrctest.RRCSetupComplete(0, register)},
		{at + ms(31.2), rrc.DLDCCH, rrctest.DLInformationTransfer(1, nastest.AuthenticationRequest(0, rand, autn))},
		{at + ms(48.0), rrc.ULDCCH, rrctest.ULInformationTransfer(nastest.AuthenticationResponse(res))},
	}
}

// SecurityModeFailure is the scenario the product exists for: connection,
// SecurityModeCommand (txid 2, nea2/nia2), SecurityModeFailure 12.4 ms later,
// RRCRelease 38.0 ms after that. Frames: command 6, failure 7, release 8.
func SecurityModeFailure() []Step {
	s := Connection(0)
	return append(s,
		Step{ms(60.0), rrc.DLDCCH, rrctest.SecurityModeCommand(2, 2, 2)},
		Step{ms(72.4), rrc.ULDCCH, rrctest.SecurityModeFailure(2)},
		Step{ms(110.4), rrc.DLDCCH, rrctest.RRCRelease(3)},
	)
}

// Normal is a connection whose AS security activation succeeds and which
// goes on to UE capabilities and reconfiguration.
func Normal() []Step {
	s := Connection(0)
	return append(s,
		Step{ms(60.0), rrc.DLDCCH, rrctest.SecurityModeCommand(2, 2, 2)},
		Step{ms(66.0), rrc.ULDCCH, rrctest.SecurityModeComplete(2)},
		Step{ms(67.0), rrc.DLDCCH, rrctest.UECapabilityEnquiry(3)},
		Step{ms(80.0), rrc.DLDCCH, rrctest.RRCReconfiguration(0)},
		Step{ms(95.0), rrc.ULDCCH, rrctest.RRCReconfigurationComplete(0)},
	)
}

// Repeat makes a long trace: n connections one after the other (every
// tenth one ending in a SecurityModeFailure), for pagination and benchmarks.
func Repeat(n int) []Step {
	var out []Step
	for i := 0; i < n; i++ {
		at := time.Duration(i) * 200 * time.Millisecond
		var s []Step
		if i%10 == 9 {
			s = SecurityModeFailure()
		} else {
			s = Normal()
		}
		for _, st := range s {
			st.At += at
			out = append(out, st)
		}
	}
	return out
}

// File writes the steps as exported PDUs into a capture of the given format.
func File(format capturetest.Format, steps []Step) []byte {
	f := capturetest.File{Format: format, LinkType: capturetest.LinkTypeExportedPDU}
	for _, s := range steps {
		f.Packets = append(f.Packets, capturetest.Packet{
			Time:     Start.Add(s.At),
			LinkType: capturetest.LinkTypeExportedPDU,
			Data:     capturetest.ExportedPDU(s.Channel.Dissector(), s.PDU),
		})
	}
	return f.Bytes()
}

// Pcap writes the steps as a classic pcap of exported PDUs.
func Pcap(steps []Step) []byte { return File(capturetest.Pcap, steps) }
