package f1ap_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
)

// Every F1AP PDU of the shared captures decodes, and every IE id they
// hold, at any depth, is named (without tshark).
func TestTracesDecode(t *testing.T) { aptest.F1Decoder.TracesDecode(t) }
