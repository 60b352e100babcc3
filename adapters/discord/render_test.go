package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

func TestRenderSpans(t *testing.T) {
	tests := []struct {
		name string
		m    func(*bot.Markup)
		want string
	}{
		{"plain is escaped", func(m *bot.Markup) { m.Plain("**a** _b_ ~c~ `d` |e| > f # g - h [i](j) \\") },
			`\*\*a\*\* \_b\_ \~c\~ \` + "`" + `d\` + "`" + ` \|e\| \> f \# g \- h \[i\](j) \\`},
		{"mentions stay text", func(m *bot.Markup) { m.Plain("@everyone @here <@123> <#456> <t:1:R>") },
			"@\u200beveryone @\u200bhere \\<@\u200b123\\> \\<\\#456\\> \\<t:1:R\\>"},
		{"bold keeps spaces outside", func(m *bot.Markup) { m.Bold("Key features: ").Plain("x") }, "**Key features:** x"},
		{"bold then italic", func(m *bot.Markup) { m.Bold("a").Italic("b") }, "**a**\u200b*b*"},
		{"code is literal", func(m *bot.Markup) { m.Code("pip install *x* `y`") }, "`pip install *x* ˋyˋ`"},
		{"bullets", func(m *bot.Markup) { m.Plain("Head").Item().Plain("one").Item().Plain("two") }, "Head\n• one\n• two"},
		{"masked link", func(m *bot.Markup) { m.Link("the docs", "https://example.org/a b)") }, "[the docs](<https://example.org/a%20b%29>)"},
		{"bare link", func(m *bot.Markup) { m.Link("https://example.org", "https://example.org") }, "<https://example.org>"},
		{"not a web link", func(m *bot.Markup) { m.Link("x", "javascript:alert(1)") }, "x"},
		{"blank lines kept inside, trimmed at the end", func(m *bot.Markup) { m.Plain("a").Para().Plain("b").Para() }, "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m bot.Markup
			tt.m(&m)
			got := renderMarkdown(m, maxContent)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("renderMarkdown = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderSplitsWithinLimits(t *testing.T) {
	var m bot.Markup
	for i := range 300 {
		m.Item().Bold("entry-" + strings.Repeat("x", i%7)).Plain(" — a_b*c ")
	}
	m.Para().Plain(strings.Repeat("word_ ", 900)) // one line far over the limit, doubled by escaping
	m.Line().Bold(strings.Repeat("B", 2500))
	parts := renderMarkdown(m, maxContent)
	if len(parts) < 4 {
		t.Fatalf("%d parts, want the text split", len(parts))
	}
	var text strings.Builder
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > maxContent || n == 0 {
			t.Errorf("part %d has %d characters", i, n)
		}
		if strings.Count(p, "**")%2 != 0 {
			t.Errorf("part %d cuts through a bold span: %q…", i, p[:min(len(p), 80)])
		}
		text.WriteString(p)
	}
	plain := strings.NewReplacer("\\", "", "*", "", "\n", "", " ", "", "•", "", "\u200b", "").Replace(text.String())
	want := strings.NewReplacer("*", "", "\n", "", " ", "", "•", "").Replace(m.PlainText())
	if plain != want {
		t.Error("splitting lost or changed text")
	}
}

func TestRenderQuestion(t *testing.T) {
	long := strings.Repeat("a very long description of a library ", 4)
	r := bot.Reply{Text: bot.Text("Which fits?"), Choices: []bot.Choice{
		{Label: "Flask", Data: "q:a.1.0"}, {Label: long, Data: "q:a.1.1"}, {Label: "C", Data: "q:a.1.2"},
		{Label: "D", Data: "q:a.1.3"}, {Label: "E", Data: "q:a.1.4"}, {Label: "I don't know", Data: "q:a.1.5"},
	}, Buttons: []bot.Button{
		{Label: "Docs", URL: "https://example.org"}, {Label: "Quiz me", Command: "/quiz flask"},
		{Label: "Too long", Command: "/quiz " + strings.Repeat("x", 100)}, {Label: "Bad link", URL: "ftp://x"},
	}}
	msgs := render(r)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if !strings.Contains(m.content, "**2.** "+escapeText(long)) {
		t.Errorf("a choice too long for a button is not listed in the text:\n%s", m.content)
	}
	var rows [][]string
	for _, row := range m.components {
		var ids []string
		for _, c := range row.(discordgo.ActionsRow).Components {
			b := c.(discordgo.Button)
			if n := utf8.RuneCountInString(b.Label); n == 0 || n > maxButtonLabel {
				t.Errorf("button label %q has %d characters", b.Label, n)
			}
			ids = append(ids, b.CustomID+b.URL)
		}
		rows = append(rows, ids)
	}
	want := [][]string{
		{"q:a.1.0", "q:a.1.1", "q:a.1.2", "q:a.1.3", "q:a.1.4"},
		{"q:a.1.5"},
		{"https://example.org", "cmd:/quiz flask"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("button rows (-want +got):\n%s", diff)
	}
}

func TestCardEmbedWithinLimits(t *testing.T) {
	var huge bot.Markup
	huge.Plain(strings.Repeat("text ", 2000))
	c := &bot.EntryCard{ID: "x", Title: strings.Repeat("T", 300), Kind: content.KindFramework, Subtitle: "framework", Description: huge}
	for range 30 {
		c.Fields = append(c.Fields, bot.CardField{Name: strings.Repeat("n", 300), Value: huge})
	}
	c.Fields = append(c.Fields, bot.CardField{Name: "empty", Value: bot.Markup{}})
	e := cardEmbed(c)
	if n := utf8.RuneCountInString(e.Title); n > maxEmbedTitle {
		t.Errorf("title has %d characters", n)
	}
	if n := utf8.RuneCountInString(e.Description); n > maxEmbedDescription || !strings.HasSuffix(e.Description, "…") {
		t.Errorf("description has %d characters, want at most %d ending in …", n, maxEmbedDescription)
	}
	for _, f := range e.Fields {
		if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue || f.Value == "" {
			t.Errorf("field %q has a name of %d and a value of %d characters", f.Name[:10], utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value))
		}
	}
	if n := embedSize(e); n > maxEmbedTotal {
		t.Errorf("embed has %d characters in all", n)
	}
	if e.Color != 0x2E8B57 {
		t.Errorf("colour %#x, want the framework green", e.Color)
	}
}

func TestCardNote(t *testing.T) {
	var note bot.Markup
	note.Italic("(You typed “pnadas”; showing pandas.)")
	msgs := render(bot.Reply{Card: &bot.EntryCard{Title: "pandas", Note: note, Description: bot.Text("Tables.")}})
	if len(msgs) != 1 || msgs[0].content != "*(You typed “pnadas”; showing pandas.)*" || len(msgs[0].embeds) != 1 {
		t.Errorf("render = %+v, want the note as content above the embed", msgs)
	}
}
