package capture_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/capture"
)

func Example() {
	t := time.Date(2025, 11, 26, 4, 52, 0, 0, time.UTC)
	file := capturetest.Gzip(capturetest.File{Format: capturetest.Pcapng, Packets: []capturetest.Packet{
		{Time: t, LinkType: capturetest.LinkTypeExportedPDU, Data: capturetest.ExportedPDU("nr-rrc.ul.ccch", []byte{0x14})},
		{Time: t.Add(time.Millisecond), LinkType: capturetest.LinkTypeEthernet, Data: make([]byte, 60)},
	}}.Bytes())

	r, err := capture.NewReader(bytes.NewReader(file[:len(file)-10]), capture.Options{}) // gzip trailer lost
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format(), r.Compressed())
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		var cut *capture.TruncatedError
		if errors.As(err, &cut) {
			fmt.Println(err)
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Frame, p.Time.Format(time.StampMilli), capture.LinkTypeName(p.LinkType), len(p.Data))
	}
	fmt.Println(r.LinkTypes())
	// Output:
	// pcapng true
	// 1 Nov 26 04:52:00.000 Wireshark upper PDU export 23
	// 2 Nov 26 04:52:00.001 Ethernet 60
	// capture: file is cut short after packet 2
	// [1 252]
}
