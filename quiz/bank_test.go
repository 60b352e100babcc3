package quiz_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

var (
	bankOnce sync.Once
	testBank *quiz.Bank
	bankErr  error
)

func bank(t testing.TB) *quiz.Bank {
	t.Helper()
	bankOnce.Do(func() {
		kb, err := content.Load(content.Embedded())
		if err != nil {
			bankErr = err
			return
		}
		var ps []quiz.Problem
		testBank, ps, bankErr = quiz.NewBank(kb)
		for _, p := range ps {
			if bankErr == nil && !p.Warning {
				bankErr = fmt.Errorf("card problem: %v", p)
			}
		}
	})
	if bankErr != nil {
		t.Fatal(bankErr)
	}
	return testBank
}

// TestCardIDsAreStable pins the id derivation: changing it would orphan every learner's progress.
func TestCardIDsAreStable(t *testing.T) {
	if got, want := quiz.CardID("flask", "clue", quiz.KindIdentify), "Y7w2-4"; got != want {
		t.Errorf("CardID(flask, clue, identify) = %q, want %q: ids must never change", got, want)
	}
}

// TestEveryCardIsSound checks every generated card: distinct choices in both languages, the right
// answer first in canonical order, a prompt and an explanation in both languages, and for trait
// questions no wrong choice that shares the trait.
func TestEveryCardIsSound(t *testing.T) {
	b := bank(t)
	kb := b.Content()
	if n := len(b.Cards()); n < 500 {
		t.Errorf("only %d cards generated", n)
	}
	for _, c := range b.Cards() {
		if len(c.ID) != quiz.IDLen {
			t.Errorf("%s: id %q has the wrong length", c.Entry, c.ID)
		}
		if len(c.Choices) < 2 || len(c.Choices) > 4 {
			t.Errorf("%s/%s/%s: %d choices", c.Entry, c.Kind, c.Key, len(c.Choices))
		}
		for _, lang := range []content.Lang{content.English, content.Chinese} {
			seen := map[string]bool{}
			for _, ch := range c.Choices {
				k := content.Normalize(ch.In(lang))
				if seen[k] {
					t.Errorf("%s/%s/%s: choice %q appears twice in %s", c.Entry, c.Kind, c.Key, ch.In(lang), lang)
				}
				seen[k] = true
			}
			if c.Prompt.In(lang) == "" || c.Explain.In(lang) == "" {
				t.Errorf("%s/%s/%s: prompt or explanation missing in %s", c.Entry, c.Kind, c.Key, lang)
			}
		}
		if c.Kind == quiz.KindWhich {
			for _, ch := range c.Choices[1:] {
				for _, e := range kb.Entries() {
					if e.Name == ch.EN {
						for _, tr := range e.Quiz.Traits {
							if tr.Key == c.Key {
								t.Errorf("%s: wrong choice %s also has trait %q", c.ID, e.ID, c.Key)
							}
						}
					}
				}
			}
		}
	}
}

func TestResolveScope(t *testing.T) {
	b := bank(t)
	for _, tt := range []struct {
		name string
		want quiz.Scope
	}{
		{"frameworks", quiz.Scope{Topic: "frameworks"}},
		{"Frameworks", quiz.Scope{Topic: "frameworks"}},
		{"framworks", quiz.Scope{Topic: "frameworks"}},
		{"框架", quiz.Scope{Topic: "frameworks"}},
		{"机器学习", quiz.Scope{Topic: "ml"}},
		{"常用库", quiz.Scope{Topic: "essentials"}},
		{"all", quiz.Scope{Topic: quiz.TopicAll}},
		{"全部", quiz.Scope{Topic: quiz.TopicAll}},
		{"pandas", quiz.Scope{Entry: "pandas"}},
		{"sklearn", quiz.Scope{Entry: "scikit-learn"}},
		{"djnago", quiz.Scope{Entry: "django"}},
	} {
		got, ok := b.ResolveScope(tt.name)
		if !ok || got != tt.want {
			t.Errorf("ResolveScope(%q) = %+v, %v; want %+v", tt.name, got, ok, tt.want)
		}
	}
	if got, ok := b.ResolveScope("cooking"); ok {
		t.Errorf("ResolveScope(cooking) = %+v, want no match", got)
	}
}

// TestGeneratedCardsGolden pins every generated card. After an intended change to the content or
// the generator, run `go test ./quiz -run Golden -update` and review the diff.
func TestGeneratedCardsGolden(t *testing.T) {
	b := bank(t)
	var sb strings.Builder
	for _, c := range b.Cards() {
		fmt.Fprintf(&sb, "%s %s %s %s [%s]\n", c.ID, c.Entry, c.Kind, c.Key, strings.Join(c.Topics, ","))
		fmt.Fprintf(&sb, "  en: %s\n", c.Prompt.EN)
		for i, ch := range c.Choices {
			fmt.Fprintf(&sb, "    %d %s | %s\n", i, ch.EN, ch.ZH)
		}
		fmt.Fprintf(&sb, "  zh: %s\n", c.Prompt.ZH)
	}
	path := filepath.Join("testdata", "cards.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s (run with -update to create it): %v", path, err)
	}
	if diff := cmp.Diff(string(want), sb.String()); diff != "" {
		t.Errorf("generated cards differ from %s (-want +got):\n%s", path, diff)
	}
}

func BenchmarkNewBank(b *testing.B) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := quiz.NewBank(kb); err != nil {
			b.Fatal(err)
		}
	}
}
