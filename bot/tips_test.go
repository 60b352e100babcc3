package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// sentTip is one message a scheduler sent, with the clock's time then.
type sentTip struct {
	chat string
	at   time.Time
	r    Reply
}

// tipSink is a Sender recording tips; fail makes it refuse a chat, and onSend runs before each.
type tipSink struct {
	clock  *clock
	mu     sync.Mutex
	sent   []sentTip
	fail   map[string]error
	onSend func(to Destination)
}

func (s *tipSink) Send(ctx context.Context, to Destination, replies []Reply) error {
	if s.onSend != nil {
		s.onSend(to)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail[to.ChatID]; err != nil {
		return err
	}
	for _, r := range replies {
		s.sent = append(s.sent, sentTip{chat: to.ChatID, at: s.clock.now(), r: r})
	}
	return nil
}

func (s *tipSink) take() []sentTip {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sent
	s.sent = nil
	return out
}

// newTipBot is a core with quizzes and daily tips on st (tips on ts when given), sending to a
// tipSink, on clock c.
func newTipBot(t testing.TB, st *storetest.Memory, ts tip.Store, c *clock) (*Bot, *tipSink, *TipScheduler) {
	t.Helper()
	bank, _, err := quiz.NewBank(testKB(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	if ts == nil {
		ts = st
	}
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Now: c.now, Claims: st, Tips: ts,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	sink := &tipSink{clock: c}
	b.Attach("test", sink)
	s, err := b.TipScheduler(TipSchedulerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return b, sink, s
}

func tick(t *testing.T, s *TipScheduler, now time.Time) TickReport {
	t.Helper()
	rep, err := s.Tick(context.Background(), now)
	if err != nil {
		t.Fatalf("Tick(%v): %v", now, err)
	}
	return rep
}

func say(b *Bot, ev Event) string { return plain(b.Handle(context.Background(), ev)) }

func TestSubscribeReplies(t *testing.T) {
	tests := []struct {
		name, text, want string
		locale           string
	}{
		{"defaults", "/subscribe", "every day at 09:00 UTC. The next one comes tomorrow at 09:00 (in 21 h).", ""},
		{"a time later today", "/subscribe 13:30", "every day at 13:30 UTC. The next one comes today at 13:30 (in 1 h 30 min).", ""},
		{"time and zone", "/subscribe 08:30 Asia/Shanghai", "every day at 08:30 Asia/Shanghai. The next one comes tomorrow at 08:30 (in 12 h 30 min).", ""},
		{"zone first, any case", "/subscribe europe/berlin 8:30", "every day at 08:30 Europe/Berlin. The next one comes tomorrow at 08:30 (in 19 h 30 min).", ""},
		{"zone alone", "/subscribe America/New_York", "every day at 09:00 America/New_York. The next one comes today at 09:00 (in 2 h).", ""},
		{"Chinese", "/subscribe 08:30 Asia/Shanghai", "订阅成功：每天 08:30（Asia/Shanghai）发一条库的小技巧。下一条在明天 08:30 送达（12 小时 30 分钟后）。", "zh-CN"},
		{"bad time", "/subscribe 25:00", "“25:00” is not a time I can read. Write it as HH:MM on a 24-hour clock", ""},
		{"bad time, Chinese", "/subscribe 8点", "我看不懂时间“8点”", "zh-CN"},
		{"misspelt zone", "/subscribe 08:30 asia/shangai", "“asia/shangai” is not a time zone I know. Did you mean Asia/Shanghai? For example: /subscribe 08:30 Asia/Shanghai", ""},
		{"unknown zone", "/subscribe 08:30 Mars/Olympus", "“Mars/Olympus” is not a time zone I know. Use an IANA name", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.NewMemory()
			c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
			st.Now = c.now
			b, _, _ := newTipBot(t, st, nil, c)
			ev := event("ada", "ada", Private, tt.text)
			ev.Locale = tt.locale
			if got := say(b, ev); !strings.Contains(got, tt.want) {
				t.Errorf("%s = %q, want it to contain %q", tt.text, got, tt.want)
			}
			if strings.Contains(tt.want, "not a") || strings.Contains(tt.want, "不认识") || strings.Contains(tt.want, "看不懂") {
				if _, err := st.Subscription(context.Background(), "test:ada"); !errors.Is(err, tip.ErrNotSubscribed) {
					t.Errorf("%s subscribed the chat (err %v); bad input must change nothing", tt.text, err)
				}
			}
		})
	}
}

func TestSubscribeDefaultZoneAndSettings(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, _, _ := newTipBot(t, st, nil, c)
	ctx := context.Background()
	// A private chat uses the learner's own zone.
	if err := st.SetUserSetting(ctx, "test:ada", settingZone, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	if got := say(b, event("ada", "ada", Private, "/subscribe 07:00")); !strings.Contains(got, "07:00 Europe/Berlin") {
		t.Errorf("/subscribe with the learner's zone set = %q, want Europe/Berlin", got)
	}
	// A group uses the zone last given there; a new /subscribe keeps it.
	admin := groupEvent("ada", "", "/subscribe 08:00 Asia/Tokyo")
	if got := say(b, admin); !strings.Contains(got, "08:00 Asia/Tokyo") {
		t.Fatalf("/subscribe 08:00 Asia/Tokyo = %q", got)
	}
	admin.Text = "/subscribe 07:15"
	if got := say(b, admin); !strings.Contains(got, "07:15 Asia/Tokyo") {
		t.Errorf("/subscribe 07:15 after Asia/Tokyo was given = %q, want Asia/Tokyo kept", got)
	}
	s, err := st.Subscription(ctx, "test:g")
	if err != nil || !s.Group || s.User != "" || s.Zone != "Asia/Tokyo" || s.At != 7*60+15 || s.Lang != "en" {
		t.Errorf("the group's subscription = %+v, %v", s, err)
	}
	// /subscription words it, in the reader's language.
	zh := groupEvent("li", "zh-CN", "/subscription")
	if got := say(b, zh); !strings.Contains(got, "本聊天每天 07:15（Asia/Tokyo）") || !strings.Contains(got, "小时") {
		t.Errorf("/subscription in Chinese = %q", got)
	}
}

func TestTipsGroupAdminsOnly(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, _, _ := newTipBot(t, st, nil, c)
	ctx := context.Background()
	if got := say(b, groupEvent("bob", "", "/subscribe 08:00")); !strings.Contains(got, "Only this group's administrators") {
		t.Errorf("a member's /subscribe = %q, want a polite refusal", got)
	}
	if _, err := st.Subscription(ctx, "test:g"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Fatalf("a member's /subscribe subscribed the group")
	}
	if got := say(b, groupEvent("li", "zh-CN", "/subscribe 08:00")); !strings.Contains(got, "只有群管理员") {
		t.Errorf("a member's /subscribe in Chinese = %q", got)
	}
	say(b, groupEvent("ada", "", "/subscribe 08:00"))
	if got := say(b, groupEvent("bob", "", "/unsubscribe")); !strings.Contains(got, "Only this group's administrators") {
		t.Errorf("a member's /unsubscribe = %q, want a polite refusal", got)
	}
	if got := say(b, groupEvent("bob", "", "/subscription")); !strings.Contains(got, "every day at 08:00 UTC") {
		t.Errorf("a member's /subscription = %q, want the settings", got)
	}
	// A platform that cannot say who administers the group: nobody may change it there.
	ev := event("ada", "g", Group, "/unsubscribe")
	if got := say(b, ev); !strings.Contains(got, "Only this group's administrators") {
		t.Errorf("/unsubscribe where the platform cannot tell = %q", got)
	}
	if got := say(b, groupEvent("ada", "", "/unsubscribe")); !strings.Contains(got, "no more daily tips") {
		t.Errorf("the administrator's /unsubscribe = %q", got)
	}
	if got := say(b, groupEvent("ada", "", "/unsubscribe")); !strings.Contains(got, "had no daily tip") {
		t.Errorf("a second /unsubscribe = %q", got)
	}
	// An administrator check that fails changes nothing and says so.
	down := groupEvent("ada", "", "/subscribe")
	down.IsAdmin = func(context.Context) (bool, error) { return false, errors.New("getChatMember: 502") }
	if got := say(b, down); !strings.Contains(got, T("", msgUnavailable)) {
		t.Errorf("/subscribe while the platform cannot say who is admin = %q", got)
	}
}

func TestTipDelivered(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 13:00"))
	zh := event("li", "li", Private, "/subscribe 13:00")
	zh.Locale = "zh-CN"
	say(b, zh)

	c.t = c.t.Add(59 * time.Minute)
	if rep := tick(t, s, c.t); rep.Sent != 0 || len(sink.take()) != 0 {
		t.Fatalf("Tick at 12:59 sent %+v, want nothing", rep)
	}
	c.t = c.t.Add(time.Minute)
	rep := tick(t, s, c.t)
	got := sink.take()
	if rep.Sent != 2 || len(got) != 2 {
		t.Fatalf("Tick at 13:00 = %+v, sent %d; want both tips", rep, len(got))
	}
	today, _ := b.deck.On("2026-11-28")
	for _, g := range got {
		text := g.r.Text.PlainText()
		name, want := today.Entry.DisplayName("en"), today.Text.EN
		if g.chat == "li" {
			name, want = today.Entry.DisplayName("zh"), today.Text.ZH
		}
		if !strings.Contains(text, name) || !strings.Contains(text, "/lib "+today.Entry.ID) {
			t.Errorf("tip to %s = %q, want %s and /lib %s", g.chat, text, name, today.Entry.ID)
		}
		var spans string
		for _, sp := range g.r.Text.Spans() {
			if sp.Style == Code {
				spans += "`" + sp.Text + "`"
			} else {
				spans += sp.Text
			}
		}
		if !strings.Contains(spans, want) {
			t.Errorf("tip to %s = %q, want the tip with its code spans, %q", g.chat, spans, want)
		}
		if len(g.r.Buttons) != 1 || g.r.Buttons[0].URL != today.Entry.Links.Docs {
			t.Errorf("tip to %s has buttons %+v, want a link to %s", g.chat, g.r.Buttons, today.Entry.Links.Docs)
		}
		if strings.Contains(text, "/review") {
			t.Errorf("tip to %s mentions due cards, but none are due: %q", g.chat, text)
		}
	}
	if !strings.Contains(got[0].r.Text.PlainText()+got[1].r.Text.PlainText(), "每日一技") {
		t.Errorf("li's tip is not in Chinese: %q", got[1].r.Text.PlainText())
	}
	c.t = c.t.Add(time.Minute)
	if rep := tick(t, s, c.t); rep.Sent != 0 {
		t.Errorf("Tick a minute later = %+v, want nothing more today", rep)
	}
	// Tomorrow: the next tip of the deck, once.
	c.t = c.t.Add(24*time.Hour - time.Minute)
	tick(t, s, c.t)
	tick(t, s, c.t.Add(time.Minute))
	got = sink.take()
	tomorrow, _ := b.deck.On("2026-11-29")
	if len(got) != 2 || !strings.Contains(got[0].r.Text.PlainText(), tomorrow.Entry.DisplayName("en")) || tomorrow.ID == today.ID {
		t.Errorf("the next day sent %d tips; want two, with the next day's tip %s", len(got), tomorrow.ID)
	}
	if got := say(b, event("ada", "ada", Private, "/subscription")); !strings.Contains(got, "tomorrow at 13:00 (in 24 h)") {
		t.Errorf("/subscription after a delivery = %q", got)
	}
}

func TestTipMentionsDueCards(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 13:00"))
	// A missed card is due again within minutes.
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 1")))
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[len(q.Choices)-1].Data))
	c.t = time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	tick(t, s, c.t)
	got := sink.take()
	if len(got) != 1 || !strings.Contains(got[0].r.Text.PlainText(), "You have 1 card due: /review") {
		t.Fatalf("tip with a card due = %+v", got)
	}
}

func TestTipTodayCommand(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)}
	st.Now = c.now
	b, _, _ := newTipBot(t, st, nil, c)
	utcDay, _ := b.deck.On("2026-11-28")
	tokyoDay, _ := b.deck.On("2026-11-29")
	if got := say(b, event("ada", "ada", Private, "/tip")); !strings.Contains(got, utcDay.Text.EN[:20]) {
		t.Errorf("/tip in UTC = %q, want the tip of 2026-11-28", got)
	}
	say(b, event("ada", "ada", Private, "/subscribe 08:00 Asia/Tokyo"))
	ev := event("ada", "ada", Private, "/tip")
	ev.Locale = "zh-CN"
	if got := say(b, ev); !strings.Contains(got, "每日一技") || !strings.Contains(got, tokyoDay.Entry.DisplayName("zh")) {
		t.Errorf("/tip subscribed in Tokyo, in Chinese = %q, want the tip of Tokyo's 2026-11-29", got)
	}
	// /tip works without a tip store too.
	plainBot := newTestBot(t)
	if got := plain(ask(plainBot, "", "/tip")); !strings.Contains(got, "Tip of the day") {
		t.Errorf("/tip on a lookup-only bot = %q", got)
	}
}

// TestTipDST runs a cron every fifteen minutes across both 2026 switches in New York: 09:00
// stays 09:00 local, 02:30 on the spring-forward day comes at 03:00, once, and 01:30 on the
// fall-back day comes once.
func TestTipDST(t *testing.T) {
	for _, tt := range []struct {
		name, at string
		from     time.Time
		days     int
		want     []string // local delivery times
	}{
		{"09:00 in March", "09:00", time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC), 4,
			[]string{"2026-03-07 09:00 EST", "2026-03-08 09:00 EDT", "2026-03-09 09:00 EDT", "2026-03-10 09:00 EDT"}},
		{"02:30 in March", "02:30", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), 3,
			[]string{"2026-03-07 02:30 EST", "2026-03-08 03:00 EDT", "2026-03-09 02:30 EDT"}},
		{"09:00 in November", "09:00", time.Date(2026, 10, 30, 12, 0, 0, 0, time.UTC), 4,
			[]string{"2026-10-30 09:00 EDT", "2026-10-31 09:00 EDT", "2026-11-01 09:00 EST", "2026-11-02 09:00 EST"}},
		{"01:30 in November", "01:30", time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), 3,
			[]string{"2026-10-31 01:30 EDT", "2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.NewMemory()
			c := &clock{t: tt.from}
			st.Now = c.now
			b, sink, s := newTipBot(t, st, nil, c)
			say(b, event("ada", "ada", Private, "/subscribe "+tt.at+" America/New_York"))
			got := deliveriesOver(t, s, sink, c, tt.days)
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("delivered at\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

// deliveriesOver ticks the scheduler every 15 minutes for days and returns when the sink received
// each message, in New York time.
func deliveriesOver(t *testing.T, s *TipScheduler, sink *tipSink, c *clock, days int) []string {
	t.Helper()
	ny, _ := tip.LoadZone("America/New_York")
	for end := c.t.Add(time.Duration(days) * 24 * time.Hour); c.t.Before(end); {
		c.t = c.t.Add(15 * time.Minute)
		tick(t, s, c.t)
	}
	var got []string
	for _, x := range sink.take() {
		got = append(got, x.at.In(ny).Format("2006-01-02 15:04 MST"))
	}
	return got
}

func TestTipAfterDowntime(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 09:00"))
	say(b, event("bob", "bob", Private, "/subscribe 23:00"))
	// Down from 08:00 until 15:00 the next day: ada's tip of the 28th is a day old, and her
	// tip of the 29th, due at 09:00, is still due today; bob's tip of the 28th is skipped.
	c.t = time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)
	rep := tick(t, s, c.t)
	got := sink.take()
	if rep.Sent != 1 || rep.Skipped != 2 || len(got) != 1 || got[0].chat != "ada" {
		t.Fatalf("the first tick after downtime = %+v, sent %v; want ada's tip sent and bob's skipped", rep, got)
	}
	d29, _ := b.deck.On("2026-11-29")
	if !strings.Contains(got[0].r.Text.PlainText(), d29.Entry.DisplayName("en")) {
		t.Errorf("the tip sent after downtime is not the day's")
	}
	c.t = time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
	if rep := tick(t, s, c.t); rep.Sent != 1 {
		t.Errorf("bob's tip of the 29th at 23:00 = %+v, want sent", rep)
	}
}

func TestTipBlockedChatUnsubscribed(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 09:00"))
	say(b, event("bob", "bob", Private, "/subscribe 09:00"))
	sink.fail = map[string]error{"ada": fmt.Errorf("%w: blocked by the user", ErrUnreachable)}
	c.t = c.t.Add(time.Hour)
	rep := tick(t, s, c.t)
	if rep.Sent != 1 || rep.Failed != 1 {
		t.Errorf("Tick with ada's chat blocked = %+v, want bob's sent and ada's failed", rep)
	}
	if _, err := st.Subscription(context.Background(), "test:ada"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Errorf("the blocked chat's subscription: err = %v, want it ended", err)
	}
	if why, _ := st.ChatSetting(context.Background(), "test:ada", settingUnreachable); why == "" {
		t.Errorf("the blocked chat was not marked unreachable")
	}
	if _, err := st.Subscription(context.Background(), "test:bob"); err != nil {
		t.Errorf("bob's subscription: %v, want it kept", err)
	}
}

// crashStore is a tip store whose Reschedule fails while crash is set, as if the process died
// right after sending.
type crashStore struct {
	tip.Store
	crash bool
}

func (s *crashStore) Reschedule(ctx context.Context, rs []tip.Resched) error {
	if s.crash {
		return errors.New("crashed")
	}
	return s.Store.Reschedule(ctx, rs)
}

// TestTipExactlyOnceAcrossCrashes crashes a scheduler between its claim and the send, and
// another between the send and the reschedule: each chat still gets its tip exactly once.
func TestTipExactlyOnceAcrossCrashes(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	cs := &crashStore{Store: st}
	b, sink, s := newTipBot(t, st, cs, c)
	say(b, event("ada", "ada", Private, "/subscribe 09:00"))
	ctx := context.Background()

	// A scheduler claims ada's tip and dies before sending it.
	c.t = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	if claimed, err := st.ClaimDue(ctx, c.t, c.t.Add(2*time.Minute), 10); err != nil || len(claimed) != 1 {
		t.Fatalf("the doomed scheduler's claim = %v, %v", claimed, err)
	}
	c.t = c.t.Add(time.Minute)
	if rep := tick(t, s, c.t); rep != (TickReport{}) {
		t.Fatalf("Tick while the dead scheduler's claim holds = %+v, want nothing", rep)
	}
	c.t = c.t.Add(time.Minute) // the claim lapses
	if rep := tick(t, s, c.t); rep.Sent != 1 || len(sink.take()) != 1 {
		t.Fatalf("Tick once the claim lapsed = %+v, want the tip sent", rep)
	}

	// Tomorrow a scheduler sends and dies before rescheduling.
	c.t = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	cs.crash = true
	if _, err := s.Tick(ctx, c.t); err == nil {
		t.Fatal("Tick with the crash injected: no error")
	}
	cs.crash = false
	if n := len(sink.take()); n != 1 {
		t.Fatalf("the crashing scheduler sent %d tips, want 1", n)
	}
	for range 5 {
		c.t = c.t.Add(time.Minute)
		tick(t, s, c.t)
	}
	if got := sink.take(); len(got) != 0 {
		t.Errorf("after the crash, the tip went again %d times; want it sent once", len(got))
	}
	if sub, err := st.Subscription(ctx, "test:ada"); err != nil || !sub.Next.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("after the crash, the subscription = %+v, %v; want it due tomorrow at 09:00", sub, err)
	}
}

// TestTipSchedulersRace runs three schedulers (replicas) over one store at once: every chat
// gets its tip exactly once.
func TestTipSchedulersRace(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	const chats = 60
	var sinks []*tipSink
	var scheds []*TipScheduler
	for range 3 {
		b, sink, s := newTipBot(t, st, nil, c)
		sinks, scheds = append(sinks, sink), append(scheds, s)
		if len(scheds) == 1 {
			for i := range chats {
				say(b, event(fmt.Sprint("u", i), fmt.Sprint("u", i), Private, "/subscribe 09:00"))
			}
		}
	}
	c.t = c.t.Add(time.Hour)
	var wg sync.WaitGroup
	for _, s := range scheds {
		wg.Go(func() { tick(t, s, c.t) })
	}
	wg.Wait()
	seen := map[string]int{}
	for _, sink := range sinks {
		for _, x := range sink.take() {
			seen[x.chat]++
		}
	}
	if len(seen) != chats {
		t.Errorf("%d chats got a tip, want %d", len(seen), chats)
	}
	for chat, n := range seen {
		if n != 1 {
			t.Errorf("%s got %d tips, want 1", chat, n)
		}
	}
}

// TestTipShutdownLosesNothing stops a fan-out halfway: what was not sent goes back on the
// schedule, and the next start sends it, once.
func TestTipShutdownLosesNothing(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, sink, s := newTipBot(t, st, nil, c)
	for _, u := range []string{"a", "b", "c", "d"} {
		say(b, event(u, u, Private, "/subscribe 09:00"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	sink.onSend = func(Destination) {
		if n++; n == 2 {
			cancel() // SIGTERM while the second tip is on its way
		}
	}
	c.t = c.t.Add(time.Hour)
	rep, err := s.Tick(ctx, c.t)
	if !errors.Is(err, context.Canceled) || rep.Released == 0 {
		t.Fatalf("Tick cut short = %+v, %v; want some released and context.Canceled", rep, err)
	}
	first := len(sink.take())
	sink.onSend = nil
	c.t = c.t.Add(time.Minute)
	rep = tick(t, s, c.t)
	if first+rep.Sent != 4 || len(sink.take()) != rep.Sent {
		t.Errorf("sent %d before the stop and %d after (%+v); want 4 in all, each once", first, rep.Sent, rep)
	}
}

func TestForgetEndsTheSubscription(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, _, _ := newTipBot(t, st, nil, c)
	say(b, event("ada", "ada", Private, "/subscribe 09:00"))
	say(b, groupEvent("ada", "", "/subscribe 09:00"))
	say(b, event("ada", "ada", Private, "/forget yes"))
	if _, err := st.Subscription(context.Background(), "test:ada"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Errorf("after /forget, the private chat's subscription: err = %v, want it ended", err)
	}
	if _, err := st.Subscription(context.Background(), "test:g"); err != nil {
		t.Errorf("after /forget, the group's subscription: %v, want it kept (it is the group's)", err)
	}
}

// tipCounter is an Observer counting daily tips by result.
type tipCounter struct {
	nopObserver
	mu   sync.Mutex
	tips map[string]int
}

func (o *tipCounter) Tip(result string) { o.mu.Lock(); o.tips[result]++; o.mu.Unlock() }

func TestTipMetrics(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	obs := &tipCounter{tips: map[string]int{}}
	b, err := New(Config{Content: testKB(t), Settings: st, Claims: st, Tips: st, Now: c.now, Observer: obs,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	sink := &tipSink{clock: c, fail: map[string]error{"bob": fmt.Errorf("%w: blocked", ErrUnreachable)}}
	b.Attach("test", sink)
	s, err := b.TipScheduler(TipSchedulerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"ada", "bob", "cy"} {
		say(b, event(u, u, Private, "/subscribe 09:00"))
	}
	// The bot was down on the 28th: each tip of the 28th is skipped, and the 29th's is due.
	c.t = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	tick(t, s, c.t)
	if want := map[string]int{"sent": 2, "failed": 1, "skipped": 3}; fmt.Sprint(obs.tips) != fmt.Sprint(want) {
		t.Errorf("tips observed = %v, want %v (each of the day-old tips skipped, today's sent, bob's refused)", obs.tips, want)
	}
}

// downClaims is a claim store that is down.
type downClaims struct{}

func (downClaims) Claim(context.Context, string, string, time.Duration) (bool, error) {
	return false, errors.New("claims down")
}
func (downClaims) Release(context.Context, string, string) error { return errors.New("claims down") }

// TestTipClaimsDown: with delivery claims unavailable nothing is sent (it could not be sent only
// once), the tick ends, and the tip goes a minute after the store is back.
func TestTipClaimsDown(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, err := New(Config{Content: testKB(t), Settings: st, Claims: downClaims{}, Tips: st, Now: c.now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	sink := &tipSink{clock: c}
	b.Attach("test", sink)
	s, err := b.TipScheduler(TipSchedulerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	say(b, event("ada", "ada", Private, "/subscribe 09:00"))
	c.t = c.t.Add(time.Hour)
	if rep := tick(t, s, c.t); rep.Released != 1 || rep.Sent != 0 || len(sink.take()) != 0 {
		t.Errorf("Tick with the claims down = %+v, want the tip released unsent", rep)
	}
	if sub, _ := st.Subscription(context.Background(), "test:ada"); !sub.Next.Equal(c.t.Add(time.Minute)) {
		t.Errorf("the tip is next due at %v, want a minute later", sub.Next)
	}
}
