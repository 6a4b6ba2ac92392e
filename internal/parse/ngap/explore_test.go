package ngap_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

func TestExplore(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(aptest.SharedDir(t), "traces", "*.pcap"))
	und := map[string]int{}
	msgs := map[string]int{}
	for _, f := range files {
		for _, p := range aptest.TracePDUs(t, filepath.Base(f), aptest.PPIDNGAP) {
			m, err := ngap.Decode(p.Data)
			if err != nil {
				t.Errorf("%s frame %d: %v", filepath.Base(f), p.Frame, err)
				continue
			}
			msgs[m.Name]++
			for _, e := range m.Undecoded {
				k := e.Error()
				if errors.Is(e, per.ErrUnmodelled) || errors.Is(e, ngap.ErrUnknownIE) {
					var fe *ngap.Error
					errors.As(e, &fe)
					k = "UNMOD " + fe.Path
				}
				und[k]++
			}
		}
	}
	var ks []string
	for k, n := range und {
		ks = append(ks, fmt.Sprintf("%4d %s", n, k))
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Fprintln(os.Stderr, k)
	}
	fmt.Fprintln(os.Stderr, msgs)
}
