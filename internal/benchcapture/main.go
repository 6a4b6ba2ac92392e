// Command benchcapture makes the large real-traffic captures of
// scripts/bench.sh and parses a capture once for its peak memory.
//
//	benchcapture repeat -n 750 -o big.pcap ../shared/traces/FILE.pcap
//	benchcapture parse big.pcap
//
// repeat writes n copies of a capture one after the other, each a distinct
// set of UEs: F1AP and NGAP UE ids, SCTP TSNs or MAC-NR C-RNTIs shifted, see
// Repeat. parse runs parse.Trace on the file, as the server does on an
// upload, and prints what it found and its own peak resident memory.
//
// It is a benchmark tool: nothing imports it, and it imports only the parse
// packages.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"syscall"

	"github.com/nrladder/nrladder/internal/parse"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchcapture:", err)
		os.Exit(1)
	}
}

const usage = `usage: benchcapture repeat -n N -o OUT IN
       benchcapture parse FILE`

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "repeat":
		return runRepeat(args[1:], stdout)
	case "parse":
		if len(args) != 2 {
			return errors.New(usage)
		}
		return runParse(args[1], stdout)
	}
	return errors.New(usage)
}

func runRepeat(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("repeat", flag.ContinueOnError)
	n := fs.Int("n", 100, "copies of the capture")
	out := fs.String("o", "", "output pcap")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return errors.New(usage)
	}
	in, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	st, err := Repeat(f, in, *n)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(stdout, "%s: %d copies of %d packets (link type %d), %d bytes; per copy %d F1AP and %d NGAP PDUs re-encoded (%d ids shifted), %d copied as they are, %d C-RNTIs shifted; shift per copy %s",
		*out, *n, st.Packets, st.LinkType, st.Bytes, st.F1AP, st.NGAP, st.IDs, st.Kept, st.RNTIs, st.Period)
	keys := make([]string, 0, len(st.Stride))
	for k := range st.Stride {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(stdout, ", %s +%d", k, st.Stride[k])
	}
	fmt.Fprintln(stdout)
	if st.WrappedAt > 0 {
		fmt.Fprintf(stdout, "note: C-RNTIs repeat from copy %d on (the C-RNTI range holds no more); nrladder tells the connections apart by their RRCSetupRequest\n", st.WrappedAt)
	}
	return nil
}

// runParse prints one line of key=value pairs: the events of a whole parse
// by kind, the frames holding NR RRC (comparable with tshark -Y nr-rrc,
// which counts frames), and the peak resident memory in KiB.
func runParse(path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := parse.Trace(bufio.NewReaderSize(f, 1<<20), parse.Options{})
	if err != nil {
		return err
	}
	var rrc, ciphered, failed, retrans, f1, ng int
	frames := map[int]bool{}
	for i := range res.Events {
		e := &res.Events[i]
		switch e.Protocol {
		case "NR-RRC":
			rrc++
			frames[e.Frame] = true
			for _, r := range e.RetransFrames {
				frames[r] = true
			}
			retrans += e.Retransmissions
			if e.Ciphered {
				ciphered++
			}
			if e.Error != "" {
				failed++
			}
		case "F1AP":
			f1++
		case "NGAP":
			ng++
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "packets=%d events=%d rrc=%d rrc_frames=%d ciphered=%d unidentified=%d rlc_retransmissions=%d f1ap=%d ngap=%d warnings=%d maxrss_kib=%d\n",
		res.Packets, len(res.Events), rrc, len(frames), ciphered, failed, retrans, f1, ng, len(res.Warnings)+res.WarningsDropped, ru.Maxrss)
	_, err = stdout.Write(b.Bytes())
	return err
}
