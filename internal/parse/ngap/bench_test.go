package ngap_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
)

// BenchmarkDecode decodes the NGAP messages of one UE's registration and
// release: initial UE message, downlink and uplink NAS transport, initial
// context setup, PDU session setup, release request, command and
// complete.
func BenchmarkDecode(b *testing.B) {
	pdus := [][]byte{
		aptest.NGInitialUEMessage(ue.RAN, regRequest, location, "mo-Signalling"),
		aptest.NGDownlinkNASTransport(ue, authReq),
		aptest.NGUplinkNASTransport(ue, authResp, location),
		aptest.NGInitialContextSetupRequest(ue, plmn, aptest.NGSecurityCapabilities(0xe000, 0xe000, 0xe000, 0xe000), key, regAccept),
		aptest.NGPDUSessionResourceSetupRequest(ue, 1, estAccept),
		aptest.NGUEContextReleaseRequest(ue, aptest.NGCause("radioNetwork", "user-inactivity")),
		aptest.NGUEContextReleaseCommand(ue, true, aptest.NGCause("nas", "normal-release")),
		aptest.NGUEContextReleaseComplete(ue, 1),
	}
	aptest.NGDecoder.Bench(b, pdus)
}

// BenchmarkDecodeTraces decodes every NGAP PDU of a shared capture (OAI
// gNB and AMF with a commercial phone).
func BenchmarkDecodeTraces(b *testing.B) {
	aptest.NGDecoder.BenchTrace(b, "5GSEC__MobiWatch__F1AP_NGAP_Pixel5_00101_1.pcap")
}
