package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

func TestSplitChallengeArgs(t *testing.T) {
	tests := []struct {
		args      string
		topic     string
		n, secs   int
		wantError bool
	}{
		{"", "", 0, 0, false},
		{"pandas", "pandas", 0, 0, false},
		{"web frameworks 10", "web frameworks", 10, 0, false},
		{"frameworks 5 30", "frameworks", 5, 30, false},
		{"5 30", "", 5, 30, false},
		{"7", "", 7, 0, false},
		{"30s", "", 0, 30, false},
		{"pandas 45s", "pandas", 0, 45, false},
		{"pandas 3 45s", "pandas", 3, 45, false},
		{"pandas 3 45秒", "pandas", 3, 45, false},
		{"21", "", 0, 0, true},
		{"0", "", 0, 0, true},
		{"5 9", "", 0, 0, true},
		{"5 121", "", 0, 0, true},
		{"5 30 40s", "", 0, 0, true},
		{"0s", "", 0, 0, true},
		{"xs", "xs", 0, 0, false},
		{"pandas fives", "pandas fives", 0, 0, false},
	}
	for _, tt := range tests {
		topic, n, secs, err := splitChallengeArgs(tt.args)
		if (err != nil) != tt.wantError || topic != tt.topic || n != tt.n || secs != tt.secs {
			t.Errorf("splitChallengeArgs(%q) = %q, %d, %d, %v; want %q, %d, %d, error %v",
				tt.args, topic, n, secs, err, tt.topic, tt.n, tt.secs, tt.wantError)
		}
	}
}

// outbox is a Poster that records every message the core sends a chat on its own.
type outbox struct {
	mu     sync.Mutex
	posts  []Reply // by reference - 1
	events []string
}

func (o *outbox) Send(ctx context.Context, to Destination, replies []Reply) error {
	for _, r := range replies {
		o.Post(ctx, to, r)
	}
	return nil
}

func (o *outbox) Post(ctx context.Context, to Destination, r Reply) (MessageRef, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.posts = append(o.posts, r)
	ref := fmt.Sprint(len(o.posts))
	o.events = append(o.events, "post "+ref)
	return MessageRef(ref), nil
}

func (o *outbox) Edit(ctx context.Context, to Destination, ref MessageRef, r Reply) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var i int
	fmt.Sscan(string(ref), &i)
	o.posts[i-1] = r
	o.events = append(o.events, "edit "+string(ref))
	return nil
}

// log returns what happened since the last call.
func (o *outbox) log() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.events
	o.events = nil
	return out
}

func (o *outbox) message(ref int) Reply {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.posts[ref-1]
}

func (o *outbox) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.posts)
}

// challengeBot is a core with challenges on st, sending through its own outbox, on clock c.
func newChallengeBot(t testing.TB, st *storetest.Memory, c *clock) (*Bot, *outbox) {
	t.Helper()
	bank, _, err := quiz.NewBank(testKB(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Now: c.now,
		Challenges: quiz.NewChallenges(e, st), Claims: st,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	out := &outbox{}
	b.Attach("test", out)
	return b, out
}

func groupEvent(user, locale, text string) Event {
	ev := event(user, "g", Group, text)
	ev.Locale = locale
	ev.IsAdmin = func(context.Context) (bool, error) { return user == "ada", nil }
	return ev
}

func groupPress(user, locale, data string) Event {
	ev := groupEvent(user, locale, "")
	ev.Choice = data
	return ev
}

// correctData is the data of the right choice of a posted challenge question, and of a wrong one.
func correctData(t *testing.T, b *Bot, q Reply) (right, wrong string) {
	t.Helper()
	c, err := b.challenges.Load(context.Background(), "test:g")
	if err != nil || c == nil {
		t.Fatalf("no challenge: %v", err)
	}
	cq := b.challenges.Question(c)
	if len(q.Choices) != len(cq.Choices) {
		t.Fatalf("question message has %d choices, want %d", len(q.Choices), len(cq.Choices))
	}
	return q.Choices[cq.Correct].Data, q.Choices[(cq.Correct+1)%(len(q.Choices)-1)].Data
}

func notice(t *testing.T, rs []Reply) string {
	t.Helper()
	if len(rs) != 1 || !rs[0].Private {
		t.Fatalf("want one private notice, got %s", plain(rs))
	}
	return rs[0].Text.PlainText()
}

// TestChallengeInAGroup plays a whole challenge: the announcement; each question posted with its
// buttons and deadline, edited as answers arrive (at most every few seconds), then replaced by
// its results without buttons; the next question within 3 s; private notices in each player's
// language; the final results with the podium.
func TestChallengeInAGroup(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, out := newChallengeBot(t, st, c)
	ctx := context.Background()
	tick := func(d time.Duration) []string {
		c.t = c.t.Add(d)
		b.TickChallenges(ctx)
		return out.log()
	}

	if got := plain(b.Handle(ctx, event("ada", "ada", Private, "/challenge"))); !strings.Contains(got, "groups") {
		t.Errorf("/challenge in a private chat = %q", got)
	}
	rs := b.Handle(ctx, groupEvent("ada", "en", "/challenge frameworks 2 10"))
	if got := plain(rs); !strings.Contains(got, "Challenge from Ada: 2 questions on Web frameworks and concepts, 10 seconds each.") {
		t.Fatalf("announcement = %q", got)
	}
	if got := plain(b.Handle(ctx, groupEvent("bob", "en", "/challenge"))); !strings.Contains(got, "already running") || !strings.Contains(got, "question 1 of 2, started by Ada") {
		t.Errorf("a second /challenge = %q", got)
	}
	if got := tick(time.Second); len(got) != 0 {
		t.Errorf("before the lead is over: %v", got)
	}
	if got := strings.Join(tick(quiz.ChallengeLead), " "); got != "post 1" {
		t.Fatalf("after the lead: %v, want question 1 posted", got)
	}
	q := out.message(1)
	if text := q.Text.PlainText(); !strings.Contains(text, "Question 1 of 2") || !strings.Contains(text, "10 seconds to answer") || len(q.Choices) < 3 {
		t.Fatalf("question 1:\n%s\n%+v", text, q.Choices)
	}
	right, wrong := correctData(t, b, q)

	c.t = c.t.Add(2 * time.Second)
	if got := notice(t, b.Handle(ctx, groupPress("ada", "en", right))); !strings.Contains(got, "Got your answer") {
		t.Errorf("ada's notice = %q", got)
	}
	if got := notice(t, b.Handle(ctx, groupPress("ada", "en", wrong))); !strings.Contains(got, "only your first answer counts") {
		t.Errorf("ada's second press = %q", got)
	}
	if got := notice(t, b.Handle(ctx, groupPress("li", "zh-CN", wrong))); !strings.Contains(got, "已收到你的答案") {
		t.Errorf("li's notice = %q, want Chinese", got)
	}
	if got := tick(time.Second); len(got) != 0 {
		t.Errorf("3 s in: %v, want no edit before %v", got, quiz.ChallengeCountEvery)
	}
	if got := strings.Join(tick(2*time.Second), " "); got != "edit 1" {
		t.Errorf("5 s in: %v, want the count shown", got)
	}
	if text := out.message(1).Text.PlainText(); !strings.Contains(text, "2 answered · ⏱ about 5 s left") || len(out.message(1).Choices) == 0 {
		t.Errorf("the count edit:\n%s", text)
	}
	c.t = c.t.Add(time.Second)
	b.Handle(ctx, groupPress("bob", "en", right))
	if got := tick(time.Second); len(got) != 0 {
		t.Errorf("a second edit within %v: %v", quiz.ChallengeCountEvery, got)
	}
	if got := strings.Join(tick(3*time.Second), " "); got != "edit 1" {
		t.Errorf("at the deadline: %v, want the count shown again", got)
	}
	if text := out.message(1).Text.PlainText(); !strings.Contains(text, "3 answered · ⏱ about 0 s left") {
		t.Errorf("the count edit at the deadline:\n%s", text)
	}
	c.t = c.t.Add(time.Second) // past the deadline
	if got := notice(t, b.Handle(ctx, groupPress("eve", "en", right))); !strings.Contains(got, "Too late") {
		t.Errorf("eve's late press = %q", got)
	}
	if got := strings.Join(tick(0), " "); got != "edit 1" {
		t.Fatalf("after the deadline: %v, want the results in place of the question", got)
	}
	res := out.message(1)
	text := res.Text.PlainText()
	if len(res.Choices) != 0 {
		t.Errorf("the results keep %d buttons", len(res.Choices))
	}
	for _, want := range []string{"✅ ", "Time's up · 3 answered, 2 right", "Right, fastest first: Ada 2.0 s (+", "Bob 6.0 s (+", "Scoreboard", "1. Ada — ", "2. Bob — ", "3. Li — 0 pts"} {
		if !strings.Contains(text, want) {
			t.Errorf("results lack %q:\n%s", want, text)
		}
	}
	if got := notice(t, b.Handle(ctx, groupPress("eve", "en", right))); !strings.Contains(got, "closed") {
		t.Errorf("a press on the closed question = %q", got)
	}
	if got := tick(time.Second); len(got) != 0 {
		t.Errorf("1 s after the results: %v", got)
	}
	if got := strings.Join(tick(time.Second), " "); got != "post 2" {
		t.Fatalf("2 s after the results: %v, want question 2", got)
	}
	q2 := out.message(2)
	if !strings.Contains(q2.Text.PlainText(), "Question 2 of 2") {
		t.Errorf("question 2:\n%s", q2.Text.PlainText())
	}
	right2, _ := correctData(t, b, q2)
	c.t = c.t.Add(5 * time.Second)
	b.Handle(ctx, groupPress("li", "zh-CN", right2))
	if got := strings.Join(tick(6*time.Second), " "); got != "edit 2 post 3" {
		t.Fatalf("after the last deadline: %v, want its results and the final results", got)
	}
	final := out.message(3).Text.PlainText()
	for _, want := range []string{"Final results · Web frameworks and concepts", "🥇 Ada — ", " · 1/1 right (100%)", "🥈 Li — ", " · 1/2 right (50%)", "🥉 Bob — ", "/leaderboard"} {
		if !strings.Contains(final, want) {
			t.Errorf("final results lack %q:\n%s", want, final)
		}
	}
	if got := tick(time.Minute); len(got) != 0 {
		t.Errorf("after the end: %v", got)
	}
	// Every press was a review in its player's own record; the late one was not.
	for user, answered := range map[string]string{"ada": "Answers: 1", "li": "Answers: 2", "bob": "Answers: 1", "eve": "Answers: 0"} {
		if got := plain(b.Handle(ctx, event(user, user, Private, "/stats"))); !strings.Contains(got, answered) {
			t.Errorf("%s's /stats lacks %q:\n%s", user, answered, got)
		}
	}
	if got := plain(b.Handle(ctx, groupEvent("bob", "en", "/leaderboard"))); !strings.Contains(got, "Ada") || !strings.Contains(got, "Li") || !strings.Contains(got, "Bob") {
		t.Errorf("/leaderboard after the challenge:\n%s", got)
	}
	if got := plain(b.Handle(ctx, groupEvent("bob", "en", "/challenge 1 10"))); !strings.Contains(got, "Challenge from Bob") {
		t.Errorf("a new challenge after the end = %q", got)
	}
}

// TestChallengeSpeaksTheGroupsLanguage: after an administrator's /lang zh the group's challenge
// is in Chinese, whoever starts it, while a player's notice follows the player.
func TestChallengeSpeaksTheGroupsLanguage(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, out := newChallengeBot(t, st, c)
	ctx := context.Background()
	b.Handle(ctx, groupEvent("ada", "en", "/lang zh"))
	if got := plain(b.Handle(ctx, groupEvent("bob", "en", "/challenge 1 10"))); !strings.Contains(got, "Bob 发起挑战赛") {
		t.Fatalf("announcement = %q, want Chinese", got)
	}
	c.t = c.t.Add(quiz.ChallengeLead)
	b.TickChallenges(ctx)
	q := out.message(1)
	if !strings.Contains(q.Text.PlainText(), "第 1 题，共 1 题") || q.Choices[len(q.Choices)-1].Label != "我不知道" {
		t.Errorf("question = %s %+v", q.Text.PlainText(), q.Choices)
	}
	if got := notice(t, b.Handle(ctx, groupPress("bob", "en", q.Choices[0].Data))); !strings.Contains(got, "Got your answer") {
		t.Errorf("bob's notice = %q, want English", got)
	}
}

// TestChallengeStop: /stop from a member who did not start it leaves the challenge running
// (and says who may stop it); from its starter it closes the open question with its results
// and posts the final results at once.
func TestChallengeStop(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, out := newChallengeBot(t, st, c)
	ctx := context.Background()
	b.Handle(ctx, groupEvent("bob", "en", "/challenge 5 20"))
	c.t = c.t.Add(quiz.ChallengeLead)
	b.TickChallenges(ctx)
	right, _ := correctData(t, b, out.message(1))
	b.Handle(ctx, groupPress("li", "en", right))
	out.log()
	if got := plain(b.Handle(ctx, groupEvent("li", "en", "/stop"))); !strings.Contains(got, "Only the challenge's starter (Bob) or a group administrator") {
		t.Errorf("li's /stop = %q", got)
	}
	// Li's own round in the group is what her /stop ends, as before.
	b.Handle(ctx, groupEvent("li", "en", "/quiz pandas 2"))
	if got := plain(b.Handle(ctx, groupEvent("li", "en", "/stop"))); !strings.Contains(got, "Round stopped") {
		t.Errorf("li's /stop with a round of her own = %q", got)
	}
	if cur, _ := b.challenges.Load(ctx, "test:g"); cur == nil || cur.Stopped != "" {
		t.Fatalf("the challenge after li's /stop: %+v", cur)
	}
	c.t = c.t.Add(time.Second)
	if rs := b.Handle(ctx, groupEvent("ada", "en", "/stop")); len(rs) != 0 { // ada administers the group
		t.Errorf("the administrator's /stop replied %s; the final results are the answer", plain(rs))
	}
	if got := strings.Join(out.log(), " "); got != "edit 1 post 2" {
		t.Errorf("after the /stop: %v, want the results and the final results", got)
	}
	if final := out.message(2).Text.PlainText(); !strings.Contains(final, "Stopped by Ada after 1 of 5 questions.") || !strings.Contains(final, "🥇 Li") {
		t.Errorf("final results:\n%s", final)
	}
	if cur, _ := b.challenges.Load(ctx, "test:g"); cur != nil {
		t.Errorf("the challenge after the stop: %+v", cur)
	}
}

// TestChallengeSurvivesRestarts: a new process (core) on the same store carries on a challenge
// between two questions, and one whose question's time ran out while it was down closes it with
// its results first.
func TestChallengeSurvivesRestarts(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, out := newChallengeBot(t, st, c)
	ctx := context.Background()
	b.Handle(ctx, groupEvent("ada", "en", "/challenge 3 10"))
	c.t = c.t.Add(quiz.ChallengeLead)
	b.TickChallenges(ctx)
	right, _ := correctData(t, b, out.message(1))
	b.Handle(ctx, groupPress("bob", "en", right))
	c.t = c.t.Add(11 * time.Second)
	b.TickChallenges(ctx) // question 1 closes; the process stops before question 2
	if got := strings.Join(out.log(), " "); got != "post 1 edit 1" {
		t.Fatalf("before the restart: %v", got)
	}

	b2, out2 := newChallengeBot(t, st, c) // the same outbox would be the same platform: share it
	b2.Attach("test", out)
	_ = out2
	c.t = c.t.Add(quiz.ChallengeGap)
	b2.TickChallenges(ctx)
	if got := strings.Join(out.log(), " "); got != "post 2" {
		t.Fatalf("after a restart between questions: %v, want question 2", got)
	}
	right2, _ := correctData(t, b2, out.message(2))
	b2.Handle(ctx, groupPress("bob", "en", right2))

	// Down again while question 2 is open, and past its deadline when back.
	b3, _ := newChallengeBot(t, st, c)
	b3.Attach("test", out)
	c.t = c.t.Add(time.Minute)
	b3.TickChallenges(ctx)
	if got := strings.Join(out.log(), " "); got != "edit 2" {
		t.Fatalf("after a restart past the deadline: %v, want question 2's results", got)
	}
	if text := out.message(2).Text.PlainText(); !strings.Contains(text, "1 answered, 1 right") || !strings.Contains(text, "Bob") {
		t.Errorf("results after the restart:\n%s", text)
	}
	c.t = c.t.Add(quiz.ChallengeGap)
	b3.TickChallenges(ctx)
	if got := strings.Join(out.log(), " "); got != "post 3" {
		t.Errorf("the challenge carries on: %v, want question 3", got)
	}
}

// TestChallengeReplicasRace: two cores on one store tick at the same moment, again and again;
// each step of the challenge happens once.
func TestChallengeReplicasRace(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	a, out := newChallengeBot(t, st, c)
	b, _ := newChallengeBot(t, st, c)
	b.Attach("test", out)
	ctx := context.Background()
	a.Handle(ctx, groupEvent("ada", "en", "/challenge 2 10"))
	both := func(d time.Duration) string {
		c.t = c.t.Add(d)
		var wg sync.WaitGroup
		for _, r := range []*Bot{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); r.TickChallenges(ctx) }()
		}
		wg.Wait()
		return strings.Join(out.log(), " ")
	}
	if got := both(quiz.ChallengeLead); got != "post 1" {
		t.Fatalf("question 1: %v", got)
	}
	right, _ := correctData(t, a, out.message(1))
	a.Handle(ctx, groupPress("bob", "en", right))
	b.Handle(ctx, groupPress("li", "en", right))
	if got := both(11 * time.Second); got != "edit 1" {
		t.Errorf("the close: %v, want one results edit", got)
	}
	if got := both(quiz.ChallengeGap); got != "post 2" {
		t.Errorf("question 2: %v", got)
	}
	if got := both(11 * time.Second); got != "edit 2 post 3" {
		t.Errorf("the end: %v", got)
	}
	for _, u := range []string{"bob", "li"} {
		if got := plain(a.Handle(ctx, event(u, u, Private, "/stats"))); !strings.Contains(got, "Answers: 1") {
			t.Errorf("%s was reviewed other than once:\n%s", u, got)
		}
	}
}

// slowChat is an outbox whose posts to one chat wait until the test lets them go, as a group's
// exhausted message budget would.
type slowChat struct {
	outbox
	chat   string
	gate   chan struct{}
	posted chan string // the chat of every post, once made
}

func (s *slowChat) Post(ctx context.Context, to Destination, r Reply) (MessageRef, error) {
	if to.ChatID == s.chat {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	ref, err := s.outbox.Post(ctx, to, r)
	s.posted <- to.ChatID
	return ref, err
}

// TestChallengeRunnerDoesNotWaitForASlowChat: while one group's question waits to be posted,
// ticks go on moving the other groups' challenges, and the slow group is visited by one visit
// at a time.
func TestChallengeRunnerDoesNotWaitForASlowChat(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	b, _ := newChallengeBot(t, st, c)
	slow := &slowChat{chat: "slow", gate: make(chan struct{}), posted: make(chan string, 10)}
	b.Attach("test", slow)
	ctx, cancel := context.WithCancel(context.Background())
	for _, chat := range []string{"slow", "fast"} {
		ev := groupEvent("ada", "en", "/challenge 1 10")
		ev.ChatID = chat
		b.Handle(ctx, ev)
	}
	ticks := make(chan time.Time)
	done := make(chan error, 1)
	go func() { done <- b.RunChallenges(ctx, ticks) }()
	c.t = c.t.Add(quiz.ChallengeLead)
	ticks <- c.t
	if got := <-slow.posted; got != "fast" {
		t.Fatalf("first post went to %q, want the fast group's", got)
	}
	ticks <- c.t // a tick while the slow group's visit still waits: no second visit of it
	ticks <- c.t
	close(slow.gate)
	if got := <-slow.posted; got != "slow" {
		t.Fatalf("then a post to %q, want the slow group's", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := slow.count(); n != 2 {
		t.Errorf("%d questions posted, want one per group", n)
	}
}

// TestChallengeLeftToReplicasOfItsPlatform: a replica that cannot post to a challenge's platform
// leaves it alone, for the replicas that can.
func TestChallengeLeftToReplicasOfItsPlatform(t *testing.T) {
	st := storetest.NewMemory()
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	st.Now = c.now
	a, out := newChallengeBot(t, st, c)
	ctx := context.Background()
	a.Handle(ctx, groupEvent("ada", "en", "/challenge 1 10"))
	other, _ := newChallengeBot(t, st, c)
	other.senders = nil
	other.Attach("elsewhere", &outbox{})
	c.t = c.t.Add(quiz.ChallengeLead)
	other.TickChallenges(ctx)
	if cur, _ := a.challenges.Load(ctx, "test:g"); cur.Phase != quiz.PhaseReady {
		t.Errorf("a replica without the platform moved the challenge to %v", cur.Phase)
	}
	a.TickChallenges(ctx)
	if got := strings.Join(out.log(), " "); got != "post 1" {
		t.Errorf("the replica with the platform: %v", got)
	}
}
