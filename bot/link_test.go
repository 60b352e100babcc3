package bot

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// newLinkBot is a core with /link on st, sending to telegram and console chats through outboxes.
func newLinkBot(t *testing.T, st *storetest.Memory) (*Bot, *clock, map[string]*outbox) {
	t.Helper()
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
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Claims: st, Codes: st, Now: c.now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*outbox{"telegram": {}, "console": {}}
	for p, o := range out {
		b.Attach(p, o)
	}
	return b, c, out
}

// from is a private message from a user of a platform.
func from(platform, user, text string) Event {
	return Event{Platform: platform, ChatID: user, UserID: user, UserName: user, Chat: Private, Text: text}
}

var linkCodeRE = regexp.MustCompile(`\b[A-Z2-7]{8}\b`)

// linkCode asks for a code as ev's user and returns it.
func linkCode(t *testing.T, b *Bot, ev Event) string {
	t.Helper()
	ev.Text = "/link"
	rs := b.Handle(context.Background(), ev)
	code := linkCodeRE.FindString(plain(rs))
	if code == "" {
		t.Fatalf("/link gave no code:\n%s", plain(rs))
	}
	return code
}

// answerRound plays a round of n questions as ev's user, answering every one right.
func answerRound(t *testing.T, b *Bot, c *clock, ev Event, topic string, n int) {
	t.Helper()
	ev.Text = "/quiz " + topic + " " + string(rune('0'+n))
	q := question(t, b.Handle(context.Background(), ev))
	for i := range n {
		c.t = c.t.Add(10 * time.Second)
		p := ev
		p.Text, p.Choice = "", q.Choices[q.Question.Correct].Data
		rs := b.Handle(context.Background(), p)
		if i < n-1 {
			q = question(t, rs)
		}
	}
}

func sayAs(b *Bot, ev Event, text string) string {
	ev.Text = text
	return plain(b.Handle(context.Background(), ev))
}

func TestLinkJoinsTwoPlatforms(t *testing.T) {
	st := storetest.NewMemory()
	b, c, out := newLinkBot(t, st)
	tg, term := from("telegram", "42", ""), from("console", "ada", "")
	answerRound(t, b, c, tg, "frameworks", 3)
	answerRound(t, b, c, term, "ml", 2)

	code := linkCode(t, b, tg)
	c.t = c.t.Add(time.Minute)
	got := sayAs(b, term, "/link "+strings.ToLower(code[:4])+"-"+strings.ToLower(code[4:]))
	if !strings.Contains(got, "Linked: the terminal and Telegram") {
		t.Fatalf("redeeming the code answered:\n%s", got)
	}
	if sent := out["telegram"].count(); sent != 1 || !strings.Contains(out["telegram"].message(1).Text.PlainText(), "Linked:") {
		t.Fatalf("the code's issuer was sent %d messages, want one confirmation", sent)
	}
	statsTG, statsTerm := sayAs(b, tg, "/stats"), sayAs(b, term, "/stats")
	if !strings.Contains(statsTG, "Answers: 5") {
		t.Errorf("/stats after linking does not count both sides' answers:\n%s", statsTG)
	}
	if statsTG != statsTerm {
		t.Errorf("/stats differs between the linked accounts:\n%s\n---\n%s", statsTG, statsTerm)
	}
	// Answers on either side now count for the one learner.
	answerRound(t, b, c, term, "frameworks", 2)
	if s := sayAs(b, tg, "/stats"); !strings.Contains(s, "Answers: 7") {
		t.Errorf("an answer in the terminal does not show on Telegram:\n%s", s)
	}

	if again := sayAs(b, from("console", "bob", ""), "/link "+code); again != "That code is unknown or expired" {
		t.Errorf("a used code answered %q", again)
	}
}

func TestLinkCodeRules(t *testing.T) {
	st := storetest.NewMemory()
	b, c, _ := newLinkBot(t, st)
	tg, term := from("telegram", "42", ""), from("console", "ada", "")

	group := tg
	group.ChatID, group.Chat = "-100", Group
	if got := sayAs(b, group, "/link"); linkCodeRE.MatchString(got) || !strings.Contains(got, "private chat") {
		t.Errorf("/link in a group answered:\n%s", got)
	}

	code := linkCode(t, b, tg)
	if got := sayAs(b, tg, "/link "+code); !strings.Contains(got, "same account") {
		t.Errorf("redeeming one's own code answered:\n%s", got)
	}

	code = linkCode(t, b, tg)
	c.t = c.t.Add(linkCodeTTL + time.Second)
	if got := sayAs(b, term, "/link "+code); got != "That code is unknown or expired" {
		t.Errorf("an expired code answered %q", got)
	}

	code = linkCode(t, b, tg)
	if got := sayAs(b, group, "/link "+code); !strings.Contains(got, "cancelled") {
		t.Errorf("a code posted in a group answered:\n%s", got)
	}
	if got := sayAs(b, term, "/link "+code); got != "That code is unknown or expired" {
		t.Errorf("a code posted in a group still works: %q", got)
	}

	zh := term
	zh.Locale = "zh"
	if got := sayAs(b, zh, "/link NOTACODE!"); got != "该代码无效或已过期" {
		t.Errorf("a malformed code answered %q in Chinese", got)
	}
}

func TestGuessedLinkCodesAreRefused(t *testing.T) {
	st := storetest.NewMemory()
	b, c, _ := newLinkBot(t, st)
	victim, attacker := from("telegram", "42", ""), from("console", "mallory", "")
	answerRound(t, b, c, victim, "frameworks", 2)
	code := linkCode(t, b, victim)

	// The attacker's tries run out long before a guess could matter: even the right code is
	// then refused, in the same words as a wrong one.
	for i := range linkTries {
		if got := sayAs(b, attacker, "/link "+wrongCode(code, i)); got != "That code is unknown or expired" {
			t.Fatalf("guess %d answered %q", i, got)
		}
	}
	if got := sayAs(b, attacker, "/link "+code); got != "That code is unknown or expired" {
		t.Fatalf("the right code after too many guesses answered %q", got)
	}
	if s := sayAs(b, attacker, "/stats"); strings.Contains(s, "Answers: 2") {
		t.Fatalf("the attacker got the victim's progress:\n%s", s)
	}
	// The refusal did not spend the victim's code.
	if got := sayAs(b, from("console", "ada", ""), "/link "+code); !strings.Contains(got, "Linked") {
		t.Errorf("the victim's own code, refused to the attacker, then answered %q", got)
	}
	// The tries come back after the window.
	c.t = c.t.Add(linkTryWindow)
	code = linkCode(t, b, victim)
	if got := sayAs(b, attacker, "/link "+code); !strings.Contains(got, "Linked") {
		t.Errorf("a right code after the window answered %q", got)
	}
}

// wrongCode is a well-formed code that differs from code.
func wrongCode(code string, i int) string {
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	r := []byte(code)
	r[i%len(r)] = alphabet[(strings.IndexByte(alphabet, r[i%len(r)])+1)%len(alphabet)]
	return string(r)
}

func TestUnlinkAndForgetCoverLinkedAccounts(t *testing.T) {
	st := storetest.NewMemory()
	b, c, _ := newLinkBot(t, st)
	tg, term := from("telegram", "42", ""), from("console", "ada", "")
	answerRound(t, b, c, tg, "frameworks", 3)
	sayAs(b, term, "/link "+linkCode(t, b, tg))

	if got := sayAs(b, term, "/unlink"); !strings.Contains(got, "Unlinked") {
		t.Fatalf("/unlink answered:\n%s", got)
	}
	if got := sayAs(b, term, "/unlink"); !strings.Contains(got, "not linked") {
		t.Errorf("a second /unlink answered:\n%s", got)
	}
	for _, ev := range []Event{tg, term} {
		if s := sayAs(b, ev, "/stats"); !strings.Contains(s, "Answers: 3") {
			t.Errorf("%s lost its copy of the progress on /unlink:\n%s", ev.Platform, s)
		}
	}

	sayAs(b, term, "/link "+linkCode(t, b, tg))
	ask := sayAs(b, term, "/forget")
	if !strings.Contains(ask, "every linked account: the terminal and Telegram") {
		t.Errorf("/forget does not say it covers the linked accounts:\n%s", ask)
	}
	sayAs(b, term, "/forget yes")
	for _, ev := range []Event{tg, term} {
		if s := sayAs(b, ev, "/stats"); strings.Contains(s, "Answers: 3") {
			t.Errorf("%s kept progress after /forget on a linked account:\n%s", ev.Platform, s)
		}
	}
}
