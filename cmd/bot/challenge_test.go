package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// chatLine is one JSON line of the terminal group chat.
type chatLine struct {
	Text    string   `json:"text"`
	Choices []string `json:"choices"`
	Message string   `json:"message"`
	Edited  bool     `json:"edited"`
	To      string   `json:"to"`
}

// chatOutput is stdout read as it is written, one JSON line at a time, for a test to wait on.
type chatOutput struct {
	mu      sync.Mutex
	buf     []byte
	lines   []chatLine
	bad     error
	changed chan struct{}
}

func (o *chatOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, p...)
	for {
		i := bytes.IndexByte(o.buf, '\n')
		if i < 0 {
			break
		}
		var l chatLine
		if err := json.Unmarshal(o.buf[:i], &l); err != nil && o.bad == nil {
			o.bad = fmt.Errorf("not a JSON line: %q", o.buf[:i])
		}
		o.lines = append(o.lines, l)
		o.buf = o.buf[i+1:]
	}
	if o.changed != nil {
		close(o.changed)
		o.changed = nil
	}
	return len(p), nil
}

// next waits for the next line after *seen that satisfies match and returns it; lines it skips
// are returned too, for failure messages.
func (o *chatOutput) next(t *testing.T, seen *int, what string, match func(chatLine) bool) chatLine {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		if o.bad != nil {
			o.mu.Unlock()
			t.Fatal(o.bad)
		}
		for ; *seen < len(o.lines); *seen++ {
			if l := o.lines[*seen]; match(l) {
				*seen++
				o.mu.Unlock()
				return l
			}
		}
		if o.changed == nil {
			o.changed = make(chan struct{})
		}
		ch := o.changed
		o.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			o.mu.Lock()
			defer o.mu.Unlock()
			t.Fatalf("no line with %s; output so far: %+v", what, o.lines)
		}
	}
}

// testClock is a clock the test moves while the program reads it from other goroutines.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// rightChoice finds the card a question line asks about and returns the number (1-based) of
// its right answer among the line's choices.
func rightChoice(t *testing.T, bank *quiz.Bank, l chatLine) int {
	t.Helper()
	for _, c := range bank.Cards() {
		if !asks(l.Text, c.Prompt.EN) {
			continue
		}
		for i, label := range l.Choices {
			if label == c.Choices[0].EN {
				return i + 1
			}
		}
	}
	t.Fatalf("no card asks %q with choices %v", l.Text, l.Choices)
	return 0
}

// TestChallengeInTheTerminalGroup runs the real program as a terminal group chat (-chat) in
// which three people play a two-question challenge: each types a choice's number, as pressing
// its button would; the program's clock and ticks are the test's.
func TestChallengeInTheTerminalGroup(t *testing.T) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: testNow()}
	ticks := make(chan time.Time)
	in, typed := io.Pipe()
	out := &chatOutput{}
	env := map[string]string{"BOT_DATA_DIR": t.TempDir(), "BOT_CONSOLE_CHAT": "pygroup"}
	m := NewMain(in, out, io.Discard, func(k string) string { return env[k] })
	m.Now, m.Ticks = clock.now, ticks
	if err := m.ParseFlags([]string{"-json", "-user", "ada"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	defer func() {
		typed.Close()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	}()
	seen := 0
	say := func(line string) { io.WriteString(typed, line+"\n") }
	tick := func(d time.Duration) { ticks <- clock.advance(d) }
	has := func(s string) func(chatLine) bool {
		return func(l chatLine) bool { return strings.Contains(l.Text, s) }
	}

	say("li: /lang zh")
	out.next(t, &seen, "li's language", has("中文"))
	say("bob: /challenge frameworks 2 10")
	out.next(t, &seen, "the announcement", has("Challenge from bob: 2 questions on Web frameworks and concepts, 10 seconds each."))
	tick(quiz.ChallengeLead)
	q := out.next(t, &seen, "question 1", func(l chatLine) bool { return l.Message != "" && len(l.Choices) > 0 })
	if !strings.Contains(q.Text, "Question 1 of 2") || q.Edited {
		t.Fatalf("question 1 = %+v", q)
	}
	right := rightChoice(t, bank, q)
	wrong := right%(len(q.Choices)-1) + 1

	clock.advance(time.Second)
	say(fmt.Sprintf("ada: %d", right))
	if l := out.next(t, &seen, "ada's notice", func(l chatLine) bool { return l.To == "ada" }); !strings.Contains(l.Text, "Got your answer") {
		t.Errorf("ada's notice = %+v", l)
	}
	clock.advance(time.Second)
	say(fmt.Sprintf("li: %d", right))
	if l := out.next(t, &seen, "li's notice", func(l chatLine) bool { return l.To == "li" }); !strings.Contains(l.Text, "已收到你的答案") {
		t.Errorf("li's notice = %+v, want Chinese", l)
	}
	say(fmt.Sprintf("bob: %d", wrong))
	out.next(t, &seen, "bob's notice", func(l chatLine) bool { return l.To == "bob" })
	say(fmt.Sprintf("bob: %d", right))
	if l := out.next(t, &seen, "bob's second notice", func(l chatLine) bool { return l.To == "bob" }); !strings.Contains(l.Text, "only your first answer counts") {
		t.Errorf("bob's second press = %+v", l)
	}
	say("li: /stop")
	if l := out.next(t, &seen, "li's /stop", func(l chatLine) bool { return l.To == "li" }); !strings.Contains(l.Text, "发起者（bob）") {
		t.Errorf("li's /stop = %+v, want only bob or an administrator may stop it", l)
	}

	tick(3 * time.Second) // 5 s in: how many have answered
	if l := out.next(t, &seen, "the count", func(l chatLine) bool { return l.Edited }); l.Message != q.Message || !strings.Contains(l.Text, "3 answered") || len(l.Choices) != len(q.Choices) {
		t.Errorf("the count edit = %+v", l)
	}
	tick(6 * time.Second) // past the deadline: the results
	res := out.next(t, &seen, "the results", func(l chatLine) bool { return l.Edited })
	for _, want := range []string{"3 answered, 2 right", "Right, fastest first: ada 1.0 s (+", ", li 2.0 s (+", "3. bob — 0 pts"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("results lack %q:\n%s", want, res.Text)
		}
	}
	if res.Message != q.Message || len(res.Choices) != 0 {
		t.Errorf("results = %+v, want question 1 edited without buttons", res)
	}

	tick(quiz.ChallengeGap)
	q2 := out.next(t, &seen, "question 2", func(l chatLine) bool { return l.Message != "" && len(l.Choices) > 0 && !l.Edited })
	if !strings.Contains(q2.Text, "Question 2 of 2") || q2.Message == q.Message {
		t.Fatalf("question 2 = %+v", q2)
	}
	clock.advance(4 * time.Second)
	say(fmt.Sprintf("bob: %d", rightChoice(t, bank, q2)))
	out.next(t, &seen, "bob's notice", func(l chatLine) bool { return l.To == "bob" })
	tick(7 * time.Second)
	out.next(t, &seen, "question 2's results", func(l chatLine) bool { return l.Edited && l.Message == q2.Message && len(l.Choices) == 0 })
	final := out.next(t, &seen, "the final results", has("Final results"))
	for _, want := range []string{"🥇 ada — ", "1/1 right (100%)", "🥈 li — ", "🥉 bob — ", "1/2 right (50%)"} {
		if !strings.Contains(final.Text, want) {
			t.Errorf("final results lack %q:\n%s", want, final.Text)
		}
	}
	say("ada: /stats")
	if l := out.next(t, &seen, "ada's /stats", has("Answers:")); !strings.Contains(l.Text, "Answers: 1 · accuracy 100%") {
		t.Errorf("ada's /stats after the challenge:\n%s", l.Text)
	}
}

func TestConsoleChatSetting(t *testing.T) {
	code, _, stderr := runBot(t, []string{"-chat", "two words"}, "", nil)
	if code != 2 || !strings.Contains(stderr, "BOT_CONSOLE_CHAT / -chat") {
		t.Errorf("-chat with a space: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := runBot(t, []string{"-json"}, "/challenge\n", map[string]string{"BOT_CONSOLE_CHAT": "g1"})
	if code != 0 || !strings.Contains(out, "Challenge from console") {
		t.Errorf("BOT_CONSOLE_CHAT=g1: exit %d, stdout %s, stderr %s", code, out, stderr)
	}
	if _, out, _ := runBot(t, []string{"-json"}, "/challenge\n", nil); !strings.Contains(out, "Challenges are for groups") {
		t.Errorf("without -chat the terminal is a private chat: %s", out)
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
