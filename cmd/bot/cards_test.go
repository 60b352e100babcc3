package main

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/audit"
)

// exportedCards runs `bot cards` with env and decodes its output strictly: one JSON object a line,
// with no field the format does not name.
func exportedCards(t *testing.T, env map[string]string) []quiz.Exported {
	t.Helper()
	code, out, stderr := runBot(t, []string{"cards"}, "", env)
	if code != 0 {
		t.Fatalf("bot cards: exit %d\n%s", code, stderr)
	}
	var cards []quiz.Exported
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var c quiz.Exported
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("line %d is not a card: %v\n%s", i+1, err, line)
		}
		cards = append(cards, c)
	}
	return cards
}

func TestCardsExport(t *testing.T) {
	cards := exportedCards(t, nil)
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != len(bank.Cards()) {
		t.Errorf("bot cards printed %d cards, want the whole bank of %d", len(cards), len(bank.Cards()))
	}
	ids := map[string]bool{}
	for _, c := range cards {
		if ids[c.ID] {
			t.Errorf("card %s printed twice", c.ID)
		}
		ids[c.ID] = true
		if c.Entry == "" || c.Name == "" || !strings.HasPrefix(c.Fact, c.Entry+"/") || len(c.Topics) == 0 {
			t.Errorf("%s: entry %q, name %q, fact %q, topics %v", c.ID, c.Entry, c.Name, c.Fact, c.Topics)
		}
		if c.Answer < 0 || c.Answer >= len(c.Choices) {
			t.Errorf("%s: answer %d with %d choices", c.ID, c.Answer, len(c.Choices))
		}
		for _, ch := range c.Choices {
			if ch == quiz.DontKnow {
				t.Errorf("%s: the export lists %q", c.ID, ch.EN)
			}
		}
		if c.Kind == quiz.KindTrue || c.Kind == quiz.KindFalse {
			want := []content.Text{{EN: "True", ZH: "对"}, {EN: "False", ZH: "错"}}
			if len(c.Choices) != 2 || c.Choices[0] != want[0] || c.Choices[1] != want[1] {
				t.Errorf("%s: true/false choices %v", c.ID, c.Choices)
			}
			if wantAnswer := map[quiz.Kind]int{quiz.KindTrue: 0, quiz.KindFalse: 1}[c.Kind]; c.Answer != wantAnswer {
				t.Errorf("%s: %s card answers %d", c.ID, c.Kind, c.Answer)
			}
		}
	}
}

// TestCardsExportContentDir checks that BOT_CONTENT_DIR changes what is exported.
func TestCardsExportContentDir(t *testing.T) {
	b, err := fs.ReadFile(content.Embedded().FS, "entries/flask.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "A Pallets web framework written for this test"
	var lines []string
	inClue := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "  clue:"):
			inClue = true
		case inClue && strings.HasPrefix(l, "    en:"):
			l = "    en: " + marker + "."
			inClue = false
		}
		lines = append(lines, l)
	}
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "entries", "flask.yaml"), strings.Join(lines, "\n"))
	for _, c := range exportedCards(t, map[string]string{"BOT_CONTENT_DIR": dir}) {
		if c.Entry == "flask" && c.Kind == quiz.KindIdentify {
			if !strings.Contains(c.Question.EN, marker) {
				t.Errorf("identify card with BOT_CONTENT_DIR asks %q, want the overriding clue", c.Question.EN)
			}
			return
		}
	}
	t.Error("no identify card for flask")
}

func TestCardsUsage(t *testing.T) {
	if code, _, stderr := runBot(t, []string{"cards", "extra"}, "", nil); code != 2 || !strings.Contains(stderr, "usage") {
		t.Errorf("bot cards extra: exit %d, stderr %q; want 2 and the usage", code, stderr)
	}
}

// TestCardsMeetTheRules checks the exported bank against the card rules (content/FORMAT.md,
// "Content quality"): it fails, naming the offending cards, when any rule is broken.
func TestCardsMeetTheRules(t *testing.T) {
	cards := exportedCards(t, nil)
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range audit.Check(kb, cards, bank) {
		if r.Count > 0 {
			t.Errorf("rule %d (%s) is broken %d times: %s", r.N, r.Name, r.Count, strings.Join(r.Examples, "; "))
		}
	}
}
