package bot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// panickySettings panics on every read, as a store with a bug would.
type panickySettings struct{ *storetest.Memory }

func (panickySettings) UserSetting(context.Context, string, string) (string, error) {
	panic("settings exploded")
}

// TestPanicInLanguageLookupIsAnswered: a panic even before routing (reading the learner's
// language) becomes a polite reply and a log line, and the next event is served normally.
func TestPanicInLanguageLookupIsAnswered(t *testing.T) {
	var logs bytes.Buffer
	b, err := New(Config{Content: testKB(t), Settings: panickySettings{storetest.NewMemory()}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rs := ask(b, "en", "/lib pandas")
	if len(rs) != 1 || !strings.Contains(rs[0].Text.PlainText(), "Sorry, something went wrong") {
		t.Errorf("a panicking language lookup answered:\n%s", plain(rs))
	}
	if !strings.Contains(logs.String(), "settings exploded") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
}

// TestCorruptRecordCanBeForgotten plants a record that cannot be decoded: quiz commands say so
// clearly, /forget still works, and the record is kept aside rather than lost silently.
func TestCorruptRecordCanBeForgotten(t *testing.T) {
	st := storetest.NewMemory()
	b, _ := newQuizBot(t, st)
	bad := []byte(`{"v":1,"r":{"id":"abcdef","it":[{"c":"x"}],"p":-3}}`) // a negative position
	if _, err := st.Commit(context.Background(), "test:ada", quiz.Write{Progress: bad}); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"/quiz flask", "/stats", "1"} {
		if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, cmd))); !strings.Contains(got, "could not be read") || !strings.Contains(got, "/forget") {
			t.Errorf("%s with an unreadable record:\n%s", cmd, got)
		}
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/forget yes"))); !strings.Contains(got, "everything I stored about you is gone") {
		t.Fatalf("/forget yes with an unreadable record:\n%s", got)
	}
	if aside := st.Aside("test:ada"); len(aside) != 1 || !bytes.Equal(aside[0], bad) {
		t.Errorf("the unreadable record was not set aside: %q", aside)
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(got, "Answers: 0") {
		t.Errorf("after /forget:\n%s", got)
	}
}

// lostReplies is a store whose commits land but whose replies are lost while lose is set: the
// engine cannot know whether the answer counted, as with a Redis timeout after the write.
type lostReplies struct {
	*storetest.Memory
	mu   sync.Mutex
	lose bool
}

func (s *lostReplies) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	v, err := s.Memory.Commit(ctx, user, w)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.lose {
		return 0, fmt.Errorf("i/o timeout: %w", quiz.ErrUnavailable)
	}
	return v, err
}

// TestUnknownOutcomeIsToldFirst: an answer is saved but its reply is lost; the learner, told
// progress was unavailable, types the answer again. The retry is not graded against the next
// question (which they never saw): they are told their answer was saved, and shown that question.
func TestUnknownOutcomeIsToldFirst(t *testing.T) {
	st := &lostReplies{Memory: storetest.NewMemory()}
	b, c := newQuizBot(t, st.Memory)
	// Rebuild the engine on the lossy store, keeping the bot's settings.
	bank := b.quiz.Bank()
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	b.quiz = e

	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 3")))
	c.t = c.t.Add(5 * time.Second)
	st.lose = true
	answer := fmt.Sprint(q.Question.Correct + 1)
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, answer))); !strings.Contains(got, "Progress is unavailable") {
		t.Fatalf("a lost reply:\n%s", got)
	}
	st.lose = false
	rs := b.Handle(context.Background(), event("ada", "ada", Private, answer))
	got := plain(rs)
	if !strings.Contains(got, "Your last answer was saved after all, and it was right") {
		t.Errorf("the retry should first tell what became of the answer:\n%s", got)
	}
	next := question(t, rs)
	if !strings.Contains(next.Text.PlainText(), "Question 2 of 3") {
		t.Errorf("then show the question now in play:\n%s", next.Text.PlainText())
	}
	if st := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(st, "Answers: 1 ") {
		t.Errorf("the retry must not be graded again:\n%s", st)
	}
}

// TestUnknownOutcomeNotSaved: the store goes quiet before the write lands; the learner is told it
// was not saved and gets the same question again.
func TestUnknownOutcomeNotSaved(t *testing.T) {
	st := storetest.NewMemory()
	b, c := newQuizBot(t, st)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 3")))
	c.t = c.t.Add(5 * time.Second)
	st.SetFail(fmt.Errorf("i/o timeout: %w", quiz.ErrUnavailable))
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[0].Data))
	st.SetFail(nil)
	rs := b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[0].Data))
	if got := plain(rs); !strings.Contains(got, "was not saved") {
		t.Errorf("want the learner told the answer was not saved:\n%s", got)
	}
	if again := question(t, rs); again.Question.Token != q.Question.Token {
		t.Errorf("want the same question again")
	}
}

// TestOutageIsLoggedOncePerMinute: every request fails while the store refuses writes, but the log
// gets one line when it starts and one a minute after.
func TestOutageIsLoggedOncePerMinute(t *testing.T) {
	st := storetest.NewMemory()
	b, c := newQuizBot(t, st)
	var logs bytes.Buffer
	b.log = slog.New(slog.NewTextHandler(&logs, nil))
	st.SetFail(fmt.Errorf("OOM command not allowed when used memory > 'maxmemory': %w", quiz.ErrUnavailable))
	for i := 0; i < 50; i++ {
		c.t = c.t.Add(time.Second)
		if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(got, "Progress is unavailable right now") {
			t.Fatalf("request %d during the outage:\n%s", i, got)
		}
	}
	if n := strings.Count(logs.String(), `msg="progress store unavailable"`); n != 1 {
		t.Errorf("50 failures in 50 s logged %d times, want once:\n%s", n, logs.String())
	}
	c.t = c.t.Add(time.Minute)
	b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))
	if n := strings.Count(logs.String(), `msg="progress store unavailable"`); n != 2 || !strings.Contains(logs.String(), "similar_since_last=49") {
		t.Errorf("a minute later: %d lines, want 2 with the count held back:\n%s", n, logs.String())
	}
	if got := entryOf(b.Handle(context.Background(), event("ada", "ada", Private, "what is flask?"))); got != "flask" {
		t.Errorf("lookups must not depend on the store: got %q", got)
	}
}
