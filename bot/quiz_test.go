package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// clock is a test clock the bot reads through Config.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newQuizBot(t testing.TB, st *storetest.Memory) (*Bot, *clock) {
	t.Helper()
	bank, _, err := quiz.NewBank(testKB(t))
	if err != nil {
		t.Fatal(err)
	}
	if st == nil {
		st = storetest.NewMemory()
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Now: c.now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return b, c
}

func event(user, chat string, kind ChatKind, text string) Event {
	return Event{Platform: "test", ChatID: chat, UserID: user, UserName: strings.ToUpper(user[:1]) + user[1:], Chat: kind, Text: text}
}

func press(user, chat string, kind ChatKind, data string) Event {
	ev := event(user, chat, kind, "")
	ev.Choice = data
	return ev
}

// question returns the one reply in rs that asks a question.
func question(t *testing.T, rs []Reply) Reply {
	t.Helper()
	for _, r := range rs {
		if len(r.Choices) > 0 {
			return r
		}
	}
	t.Fatalf("no question among the replies:\n%s", plain(rs))
	return Reply{}
}

func TestQuizRoundByButtons(t *testing.T) {
	b, c := newQuizBot(t, nil)
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 3"))
	q := question(t, rs)
	if q.Question == nil || !strings.Contains(q.Text.PlainText(), "Question 1 of 3") {
		t.Fatalf("first question:\n%s", q.Text.PlainText())
	}
	if last := q.Choices[len(q.Choices)-1]; last.Label != "I don't know" {
		t.Errorf("last choice = %q, want I don't know", last.Label)
	}
	for _, ch := range q.Choices {
		if len(ch.Data) > 64 {
			t.Errorf("choice data %q is longer than 64 bytes", ch.Data)
		}
	}
	for i := 0; i < 3; i++ {
		c.t = c.t.Add(15 * time.Second)
		right := q.Choices[q.Question.Correct].Data
		rs = b.Handle(context.Background(), press("ada", "ada", Private, right))
		if len(rs) != 2 || !rs[0].Edit || !strings.Contains(rs[0].Text.PlainText(), "Right!") {
			t.Fatalf("answer %d: want feedback replacing the question, then the next step:\n%s", i, plain(rs))
		}
		if i < 2 {
			q = question(t, rs)
		}
	}
	sum := rs[1].Text.PlainText()
	for _, want := range []string{"Round complete!", "Score: 3/3", "▰▰▰▰▰▰▰▰▰▰", "New cards seen: 3", "Next review: in 10 minutes"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	stats := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats")))
	for _, want := range []string{"Answers: 3 · accuracy 100%", "Streak: 1 day(s)", "Web frameworks and concepts"} {
		if !strings.Contains(stats, want) {
			t.Errorf("/stats lacks %q:\n%s", want, stats)
		}
	}
}

func TestQuizNoticesChangeNothing(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "g", Group, "/quiz ml")))
	data := q.Choices[0].Data
	tests := []struct {
		name string
		ev   Event
		want string
	}{
		{"another member", press("bob", "g", Group, data), "belongs to someone else"},
		{"junk", press("ada", "g", Group, "garbage"), "no longer valid"},
		{"junk quiz data", press("ada", "g", Group, "q:garbage"), "no longer valid"},
		{"too long", press("ada", "g", Group, data+strings.Repeat("0", 100)), "no longer valid"},
	}
	for _, tt := range tests {
		rs := b.Handle(context.Background(), tt.ev)
		if len(rs) != 1 || !rs[0].Private || !strings.Contains(rs[0].Text.PlainText(), tt.want) {
			t.Errorf("%s: got %s, want one private notice containing %q", tt.name, plain(rs), tt.want)
		}
	}
	rs := b.Handle(context.Background(), press("ada", "g", Group, data))
	if len(rs) != 2 {
		t.Fatalf("the owner's press should be graded: %s", plain(rs))
	}
	rs = b.Handle(context.Background(), press("ada", "g", Group, data))
	if len(rs) != 1 || !strings.Contains(rs[0].Text.PlainText(), "Already answered") {
		t.Errorf("double tap: %s", plain(rs))
	}
}

func TestLookupMidRoundKeepsTheRound(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz flask")))
	if got := entryOf(b.Handle(context.Background(), event("ada", "ada", Private, "/lib django"))); got != "django" {
		t.Fatalf("/lib mid-round = %q", got)
	}
	if got := entryOf(b.Handle(context.Background(), event("ada", "ada", Private, "what is numpy?"))); got != "numpy" {
		t.Fatalf("question mid-round = %q", got)
	}
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "1"))
	if len(rs) != 2 || rs[0].Edit {
		t.Fatalf("typed answer after lookups: %s", plain(rs))
	}
	_ = q
	rs = b.Handle(context.Background(), event("ada", "ada", Private, "/stop"))
	if !strings.Contains(plain(rs), "Round stopped.") {
		t.Errorf("/stop: %s", plain(rs))
	}
	if !strings.Contains(plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stop"))), "No round in play") {
		t.Errorf("/stop twice should say there is no round")
	}
}

func TestQuizTopicsAndUnknownTopic(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	txt := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/quiz")))
	for _, want := range []string{"frameworks", "essentials", "ml", "all", "cards"} {
		if !strings.Contains(txt, want) {
			t.Errorf("/quiz lacks %q:\n%s", want, txt)
		}
	}
	for _, tt := range []struct{ text, want string }{
		{"/quiz cooking", "I don't know a quiz topic"},
		{"/quiz frameworks 50", "1 to 20 questions"},
		{"/quiz 框架", "Web 框架"},
		{"/quiz framworks", "Question 1 of 5"},
		{"/quiz pandas 2", "Question 1 of 2"},
	} {
		if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, tt.text))); !strings.Contains(got, tt.want) {
			t.Errorf("%s: got\n%s\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestForgetAsksFirst(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz flask")))
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[0].Data))
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "/forget"))
	if len(rs) != 1 || len(rs[0].Buttons) != 1 || rs[0].Buttons[0].Command != "/forget yes" {
		t.Fatalf("/forget should ask for confirmation: %+v", rs)
	}
	if st := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(st, "Answers: 1") {
		t.Fatalf("asking must not delete anything:\n%s", st)
	}
	b.Handle(context.Background(), event("ada", "ada", Private, "/forget yes"))
	if st := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(st, "Answers: 0") {
		t.Errorf("after /forget yes:\n%s", st)
	}
}

func TestLangOverride(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/lang zh"))); !strings.Contains(got, "中文") {
		t.Errorf("/lang zh = %s", got)
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/help"))); !strings.Contains(got, "命令") {
		t.Errorf("after /lang zh, /help should be Chinese:\n%s", got)
	}
	b.Handle(context.Background(), event("ada", "ada", Private, "/lang auto"))
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/help"))); !strings.Contains(got, "Commands") {
		t.Errorf("after /lang auto, /help should follow the locale (en):\n%s", got)
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/lang fr"))); !strings.Contains(got, "/lang en") {
		t.Errorf("/lang fr should explain usage: %s", got)
	}
}

// TestGroupLang: an administrator's /lang in a group sets the group's language and leaves their
// own alone; anyone else's sets only their own; a failing administrator check counts as "no".
func TestGroupLang(t *testing.T) {
	st := storetest.NewMemory()
	b, _ := newQuizBot(t, st)
	ctx := context.Background()
	asAdmin := func(ev Event, admin bool, err error) Event {
		ev.IsAdmin = func(context.Context) (bool, error) { return admin, err }
		return ev
	}
	got := plain(b.Handle(ctx, asAdmin(event("ada", "g", Group, "/lang zh"), true, nil)))
	if !strings.Contains(got, "全群") || b.chatLang(ctx, "test:g") != "zh" {
		t.Errorf("an administrator's /lang zh = %q, chat language %q", got, b.chatLang(ctx, "test:g"))
	}
	if v, _ := st.UserSetting(ctx, "test:ada", settingLang); v != "" {
		t.Errorf("the administrator's own language became %q", v)
	}
	got = plain(b.Handle(ctx, asAdmin(event("bob", "g", Group, "/lang en"), false, nil)))
	if !strings.Contains(got, "English") || b.chatLang(ctx, "test:g") != "zh" {
		t.Errorf("a member's /lang en = %q, chat language %q", got, b.chatLang(ctx, "test:g"))
	}
	if v, _ := st.UserSetting(ctx, "test:bob", settingLang); v != "en" {
		t.Errorf("the member's own language = %q, want en", v)
	}
	b.Handle(ctx, asAdmin(event("li", "g", Group, "/lang en"), false, errors.New("getChatMember failed")))
	if b.chatLang(ctx, "test:g") != "zh" {
		t.Error("a failed administrator check changed the group's language")
	}
	got = plain(b.Handle(ctx, asAdmin(event("ada", "g", Group, "/lang auto"), true, nil)))
	if !strings.Contains(got, "starts") || b.chatLang(ctx, "test:g") != "" {
		t.Errorf("an administrator's /lang auto = %q, chat language %q", got, b.chatLang(ctx, "test:g"))
	}
}

func TestLeaderboardInGroup(t *testing.T) {
	b, c := newQuizBot(t, nil)
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/leaderboard"))); !strings.Contains(got, "group") {
		t.Errorf("/leaderboard in private: %s", got)
	}
	for _, u := range []string{"ada", "bob"} {
		q := question(t, b.Handle(context.Background(), event(u, "g", Group, "/quiz frameworks 2")))
		c.t = c.t.Add(time.Minute)
		b.Handle(context.Background(), press(u, "g", Group, q.Choices[q.Question.Correct].Data))
	}
	got := plain(b.Handle(context.Background(), event("ada", "g", Group, "/leaderboard")))
	for _, want := range []string{"This week's top learners", "1. ", "2. ", "Ada", "Bob", "You are #"} {
		if !strings.Contains(got, want) {
			t.Errorf("/leaderboard lacks %q:\n%s", want, got)
		}
	}
}

func TestReportCommand(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/report"))); !strings.Contains(got, "Answer a question first") {
		t.Errorf("/report with no card: %s", got)
	}
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz flask")))
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[0].Data))
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/report wording is odd"))); !strings.Contains(got, "Flask") {
		t.Errorf("/report: %s", got)
	}
}

func TestStoreDownLookupsStillWork(t *testing.T) {
	st := storetest.NewMemory()
	st.SetFail(fmt.Errorf("dial tcp: connection refused: %w", quiz.ErrUnavailable))
	b, _ := newQuizBot(t, st)
	for _, text := range []string{"/quiz frameworks", "/stats", "/review"} {
		rs := b.Handle(context.Background(), event("ada", "ada", Private, text))
		if len(rs) != 1 || !strings.Contains(rs[0].Text.PlainText(), "Progress is unavailable right now") {
			t.Errorf("%s with the store down: %s", text, plain(rs))
		}
	}
	if got := entryOf(b.Handle(context.Background(), event("ada", "ada", Private, "what is flask?"))); got != "flask" {
		t.Errorf("lookup with the store down = %q, want flask", got)
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks"))); !strings.Contains(got, "unavailable") {
		t.Errorf("zh: %s", got)
	}
}

func TestLookupOffersQuizButton(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "/lib pandas"))
	var cmd string
	for _, btn := range rs[0].Buttons {
		if btn.Label == "Quiz me on this" {
			cmd = btn.Command
		}
	}
	if cmd != "/quiz pandas" {
		t.Fatalf("lookup buttons = %+v, want Quiz me on this → /quiz pandas", rs[0].Buttons)
	}
	if q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, cmd))); !strings.Contains(q.Text.PlainText(), "pandas") {
		t.Errorf("the button's command should quiz pandas:\n%s", q.Text.PlainText())
	}
}
