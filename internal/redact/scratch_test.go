package redact

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/tracetest"
)

func TestScratch(t *testing.T) {
	tr := build(t, tracetest.Pcap(rrcSteps()))
	for _, m := range tr.Messages {
		text, bits := haystack(t, m, m.Detail())
		fmt.Println(m.Message, strings.Contains(text, imeisv), strings.Contains(bits, "abcdef"), len(text))
	}
}
