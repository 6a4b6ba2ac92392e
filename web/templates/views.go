// Package templates holds the HTML and SVG views (templ components) and the
// typed view models they render. Components only format: every value they
// show is prepared by the server. It may import ladder's view types and
// web/static; nothing else of the project.
package templates

//go:generate go tool templ generate

import (
	"strconv"

	"github.com/nrladder/nrladder/internal/ladder"
)

// UploadView is the home page.
type UploadView struct {
	MaxUpload string // "512 MiB"
	Error     string // a failed upload's message, shown above the form
	APIURL    string
}

// TraceView is the page of one trace, one UE, one window of its ladder.
type TraceView struct {
	ID            string
	Name          string
	URL           string // /t/{id}
	UEURL         string // link to this UE's ladder
	SVGURL        string
	Facts         string // "12.3 KiB · pcap · link type 252 · 48 packets · uploaded …"
	Messages      int    // messages in the trace
	UE            ladder.UE
	UEs           []UELink
	Verdict       string // one line
	Failed        bool
	Failures      []FailureView
	MoreFailures  int           // failures beyond those listed
	Findings      []FindingView // of the UE shown
	OtherFindings int           // of the other UEs
	FailuresOnly  bool          // the UE list shows failing UEs only
	FilterURL     string        // toggles FailuresOnly
	Exports       []Link        // downloads of this UE's ladder and frames
	Redacted      bool          // subscriber identities masked on this page and its exports
	RedactURL     string        // toggles Redacted
	Warnings      []WarningView
	Skipped       []string
	Dropped       int
	Diagram       ladder.Diagram
	Rows          []RowView
	Pager         Pager
}

// UELink is one entry of the UE list.
type UELink struct {
	Label, Href, Outcome string
	Messages             int
	Current              bool
}

// FailureView is one failure branch in words, with links to its messages.
type FailureView struct {
	Text  string
	Links []Link
}

// Link is a labelled href.
type Link struct{ Text, Href string }

// WarningView is one parser warning.
type WarningView struct {
	Frame        int
	Layer, Error string
}

// RowView is one message of the window, for the details table and panel.
type RowView struct {
	Seq        int
	ID         string // "d<seq>"
	Anchor     string // "#m<seq>"
	Link       string // /t/{id}#m<seq>
	DetailsURL string // the message's own page with its decode
	Frame      int
	Rel, Abs   string
	Dir        string // "UE → gNB"
	Message    string
	TxID       string
	Channel    string
	Role       string
	RoleText   string
	Hex        string
	Size       int
	Error      string
	Class      string
}

// Pager moves through a long ladder, one window at a time.
type Pager struct {
	Page, Pages int
	First, Last int // ueSeq range shown (1-based for people)
	Total       int
	Prev, Next  string
	FirstPage   string
	LastPage    string
}

func itoa(n int) string { return strconv.Itoa(n) }

func warningsTitle(v TraceView) string {
	n := len(v.Warnings) + v.Dropped
	if n == 0 {
		return "Packets not read: " + itoa(len(v.Skipped)) + " kinds (not signalling, or not supported yet)"
	}
	s := itoa(n) + " warning"
	if n != 1 {
		s += "s"
	}
	return s + " while reading the capture"
}

// MessageView is one message with its decoded trees.
type MessageView struct {
	Seq                int
	TraceName          string
	TraceLink          string // the ladder page, anchored on the message
	PageURL            string // this message's own page
	Link               string // absolute link to the message on the ladder
	Message            string
	NASSummary         string
	Dir, Channel       string
	Frame, Size        int
	Abs, Rel, TxID     string
	RoleText           string
	Error, DecodeError string
	Hex                string
	RRC                []TreeNode
	NAS                [][]TreeNode
}

// TreeNode is one decoded field and the fields below it.
type TreeNode struct {
	Name, Value, Note string
	Open              bool // shown unfolded
	Children          []TreeNode
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func nasTitle(i, n int) string {
	if n == 1 {
		return "NAS 5GS"
	}
	return "NAS 5GS (" + itoa(i+1) + " of " + itoa(n) + ")"
}

// FindingView is one finding in the panel above the ladder.
type FindingView struct {
	Severity, Code, Text string
	Seqs                 string // "3,4": the arrows it selects
	Href                 string // the page that shows its first message
}
