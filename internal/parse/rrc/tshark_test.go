package rrc_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
)

// pdmlNode is any element of tshark's PDML output (proto or field).
type pdmlNode struct {
	XMLName  xml.Name
	Name     string     `xml:"name,attr"`
	Showname string     `xml:"showname,attr"`
	Show     string     `xml:"show,attr"`
	Children []pdmlNode `xml:",any"`
}

func (n *pdmlNode) find(name string) *pdmlNode {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Name == name {
			return c
		}
		if f := c.find(name); f != nil {
			return f
		}
	}
	return nil
}

func (n *pdmlNode) child(name string) *pdmlNode {
	for i := range n.Children {
		if n.Children[i].Name == name {
			return &n.Children[i]
		}
	}
	return nil
}

// element returns the first "*_element" child of a CHOICE field: the
// chosen message. (For some messages, RRCReconfiguration among them,
// tshark puts a hidden nr-rrc proto item before it.)
func (n *pdmlNode) element() *pdmlNode {
	if n == nil {
		return nil
	}
	for i := range n.Children {
		if strings.HasSuffix(n.Children[i].Name, "_element") {
			return &n.Children[i]
		}
	}
	return nil
}

// experts lists the malformed and expert-info items of a packet.
func (n *pdmlNode) experts(out []string) []string {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Name == "_ws.malformed" || c.Name == "_ws.expert" {
			out = append(out, c.Showname)
		}
		out = c.experts(out)
	}
	return out
}

// choiceAlt returns the alternative of a CHOICE field's showname:
// "c1: securityModeCommand (4)" gives "securityModeCommand".
func choiceAlt(n *pdmlNode) string {
	s := n.Showname
	if i := strings.Index(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	if i := strings.LastIndex(s, " ("); i >= 0 {
		s = s[:i]
	}
	return s
}

// tsharkView is what tshark shows of one frame.
type tsharkView struct {
	Path    string
	TxID    int
	Experts []string
}

// view reads tshark's dissection of an NR RRC frame. tshark 4.0.17 shows:
//
//	nr-rrc.message                "message: c1 (0)" | "message: mib (0)" | "message: messageClassExtension (1)"
//	 nr-rrc.c1                    "c1: securityModeCommand (4)"
//	  (a hidden nr-rrc proto item, before some messages)
//	  nr-rrc.securityModeCommand_element
//	   nr-rrc.rrc_TransactionIdentifier  show="2"
//	 nr-rrc.messageClassExtension "messageClassExtension: c2 (0)" (UL-DCCH only; elsewhere
//	                              a nr-rrc.messageClassExtension_element with no value)
//	  nr-rrc.c2                   "c2: ueInformationResponse-r16 (3)"
//
// The transaction id is taken only as a direct child of the chosen
// message's element, so a message nested in a container is not read.
func view(pkt *pdmlNode) (tsharkView, error) {
	v := tsharkView{TxID: -1, Experts: pkt.experts(nil)}
	msg := pkt.find("nr-rrc.message")
	if msg == nil {
		return v, fmt.Errorf("no nr-rrc.message field")
	}
	var choice *pdmlNode // the c1 or c2 field whose first child is the message element
	switch top := choiceAlt(msg); top {
	case "c1":
		choice = msg.child("nr-rrc.c1")
		if choice == nil {
			return v, fmt.Errorf("message: c1 without nr-rrc.c1")
		}
		v.Path = "c1." + choiceAlt(choice)
	case "messageClassExtension":
		v.Path = top
		if mce := msg.child("nr-rrc.messageClassExtension"); mce != nil {
			sub := choiceAlt(mce)
			v.Path += "." + sub
			if sub == "c2" {
				choice = mce.child("nr-rrc.c2")
				if choice == nil {
					return v, fmt.Errorf("messageClassExtension: c2 without nr-rrc.c2")
				}
				v.Path += "." + choiceAlt(choice)
			}
		}
	default:
		v.Path = top // mib
	}
	if elem := choice.element(); elem != nil {
		if f := elem.child("nr-rrc.rrc_TransactionIdentifier"); f != nil {
			id, err := strconv.Atoi(f.Show)
			if err != nil {
				return v, fmt.Errorf("rrc-TransactionIdentifier %q: %v", f.Show, err)
			}
			v.TxID = id
		}
	}
	return v, nil
}

// frame is one packet of the differential capture.
type frame struct {
	label string
	ch    rrc.Channel
	pdu   []byte
	valid bool // a complete, valid encoding: tshark must flag nothing
}

func differentialFrames(t *testing.T) []frame {
	var fs []frame
	for _, ch := range rrc.Channels() {
		for i, p := range rrctest.Paths(ch) {
			// A few body bytes; the first two bits give a varying transaction id.
			tail := []byte{byte(i%4)<<6 | 0x2a, 0x5a, 0x00, 0x00, 0x00, 0x00}
			fs = append(fs, frame{label: fmt.Sprintf("header %v %v", ch, p), ch: ch, pdu: rrctest.Header(ch, p, tail)})
		}
	}
	for _, b := range builders() {
		fs = append(fs, frame{label: "rrctest." + b.name, ch: b.ch, pdu: b.pdu, valid: true})
	}
	if _, ok := rrctest.SharedDir(); ok {
		for _, v := range rrctest.Vectors(t) {
			if v.RAT != "nr" {
				continue
			}
			ch, _ := rrc.ChannelFromName(v.Channel)
			pdu, err := v.PDU()
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, frame{label: "vector " + v.Label, ch: ch, pdu: pdu, valid: true})
		}
	} else {
		t.Log("shared vectors not found: differential test runs without them")
	}
	return fs
}

// TestDifferentialTshark writes one link-type-252 frame per alternative of
// every channel and per rrctest builder (and shared vector), lets tshark
// dissect them, and compares tshark's alternative and
// rrc-TransactionIdentifier with Classify's. Builders and vectors must
// dissect without malformed or expert items.
func TestDifferentialTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: differential test SKIPPED")
	}
	frames := differentialFrames(t)
	file := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range frames {
		file.Packets = append(file.Packets, capturetest.Packet{
			Time: t0.Add(time.Duration(i) * time.Millisecond),
			Data: capturetest.ExportedPDU(f.ch.Dissector(), f.pdu),
		})
	}
	path := filepath.Join(t.TempDir(), "rrc.pcap")
	if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, "-n", "-r", path, "-T", "pdml")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	var doc struct {
		Packets []pdmlNode `xml:"packet"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("parsing tshark PDML: %v", err)
	}
	if len(doc.Packets) != len(frames) {
		t.Fatalf("tshark shows %d frames, wrote %d", len(doc.Packets), len(frames))
	}

	for i, f := range frames {
		tv, err := view(&doc.Packets[i])
		if err != nil {
			t.Errorf("frame %d %s (% x): tshark: %v", i+1, f.label, f.pdu, err)
			continue
		}
		m, err := rrc.Classify(f.ch, f.pdu)
		if err != nil {
			t.Errorf("frame %d %s: %v", i+1, f.label, err)
			continue
		}
		type id struct {
			Path string
			TxID int
		}
		if diff := cmp.Diff(id{tv.Path, tv.TxID}, id{m.Path, m.TxID}); diff != "" {
			t.Errorf("frame %d %s (% x): tshark (-) vs Classify (+):\n%s", i+1, f.label, f.pdu, diff)
		}
		if f.valid && len(tv.Experts) > 0 {
			t.Errorf("frame %d %s (% x): tshark flags %q", i+1, f.label, f.pdu, tv.Experts)
		}
	}
	t.Logf("%d frames compared with %s", len(frames), tshark)
}
