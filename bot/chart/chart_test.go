package chart

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

var update = flag.Bool("update", false, "rewrite the golden pictures in testdata")

// latinRenderer has no CJK font, whatever the machine has installed.
func latinRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	return newRenderer("", nil, nil)
}

// cjkRenderer draws Chinese with wqy-microhei, the font CI installs. Without it the test is skipped,
// except under CI (the CI variable set), where the Chinese goldens must run.
func cjkRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	if _, err := os.Stat(wqyMicroHei); err != nil {
		msg := fmt.Sprintf("Chinese pictures need %s: apt-get install fonts-wqy-microhei", wqyMicroHei)
		if os.Getenv("CI") != "" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	r := newRenderer(wqyMicroHei, nil, nil)
	if !r.hasCJK {
		tb.Fatalf("newRenderer(%q) found no CJK font", wqyMicroHei)
	}
	return r
}

// A golden is a picture kept in testdata/NAME.png.
type golden struct {
	name   string
	cjk    bool // drawn with cjkRenderer
	render func(*Renderer) ([]byte, error)
}

// Pixel tolerance of the golden comparison. The rasteriser is pure Go, but floating-point contraction
// (on arm64, say) moves glyph edges by a shade: a channel may be off by channelSlack, and one pixel in
// ten thousand by more. A changed word is well above that (a few hundred pixels); the record tests
// below check the words themselves.
const (
	channelSlack  = 24
	maxOffPercent = 0.01
)

// checkGoldens renders each golden and compares it with its file, or rewrites the file with -update.
func checkGoldens(t *testing.T, goldens []golden) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			r := latinRenderer(t)
			if g.cjk {
				r = cjkRenderer(t)
			}
			got, err := g.render(r)
			if err != nil {
				t.Fatal(err)
			}
			if w := decode(t, got).Bounds().Dx(); w != Width || w < 1000 {
				t.Errorf("%s is %d px wide, want %d (at least 1,000)", g.name, w, Width)
			}
			path := filepath.Join("testdata", g.name+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./bot/chart -update writes it)", err)
			}
			if msg := comparePNG(t, got, want); msg != "" {
				f, err := os.CreateTemp("", "chart-"+g.name+"-*.png")
				if err == nil {
					f.Write(got)
					f.Close()
				}
				t.Errorf("%s differs from %s: %s; got %s (-update rewrites the golden)", g.name, path, msg, f.Name())
			}
		})
	}
}

// comparePNG describes how two PNGs differ beyond the tolerance, or returns "".
func comparePNG(tb testing.TB, got, want []byte) string {
	tb.Helper()
	a, b := rgba(decode(tb, got)), rgba(decode(tb, want))
	if a.Bounds() != b.Bounds() {
		return fmt.Sprintf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	off, worst := 0, 0
	for i := 0; i < len(a.Pix); i += 4 {
		d := max(absDiff(a.Pix[i], b.Pix[i]), absDiff(a.Pix[i+1], b.Pix[i+1]), absDiff(a.Pix[i+2], b.Pix[i+2]))
		worst = max(worst, d)
		if d > channelSlack {
			off++
		}
	}
	total := len(a.Pix) / 4
	if pct := 100 * float64(off) / float64(total); pct > maxOffPercent {
		return fmt.Sprintf("%d of %d pixels (%.2f%%) off by more than %d, worst %d", off, total, pct, channelSlack, worst)
	}
	return ""
}

// rgba returns img as 8-bit RGBA, converting when the PNG decoded to another model.
func rgba(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Stride == 4*m.Rect.Dx() {
		return m
	}
	m := image.NewRGBA(img.Bounds())
	draw.Draw(m, m.Bounds(), img, img.Bounds().Min, draw.Src)
	return m
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func decode(tb testing.TB, b []byte) image.Image {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("png.Decode: %v", err)
	}
	return img
}

// seen is one string a learner sees on a picture.
type seen struct {
	s        string
	typeface font.Typeface
	x0, x1   vg.Length // left and right ends
	y        vg.Length // baseline
}

// record draws p on a recorder and returns its texts in drawing order.
func record(tb testing.TB, r *Renderer, p picture) []seen {
	tb.Helper()
	var rec recorder.Canvas
	p.draw(vgdraw.Canvas{Canvas: &rec, Rectangle: vg.Rectangle{Max: vg.Point{X: Width, Y: p.height}}})
	var out []seen
	for _, a := range rec.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			face := r.fonts.Lookup(fs.Font, fs.Size)
			out = append(out, seen{fs.String, fs.Font.Typeface, fs.Point.X, fs.Point.X + face.Width(fs.String), fs.Point.Y})
		}
	}
	return out
}

func strs(texts []seen) []string {
	var out []string
	for _, t := range texts {
		out = append(out, t.s)
	}
	return out
}

// says fails the test unless the picture shows each of want, as a whole string.
func says(tb testing.TB, name string, got []string, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			tb.Errorf("%s does not say %q; it says %q", name, w, got)
		}
	}
}

// checkInside fails the test when a text of p runs into the margins or off the picture, or when p is
// too short or too tall to read on a phone: chat apps scale photos to about 2560 pixels on their long
// side, which would leave a taller picture under 1,000 pixels wide.
func checkInside(tb testing.TB, r *Renderer, name string, p picture) {
	tb.Helper()
	if p.height < 200 || p.height > 2560 {
		tb.Errorf("%s: height %v px, want 200 to 2560", name, p.height)
	}
	for _, s := range record(tb, r, p) {
		if s.x0 < margin/2 || s.x1 > Width-margin/2 || s.y < 0 || s.y > p.height {
			tb.Errorf("%s: %q drawn from x=%.0f to %.0f at y=%.0f, outside the %d×%.0f picture's margins", name, s.s, s.x0, s.x1, s.y, Width, p.height)
		}
	}
}

// logCount is a slog handler that keeps each record's level and message.
type logCount struct {
	mu   sync.Mutex
	msgs []string
}

func (h *logCount) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCount) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Level.String()+" "+r.Message)
	return nil
}
func (h *logCount) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logCount) WithGroup(string) slog.Handler      { return h }

// Without a CJK font, Chinese pictures are the English ones, and the log says so once.
func TestNoCJKFont(t *testing.T) {
	logs := &logCount{}
	r := newRenderer("/nonexistent/font.ttc", []string{"/nonexistent/other.ttc"}, slog.New(logs))
	if got := r.Lang("zh"); got != "en" {
		t.Errorf("Lang(%q) = %q, want %q", "zh", got, "en")
	}
	board := Board{Lang: "en", Rows: []BoardRow{{Name: "Alice", Points: 3}}}
	zh := board
	zh.Lang = "zh"
	var pics [][]byte
	for _, b := range []Board{zh, board, zh} {
		pic, err := r.Leaderboard(b)
		if err != nil {
			t.Fatal(err)
		}
		pics = append(pics, pic)
	}
	if !bytes.Equal(pics[0], pics[1]) || !bytes.Equal(pics[2], pics[1]) {
		t.Errorf("without a CJK font, the Chinese leaderboard differs from the English one")
	}
	says(t, "Chinese leaderboard without a CJK font", strs(record(t, r, r.boardPicture(zh))), "This week's top learners", "3 pts")
	var noFont int
	for _, m := range logs.msgs {
		if strings.Contains(m, "no CJK font") {
			noFont++
		}
	}
	if noFont != 1 || len(logs.msgs) != 2 {
		t.Errorf("log = %q, want one warning about the configured font and one about no CJK font", logs.msgs)
	}
}

func TestFontFoundLogged(t *testing.T) {
	cjkRenderer(t) // skips without the font
	logs := &logCount{}
	r := newRenderer("", []string{"/nonexistent/other.ttc", wqyMicroHei}, slog.New(logs))
	if !r.hasCJK || len(logs.msgs) != 1 || !strings.HasPrefix(logs.msgs[0], "INFO chart: CJK font") {
		t.Errorf("searching finds a CJK font = %v, log = %q; want the font, logged once", r.hasCJK, logs.msgs)
	}
}

func TestLang(t *testing.T) {
	r := cjkRenderer(t)
	for _, tc := range []struct{ in, want string }{
		{"zh", "zh"}, {"zh-CN", "zh"}, {"zh_TW", "zh"}, {"en", "en"}, {"", "en"}, {"zhx", "en"}, {"fr", "en"},
	} {
		if got := r.Lang(tc.in); got != tc.want {
			t.Errorf("Lang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
