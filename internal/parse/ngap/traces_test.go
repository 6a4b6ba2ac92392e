package ngap_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
)

// Every NGAP PDU of the shared captures decodes, and every IE id they
// hold, at any depth, is named (without tshark).
func TestTracesDecode(t *testing.T) { aptest.NGDecoder.TracesDecode(t) }
