package bot

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu      sync.Mutex
	events  []string
	lookups []string
	answers []string
	rounds  []bool
	limited []string
}

func (r *recorder) Event(platform, kind, command string, outcome Outcome, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, platform+" "+kind+" "+command+" "+string(outcome))
}
func (r *recorder) Lookup(o string)   { r.mu.Lock(); r.lookups = append(r.lookups, o); r.mu.Unlock() }
func (r *recorder) Answer(o string)   { r.mu.Lock(); r.answers = append(r.answers, o); r.mu.Unlock() }
func (r *recorder) Round(s bool)      { r.mu.Lock(); r.rounds = append(r.rounds, s); r.mu.Unlock() }
func (r *recorder) Limited(sc string) { r.mu.Lock(); r.limited = append(r.limited, sc); r.mu.Unlock() }
func (r *recorder) Tip(string)        {}

func newObservedBot(t *testing.T, limit RateLimit) (*Bot, *clock, *recorder) {
	t.Helper()
	st := storetest.NewMemory()
	bank, _, err := quiz.NewBank(testKB(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	rec := &recorder{}
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Now: c.now, Observer: rec, RateLimit: limit,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return b, c, rec
}

// TestUserRateLimit: the 21st message in ten seconds gets one polite notice, later ones nothing,
// and once the window has passed the learner is answered again.
func TestUserRateLimit(t *testing.T) {
	b, c, rec := newObservedBot(t, DefaultRateLimit)
	for i := 0; i < 20; i++ {
		if rs := b.Handle(context.Background(), event("ada", "ada", Private, "/lib pandas")); len(rs) != 1 || rs[0].Entry != "pandas" {
			t.Fatalf("message %d within the limit: %s", i+1, plain(rs))
		}
	}
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "/lib pandas"))
	if len(rs) != 1 || !rs[0].Private || !strings.Contains(rs[0].Text.PlainText(), "Slow down") {
		t.Fatalf("the 21st message: want one private notice, got %s", plain(rs))
	}
	for i := 0; i < 5; i++ {
		if rs := b.Handle(context.Background(), event("ada", "ada", Private, "/lib pandas")); len(rs) != 0 {
			t.Fatalf("a flood after the notice got replies: %s", plain(rs))
		}
	}
	if rs := b.Handle(context.Background(), event("bob", "bob", Private, "/lib pandas")); len(rs) != 1 {
		t.Errorf("another user was limited too: %s", plain(rs))
	}
	c.t = c.t.Add(20 * time.Second)
	if rs := b.Handle(context.Background(), event("ada", "ada", Private, "/lib pandas")); len(rs) != 1 || rs[0].Entry != "pandas" {
		t.Errorf("after the window: %s", plain(rs))
	}
	if len(rec.limited) != 6 || rec.limited[0] != "user" {
		t.Errorf("limited events observed: %v, want 6 for the user", rec.limited)
	}
}

// TestChatRateLimitOnlyForStartingCommands: many members starting rounds in one group are limited
// per chat; their answers are not.
func TestChatRateLimitOnlyForStartingCommands(t *testing.T) {
	b, _, _ := newObservedBot(t, DefaultRateLimit)
	started := 0
	for i := 0; i < 40; i++ {
		user := "member" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		rs := b.Handle(context.Background(), event(user, "g", Group, "/quiz frameworks 1"))
		if len(rs) > 0 && len(rs[len(rs)-1].Choices) > 0 {
			started++
			q := rs[len(rs)-1]
			if ans := b.Handle(context.Background(), press(user, "g", Group, q.Choices[0].Data)); len(ans) == 0 {
				t.Errorf("%s's answer was limited", user)
			}
		}
	}
	if started != chatStarts {
		t.Errorf("%d rounds started in one chat within a minute, want %d", started, chatStarts)
	}
}

// TestObserverSeesOutcomes checks what the core reports for metrics, with bounded labels.
func TestObserverSeesOutcomes(t *testing.T) {
	b, c, rec := newObservedBot(t, RateLimit{})
	for _, text := range []string{"/lib pandas", "/lib sklearn", "/lib pnadas", "/lib nosuchthing", "/nosuchcommand", "/quiz frameworks 1"} {
		b.Handle(context.Background(), event("ada", "ada", Private, text))
	}
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz flask 1")))
	c.t = c.t.Add(5 * time.Second)
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
	want := []string{"exact", "alias", "typo", "not_found"}
	if strings.Join(rec.lookups, " ") != strings.Join(want, " ") {
		t.Errorf("lookups = %v, want %v", rec.lookups, want)
	}
	if strings.Join(rec.answers, " ") != "right refused" {
		t.Errorf("answers = %v, want right then refused", rec.answers)
	}
	// Started, started again (closing the first), finished.
	if len(rec.rounds) != 4 || !rec.rounds[0] || !rec.rounds[1] || rec.rounds[2] || rec.rounds[3] {
		t.Errorf("rounds = %v", rec.rounds)
	}
	for _, want := range []string{"test command lib ok", "test command unknown invalid", "test choice  refused"} {
		found := false
		for _, e := range rec.events {
			found = found || e == want
		}
		if !found {
			t.Errorf("events %q lack %q", rec.events, want)
		}
	}
}
