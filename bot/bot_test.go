package bot

import (
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

var (
	kbOnce sync.Once
	kb     *content.KB
	kbErr  error
)

// testKB loads the real knowledge base once for the package's tests.
func testKB(t testing.TB) *content.KB {
	t.Helper()
	kbOnce.Do(func() { kb, kbErr = content.Load(content.Embedded()) })
	if kbErr != nil {
		t.Fatalf("loading content: %v", kbErr)
	}
	return kb
}

func newTestBot(t testing.TB) *Bot {
	t.Helper()
	b, err := New(Config{Content: testKB(t), Now: func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

// ask sends text as a private message from a user with the given locale.
func ask(b *Bot, locale, text string) []Reply {
	return b.Handle(context.Background(), Event{
		Platform: "test", ChatID: "c1", UserID: "u1", UserName: "Ada", Locale: locale, Chat: Private, Text: text,
	})
}

// askGroup sends text in a group without addressing the bot.
func askGroup(b *Bot, text string) []Reply {
	return b.Handle(context.Background(), Event{
		Platform: "test", ChatID: "g1", UserID: "u1", UserName: "Ada", Chat: Group, Text: text,
	})
}

func plain(rs []Reply) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Text.PlainText())
	}
	return strings.Join(parts, "\n---\n")
}

func entryOf(rs []Reply) string {
	if len(rs) != 1 {
		return ""
	}
	return rs[0].Entry
}

func TestCatalogHasBothLanguages(t *testing.T) {
	for id, text := range catalog {
		if text.EN == "" || text.ZH == "" {
			t.Errorf("message %q lacks a language: %+v", id, text)
		}
		if strings.Count(text.EN, "%") != strings.Count(text.ZH, "%") {
			t.Errorf("message %q: English and Chinese take different arguments", id)
		}
	}
}

// TestEveryMessageIsWritten catches a message named in code but missing from the catalogue,
// which a learner would see as its bare id ("when-minute").
func TestEveryMessageIsWritten(t *testing.T) {
	src, err := os.ReadFile("messages.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`msgID = "([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		if _, ok := catalog[msgID(m[1])]; !ok {
			t.Errorf("message %q has no text", m[1])
		}
	}
}

func TestParseCommand(t *testing.T) {
	for _, tt := range []struct {
		in, name, args string
		ok             bool
	}{
		{"/lib pandas", "lib", "pandas", true},
		{"/LIB   beautiful   soup ", "lib", "beautiful soup", true},
		{"/lib@PybrarianBot pandas", "lib", "pandas", true},
		{"／lib　pandas", "lib", "pandas", true},
		{"/help", "help", "", true},
		{"lib pandas", "", "", false},
		{"/", "", "", false},
	} {
		name, args, ok := parseCommand(tt.in)
		if name != tt.name || args != tt.args || ok != tt.ok {
			t.Errorf("parseCommand(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, args, ok, tt.name, tt.args, tt.ok)
		}
	}
}

func TestRegisterRejectsMistakes(t *testing.T) {
	h := func(context.Context, *Request) ([]Reply, error) { return nil, nil }
	help := content.Text{EN: "x", ZH: "x"}
	for _, tt := range []struct {
		name string
		cmds []Command
	}{
		{"bad name", []Command{{Name: "Lib", Help: help, Handler: h}}},
		{"duplicate", []Command{{Name: "a", Help: help, Handler: h}, {Name: "a", Help: help, Handler: h}}},
		{"no handler", []Command{{Name: "a", Help: help}}},
		{"no chinese help", []Command{{Name: "a", Help: content.Text{EN: "x"}, Handler: h}}},
		{"bad argument name", []Command{{Name: "a", Help: help, Handler: h, Args: []Arg{{Name: "Topic", Label: help, Help: help}}}}},
		{"argument without help", []Command{{Name: "a", Help: help, Handler: h, Args: []Arg{{Name: "topic", Label: help}}}}},
		{"required after optional", []Command{{Name: "a", Help: help, Handler: h, Args: []Arg{{Name: "x", Label: help, Help: help}, {Name: "y", Label: help, Help: help, Required: true}}}}},
	} {
		var r router
		if err := r.register(tt.cmds...); err == nil {
			t.Errorf("%s: register succeeded, want an error", tt.name)
		}
	}
}
