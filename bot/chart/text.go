package chart

import (
	"strings"
	"unicode"

	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// fallbackText is gonum/plot's plain-text handler with a per-string font fallback: text the requested
// face has no glyphs for (a Chinese learner name on an English leaderboard) is drawn with the CJK face
// when there is one. The CJK fonts we find have no bold face, so bold CJK text is drawn twice, a
// fraction of the font size apart.
type fallbackText struct {
	text.Plain
	hasCJK bool
}

var _ text.Handler = fallbackText{}

// resolve returns the font txt is drawn with.
func (h fallbackText) resolve(txt string, fnt font.Font) font.Font {
	if !h.hasCJK || fnt.Typeface == cjkTypeface {
		return fnt
	}
	face := h.Fonts.Lookup(fnt, fnt.Size).Face
	if face == nil {
		return fnt
	}
	var buf sfnt.Buffer
	for _, r := range txt {
		if unicode.IsSpace(r) || r < 0x80 {
			continue // Liberation covers ASCII
		}
		if i, err := face.GlyphIndex(&buf, r); err != nil || i == 0 {
			return font.Font{Typeface: cjkTypeface, Weight: fnt.Weight, Size: fnt.Size}
		}
	}
	return fnt
}

// Box implements text.Handler.
func (h fallbackText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	return h.Plain.Box(txt, h.resolve(txt, fnt))
}

// Draw implements text.Handler.
func (h fallbackText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	sty.Font = h.resolve(strings.TrimRight(txt, "\n"), sty.Font)
	h.Plain.Draw(c, txt, sty, pt)
	if sty.Font.Typeface == cjkTypeface && sty.Font.Weight >= stdfont.WeightBold {
		h.Plain.Draw(c, txt, sty, pt.Add(vg.Point{X: sty.Font.Size / 36}))
	}
}
