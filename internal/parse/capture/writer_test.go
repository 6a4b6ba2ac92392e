package capture

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// What the Writer writes, the Reader reads back: link types of several
// interfaces, nanosecond times, data and comments dropped silently.
func TestWriterRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 30, 0, 123456789, time.UTC)
	in := []Packet{
		{Frame: 1, Time: t0, LinkType: 252, Data: []byte{0, 12, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0, 0x34, 0}},
		{Frame: 2, Time: t0.Add(time.Millisecond), LinkType: 276, Data: make([]byte, 40)},
		{Frame: 3, Time: t0.Add(2 * time.Millisecond), LinkType: 252, Data: []byte{1, 2, 3}},
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	for i, p := range in {
		comment := ""
		if i == 1 {
			comment = "frame 812 of the original capture"
		}
		if err := w.WritePacket(p.Time, p.LinkType, p.Data, 0, comment); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Iface, p.OrigLen = 0, 0
		got = append(got, p)
	}
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	if r.Format() != "pcapng" || !cmp.Equal(r.LinkTypes(), []uint32{252, 276}) {
		t.Errorf("format %s link types %v", r.Format(), r.LinkTypes())
	}
}
