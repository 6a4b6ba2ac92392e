package export

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/nrladder/nrladder/internal/ladder"
)

// Markdown writes a snippet for a ticket: a title with the trace name linked
// to the ladder, the trace summary, the UE, whether it is redacted, the
// failures and the findings as lists, and the text ladder (as Text draws it)
// in a fenced block.
//
// Text from the capture is escaped, so a file name cannot turn into markup.
// The same input always gives the same bytes. Nothing is written when
// rendering fails.
func Markdown(w io.Writer, meta Meta, msgs []ladder.Message) error {
	var b bytes.Buffer
	title := mdText(meta.TraceName)
	if title == "" {
		title = "trace"
	}
	if meta.Link != "" {
		title = "[" + title + "](<" + mdURL(meta.Link) + ">)"
	}
	fmt.Fprintf(&b, "### %s · %s\n\n", title, mdText(meta.ueText()))
	if meta.Summary != "" {
		fmt.Fprintf(&b, "%s\n\n", mdText(meta.Summary))
	}
	ue := "- **UE:** " + mdText(meta.ueText())
	if meta.UE.Outcome != "" {
		ue += " — AS security: " + mdText(meta.UE.Outcome)
	}
	b.WriteString(ue + "\n")
	if meta.UE.Note != "" {
		fmt.Fprintf(&b, "- **Note:** %s\n", mdText(meta.UE.Note))
	}
	fmt.Fprintf(&b, "- **Redacted:** %s\n", yesNo(meta.Redacted))
	if len(msgs) > 0 {
		fmt.Fprintf(&b, "- **Messages:** %d, frames %d–%d\n", len(msgs), msgs[0].Frame, msgs[len(msgs)-1].Frame)
	}
	b.WriteString("\n**Failures**\n\n")
	if len(meta.Failures) == 0 {
		b.WriteString("- none\n")
	}
	for _, f := range meta.Failures {
		fmt.Fprintf(&b, "- %s\n", mdText(f.Summary))
	}
	if len(meta.Findings) > 0 {
		b.WriteString("\n**Findings**\n\n")
		for _, f := range meta.Findings {
			fmt.Fprintf(&b, "- **%s** `%s` %s%s\n", mdText(f.Severity), mdCode(f.Code), mdText(f.Text), framesText(f.Frames, " (%s)"))
		}
	}
	var ladderText bytes.Buffer
	writeLadder(&ladderText, meta, msgs)
	fence := mdFence(ladderText.String())
	fmt.Fprintf(&b, "\n%stext\n%s%s\n", fence, ladderText.String(), fence)
	_, err := w.Write(b.Bytes())
	return err
}

// mdText escapes text for a Markdown line: the characters CommonMark or
// GitHub read as inline markup, and a start that would open a block (a
// heading, a list, a quote).
func mdText(s string) string {
	s = strings.TrimSpace(oneLine(s))
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~&$", r) || i == 0 && strings.ContainsRune("#-+=>", r) {
			b.WriteByte('\\')
		} else if i > 0 && (r == '.' || r == ')') && strings.Trim(s[:i], "0123456789") == "" {
			b.WriteByte('\\') // "1." would start an ordered list
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode is text for an inline code span; a code span cannot hold a
// backtick, so one becomes a quote.
func mdCode(s string) string { return strings.ReplaceAll(oneLine(s), "`", "'") }

// mdURL is a link destination between < and >: what would end it is
// percent-encoded.
func mdURL(s string) string {
	return strings.NewReplacer(" ", "%20", "<", "%3C", ">", "%3E", "\\", "%5C").Replace(oneLine(s))
}

// mdFence is a code fence longer than any run of backticks in s.
func mdFence(s string) string {
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
