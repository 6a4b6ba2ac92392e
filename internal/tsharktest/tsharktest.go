// Package tsharktest runs tshark, Wireshark's command-line dissector, on
// captures the tests build, and reads what it shows (PDML), so that tests can
// compare the project's decoding with Wireshark's. Tests that use it skip,
// loudly, when tshark is not installed. It is test support only.
package tsharktest

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
)

// Path returns the tshark executable or skips the test, saying so.
func Path(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: differential test SKIPPED (apt-get install tshark)")
	}
	return p
}

// Packet is one frame of tshark's PDML output.
type Packet = Node

// PDML writes the capture to a temporary file, runs tshark -T pdml on it with
// the extra options, and returns its packets.
func PDML(t testing.TB, capture []byte, opts ...string) []Packet {
	t.Helper()
	path := filepath.Join(t.TempDir(), "capture.pcap")
	if err := os.WriteFile(path, capture, 0o644); err != nil {
		t.Fatal(err)
	}
	return PDMLFile(t, path, opts...)
}

// PDMLFile is PDML for a capture already on disk.
func PDMLFile(t testing.TB, path string, opts ...string) []Packet {
	t.Helper()
	tshark := Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-n", "-r", path, "-T", "pdml"}, opts...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tshark, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var doc struct {
		Packets []Node `xml:"packet"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("parsing tshark PDML: %v", err)
	}
	return doc.Packets
}

// RRC returns every NR RRC message tshark shows in a packet, in order.
func RRC(pkt *Packet) ([]RRCView, error) {
	var out []RRCView
	experts := pkt.Experts(nil)
	var err error
	pkt.walk(func(n *Node) bool {
		if n.Name != "nr-rrc.message" {
			return true
		}
		v, e := rrcView(n, experts)
		if e != nil && err == nil {
			err = e
		}
		out = append(out, v)
		return false
	})
	return out, err
}

// RRCHex returns the hex of the j-th NR RRC message (0 the first) tshark
// shows in a packet, hidden ones left out, or "" when there are fewer.
func RRCHex(pkt *Packet, j int) string {
	n := 0
	var found string
	pkt.walk(func(c *Node) bool {
		if c.Name != "nr-rrc.message" || c.Hide == "yes" {
			return true
		}
		if n == j {
			found = c.Value
		}
		n++
		return false
	})
	return found
}

func (n *Node) walk(f func(*Node) bool) {
	for i := range n.Children {
		c := &n.Children[i]
		if f(c) {
			c.walk(f)
		}
	}
}

// Frame is the 1-based frame number of a packet.
func (n *Node) Frame() int {
	if f := n.Find("frame.number"); f != nil {
		v, _ := strconv.Atoi(f.Show)
		return v
	}
	return 0
}

// Node is any element of tshark's PDML output (proto or field).
type Node struct {
	XMLName  xml.Name
	Name     string `xml:"name,attr"`
	Showname string `xml:"showname,attr"`
	Show     string `xml:"show,attr"`
	Value    string `xml:"value,attr"`
	Hide     string `xml:"hide,attr"`
	Children []Node `xml:",any"`
}

func (n *Node) Find(name string) *Node {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Name == name {
			return c
		}
		if f := c.Find(name); f != nil {
			return f
		}
	}
	return nil
}

func (n *Node) Child(name string) *Node {
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
func (n *Node) Element() *Node {
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
func (n *Node) Experts(out []string) []string {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Name == "_ws.malformed" || c.Name == "_ws.expert" {
			out = append(out, c.Showname)
		}
		out = c.Experts(out)
	}
	return out
}

// choiceAlt returns the alternative of a CHOICE field's showname:
// "c1: securityModeCommand (4)" gives "securityModeCommand".
func ChoiceAlt(n *Node) string {
	s := n.Showname
	if i := strings.Index(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	if i := strings.LastIndex(s, " ("); i >= 0 {
		s = s[:i]
	}
	return s
}

// RRCView is what tshark shows of one frame.
type RRCView struct {
	Path    string
	TxID    int
	Experts []string
}

// rrcView reads tshark's dissection of an NR RRC frame. tshark 4.0.17 shows:
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
func rrcView(msg *Node, experts []string) (RRCView, error) {
	v := RRCView{TxID: -1, Experts: experts}
	var choice *Node // the c1 or c2 field whose first child is the message element
	switch top := ChoiceAlt(msg); top {
	case "c1":
		choice = msg.Child("nr-rrc.c1")
		if choice == nil {
			return v, fmt.Errorf("message: c1 without nr-rrc.c1")
		}
		v.Path = "c1." + ChoiceAlt(choice)
	case "messageClassExtension":
		v.Path = top
		if mce := msg.Child("nr-rrc.messageClassExtension"); mce != nil {
			sub := ChoiceAlt(mce)
			v.Path += "." + sub
			if sub == "c2" {
				choice = mce.Child("nr-rrc.c2")
				if choice == nil {
					return v, fmt.Errorf("messageClassExtension: c2 without nr-rrc.c2")
				}
				v.Path += "." + ChoiceAlt(choice)
			}
		}
	default:
		v.Path = top // mib
	}
	if elem := choice.Element(); elem != nil {
		if f := elem.Child("nr-rrc.rrc_TransactionIdentifier"); f != nil {
			id, err := strconv.Atoi(f.Show)
			if err != nil {
				return v, fmt.Errorf("rrc-TransactionIdentifier %q: %v", f.Show, err)
			}
			v.TxID = id
		}
	}
	return v, nil
}
