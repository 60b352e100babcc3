package quiz

import (
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

func embeddedBank(t *testing.T) *Bank {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPlanAsksEachFactOnce plans rounds in which several due cards test the same fact: only the most
// overdue of them is asked, and no new card repeats a fact already in the round.
func TestPlanAsksEachFactOnce(t *testing.T) {
	b := embeddedBank(t)
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	byFact := map[string][]*Card{}
	for _, c := range b.In(Scope{Topic: "frameworks"}) {
		byFact[c.Fact] = append(byFact[c.Fact], c)
	}
	states := map[string]CardState{}
	shared := 0
	for _, cs := range byFact {
		if len(cs) < 2 {
			continue
		}
		shared++
		for i, c := range cs {
			due := now.Add(-time.Duration(i+1) * time.Hour)
			states[c.ID] = CardState{Card: fsrs.Card{State: fsrs.Review, Stability: 3, Difficulty: 5, Due: due, LastReview: due.Add(-72 * time.Hour)}, Reps: 2}
		}
	}
	if shared == 0 {
		t.Fatal("no fact in the frameworks topic has two cards: the test needs one")
	}
	for _, n := range []int{5, 20} {
		picked, _ := b.plan("ada", Scope{Topic: "frameworks"}, states, n, false, now)
		seen := map[string]string{}
		for _, c := range picked {
			if prev, ok := seen[c.Fact]; ok {
				t.Errorf("round of %d asks %s twice: %s and %s", n, c.Fact, prev, c.ID)
			}
			seen[c.Fact] = c.ID
			if s, ok := states[c.ID]; ok {
				for _, o := range byFact[c.Fact] {
					if states[o.ID].Due.Before(s.Due) {
						t.Errorf("round of %d asks %s, not the more overdue %s of the same fact", n, c.ID, o.ID)
					}
				}
			}
		}
	}
}

// TestEntryScopeNeverAnswersItself checks /quiz pandas: no card whose answer is pandas.
func TestEntryScopeNeverAnswersItself(t *testing.T) {
	b := embeddedBank(t)
	for _, e := range b.Content().Entries() {
		cards := b.In(Scope{Entry: e.ID})
		for _, c := range cards {
			if c.AnswerEntry == e.ID {
				t.Errorf("/quiz %s includes %s (%s), answered by %s itself", e.ID, c.ID, c.Kind, e.ID)
			}
		}
	}
	var identify int
	for _, c := range b.Cards() {
		if c.Kind == KindIdentify && c.AnswerEntry == c.Entry {
			identify++
		}
	}
	if identify == 0 {
		t.Error("identify cards do not record their answer")
	}
}

func TestDecades(t *testing.T) {
	for _, tt := range []struct {
		year, newest int
		want         []string
	}{
		{2008, 2020, []string{"2000s", "1990s", "2010s", "2020s"}},
		{2024, 2020, []string{"2020s", "2010s", "2000s", "1990s"}},
		{1978, 2020, []string{"1970s", "1960s", "1980s", "1990s"}},
	} {
		right, wrong := decades(tt.year, tt.newest)
		got := []string{right.EN}
		for _, w := range wrong {
			got = append(got, w.EN)
		}
		if len(got) != len(tt.want) {
			t.Errorf("decades(%d) = %v, want %v", tt.year, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("decades(%d) = %v, want %v", tt.year, got, tt.want)
				break
			}
		}
	}
	if right, _ := decades(2008, 2020); right.ZH != "2000 年代" {
		t.Errorf("decade in Chinese = %q", right.ZH)
	}
}

func TestSimilar(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"was developed and open-sourced by Microsoft", "is developed by Microsoft", true},
		{"uses Jinja2 as its template engine", "renders its templates with Jinja2 as the template engine", true},
		{"is a Python binding for Qt", "is a Python binding for GTK", false},
		{"draws its widgets with OpenGL", "reads and writes YAML documents", false},
	} {
		if got := Similar(content.Text{EN: tt.a}, content.Text{EN: tt.b}); got != tt.want {
			t.Errorf("Similar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
