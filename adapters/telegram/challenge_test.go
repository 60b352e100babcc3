package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/quiz"
)

// coreClock is the core's clock in challenge tests: the adapter keeps its own (virtual) one for
// the flood limiter, so moving a challenge's deadlines never waits on a flood budget.
type coreClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *coreClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *coreClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rightButton returns the callback data of the right answer of a posted challenge question and
// of every other choice, finding the card by its prompt.
func rightButton(t *testing.T, c *telegramtest.Call) (string, []string) {
	t.Helper()
	_, b := embedded(t)
	text := visible(c.Get("text"))
	var labels, data []string
	for _, row := range markup(t, c).InlineKeyboard {
		for _, btn := range row {
			if btn.CallbackData != nil {
				labels, data = append(labels, btn.Text), append(data, *btn.CallbackData)
			}
		}
	}
	for _, card := range b.Cards() {
		if !asks(text, card.Prompt.EN) {
			continue
		}
		for i, l := range labels {
			if l == card.Choices[0].EN {
				return data[i], append(append([]string(nil), data[:i]...), data[i+1:]...)
			}
		}
	}
	t.Fatalf("no card asks %q with %v", text, labels)
	return "", nil
}

// TestChallengeManyPlayers: a challenge in a Telegram group, several members pressing at once.
// Each press is answered with a notice only its presser sees (the callback answer), in their
// language; a second press and a late one change nothing; the question is one message, edited in
// place with its results (keyboard gone), and the final results follow.
func TestChallengeManyPlayers(t *testing.T) {
	clock := &coreClock{t: start}
	h := newHarness(t, withChallenges(clock.now))
	ctx := context.Background()
	before := h.srv.LastSeq()
	h.send(group, bob, "/challenge frameworks 1 10")
	if got := visible(h.srv.WaitCallAfter(t, "sendMessage", before).Get("text")); !strings.Contains(got, "Challenge from Bob") {
		t.Fatalf("announcement = %q", got)
	}
	clock.advance(quiz.ChallengeLead)
	before = h.srv.LastSeq()
	h.core.TickChallenges(ctx)
	q := h.srv.WaitCallAfter(t, "sendMessage", before)
	if !strings.Contains(visible(q.Get("text")), "Question 1 of 1") {
		t.Fatalf("question = %s", q)
	}
	right, wrongs := rightButton(t, q)

	// Twenty members press within the same second, Li in Chinese; then Ada twice more.
	clock.advance(2 * time.Second)
	players := []user{ada, li, bob}
	for i := range 17 {
		players = append(players, user{ID: int64(2000 + i), FirstName: fmt.Sprintf("P%02d", i), Lang: "en"})
	}
	before = h.srv.LastSeq()
	for i, u := range players {
		data := right
		if i%3 == 2 {
			data = wrongs[i%len(wrongs)]
		}
		h.press(group, u, q.MessageID, data)
	}
	h.press(group, ada, q.MessageID, wrongs[0])
	h.press(group, ada, q.MessageID, right)
	answers := map[string]int{}
	for n := 1; n <= len(players)+2; n++ {
		c := h.srv.WaitCallAfter(t, "answerCallbackQuery", before)
		before = c.Seq
		answers[c.Get("text")]++
	}
	for text, want := range map[string]int{
		"Got your answer. Results when time is up.":                             len(players) - 1,
		"已收到你的答案，时间到后公布结果。":                                                     1,
		"You've answered this question already: only your first answer counts.": 2,
	} {
		if answers[text] != want {
			t.Errorf("%d callback answers %q, want %d; all: %v", answers[text], text, want, answers)
		}
	}
	if n := len(h.srv.Calls("editMessageText")); n != 0 {
		t.Errorf("presses edited the question %d times; only the runner edits it", n)
	}

	clock.advance(9 * time.Second) // past the deadline
	before = h.srv.LastSeq()
	h.press(group, user{ID: 3000, FirstName: "Late", Lang: "en"}, q.MessageID, right)
	if c := h.srv.WaitCallAfter(t, "answerCallbackQuery", before); c.Get("text") != "Too late: time was up for this question." {
		t.Errorf("a late press = %s", c)
	}
	h.settle(group, ada)
	before = h.srv.LastSeq()
	h.core.TickChallenges(ctx)
	edit := h.srv.WaitCallAfter(t, "editMessageText", before)
	text := visible(edit.Get("text"))
	if edit.Get("message_id") != fmt.Sprint(q.MessageID) || len(markup(t, edit).InlineKeyboard) != 0 {
		t.Errorf("results = %s, want the question edited without its keyboard", edit)
	}
	for _, want := range []string{"20 answered, 14 right", "Right, fastest first: Ada 2.0 s (+", "Scoreboard", "… and 5 more players"} {
		if !strings.Contains(text, want) {
			t.Errorf("results lack %q:\n%s", want, text)
		}
	}
	final := h.srv.WaitCallAfter(t, "sendMessage", edit.Seq)
	if got := visible(final.Get("text")); !strings.Contains(got, "Final results") || !strings.Contains(got, "🥇") {
		t.Errorf("final results = %q", got)
	}
	before = h.srv.LastSeq()
	h.press(group, ada, q.MessageID, right)
	if c := h.srv.WaitCallAfter(t, "answerCallbackQuery", before); c.Get("text") != "This question is closed." {
		t.Errorf("a press after the end = %s", c)
	}
}

// asks reports whether a rendered question shows prompt as one of its lines: rendered text
// has lost the backticks that mark code in the content.
func asks(text, prompt string) bool {
	p := strings.ReplaceAll(prompt, "`", "")
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == p {
			return true
		}
	}
	return false
}
