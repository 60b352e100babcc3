package main

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

// tgChat is one private Telegram chat with the bot behind a fake Bot API.
type tgChat struct {
	t   *testing.T
	srv *telegramtest.Server
	id  int64
}

var htmlTag = regexp.MustCompile(`<[^>]+>`)

// say sends text from the chat's user and returns what the bot sent back, as plain text, in
// order. Like the terminal's ask, it follows text with a lookup of a marker and waits for that.
func (c *tgChat) say(text string) string {
	c.t.Helper()
	seq := c.srv.LastSeq()
	ada := telegramtest.User{ID: c.id, FirstName: "Ada", Lang: "en"}
	for _, line := range []string{text, "/find " + marker} {
		c.srv.PushMessage(telegramtest.Private(ada), ada, line)
	}
	var parts []string
	for {
		call := c.srv.WaitCallAfter(c.t, "sendMessage", seq)
		for _, got := range c.srv.CallsAfter(seq) {
			if got.Seq > call.Seq {
				break
			}
			body := got.Get("text") + got.Get("caption")
			if got.Method == "sendPoll" {
				body = got.Get("question")
			}
			if body != "" && !strings.Contains(body, marker) {
				parts = append(parts, html.UnescapeString(htmlTag.ReplaceAllString(body, "")))
			}
		}
		if strings.Contains(call.Get("text"), marker) {
			return strings.Join(parts, "\n---\n")
		}
		seq = call.Seq
	}
}

// TestLinkTelegramAndTerminal runs one process with a Telegram adapter and the terminal chat:
// a learner with progress on each links them with a code, and both then show one progress.
func TestLinkTelegramAndTerminal(t *testing.T) {
	srv := telegramtest.NewServer(t)
	p := startProc(t, "-console -json", map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": srv.Endpoint(), "BOT_CONSOLE_USER": "ada",
	})
	tg := &tgChat{t: t, srv: srv, id: 42}

	tg.say("/quizmode buttons")
	if q := tg.say("/quiz frameworks 2"); !strings.Contains(q, "Question 1 of 2") {
		t.Fatalf("/quiz on Telegram:\n%s", q)
	}
	for range 2 {
		if got := tg.say("1"); !strings.Contains(got, "Right!") && !strings.Contains(got, "Not quite") {
			t.Fatalf("an answer on Telegram was not graded:\n%s", got)
		}
	}
	rs := p.ask("/quiz ml 3")
	for len(rs) > 0 && len(rs[len(rs)-1].Choices) > 0 {
		rs = p.ask("1")
	}
	answered := answers(t, tg.say("/stats")) + answers(t, texts(p.ask("/stats")))

	code := regexp.MustCompile(`[A-Z2-7]{8}`).FindString(tg.say("/link"))
	if code == "" {
		t.Fatal("/link on Telegram gave no code")
	}
	if got := texts(p.ask("/link " + code)); !strings.Contains(got, "Linked: the terminal and Telegram") {
		t.Fatalf("/link CODE in the terminal answered:\n%s", got)
	}
	confirm := srv.WaitCallAfter(t, "sendMessage", srv.LastSeq()-1)
	for !strings.Contains(confirm.Get("text"), "Linked:") {
		confirm = srv.WaitCallAfter(t, "sendMessage", confirm.Seq)
	}
	if confirm.Get("chat_id") != "42" || !strings.Contains(confirm.Get("text"), "Linked: Telegram and the terminal") {
		t.Errorf("the Telegram side was told %v", confirm)
	}

	onTelegram, inTerminal := tg.say("/stats"), texts(p.ask("/stats"))
	if !strings.Contains(inTerminal, "Answers: "+strconv.Itoa(answered)+" ") {
		t.Errorf("/stats in the terminal after %d answers on both sides:\n%s", answered, inTerminal)
	}
	if normalize(onTelegram) != normalize(inTerminal) {
		t.Errorf("/stats differs between the linked accounts:\nTelegram:\n%s\nterminal:\n%s", onTelegram, inTerminal)
	}
}

var answersLine = regexp.MustCompile(`Answers: (\d+) `)

// answers reads the "Answers: N" line of /stats.
func answers(t *testing.T, stats string) int {
	t.Helper()
	m := answersLine.FindStringSubmatch(stats)
	if m == nil {
		t.Fatalf("/stats without an Answers line:\n%s", stats)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// normalize drops what differs only in how each platform lays text out.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }
