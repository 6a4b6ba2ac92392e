package templates

import (
	"fmt"

	"github.com/nrladder/nrladder/internal/ladder"
)

const headLen, headHalf = 11, 5

// headBase is where the arrow's line stops and its head begins.
func headBase(a ladder.Arrow) int {
	if a.X2 > a.X1 {
		return a.X2 - headLen
	}
	return a.X2 + headLen
}

func headPoints(a ladder.Arrow) string {
	b := headBase(a)
	return fmt.Sprintf("%d,%d %d,%d %d,%d", a.X2, a.Y, b, a.Y-headHalf, b, a.Y+headHalf)
}

func bracketPath(b ladder.Bracket) string {
	return fmt.Sprintf("M%d %d h8 V%d h-8", b.X, b.Y1, b.Y2)
}

// arrowHref is the link of an arrow: its anchor on the page; in a standalone
// SVG, the message's own link on the server (traceURL + "/m/<seq>"), which
// opens whichever page holds it.
func arrowHref(a ladder.Arrow, standalone bool, traceURL string) string {
	if standalone {
		return traceURL + "/m/" + itoa(a.Seq)
	}
	return "#" + a.ID
}

// captionHeight is the room a standalone ladder's caption takes below it.
func captionHeight(caption string) int {
	if caption == "" {
		return 0
	}
	return 22
}
