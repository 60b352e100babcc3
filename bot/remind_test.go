package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// missCard makes one of user's cards due within minutes: a quiz question answered "I don't know".
func missCard(t *testing.T, b *Bot, user string) {
	t.Helper()
	q := question(t, b.Handle(context.Background(), event(user, user, Private, "/quiz frameworks 1")))
	b.Handle(context.Background(), press(user, user, Private, q.Choices[len(q.Choices)-1].Data))
}

func TestRemindCommand(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, _, _ := newTipBot(t, st, nil, c)
	ctx := context.Background()
	if err := st.SetUserSetting(ctx, "test:ada", settingZone, "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ text, want string }{
		{"/remind", "You have no reminder. Set one with /remind 08:00"},
		{"/remind 25:00", "“25:00” is not a time I can read. Write it as HH:MM on a 24-hour clock, or off: /remind 08:00"},
		{"/remind soon", "“soon” is not a time I can read."},
		{"/remind 08:00", "I'll message you at 08:00 Asia/Shanghai on days when you have cards due. Next check: tomorrow at 08:00 (in 12 h)."},
		{"/remind", "Your reminder: 08:00 Asia/Shanghai, on days when you have cards due. Next check: tomorrow at 08:00 (in 12 h). /remind off stops it."},
		{"/remind 21:30 Europe/Paris", "I'll message you at 21:30 Europe/Paris"},
		{"/remind off", "Done: no more reminders."},
		{"/remind", "You have no reminder."},
	} {
		if got := say(b, event("ada", "ada", Private, step.text)); !strings.Contains(got, step.want) {
			t.Errorf("%s = %q, want %q", step.text, got, step.want)
		}
	}
	zh := event("li", "li", Private, "/remind 07:00")
	zh.Locale = "zh-CN"
	if got := say(b, zh); !strings.Contains(got, "有卡片待复习的日子，我会在 07:00（UTC）私信提醒你") {
		t.Errorf("/remind in Chinese = %q", got)
	}
	if got := say(b, groupEvent("ada", "", "/remind 08:00")); !strings.Contains(got, "Reminders come in a private chat") {
		t.Errorf("/remind in a group = %q", got)
	}
	say(b, event("li", "li", Private, "/forget yes"))
	if _, err := st.Subscription(ctx, "remind:test:li"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Errorf("after /forget the reminder: err = %v, want it gone", err)
	}
}

// TestRemindOnlyWhenDue: the reminder comes at its time with the count of due cards, and on a
// day with none due it says nothing.
func TestRemindOnlyWhenDue(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/remind 13:00"))
	say(b, event("bob", "bob", Private, "/remind 13:00"))
	missCard(t, b, "ada")
	c.t = time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	rep := tick(t, s, c.t)
	got := sink.take()
	if len(got) != 1 || got[0].chat != "ada" || got[0].r.Text.PlainText() != "You have 1 card due: /review" {
		t.Fatalf("reminders at 13:00 = %+v (%+v), want ada's alone", got, rep)
	}
	for range 3 {
		c.t = c.t.Add(time.Minute)
		tick(t, s, c.t)
	}
	if got := sink.take(); len(got) != 0 {
		t.Errorf("reminders later that day: %d, want none", len(got))
	}
	if sub, _ := st.Subscription(context.Background(), "remind:test:bob"); !sub.Next.Equal(time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC)) {
		t.Errorf("bob's reminder, with nothing due, is next at %v; want tomorrow 13:00", sub.Next)
	}
}

// TestRemindMergedIntoTip: a tip and a reminder at the same minute in the same zone make one
// message, the tip with the due-cards line.
func TestRemindMergedIntoTip(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 13:00"))
	say(b, event("ada", "ada", Private, "/remind 13:00"))
	missCard(t, b, "ada")
	c.t = time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	tick(t, s, c.t)
	got := sink.take()
	if len(got) != 1 || !strings.Contains(got[0].r.Text.PlainText(), "Tip of the day") || !strings.Contains(got[0].r.Text.PlainText(), "You have 1 card due: /review") {
		t.Fatalf("at 13:00 with both = %d messages %+v, want the tip with the due line, once", len(got), got)
	}
	// At different minutes, each comes on its own.
	say(b, event("ada", "ada", Private, "/remind 14:00"))
	c.t = time.Date(2026, 11, 28, 14, 0, 0, 0, time.UTC)
	tick(t, s, c.t)
	if got := sink.take(); len(got) != 1 || got[0].r.Text.PlainText() != "You have 1 card due: /review" {
		t.Errorf("the reminder at 14:00 = %+v", got)
	}
}

// TestRemindDST: reminders keep their local time across New York's switches, a skipped time
// comes when the clocks jump, and a repeated one once.
func TestRemindDST(t *testing.T) {
	for _, tt := range []struct {
		name, at string
		from     time.Time
		days     int
		want     []string
	}{
		{"09:00 in March", "09:00", time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC), 3,
			[]string{"2026-03-07 09:00 EST", "2026-03-08 09:00 EDT", "2026-03-09 09:00 EDT"}},
		{"02:30 in March", "02:30", time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), 2,
			[]string{"2026-03-08 03:00 EDT", "2026-03-09 02:30 EDT"}},
		{"01:30 in November", "01:30", time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC), 2,
			[]string{"2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.NewMemory()
			c := &clock{t: tt.from}
			st.Now = c.now
			b, sink, s := newTipBot(t, st, nil, c)
			missCard(t, b, "ada") // never reviewed: due every day after
			say(b, event("ada", "ada", Private, "/remind "+tt.at+" America/New_York"))
			got := deliveriesOver(t, s, sink, c, tt.days)
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("reminded at\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

// TestRemindExactlyOnce races three schedulers over one store, one of them having died holding
// the reminder's claim: the learner is reminded once.
func TestRemindExactlyOnce(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	_, sink2, s2 := newTipBot(t, st, nil, c)
	_, sink3, s3 := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/remind 13:00"))
	missCard(t, b, "ada")
	c.t = time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	if cs, err := st.ClaimDue(context.Background(), c.t, c.t.Add(2*time.Minute), 10); err != nil || len(cs) != 1 {
		t.Fatalf("the doomed scheduler's claim = %v, %v", cs, err)
	}
	for range 4 {
		c.t = c.t.Add(time.Minute)
		var wg sync.WaitGroup
		for _, x := range []*TipScheduler{s, s2, s3} {
			wg.Go(func() { tick(t, x, c.t) })
		}
		wg.Wait()
	}
	if n := len(sink.take()) + len(sink2.take()) + len(sink3.take()); n != 1 {
		t.Errorf("the learner was reminded %d times, want once", n)
	}
}
