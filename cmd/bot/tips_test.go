package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

func todaysTip(t *testing.T, day tip.Date) tip.Tip {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	tp, ok := tip.NewDeck(kb).On(day)
	if !ok {
		t.Fatal("no tip")
	}
	return tp
}

// TestTipThroughTheTerminal runs the real program as a terminal chat: subscribe, let the clock
// reach the time, and the tip arrives; a restart on the same data keeps the subscription.
func TestTipThroughTheTerminal(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 7, 13, 0, 0, 0, time.UTC)} // 08:00 in New York
	dir := t.TempDir()
	ticks := make(chan time.Time)
	in, typed := io.Pipe()
	out := &chatOutput{}
	env := map[string]string{"BOT_DATA_DIR": dir}
	m := NewMain(in, out, io.Discard, func(k string) string { return env[k] })
	m.Now, m.TipTicks = clock.now, ticks
	if err := m.ParseFlags([]string{"-json", "-user", "ada"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	seen := 0
	say := func(line string) { io.WriteString(typed, line+"\n") }
	has := func(s string) func(chatLine) bool {
		return func(l chatLine) bool { return strings.Contains(l.Text, s) }
	}
	say("/subscribe 9:30 america/new_york")
	out.next(t, &seen, "the confirmation", has("every day at 09:30 America/New_York. The next one comes today at 09:30 (in 1 h 30 min)."))
	ticks <- clock.advance(89 * time.Minute) // 09:29: nothing yet
	say("/subscription")
	out.next(t, &seen, "/subscription", has("(in 1 min)"))
	ticks <- clock.advance(time.Minute)
	want := todaysTip(t, "2026-03-07")
	l := out.next(t, &seen, "the tip", has("Tip of the day"))
	if !strings.Contains(l.Text, want.Entry.DisplayName(content.English)) || !strings.Contains(l.Text, "/lib "+want.Entry.ID) {
		t.Errorf("the tip = %q, want %s's tip of the day", l.Text, want.ID)
	}
	typed.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	m.Close()

	// Restarted the next morning, after the time: today's tip (spring-forward day, 09:30 EDT)
	// comes at once.
	clock.advance(24*time.Hour - time.Hour + 5*time.Minute)
	in, typed = io.Pipe()
	out, seen = &chatOutput{}, 0
	m = NewMain(in, out, io.Discard, func(k string) string { return env[k] })
	m.Now, m.TipTicks = clock.now, ticks
	if err := m.ParseFlags([]string{"-json", "-user", "ada"}); err != nil {
		t.Fatal(err)
	}
	go func() { done <- m.Run(context.Background()) }()
	ticks <- clock.now()
	l = out.next(t, &seen, "the next day's tip", has("Tip of the day"))
	if next := todaysTip(t, "2026-03-08"); !strings.Contains(l.Text, next.Entry.DisplayName(content.English)) {
		t.Errorf("the next day's tip = %q, want %s", l.Text, next.ID)
	}
	typed.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	m.Close()
}

// TestTipThroughTelegram subscribes a private chat and a group through the fake Bot API: a
// group member is refused and its administrator (by getChatMember) is not; at the time each
// chat gets its tip with a link button to the docs; a chat that blocked the bot loses its
// subscription.
func TestTipThroughTelegram(t *testing.T) {
	srv := telegramtest.NewServer(t)
	clock := &testClock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	ticks := make(chan time.Time)
	env := map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": srv.Endpoint(), "BOT_DATA_DIR": t.TempDir(),
	}
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return env[k] })
	m.Now, m.TipTicks = clock.now, ticks
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	}()
	send := func(chat int64, kind string, user int64, text string) *telegramtest.Call {
		t.Helper()
		seq := srv.LastSeq()
		srv.PushMessage(telegramtest.Chat{ID: chat, Type: kind}, telegramtest.User{ID: user, FirstName: "U", Lang: "en"}, text)
		return srv.WaitCallAfter(t, "sendMessage", seq)
	}
	const group, ada, bob = -100, 42, 43
	srv.SetChatMember(group, ada, "administrator")
	srv.SetChatMember(group, bob, "member")
	if c := send(ada, "private", ada, "/subscribe 09:00"); !strings.Contains(c.Get("text"), "every day at 09:00 UTC") {
		t.Fatalf("private /subscribe = %q", c.Get("text"))
	}
	if c := send(group, "supergroup", bob, "/subscribe 09:00"); !strings.Contains(c.Get("text"), "Only this group&#39;s administrators") {
		t.Errorf("a member's /subscribe in the group = %q", c.Get("text"))
	}
	if c := send(group, "supergroup", ada, "/subscribe 09:00"); !strings.Contains(c.Get("text"), "every day at 09:00 UTC") {
		t.Errorf("the administrator's /subscribe in the group = %q", c.Get("text"))
	}
	seq := srv.LastSeq()
	ticks <- clock.advance(time.Hour)
	first := srv.WaitCallAfter(t, "sendMessage", seq)
	second := srv.WaitCallAfter(t, "sendMessage", first.Seq)
	want := todaysTip(t, "2026-11-28")
	chats := map[string]bool{}
	for _, c := range []*telegramtest.Call{first, second} {
		chats[c.Get("chat_id")] = true
		if !strings.Contains(c.Get("text"), "Tip of the day") || !strings.Contains(c.Get("text"), "/lib "+want.Entry.ID) {
			t.Errorf("the tip sent to %s = %q", c.Get("chat_id"), c.Get("text"))
		}
		var markup struct {
			InlineKeyboard [][]struct {
				Text string `json:"text"`
				URL  string `json:"url"`
			} `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(c.Get("reply_markup")), &markup); err != nil || len(markup.InlineKeyboard) == 0 ||
			markup.InlineKeyboard[0][0].URL != want.Entry.Links.Docs {
			t.Errorf("the tip's buttons = %s (%v), want a link to %s", c.Get("reply_markup"), err, want.Entry.Links.Docs)
		}
	}
	if !chats["42"] || !chats["-100"] {
		t.Errorf("tips went to %v, want the private chat and the group", chats)
	}

	if c := send(group, "supergroup", bob, "/unsubscribe"); !strings.Contains(c.Get("text"), "Only this group&#39;s administrators") {
		t.Errorf("a member's /unsubscribe in the group = %q", c.Get("text"))
	}
	if c := send(group, "supergroup", ada, "/unsubscribe"); !strings.Contains(c.Get("text"), "no more daily tips") {
		t.Errorf("the administrator's /unsubscribe = %q", c.Get("text"))
	}

	// The learner blocks the bot: the next tip fails with 403, and the subscription ends.
	srv.Fail("sendMessage", telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"})
	seq = srv.LastSeq()
	ticks <- clock.advance(24 * time.Hour)
	if c := srv.WaitCallAfter(t, "sendMessage", seq); c.Get("chat_id") != "42" {
		t.Fatalf("the next day's tip went to %s, want only the private chat", c.Get("chat_id"))
	}
	ticks <- clock.advance(time.Minute) // a tick after the refusal: the scheduler is done with it
	// Unblocked, the learner asks: the subscription is gone.
	if c := send(ada, "private", ada, "/subscription"); !strings.Contains(c.Get("text"), "no daily tip") {
		t.Errorf("/subscription after the chat blocked the bot = %q, want it ended", c.Get("text"))
	}
}

func TestTipCronIsValidated(t *testing.T) {
	for _, spec := range []string{"every minute", "* * * *", "61 * * * *"} {
		code, _, stderr := runBot(t, []string{"-tip-cron", spec}, "", map[string]string{})
		if code != 2 || !strings.Contains(stderr, "BOT_TIP_CRON / -tip-cron") {
			t.Errorf("-tip-cron %q: exit %d, stderr %q; want 2 and an error naming the setting", spec, code, stderr)
		}
	}
	code, _, stderr := runBot(t, nil, "/tip\n", map[string]string{"BOT_TIP_CRON": "*/5 * * * *"})
	if code != 0 {
		t.Errorf("BOT_TIP_CRON=*/5 * * * *: exit %d, %s", code, stderr)
	}
}

// TestEveryVariableIsDocumented checks that README's configuration table has a row for every
// environment variable the program reads, with its flag.
func TestEveryVariableIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range envVars {
		row := "| `" + v.name + "` | "
		if v.flag != "" {
			row += "`" + v.flag + "` |"
		}
		if !strings.Contains(string(readme), row) {
			t.Errorf("README's configuration table has no row starting %q", row)
		}
	}
}

// TestTipCronDrivesTheScheduler runs the real cron job (every second here, so the test need not
// wait for a minute to turn) and stops it with the program.
func TestTipCronDrivesTheScheduler(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 11, 28, 8, 59, 0, 0, time.UTC)}
	in, typed := io.Pipe()
	out := &chatOutput{}
	env := map[string]string{"BOT_DATA_DIR": t.TempDir(), "BOT_TIP_CRON": "@every 1s"}
	m := NewMain(in, out, io.Discard, func(k string) string { return env[k] })
	m.Now = clock.now
	if err := m.ParseFlags([]string{"-json"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	seen := 0
	io.WriteString(typed, "/subscribe 09:00\n")
	out.next(t, &seen, "the confirmation", func(l chatLine) bool { return strings.Contains(l.Text, "Subscribed") })
	clock.advance(time.Minute)
	out.next(t, &seen, "the tip, from the cron job", func(l chatLine) bool { return strings.Contains(l.Text, "Tip of the day") })
	typed.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	m.Close()
}

// TestTipOnRedis runs the terminal chat on Redis: the subscription lands in the tip schedule's
// sorted set, and the tick sends the tip and moves it to the next day.
func TestTipOnRedis(t *testing.T) {
	srv := redistest.Start(t)
	clock := &testClock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	ticks := make(chan time.Time)
	in, typed := io.Pipe()
	out := &chatOutput{}
	env := map[string]string{"REDIS_URL": srv.URL(), "REDIS_PREFIX": "tips"}
	m := NewMain(in, out, io.Discard, func(k string) string { return env[k] })
	m.Now, m.TipTicks = clock.now, ticks
	if err := m.ParseFlags([]string{"-json"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	seen := 0
	io.WriteString(typed, "/subscribe 09:00\n")
	out.next(t, &seen, "the confirmation", func(l chatLine) bool { return strings.Contains(l.Text, "Subscribed") })
	score := func() string {
		t.Helper()
		v, err := redistest.Do(srv.Addr(), "ZSCORE", "tips:{tips}:due", "console:console")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got, want := score(), fmt.Sprint(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC).UnixMilli()); got != want {
		t.Errorf("the subscription's score = %q, want %s (09:00 today)", got, want)
	}
	ticks <- clock.advance(time.Hour)
	out.next(t, &seen, "the tip", func(l chatLine) bool { return strings.Contains(l.Text, "Tip of the day") })
	ticks <- clock.advance(time.Minute) // the first tick has finished once this one is taken
	if got, want := score(), fmt.Sprint(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC).UnixMilli()); got != want {
		t.Errorf("after the tip, the score = %q, want %s (09:00 tomorrow)", got, want)
	}
	typed.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	m.Close()
}
