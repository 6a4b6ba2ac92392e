package rrc_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

func TestSchemaCompiles(t *testing.T) {
	if _, err := rrc.Schema(); err != nil {
		t.Fatal(err)
	}
}

// Every builder's PDU decodes completely.
func TestDecodeBuilders(t *testing.T) {
	for _, b := range builders() {
		v, err := rrc.Decode(b.ch, b.pdu)
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			continue
		}
		_ = v
	}
	_ = rrctest.Header
}
