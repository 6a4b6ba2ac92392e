package f1ap_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
)

// BenchmarkDecode decodes the F1AP messages of one UE's attach and
// release: initial UL RRC message, RRC setup, UE context setup with the
// SecurityModeCommand and its response, UL and DL RRC transfers, release.
func BenchmarkDecode(b *testing.B) {
	pdus := [][]byte{
		aptest.F1InitialULRRCMessageTransfer(ue.DU, cell, 0x4601, setupRequest, cellGroup),
		aptest.F1DLRRCMessageTransfer(ue, 0, rrcSetup),
		aptest.F1UEContextSetupRequest(ue, cell, ueCapability, smc),
		aptest.F1UEContextSetupResponse(ue, cellGroup, 0x4601),
		aptest.F1ULRRCMessageTransfer(ue, 1, smComplete),
		aptest.F1UEContextReleaseCommand(ue, aptest.F1Cause("radioNetwork", "normal-release"), 1, release),
		aptest.F1UEContextReleaseComplete(ue),
	}
	aptest.F1Decoder.Bench(b, pdus)
}

// BenchmarkDecodeTraces decodes every F1AP PDU of a shared capture (an
// OAI gNB with a commercial phone: F1 setup, attach, data, release).
func BenchmarkDecodeTraces(b *testing.B) {
	aptest.F1Decoder.BenchTrace(b, "5GSEC__MobiWatch__F1AP_NGAP_Pixel5_00101_1.pcap")
}
