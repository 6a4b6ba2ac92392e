package f1ap_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/f1ap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// Every F1AP PDU of the shared captures decodes, and every IE id they
// hold, at any depth, is named (without tshark).
func TestTracesDecode(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(aptest.SharedDir(t), "traces", "*.pcap*"))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, path := range files {
		for _, p := range aptest.TracePDUs(t, filepath.Base(path), aptest.PPIDF1AP) {
			total++
			m, err := f1ap.Decode(p.Data)
			if err != nil {
				t.Errorf("%s frame %d: %v", filepath.Base(path), p.Frame, err)
				continue
			}
			eachID(m.Value, func(id int) {
				if strings.HasPrefix(f1ap.IEName(id), "ie ") {
					t.Errorf("%s frame %d: ie %d has no name", filepath.Base(path), p.Frame, id)
				}
			})
		}
	}
	if total == 0 {
		t.Skip("no F1AP PDU in the shared traces: SKIPPED")
	}
	t.Logf("%d F1AP PDUs", total)
}

// eachID calls f with the id of every IE field in v.
func eachID(v *per.Value, f func(int)) {
	if v == nil {
		return
	}
	switch v.Type {
	case "ProtocolIE-Field", "ProtocolIE-SingleContainer", "ProtocolExtensionField":
		if id := v.Field("id"); id != nil && id.Kind == per.Integer {
			f(int(id.Int))
		}
	}
	for i := range v.Fields {
		eachID(&v.Fields[i], f)
	}
	eachID(v.Contained, f)
}
