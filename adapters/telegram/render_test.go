package telegram

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/bot"
)

func TestRenderHTML(t *testing.T) {
	var m bot.Markup
	m.Bold("a<b>").Plain(" & ").Italic(`"i"`).Line().
		Code("x<y").Plain(" ").Link("docs & more", `https://e.x/?a=1&b="2"`).
		Item().Plain("one").Item().Plain("two").Para()
	got := renderHTML(m, maxMessageLen)
	want := []string{"<b>a&lt;b&gt;</b> &amp; <i>&#34;i&#34;</i>\n" +
		`<code>x&lt;y</code> <a href="https://e.x/?a=1&amp;b=&#34;2&#34;">docs &amp; more</a>` + "\n• one\n• two"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("renderHTML (-want +got):\n%s", diff)
	}
}

func TestRenderHTMLSplits(t *testing.T) {
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	line := func(i int) string { return fmt.Sprintf("line %02d 🐼", i) } // 10 UTF-16 units
	var m bot.Markup
	for i := range 10 {
		m.Bold(line(i)).Line()
	}
	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"fits", 200, nil},
		// 10 units a line plus the line breaks: three lines take 32 units.
		{"between lines", 32, []string{"0 1 2", "3 4 5", "6 7 8", "9"}},
		{"one short", 31, []string{"0 1", "2 3", "4 5", "6 7", "8 9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := renderHTML(m, tt.limit)
			var got []string
			for _, p := range parts {
				if n := u16(strings.NewReplacer("<b>", "", "</b>", "").Replace(p)); n > tt.limit {
					t.Errorf("part %q is %d units, over %d", p, n, tt.limit)
				}
				var idx []string
				for _, l := range strings.Split(p, "\n") {
					var i int
					fmt.Sscanf(strings.TrimPrefix(l, "<b>"), "line %d", &i)
					idx = append(idx, fmt.Sprint(i))
				}
				got = append(got, strings.Join(idx, " "))
			}
			if tt.want == nil {
				if len(parts) != 1 {
					t.Errorf("%d parts, want 1", len(parts))
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines per part (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderHTMLSplitsALongLine(t *testing.T) {
	var m bot.Markup
	m.Plain("intro").Line().Plain(strings.Repeat("word ", 30)).Bold("bold tail").Line().Plain("end")
	parts := renderHTML(m, 40)
	if len(parts) < 4 {
		t.Fatalf("%d parts, want the 159-unit line cut into several", len(parts))
	}
	var joined strings.Builder
	for _, p := range parts {
		if n := len(utf16.Encode([]rune(strings.NewReplacer("<b>", "", "</b>", "").Replace(p)))); n > 40 {
			t.Errorf("part %q over the limit", p)
		}
		if strings.Count(p, "<b>") != strings.Count(p, "</b>") {
			t.Errorf("part %q cuts a tag", p)
		}
		joined.WriteString(strings.NewReplacer("<b>", "", "</b>", "", "\n", "").Replace(p))
	}
	if want := "intro" + strings.Repeat("word ", 30) + "bold tail" + "end"; joined.String() != want {
		t.Errorf("text lost in the split:\n%q\nwant\n%q", joined.String(), want)
	}
	for _, p := range parts[1 : len(parts)-2] {
		if !strings.HasSuffix(p, " ") && !strings.HasSuffix(p, "</b>") {
			t.Errorf("part %q was not cut at a space", p)
		}
	}
}

func TestKeyboard(t *testing.T) {
	r := bot.Reply{
		Choices: []bot.Choice{{Label: "Flask", Data: "tok:0"}, {Label: "Django", Data: "tok:1"}},
		Buttons: []bot.Button{
			{Label: "Docs", URL: "https://docs"}, {Label: "PyPI", URL: "https://pypi"},
			{Label: "Quiz me", Command: "/quiz pandas"},
			{Label: "Too long", Command: "/quiz " + strings.Repeat("x", 64)},
		},
	}
	kb, err := keyboard(r)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, row := range kb.InlineKeyboard {
		var cells []string
		for _, b := range row {
			switch {
			case b.URL != nil:
				cells = append(cells, b.Text+" → "+*b.URL)
			default:
				cells = append(cells, b.Text+" = "+*b.CallbackData)
			}
		}
		got = append(got, cells)
	}
	want := [][]string{
		{"Flask = tok:0"}, {"Django = tok:1"},
		{"Docs → https://docs", "PyPI → https://pypi"},
		{"Quiz me = cmd:/quiz pandas"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keyboard (-want +got):\n%s", diff)
	}

	if _, err := keyboard(bot.Reply{Choices: []bot.Choice{{Label: "x", Data: strings.Repeat("d", 65)}}}); err == nil {
		t.Error("a choice with 65 bytes of data was accepted; Telegram refuses it")
	}
	if kb, err := keyboard(bot.Reply{}); kb != nil || err != nil {
		t.Errorf("keyboard of a plain reply = %v, %v; want none", kb, err)
	}
}

func TestUTF16Range(t *testing.T) {
	s := "🐼 hi @bot!"
	tests := []struct {
		off, n     int
		want       string
		wantOK     bool
		start, end int
	}{
		{0, 2, "🐼", true, 0, 0},
		{6, 4, "@bot", true, 0, 0},
		{6, 5, "@bot!", true, 0, 0},
		{6, 6, "", false, 0, 0},
		{11, 0, "", true, 0, 0},
		{-1, 2, "", false, 0, 0},
	}
	for _, tt := range tests {
		start, end, ok := utf16Range(s, tt.off, tt.n)
		if ok != tt.wantOK || (ok && s[start:end] != tt.want) {
			t.Errorf("utf16Range(%q, %d, %d) = %d, %d, %v; want %q, %v", s, tt.off, tt.n, start, end, ok, tt.want, tt.wantOK)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"a longer sentence here", 12, "a longer…"},
		{"🐼🐼🐼🐼", 5, "🐼🐼…"},
	} {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
