package export

import (
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// faceName is one of the Go fonts the PNG is set in.
type faceName int

const (
	faceRegular faceName = iota // font-weight 400
	faceMedium                  // 500
	faceBold                    // 600 and above
	faceItalic                  // italic 400
	numFaces
)

// faceFor picks the font of a CSS weight and style.
func faceFor(weight int, italic bool) faceName {
	switch {
	case italic:
		return faceItalic
	case weight >= 600:
		return faceBold
	case weight >= 500:
		return faceMedium
	}
	return faceRegular
}

// loadFonts parses the Go fonts once. A parsed font is safe to share; its
// faces are not, so each canvas makes its own.
var loadFonts = sync.OnceValues(func() ([numFaces]*opentype.Font, error) {
	var fonts [numFaces]*opentype.Font
	for i, ttf := range [numFaces][]byte{goregular.TTF, gomedium.TTF, gobold.TTF, goitalic.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return fonts, fmt.Errorf("font %d: %w", i, err)
		}
		fonts[i] = f
	}
	return fonts, nil
})

type faceKey struct {
	name faceName
	size float64
}

// face returns the face of a style at the canvas's scale.
func (c *canvas) face(st textStyle) font.Face {
	k := faceKey{st.face, st.size}
	if f, ok := c.faces[k]; ok {
		return f
	}
	fonts, _ := loadFonts() // newCanvas checked the error
	f, err := opentype.NewFace(fonts[st.face], &opentype.FaceOptions{Size: st.size * c.scale, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("export: " + err.Error()) // only for a bad size, and the sizes are constants
	}
	c.faces[k] = f
	return f
}
