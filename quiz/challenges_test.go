package quiz_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/store/storetest"
)

func TestChallengePoints(t *testing.T) {
	w := 20 * time.Second
	tests := []struct {
		name       string
		took       time.Duration
		difficulty int
		want       int
	}{
		{"at once, easiest card", 0, 1, 100},
		{"at the deadline, easiest card", w, 1, 50},
		{"half way, easiest card", w / 2, 1, 75},
		{"at once, hardest card", 0, 10, 200},
		{"at the deadline, hardest card", w, 10, 100},
		{"a quarter of the way, difficulty 4", w / 4, 4, 117}, // 87.5 × 4/3
		{"past the deadline counts as at it", 2 * w, 1, 50},
		{"a clock step backwards counts as at once", -time.Second, 1, 100},
		{"difficulty out of range is clamped", 0, 99, 200},
	}
	for _, tt := range tests {
		if got := quiz.ChallengePoints(tt.took, w, tt.difficulty); got != tt.want {
			t.Errorf("%s: ChallengePoints(%v, %v, %d) = %d, want %d", tt.name, tt.took, w, tt.difficulty, got, tt.want)
		}
	}
}

// challengeHarness runs challenges on the in-memory store with a clock the test moves.
type challengeHarness struct {
	t     *testing.T
	store *storetest.Memory
	e     *quiz.Engine
	cs    *quiz.Challenges
	now   time.Time
}

const groupChat = "test:-100"

func newChallengeHarness(t *testing.T) *challengeHarness {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	h := &challengeHarness{t: t, store: storetest.NewMemory(), now: t0}
	h.store.Now = func() time.Time { return h.now }
	h.e, err = quiz.NewEngine(quiz.Config{Bank: bank, Store: h.store, Boards: h.store})
	if err != nil {
		t.Fatal(err)
	}
	h.cs = quiz.NewChallenges(h.e, h.store)
	return h
}

func (h *challengeHarness) start(n, secs int) *quiz.Challenge {
	h.t.Helper()
	c, err := h.cs.Start(ctx, quiz.ChallengeSpec{
		Platform: "test", ChatID: "-100", Chat: groupChat, Starter: quiz.User{Key: "test:ada", Name: "Ada"},
		Scope: quiz.Scope{Topic: quiz.TopicAll}, Questions: n, Seconds: secs, Lang: content.English,
	}, h.now)
	if err != nil {
		h.t.Fatalf("Start: %v", err)
	}
	return c
}

func (h *challengeHarness) load() *quiz.Challenge {
	h.t.Helper()
	c, err := h.cs.Load(ctx, groupChat)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// step performs the action the challenge needs now, checking it is want, and returns the
// challenge as stored afterwards.
func (h *challengeHarness) step(c *quiz.Challenge, want quiz.ChallengeAction) *quiz.Challenge {
	h.t.Helper()
	if got := c.Action(h.now); got != want {
		h.t.Fatalf("at %v: Action = %v, want %v", h.now.Sub(t0), got, want)
	}
	var err error
	switch want {
	case quiz.ActOpen:
		c, err = h.cs.Open(ctx, c, h.now)
	case quiz.ActPost:
		c, err = h.cs.Posted(ctx, c, fmt.Sprint("msg", c.Pos), h.now)
	case quiz.ActCount:
		c, err = h.cs.Counted(ctx, h.load(), h.load().Answers, h.now)
	case quiz.ActClose:
		c, err = h.cs.Close(ctx, c, h.now)
	case quiz.ActAnnounce:
		c, err = h.cs.Announced(ctx, c, c.Last.Message, h.now)
	case quiz.ActFinish:
		err = h.cs.End(ctx, c)
		c = nil
	}
	if err != nil {
		h.t.Fatalf("%v: %v", want, err)
	}
	return c
}

func (h *challengeHarness) press(c *quiz.Challenge, user string, choice int) quiz.PressResult {
	h.t.Helper()
	q := h.cs.Question(c)
	r, err := h.cs.Press(ctx, groupChat, quiz.User{Key: "test:" + user, Name: user}, q.Data(choice), h.now)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *challengeHarness) progress(user string) quiz.Progress {
	h.t.Helper()
	rec, err := h.store.Load(ctx, "test:"+user, false)
	if err != nil {
		h.t.Fatal(err)
	}
	p, err := quiz.DecodeProgress(rec.Progress)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func wrong(q *quiz.ChallengeQuestion) int { return (q.Correct + 1) % (len(q.Choices) - 1) }

// TestChallengeRunsItsCourse plays a two-question challenge through every action: answers
// once per player, in time; points by speed; each answer a review in its player's record and a
// credit on the chat's weekly leaderboard for a right one; nothing for a player who did not
// answer.
func TestChallengeRunsItsCourse(t *testing.T) {
	h := newChallengeHarness(t)
	c := h.start(2, 10)
	if len(c.Cards) != 2 || c.Phase != quiz.PhaseReady {
		t.Fatalf("started %+v", c)
	}
	if got := c.Action(h.now); got != quiz.ActNothing {
		t.Errorf("Action at the start = %v, want nothing until the lead is over", got)
	}
	h.now = h.now.Add(quiz.ChallengeLead)
	c = h.step(c, quiz.ActOpen)
	c = h.step(c, quiz.ActPost)
	q := h.cs.Question(c)
	if q.Number != 1 || q.Total != 2 || q.Choices[len(q.Choices)-1] != quiz.DontKnow {
		t.Fatalf("question %+v", q)
	}

	h.now = h.now.Add(2 * time.Second)
	if r := h.press(c, "ada", q.Correct); r != quiz.PressRecorded {
		t.Fatalf("ada's press = %v", r)
	}
	if r := h.press(c, "ada", wrong(q)); r != quiz.PressRepeated {
		t.Errorf("ada's second press = %v, want repeated", r)
	}
	h.now = h.now.Add(3 * time.Second)
	h.press(c, "bob", wrong(q))
	c = h.step(c, quiz.ActCount)
	if c.Shown != 2 {
		t.Errorf("shown %d answers, want 2", c.Shown)
	}
	h.now = h.now.Add(4 * time.Second)
	h.press(c, "li", q.Correct)
	h.now = h.now.Add(time.Second) // exactly the deadline: still in time
	h.press(c, "eve", len(q.Choices)-1)
	h.now = h.now.Add(time.Millisecond)
	if r := h.press(c, "zed", q.Correct); r != quiz.PressLate {
		t.Errorf("a press past the deadline = %v, want late", r)
	}

	c = h.step(c, quiz.ActClose)
	last := c.Last
	if last == nil || last.Answered != 4 || last.RightCount != 2 || len(last.Right) != 2 || last.Right[0].Name != "ada" || last.Right[1].Name != "li" {
		t.Fatalf("results %+v", last)
	}
	if last.Right[0].Took != 2000 || last.Right[1].Took != 9000 || last.Right[0].Points <= last.Right[1].Points {
		t.Errorf("right answers %+v: the faster must earn more", last.Right)
	}
	if r := h.press(c, "zed", q.Correct); r != quiz.PressClosed {
		t.Errorf("a press after the close = %v, want closed", r)
	}
	for _, tc := range []struct {
		user              string
		answered, correct int
		rating            fsrs.Rating
	}{{"ada", 1, 1, fsrs.Good}, {"bob", 1, 0, fsrs.Again}, {"li", 1, 1, fsrs.Good}, {"eve", 1, 0, fsrs.Again}} {
		p := h.progress(tc.user)
		hist, _ := h.store.History(ctx, "test:"+tc.user)
		rs := quiz.UnpackHistory(hist)
		if p.Answered != tc.answered || p.Correct != tc.correct || len(rs) != 1 || rs[0].Rating != tc.rating || rs[0].Card != q.Card.ID {
			t.Errorf("%s: answered %d, correct %d, history %+v; want %d, %d and one review rated %v",
				tc.user, p.Answered, p.Correct, rs, tc.answered, tc.correct, tc.rating)
		}
	}
	if p := h.progress("zed"); p.Answered != 0 {
		t.Errorf("a player whose only press was late got a review: %+v", p)
	}
	top, _, _, err := h.store.Top(ctx, quiz.Board{Chat: groupChat, Week: quiz.Week(h.now)}, 10, "")
	if err != nil || len(top) != 2 {
		t.Errorf("leaderboard = %+v, %v; want ada and li", top, err)
	}

	c = h.step(c, quiz.ActAnnounce)
	if got := c.Action(h.now); got != quiz.ActNothing {
		t.Errorf("Action right after the results = %v, want a pause", got)
	}
	h.now = h.now.Add(quiz.ChallengeGap)
	c = h.step(c, quiz.ActOpen)
	c = h.step(c, quiz.ActPost)
	q2 := h.cs.Question(c)
	if q2.Number != 2 || q2.Card.ID == q.Card.ID {
		t.Errorf("second question %+v", q2)
	}
	h.now = h.now.Add(time.Second)
	h.press(c, "bob", q2.Correct)
	h.now = h.now.Add(10 * time.Second)
	c = h.step(c, quiz.ActClose)
	if c.Phase != quiz.PhaseOver {
		t.Errorf("after the last question the phase is %v", c.Phase)
	}
	c = h.step(c, quiz.ActAnnounce)
	// Bob answered the second question right in 1 s; Ada the first in 2 s, Li in 9 s.
	st := c.Standings()
	if len(st) != 4 || st[0].Name != "bob" || st[1].Name != "ada" || st[1].Accuracy() != 100 || st[2].Name != "li" || st[3].Points != 0 {
		t.Errorf("standings %+v", st)
	}
	if bob := st[0]; bob.Right != 1 || bob.Answered != 2 || bob.Accuracy() != 50 || bob.Points <= st[1].Points {
		t.Errorf("bob's standing %+v", bob)
	}
	h.step(c, quiz.ActFinish)
	if c := h.load(); c != nil {
		t.Errorf("after the end the chat still has %+v", c)
	}
	if ds, _ := h.cs.Due(ctx, h.now.Add(time.Hour), 10); len(ds) != 0 {
		t.Errorf("after the end the index has %+v", ds)
	}
}

// TestChallengeCloseRunTwice: a close run again from the state before it (a replica that
// crashed after writing the reviews, or lost a race) changes no player's record twice and moves
// the challenge on once.
func TestChallengeCloseRunTwice(t *testing.T) {
	h := newChallengeHarness(t)
	c := h.start(3, 10)
	h.now = h.now.Add(quiz.ChallengeLead)
	c = h.step(c, quiz.ActOpen)
	c = h.step(c, quiz.ActPost)
	q := h.cs.Question(c)
	h.now = h.now.Add(time.Second)
	h.press(c, "ada", q.Correct)
	h.press(c, "bob", wrong(q))
	h.now = h.now.Add(10 * time.Second)
	stale := h.load()
	closed := h.step(c, quiz.ActClose)
	again, err := h.cs.Close(ctx, stale, h.now)
	if err != nil {
		t.Fatal(err)
	}
	if again.Pos != closed.Pos || again.Last.Pos != 0 || again.Players[0].Points != closed.Players[0].Points {
		t.Errorf("the second close moved the challenge to %+v", again)
	}
	if h.load().Players[0].Right != 1 {
		t.Errorf("ada's standing after two closes: %+v", h.load().Players)
	}
	for _, u := range []string{"ada", "bob"} {
		hist, _ := h.store.History(ctx, "test:"+u)
		if p := h.progress(u); p.Answered != 1 || len(quiz.UnpackHistory(hist)) != 1 {
			t.Errorf("%s after two closes: %d answers, %d reviews", u, p.Answered, len(quiz.UnpackHistory(hist)))
		}
	}
	top, _, _, _ := h.store.Top(ctx, quiz.Board{Chat: groupChat, Week: quiz.Week(h.now)}, 10, "")
	applied := h.progress("ada").Challenges
	if len(top) != 1 || len(applied) != 1 || applied[0] != fmt.Sprintf("%s.0:%d", c.ID, top[0].Points) {
		t.Errorf("leaderboard %+v after two closes; ada's record says %v", top, applied)
	}
}

func TestChallengeOnePerChatAndBounds(t *testing.T) {
	h := newChallengeHarness(t)
	first := h.start(0, 0)
	if len(first.Cards) != quiz.DefaultChallengeQuestions || first.Seconds != quiz.DefaultChallengeSeconds {
		t.Errorf("defaults: %d questions of %d s", len(first.Cards), first.Seconds)
	}
	spec := quiz.ChallengeSpec{Chat: groupChat, Starter: quiz.User{Key: "test:bob", Name: "Bob"}, Scope: quiz.Scope{Topic: quiz.TopicAll}}
	var running *quiz.RunningError
	if _, err := h.cs.Start(ctx, spec, h.now); !errors.As(err, &running) || running.Challenge.ID != first.ID || running.Challenge.ByName != "Ada" {
		t.Errorf("a second Start = %v, want a RunningError naming the first", err)
	}
	for _, tc := range []struct{ n, secs int }{{21, 20}, {-1, 20}, {5, 9}, {5, 121}} {
		spec := spec
		spec.Chat, spec.Questions, spec.Seconds = "test:other", tc.n, tc.secs
		if _, err := h.cs.Start(ctx, spec, h.now); !errors.Is(err, quiz.ErrChallengeBounds) {
			t.Errorf("Start(%d questions, %d s) = %v, want ErrChallengeBounds", tc.n, tc.secs, err)
		}
	}
	for _, data := range []string{"", "q:AAAA.AAAAAA.0.1", "c:" + first.ID + ".0", "c:" + first.ID + ".00.1", "c:" + first.ID + ".20.1", "c:" + first.ID + ".0.9", "c:AAAAA.0.1"} {
		if _, err := h.cs.Press(ctx, groupChat, quiz.User{Key: "test:bob"}, data, h.now); !errors.Is(err, quiz.ErrBadChoice) {
			t.Errorf("Press(%q) = %v, want ErrBadChoice", data, err)
		}
	}
}

// TestChallengeStop: stopped while a question is open, the question closes with its results and
// the final results follow; stopped between questions, the final results follow at once.
func TestChallengeStop(t *testing.T) {
	h := newChallengeHarness(t)
	c := h.start(5, 20)
	h.now = h.now.Add(quiz.ChallengeLead)
	c = h.step(c, quiz.ActOpen)
	c = h.step(c, quiz.ActPost)
	h.press(c, "bob", h.cs.Question(c).Correct)
	c, err := h.cs.Stop(ctx, c, "Ada", h.now)
	if err != nil || c.Stopped != "Ada" {
		t.Fatalf("Stop = %+v, %v", c, err)
	}
	if again, _ := h.cs.Stop(ctx, c, "Li", h.now); again.Stopped != "Ada" {
		t.Errorf("a second stop renamed the stopper to %q", again.Stopped)
	}
	c = h.step(c, quiz.ActClose)
	if c.Phase != quiz.PhaseOver || c.Last.RightCount != 1 {
		t.Errorf("after a stop the close left %+v", c)
	}
	c = h.step(c, quiz.ActAnnounce)
	h.step(c, quiz.ActFinish)

	c = h.start(5, 20)
	c, _ = h.cs.Stop(ctx, c, "Ada", h.now)
	h.step(c, quiz.ActFinish)
}

// TestChallengeInterrupted: a question closed long after its deadline (the bot was away) ends
// the challenge with its results rather than carrying on.
func TestChallengeInterrupted(t *testing.T) {
	h := newChallengeHarness(t)
	c := h.start(5, 20)
	h.now = h.now.Add(quiz.ChallengeLead)
	c = h.step(c, quiz.ActOpen)
	c = h.step(c, quiz.ActPost)
	h.press(c, "bob", h.cs.Question(c).Correct)
	h.now = h.now.Add(time.Hour)
	c = h.step(c, quiz.ActClose)
	if c.Phase != quiz.PhaseOver || !c.Interrupted || c.Last.RightCount != 1 {
		t.Errorf("closed an hour late: %+v", c)
	}
}

// TestChallengeEasyWhenFast: as in a private round, a right answer to a card the player has
// mature is rated Easy when it came within quiz.FastAnswer, and Good when slower.
func TestChallengeEasyWhenFast(t *testing.T) {
	for _, tc := range []struct {
		took time.Duration
		want fsrs.Rating
	}{{3 * time.Second, fsrs.Easy}, {12 * time.Second, fsrs.Good}} {
		h := newChallengeHarness(t)
		c := h.start(1, 30)
		card := c.Cards[0]
		mature := quiz.CardState{Card: fsrs.Card{State: fsrs.Review, Stability: 40, Difficulty: 5,
			Due: h.now.Add(-time.Hour), LastReview: h.now.Add(-40 * 24 * time.Hour)}, Reps: 6}
		if _, err := h.store.Commit(ctx, "test:ada", quiz.Write{Cards: map[string][]byte{card: quiz.PackState(mature)}}); err != nil {
			t.Fatal(err)
		}
		h.now = h.now.Add(quiz.ChallengeLead)
		c = h.step(c, quiz.ActOpen)
		c = h.step(c, quiz.ActPost)
		h.now = h.now.Add(tc.took)
		h.press(c, "ada", h.cs.Question(c).Correct)
		h.now = h.now.Add(30 * time.Second)
		h.step(c, quiz.ActClose)
		hist, _ := h.store.History(ctx, "test:ada")
		if rs := quiz.UnpackHistory(hist); len(rs) != 1 || rs[0].Rating != tc.want || rs[0].Duration != tc.took {
			t.Errorf("answered in %v: history %+v, want one review rated %v", tc.took, rs, tc.want)
		}
	}
}

// TestChallengeUnreadableStateGivesWay: a chat's challenge whose state cannot be decoded (a
// format this release does not read) gives way to a new one, and Discard ends it for the runner.
func TestChallengeUnreadableStateGivesWay(t *testing.T) {
	h := newChallengeHarness(t)
	bad := quiz.ChallengeWrite{State: []byte(`{"v":99,"id":"x1y2z3"}`), ID: "x1y2z3", Open: -1, Due: h.now}
	if _, err := h.store.SaveChallenge(ctx, groupChat, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := h.cs.Load(ctx, groupChat); !errors.Is(err, quiz.ErrCorrupt) {
		t.Fatalf("Load of an unreadable state = %v, want ErrCorrupt", err)
	}
	c := h.start(1, 10)
	if got := h.load(); got == nil || got.ID != c.ID {
		t.Errorf("after a start over an unreadable state: %+v", got)
	}

	if _, err := h.store.SaveChallenge(ctx, "test:other", bad); err != nil {
		t.Fatal(err)
	}
	if err := h.cs.Discard(ctx, quiz.ChallengeDue{Chat: "test:other", At: h.now}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.cs.Load(ctx, "test:other"); got != nil || err != nil {
		t.Errorf("after Discard: %+v, %v", got, err)
	}
}
