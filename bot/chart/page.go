package chart

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours: the Okabe–Ito palette, which stays distinct for the common kinds of colour blindness,
// and neutral greys for text and rules.
var (
	ink       = color.RGBA{0x1f, 0x23, 0x28, 0xff}
	muted     = color.RGBA{0x57, 0x60, 0x6a, 0xff}
	rule      = color.RGBA{0xd0, 0xd7, 0xde, 0xff}
	blue      = color.RGBA{0x00, 0x72, 0xb2, 0xff} // Okabe–Ito blue
	orange    = color.RGBA{0xe6, 0x9f, 0x00, 0xff} // Okabe–Ito orange
	vermilion = color.RGBA{0xd5, 0x5e, 0x00, 0xff} // Okabe–Ito vermilion
)

// Sizes in pixels (one point is one pixel at the dpi used), chosen so that a 1080-pixel picture
// shown on a phone keeps text at about the size of the chat's own.
const (
	margin     vg.Length = 40
	titleSize  vg.Length = 56
	headSize   vg.Length = 40
	labelSize  vg.Length = 30
	smallSize  vg.Length = 26
	ruleWidth  vg.Length = 2
	tickLength vg.Length = 10
)

// page carries what every part of one picture shares: its language and fonts.
type page struct {
	lang lang
	w    *words
	hdlr text.Handler
	face font.Font // typeface for the language, without a size
}

func (r *Renderer) page(lang string) *page {
	l := r.lang(lang)
	p := &page{lang: l, w: &dictionary[l], hdlr: r.handler(), face: font.Font{Typeface: latinTypeface, Variant: latinVariant}}
	if l == chinese {
		p.face = font.Font{Typeface: cjkTypeface}
	}
	return p
}

// style returns a text style in the page's typeface, aligned by its left edge and top.
func (p *page) style(size vg.Length, bold bool, c color.Color) text.Style {
	f := font.From(p.face, size)
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return text.Style{Color: c, Font: f, XAlign: text.XLeft, YAlign: text.YTop, Handler: p.hdlr}
}

// block is a full-width horizontal slice of a picture.
type block struct {
	h    vg.Length
	draw func(c draw.Canvas) // c is the block's own area
}

// stack lays blocks out from the top of the picture down.
func stack(blocks ...block) picture {
	const top, bottom = 44, 36
	h := vg.Length(top + bottom)
	for _, b := range blocks {
		h += b.h
	}
	h = vg.Length(math.Ceil(float64(h)))
	return picture{height: h, draw: func(c draw.Canvas) {
		y := c.Max.Y - top
		for _, b := range blocks {
			area := c
			area.Rectangle = vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y - b.h}, Max: vg.Point{X: c.Max.X, Y: y}}
			if b.draw != nil {
				b.draw(area)
			}
			y -= b.h
		}
	}}
}

// space is an empty block.
func space(h vg.Length) block { return block{h: h} }

// line is a block with one line of text at the left margin.
func (p *page) line(s string, size vg.Length, bold bool, c color.Color, below vg.Length) block {
	sty := p.style(size, bold, c)
	return block{h: sty.Height(s) + below, draw: func(area draw.Canvas) {
		area.FillText(sty, vg.Point{X: area.Min.X + margin, Y: area.Max.Y}, s)
	}}
}

// title is the picture's heading.
func (p *page) title(s string) block { return p.line(s, titleSize, true, ink, 28) }

// heading introduces a panel.
func (p *page) heading(s string) block { return p.line(s, headSize, true, ink, 18) }

// note is a line of secondary text.
func (p *page) note(s string, below vg.Length) block {
	return p.line(s, labelSize, false, muted, below)
}

// paragraph is text wrapped to the picture's width.
func (p *page) paragraph(s string, size vg.Length, c color.Color) block {
	sty := p.style(size, false, c)
	lines := wrap(sty, s, Width-2*margin)
	step := sty.Height("中Ag") * 1.5
	return block{h: step * vg.Length(len(lines)), draw: func(area draw.Canvas) {
		for i, l := range lines {
			area.FillText(sty, vg.Point{X: area.Min.X + margin, Y: area.Max.Y - step*vg.Length(i)}, l)
		}
	}}
}

// message is the whole picture when there is nothing to chart: a title, what to do, and what will
// appear once they do it.
func (p *page) message(title, msg, hint string) picture {
	return stack(p.title(title), space(12), p.paragraph(msg, headSize, ink), space(20), p.paragraph(hint, labelSize, muted), space(12))
}

// wrap breaks s into lines no wider than width: between words, and between any two Chinese
// characters except before closing punctuation.
func wrap(sty text.Style, s string, width vg.Length) []string {
	type token struct {
		s     string
		space bool // preceded by white space
	}
	var toks []token
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
			i += n
			continue
		case isWide(r):
			if strings.ContainsRune("，。、；：！？）」』”", r) && len(toks) > 0 && !space {
				toks[len(toks)-1].s += string(r)
			} else {
				toks = append(toks, token{string(r), space})
			}
			i += n
		default:
			j := i + n
			for j < len(s) {
				r, m := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r) || isWide(r) {
					break
				}
				j += m
			}
			toks = append(toks, token{s[i:j], space})
			i = j
		}
		space = false
	}
	var lines []string
	cur := ""
	for _, t := range toks {
		next := t.s
		if cur != "" {
			next = cur + t.s
			if t.space {
				next = cur + " " + t.s
			}
		}
		if cur != "" && sty.Width(next) > width {
			lines = append(lines, cur)
			next = t.s
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// isWide reports whether r is a CJK character or punctuation, which lines may break around.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// fit shortens s with an ellipsis until it is no wider than width.
func fit(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 {
		rs = rs[:len(rs)-1]
		if t := strings.TrimRightFunc(string(rs), unicode.IsSpace) + "…"; sty.Width(t) <= width {
			return t
		}
	}
	return "…"
}

// plot returns a plot styled for the page: its fonts, large tick labels, light axes, no background
// (the picture's is white).
func (p *page) plot() *plot.Plot {
	pl := plot.New()
	pl.BackgroundColor = nil
	pl.TextHandler = p.hdlr
	pl.Title.TextStyle.Handler = p.hdlr
	pl.Title.TextStyle.Font = font.From(p.face, headSize)
	pl.Legend.TextStyle.Handler = p.hdlr
	pl.Legend.TextStyle.Font = font.From(p.face, labelSize)
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		a.Padding = 0
		a.LineStyle = draw.LineStyle{Color: rule, Width: ruleWidth}
		a.Tick.LineStyle = draw.LineStyle{Color: rule, Width: ruleWidth}
		a.Tick.Length = tickLength
		a.Tick.Label.Font = font.From(p.face, smallSize)
		a.Tick.Label.Color = ink
		a.Tick.Label.Handler = p.hdlr
		a.Label.TextStyle.Handler = p.hdlr
		a.Label.TextStyle.Font = font.From(p.face, labelSize)
	}
	return pl
}

// countTicks returns two to five whole-number ticks from 0 to at least max, steps of 1, 2 or 5 times a
// power of ten, and the top of the axis.
func countTicks(max int) (plot.ConstantTicks, float64) {
	step := 1
	for k := 1; ; k *= 10 {
		if max <= 4*k {
			step = k
			break
		}
		if max <= 8*k {
			step = 2 * k
			break
		}
		if max <= 20*k {
			step = 5 * k
			break
		}
	}
	top := (max + step - 1) / step * step
	if top == 0 {
		top = step
	}
	var ticks plot.ConstantTicks
	for v := 0; v <= top; v += step {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return ticks, float64(top)
}

// rect returns the rectangle between two corners, in any order.
func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}
