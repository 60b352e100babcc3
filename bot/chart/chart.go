package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width is the width of every picture in pixels: wide enough to stay sharp when a phone shows it at
// full width, narrow enough that chat apps do not scale it down.
const Width = 1080

// Renderer draws pictures. It holds the parsed fonts and is safe for concurrent use; make one at
// start-up and share it.
type Renderer struct {
	fonts  *font.Cache
	hasCJK bool
	png    png.Encoder
}

// NewRenderer parses the fonts once. Chinese text needs a CJK font: fontPath names one (a TrueType or
// OpenType font, or a .ttc/.otc collection, whose Simplified Chinese face is used); when it is empty
// or unusable the usual system locations are searched (fonts-wqy-microhei, fonts-noto-cjk, …). The
// outcome is logged once, here: without a CJK font, Chinese pictures are drawn with English labels.
// A nil log discards messages.
func NewRenderer(fontPath string, log *slog.Logger) *Renderer {
	return newRenderer(fontPath, systemFontPaths, log)
}

func newRenderer(fontPath string, search []string, log *slog.Logger) *Renderer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var cjk loadedFont
	if fontPath != "" {
		f, err := loadCJK(fontPath)
		if err != nil {
			log.Warn("chart: cannot use the configured font, searching system fonts", "path", fontPath, "err", err)
		}
		cjk = f
	}
	for _, p := range search {
		if cjk.face != nil {
			break
		}
		cjk, _ = loadCJK(p)
	}
	if cjk.face == nil {
		log.Warn("chart: no CJK font found; Chinese pictures use English labels",
			"hint", "install fonts-wqy-microhei or fonts-noto-cjk, or set BOT_CHART_FONT")
	} else {
		log.Info("chart: CJK font", "path", cjk.path, "family", cjk.family)
	}
	return &Renderer{
		fonts:  newFontCache(cjk.face),
		hasCJK: cjk.face != nil,
		// Fast compression: the pictures are mostly flat colour, so the files stay small (under
		// 200 kB), and encoding at the default level would take most of the rendering time.
		png: png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}},
	}
}

// Lang returns the language pictures requested in lang are written in: "zh" for Chinese when a CJK
// font was found, "en" otherwise. Callers use it to choose the language of the names they pass in.
func (r *Renderer) Lang(lang string) string {
	if r.lang(lang) == chinese {
		return "zh"
	}
	return "en"
}

func (r *Renderer) lang(s string) lang {
	if r.hasCJK && (s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_")) {
		return chinese
	}
	return english
}

// picture is a drawing of a given height, kept apart from its rasterisation so tests can record
// what it draws.
type picture struct {
	height vg.Length
	draw   func(draw.Canvas)
}

// dpi makes one point one pixel, so every length in this package is in pixels.
const dpi = 72

func (r *Renderer) encode(p picture) ([]byte, error) {
	// vgimg.New would copy the image into its graphics context (8 MB more per picture); handing it a
	// context on the image means setting the context up as vgimg.New does: y up, butt line caps.
	img := image.NewRGBA(image.Rect(0, 0, Width, int(p.height)))
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
	p.draw(draw.New(c))
	var buf bytes.Buffer
	if err := r.png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// pngBuffers lets one Renderer's encoder reuse its compression buffers across pictures.
type pngBuffers struct{ sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer  { b, _ := p.Pool.Get().(*png.EncoderBuffer); return b }
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.Pool.Put(b) }

// handler returns the text handler for this Renderer's fonts.
func (r *Renderer) handler() text.Handler {
	return fallbackText{Plain: text.Plain{Fonts: r.fonts}, hasCJK: r.hasCJK}
}
