package telegram

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/bot"
)

var tags = regexp.MustCompile(`</?(?:b|i|code)>|<a href="[^"]*">|</a>`)

// FuzzRenderHTML renders arbitrary text in every style and splits it at a small limit: every part
// fits the limit in visible UTF-16 units, carries only the tags the renderer writes (so no input
// can inject markup), and together the parts keep every visible character in order.
func FuzzRenderHTML(f *testing.F) {
	for _, s := range []string{"plain <b>not bold</b> & more", "line\nline\n\nline", "😀😀😀 emoji", strings.Repeat("word ", 300), "a`b`c", "\xff\xfe", "&amp;"} {
		f.Add(s, uint8(0), uint16(50))
	}
	f.Fuzz(func(t *testing.T, text string, style uint8, limit uint16) {
		if !utf8.ValidString(text) {
			return // message text from a platform is valid UTF-8
		}
		var m bot.Markup
		switch style % 5 {
		case 0:
			m.Plain(text)
		case 1:
			m.Bold(text)
		case 2:
			m.Code(text).Plain(" ").Italic(text)
		case 3:
			m.Link(text, "https://example.com/?q="+text)
		default:
			m.Item().Content(text)
		}
		lim := int(limit%4096) + 2
		parts := renderHTML(m, lim)
		var visible strings.Builder
		for i, p := range parts {
			bare := tags.ReplaceAllString(p, "")
			if strings.ContainsAny(bare, "<>") {
				t.Fatalf("part %d has markup the renderer did not write: %q", i, p)
			}
			shown := html.UnescapeString(bare)
			if n := utf16Len(shown); n > lim {
				t.Fatalf("part %d has %d visible UTF-16 units, limit %d", i, n, lim)
			}
			visible.WriteString(shown)
		}
		var want strings.Builder
		for _, sp := range m.Spans() {
			if sp.Style == bot.Bullet {
				want.WriteString(bullet)
			} else {
				want.WriteString(sp.Text)
			}
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(visible.String()) != squash(want.String()) {
			t.Fatalf("the parts lost or changed text:\n got %q\nwant %q", squash(visible.String()), squash(want.String()))
		}
	})
}

// FuzzUTF16Range turns Telegram's UTF-16 entity offsets into byte offsets for any text and any
// offsets: accepted ranges lie within the text on rune boundaries.
func FuzzUTF16Range(f *testing.F) {
	f.Add("@pybrarian_bot what is flask", 0, 14)
	f.Add("😀 @bot", 3, 4)
	f.Add("x", -1, 5)
	f.Fuzz(func(t *testing.T, s string, off, n int) {
		start, end, ok := utf16Range(s, off, n)
		if !ok {
			return
		}
		if start < 0 || end < start || end > len(s) {
			t.Fatalf("utf16Range(%q, %d, %d) = %d, %d", s, off, n, start, end)
		}
		if !utf8.ValidString(s[start:end]) && utf8.ValidString(s) {
			t.Fatalf("utf16Range(%q, %d, %d) cut a rune: %q", s, off, n, s[start:end])
		}
	})
}
