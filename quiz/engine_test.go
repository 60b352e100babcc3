package quiz_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/store/bolt"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
)

type harness struct {
	t     *testing.T
	dir   string
	store *bolt.Store
	e     *quiz.Engine
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir()}
	h.open()
	t.Cleanup(func() { h.store.Close() })
	return h
}

func (h *harness) open() {
	h.t.Helper()
	st, err := bolt.Open(h.dir)
	if err != nil {
		h.t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank(h.t), Store: st, Boards: st, Reports: st})
	if err != nil {
		h.t.Fatal(err)
	}
	h.store, h.e = st, e
}

// restart closes the store and opens a new engine on the same data, as a process restart would.
func (h *harness) restart() {
	h.t.Helper()
	if err := h.store.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
}

func (h *harness) progress(user string) quiz.Progress {
	h.t.Helper()
	rec, err := h.store.Load(ctx, user, false)
	if err != nil {
		h.t.Fatal(err)
	}
	p, err := quiz.DecodeProgress(rec.Progress)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

var ada = quiz.User{Key: "test:ada", Name: "Ada", Chat: "test:ada"}

func (h *harness) start(u quiz.User, scope quiz.Scope, n int, now time.Time) *quiz.Question {
	h.t.Helper()
	step, err := h.e.Start(ctx, u, scope, n, now)
	if err != nil {
		h.t.Fatalf("Start(%v): %v", scope, err)
	}
	if step.Question == nil {
		h.t.Fatalf("Start(%v) returned no question", scope)
	}
	return step.Question
}

func (h *harness) answer(u quiz.User, q *quiz.Question, choice int, now time.Time) quiz.Step {
	h.t.Helper()
	step, err := h.e.Answer(ctx, u, quiz.ChoiceData(q, choice), now)
	if err != nil {
		h.t.Fatalf("Answer(%s, %d): %v", q.Card.ID, choice, err)
	}
	return step
}

func wrongChoice(q *quiz.Question) int {
	if q.Correct == 0 {
		return 1
	}
	return 0
}

// TestRoundMissedCardComesBack plays a five-question round, missing the first question: it comes
// back once before the summary, and the summary counts every answer.
func TestRoundMissedCardComesBack(t *testing.T) {
	h := newHarness(t)
	now := t0
	q := h.start(ada, quiz.Scope{Topic: "frameworks"}, 5, now)
	if q.Number != 1 || q.Total != 5 || q.Choices[len(q.Choices)-1] != quiz.DontKnow {
		t.Fatalf("first question = %d of %d with choices %v", q.Number, q.Total, q.Choices)
	}
	missed := q.Card.ID
	var sum *quiz.Summary
	var asked []string
	for i := 0; q != nil; i++ {
		asked = append(asked, q.Card.ID)
		choice := q.Correct
		if i == 0 {
			choice = wrongChoice(q)
		}
		now = now.Add(20 * time.Second)
		step := h.answer(ada, q, choice, now)
		if step.Feedback == nil {
			t.Fatal("no feedback")
		}
		if i == 0 && (step.Feedback.Result != quiz.Wrong || step.Feedback.Rating != fsrs.Again) {
			t.Errorf("wrong answer graded %v/%v", step.Feedback.Result, step.Feedback.Rating)
		}
		q, sum = step.Question, step.Summary
		if i > 10 {
			t.Fatal("round does not end")
		}
	}
	if len(asked) != 6 || asked[5] != missed {
		t.Errorf("asked %v: want five cards and the missed %s once more at the end", asked, missed)
	}
	if sum == nil || sum.Right != 5 || sum.Wrong != 1 || sum.New != 5 || sum.Streak != 1 {
		t.Errorf("summary = %+v, want 5 right, 1 wrong, 5 new, streak 1", sum)
	}
	if sum.NextDue.IsZero() || !sum.NextDue.After(now) {
		t.Errorf("summary next due = %v, want a time after %v", sum.NextDue, now)
	}
	p := h.progress(ada.Key)
	if p.Round != nil || p.Answered != 6 || p.Correct != 5 {
		t.Errorf("progress after the round = %+v", p)
	}
}

func TestAnswersThatDoNotCount(t *testing.T) {
	h := newHarness(t)
	q := h.start(ada, quiz.Scope{Topic: "ml"}, 3, t0)
	bob := quiz.User{Key: "test:bob", Name: "Bob", Chat: "test:bob"}
	tests := []struct {
		name string
		user quiz.User
		data string
		want error
	}{
		{"another learner's press", bob, quiz.ChoiceData(q, 0), quiz.ErrNotYours},
		{"junk", ada, "hello", quiz.ErrBadChoice},
		{"junk token", ada, "q:x.y.z.1", quiz.ErrBadChoice},
		{"forged tag", ada, "q:xxxx" + q.Token[6:] + ".1", quiz.ErrNotYours},
		{"future question", ada, q.Token[:len(q.Token)-1] + "7.0", quiz.ErrBadChoice},
		{"leading zero", ada, q.Token + ".01", quiz.ErrBadChoice},
		{"sign", ada, q.Token + ".+1", quiz.ErrBadChoice},
		{"old format", ada, q.Token[2:] + ":1", quiz.ErrBadChoice},
		{"too long", ada, q.Token + "." + strings.Repeat("1", 100), quiz.ErrBadChoice},
		{"out of range", ada, quiz.ChoiceData(q, len(q.Choices)), quiz.ErrBadChoice},
	}
	for _, tt := range tests {
		if _, err := h.e.Answer(ctx, tt.user, tt.data, t0.Add(time.Second)); !errors.Is(err, tt.want) {
			t.Errorf("%s: Answer(%q) = %v, want %v", tt.name, tt.data, err, tt.want)
		}
	}
	if p := h.progress(ada.Key); p.Answered != 0 {
		t.Fatalf("refused answers changed progress: %+v", p)
	}
	h.answer(ada, q, q.Correct, t0.Add(2*time.Second))
	// A double tap: the same press again.
	if _, err := h.e.Answer(ctx, ada, quiz.ChoiceData(q, q.Correct), t0.Add(3*time.Second)); !errors.Is(err, quiz.ErrAnswered) {
		t.Errorf("second press = %v, want ErrAnswered", err)
	}
	if p := h.progress(ada.Key); p.Answered != 1 {
		t.Errorf("answered = %d after a double tap, want 1", p.Answered)
	}
	// A press from an earlier round.
	h.start(ada, quiz.Scope{Topic: "ml"}, 3, t0.Add(time.Minute))
	if _, err := h.e.Answer(ctx, ada, quiz.ChoiceData(q, 0), t0.Add(time.Minute)); !errors.Is(err, quiz.ErrStale) {
		t.Errorf("press from an earlier round = %v, want ErrStale", err)
	}
}

// TestDoubleTapConcurrent presses the same choice from many goroutines at once: exactly one is graded.
func TestDoubleTapConcurrent(t *testing.T) {
	h := newHarness(t)
	q := h.start(ada, quiz.Scope{Topic: "web"}, 2, t0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	graded := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.e.Answer(ctx, ada, quiz.ChoiceData(q, q.Correct), t0.Add(time.Second))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				graded++
			case !errors.Is(err, quiz.ErrAnswered):
				t.Errorf("concurrent press: %v", err)
			}
		}()
	}
	wg.Wait()
	if graded != 1 || h.progress(ada.Key).Answered != 1 {
		t.Errorf("graded %d presses, stored %d answers; want exactly 1", graded, h.progress(ada.Key).Answered)
	}
}

func TestTypedAnswers(t *testing.T) {
	h := newHarness(t)
	q := h.start(ada, quiz.Scope{Entry: "flask"}, 3, t0)
	for _, text := range []string{"what is django?", "9", "B", "zzz"} {
		step, outcome, err := h.e.AnswerText(ctx, ada, text, t0)
		if outcome != quiz.NotAChoice || err != nil || step.Question == nil || step.Question.Token != q.Token {
			t.Errorf("AnswerText(%q) = %v, %v with question %v; want NotAChoice showing the question in play", text, outcome, err, step.Question)
		}
	}
	step, outcome, err := h.e.AnswerText(ctx, ada, q.Choices[q.Correct].EN, t0.Add(time.Second))
	if outcome != quiz.Graded || err != nil || step.Feedback.Result != quiz.Right {
		t.Fatalf("typing the right choice's text = %+v, %v, %v", step.Feedback, outcome, err)
	}
	for i, text := range []string{"1", "２", "2.", "1)", "（2）"} {
		want := map[string]int{"1": 0, "２": 1, "2.": 1, "1)": 0, "（2）": 1}[text]
		step, outcome, err = h.e.AnswerText(ctx, ada, text, t0.Add(time.Duration(2+i)*time.Second))
		if outcome != quiz.Graded || err != nil || step.Feedback.Chosen != want {
			t.Fatalf("typing %q = %+v, %v, %v; want choice %d graded", text, step.Feedback, outcome, err, want+1)
		}
		if step.Question == nil {
			break
		}
	}
	if _, outcome, _ := h.e.AnswerText(ctx, quiz.User{Key: "test:nobody"}, "1", t0); outcome != quiz.NoRound {
		t.Errorf("a number without a round = %v, want NoRound", outcome)
	}
}

// TestEasyWhenFastOnMatureCard checks the rating rule: a right answer within FastAnswer on a card
// whose stability is at least MatureDays is rated Easy; slower is Good.
func TestEasyWhenFastOnMatureCard(t *testing.T) {
	h := newHarness(t)
	q := h.start(ada, quiz.Scope{Entry: "django"}, 1, t0)
	id := q.Card.ID
	mature := quiz.CardState{Card: fsrs.Card{State: fsrs.Review, Stability: 40, Difficulty: 5, Due: t0, LastReview: t0.Add(-40 * 24 * time.Hour)}, Reps: 5}
	// Put the card in a mature state as if learnt long ago, then start a round on it.
	rec, _ := h.store.Load(ctx, ada.Key, false)
	if _, err := h.store.Commit(ctx, ada.Key, quiz.Write{Expect: rec.Version, Progress: quiz.EncodeProgress(quiz.Progress{}), Cards: map[string][]byte{id: quiz.PackState(mature)}}); err != nil {
		t.Fatal(err)
	}
	h.restart() // drop the engine's cache of the record we changed behind its back
	for _, tt := range []struct {
		after time.Duration
		want  fsrs.Rating
	}{{3 * time.Second, fsrs.Easy}, {30 * time.Second, fsrs.Good}} {
		start := t0.Add(time.Hour)
		var q *quiz.Question
		for _, c := range []quiz.Scope{{Entry: "django"}} {
			step, err := h.e.Review(ctx, ada, 20, start)
			if err != nil {
				t.Fatalf("Review: %v (scope %v)", err, c)
			}
			q = step.Question
		}
		if q.Card.ID != id {
			t.Fatalf("review asked %s, want the mature card %s", q.Card.ID, id)
		}
		step := h.answer(ada, q, q.Correct, start.Add(tt.after))
		if step.Feedback.Rating != tt.want {
			t.Errorf("right after %v on a mature card rated %v, want %v", tt.after, step.Feedback.Rating, tt.want)
		}
		// Put it back to mature and due for the next case.
		rec, _ := h.store.Load(ctx, ada.Key, false)
		h.store.Commit(ctx, ada.Key, quiz.Write{Expect: rec.Version, Progress: quiz.EncodeProgress(quiz.Progress{}), Cards: map[string][]byte{id: quiz.PackState(mature)}})
		h.restart()
	}
}

func TestReviewWhenNothingDue(t *testing.T) {
	h := newHarness(t)
	var nd *quiz.NothingDueError
	if _, err := h.e.Review(ctx, ada, 5, t0); !errors.As(err, &nd) || !nd.Next.IsZero() {
		t.Fatalf("review with no cards = %v, want NothingDueError with no next time", err)
	}
	q := h.start(ada, quiz.Scope{Entry: "flask"}, 1, t0)
	step := h.answer(ada, q, q.Correct, t0.Add(10*time.Second))
	if step.Summary == nil {
		t.Fatal("one-question round did not end")
	}
	_, err := h.e.Review(ctx, ada, 5, t0.Add(time.Minute))
	if !errors.As(err, &nd) || !nd.Next.After(t0.Add(time.Minute)) {
		t.Fatalf("review right after learning = %v, want NothingDueError with a future time", err)
	}
	step2, err := h.e.Review(ctx, ada, 5, nd.Next.Add(time.Second))
	if err != nil || step2.Question == nil || step2.Question.Card.ID != q.Card.ID {
		t.Errorf("review once due = %+v, %v; want the card again", step2.Question, err)
	}
}

func TestProgressSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	q := h.start(ada, quiz.Scope{Topic: "frameworks"}, 5, t0)
	step := h.answer(ada, q, q.Correct, t0.Add(5*time.Second))
	h.restart()
	// The round resumes where it was.
	cur, err := h.e.Current(ctx, ada.Key, t0.Add(time.Minute))
	if err != nil || cur == nil || cur.Token != step.Question.Token {
		t.Fatalf("after restart the current question is %+v (%v), want %s", cur, err, step.Question.Token)
	}
	st, err := h.e.Stats(ctx, ada.Key, t0.Add(time.Minute), nil)
	if err != nil || st.Answered != 1 || st.Correct != 1 || !st.InRound {
		t.Errorf("stats after restart = %+v, %v", st, err)
	}
}

func TestStreakCountsUTCDays(t *testing.T) {
	h := newHarness(t)
	play := func(now time.Time) int {
		q := h.start(ada, quiz.Scope{Topic: "all"}, 1, now)
		step := h.answer(ada, q, q.Correct, now.Add(time.Second))
		return step.Summary.Streak
	}
	day := 24 * time.Hour
	for i, tt := range []struct {
		at   time.Time
		want int
	}{
		{t0, 1},
		{t0.Add(2 * time.Hour), 1}, // same day
		{t0.Add(day), 2},
		{t0.Add(2 * day), 3},
		{t0.Add(4 * day), 1}, // a day missed
	} {
		if got := play(tt.at); got != tt.want {
			t.Errorf("play %d at %v: streak %d, want %d", i, tt.at, got, tt.want)
		}
	}
	st, _ := h.e.Stats(ctx, ada.Key, t0.Add(7*day), nil)
	if st.Streak != 0 || st.BestStreak != 3 {
		t.Errorf("stats three days later: streak %d best %d, want 0 and 3", st.Streak, st.BestStreak)
	}
}

func TestGroupLeaderboardAndForget(t *testing.T) {
	h := newHarness(t)
	group := "test:group"
	players := []quiz.User{
		{Key: "test:ada", Name: "Ada", Chat: group, Group: true},
		{Key: "test:bob", Name: "Bob", Chat: group, Group: true},
	}
	for i, u := range players {
		q := h.start(u, quiz.Scope{Topic: "frameworks"}, 2+i, t0)
		for q != nil {
			step := h.answer(u, q, q.Correct, t0.Add(time.Minute))
			q = step.Question
		}
	}
	top, me, ok, err := h.e.Leaderboard(ctx, group, "test:ada", 10, t0.Add(time.Hour))
	if err != nil || len(top) != 2 || top[0].Name != "Bob" || !ok || me.Rank != 2 {
		t.Fatalf("leaderboard = %+v, me %+v %v, %v; want Bob (3 answers) ahead of Ada (2)", top, me, ok, err)
	}
	if err := h.e.Forget(ctx, "test:ada", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	top, _, ok, _ = h.e.Leaderboard(ctx, group, "test:ada", 10, t0.Add(time.Hour))
	if ok || len(top) != 1 {
		t.Errorf("after /forget the leaderboard still lists Ada: %+v", top)
	}
	if rec, _ := h.store.Load(ctx, "test:ada", true); rec.Version != 0 || len(rec.Cards) != 0 {
		t.Errorf("after /forget Ada's record is %+v", rec)
	}
}

func TestReportFlagsLastCard(t *testing.T) {
	h := newHarness(t)
	if _, err := h.e.Report(ctx, ada, "test", content.English, "odd", t0); !errors.Is(err, quiz.ErrNoCardToFlag) {
		t.Errorf("report before any question = %v, want ErrNoCardToFlag", err)
	}
	q := h.start(ada, quiz.Scope{Entry: "flask"}, 2, t0)
	h.answer(ada, q, q.Correct, t0.Add(time.Second))
	c, err := h.e.Report(ctx, ada, "test", content.English, "the wording is odd", t0.Add(2*time.Second))
	if err != nil || c.ID != q.Card.ID {
		t.Fatalf("Report = %v, %v; want card %s", c, err, q.Card.ID)
	}
	rs, _ := h.store.ListReports(ctx, 5)
	if len(rs) != 1 || rs[0].Card != q.Card.ID || rs[0].Entry != "flask" || rs[0].Text != "the wording is odd" {
		t.Errorf("stored reports = %+v", rs)
	}
}

// TestRetiredCardIsSkipped plants a round whose first card no longer exists (its fact was removed
// from the content): the engine skips it instead of failing.
func TestRetiredCardIsSkipped(t *testing.T) {
	h := newHarness(t)
	real := bank(t).In(quiz.Scope{Entry: "flask"})[0]
	p := quiz.Progress{Round: &quiz.Round{ID: "r1abcd", Scope: "frameworks", Chat: ada.Chat, Items: []quiz.Item{{Card: "gone00"}, {Card: real.ID}}, Shown: t0.UnixMilli()}}
	if _, err := h.store.Commit(ctx, ada.Key, quiz.Write{Progress: quiz.EncodeProgress(p)}); err != nil {
		t.Fatal(err)
	}
	q, err := h.e.Current(ctx, ada.Key, t0)
	if err != nil || q == nil || q.Card.ID != real.ID {
		t.Fatalf("current question = %+v, %v; want the surviving card", q, err)
	}
	if step := h.answer(ada, q, q.Correct, t0.Add(time.Second)); step.Summary == nil {
		t.Errorf("round should end after the only remaining card")
	}
}

func TestPackStateRoundTrip(t *testing.T) {
	s := quiz.CardState{
		Card: fsrs.Card{State: fsrs.Relearning, Step: 1, Stability: 12.5, Difficulty: 6.789,
			Due: t0.Add(10 * time.Minute), LastReview: t0},
		Reps: 300, Lapses: 4,
	}
	b := quiz.PackState(s)
	if len(b) != 18 {
		t.Fatalf("packed state is %d bytes, want 18", len(b))
	}
	got, err := quiz.UnpackState(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != s.State || got.Step != 1 || got.Reps != 300 || got.Lapses != 4 || got.Stability != 12.5 ||
		got.Difficulty != 6.789 || !got.Due.Equal(s.Due) || !got.LastReview.Equal(s.LastReview) {
		t.Errorf("round trip = %+v, want %+v", got, s)
	}
	if _, err := quiz.UnpackState(b[:5]); err == nil {
		t.Errorf("a truncated state must not decode")
	}
}

func BenchmarkAnswerEmbedded(b *testing.B) {
	st, err := bolt.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	e, err := quiz.NewEngine(quiz.Config{Bank: bank(b), Store: st})
	if err != nil {
		b.Fatal(err)
	}
	now := t0
	var q *quiz.Question
	for b.Loop() {
		if q == nil {
			q, now = startAnyRound(b, e, now)
		}
		now = now.Add(time.Second)
		step, err := e.Answer(ctx, ada, quiz.ChoiceData(q, q.Correct), now)
		if err != nil {
			b.Fatal(err)
		}
		q = step.Question
	}
}

// startAnyRound starts a full round, jumping ahead to when cards fall due once every card is learnt.
func startAnyRound(b *testing.B, e *quiz.Engine, now time.Time) (*quiz.Question, time.Time) {
	for {
		step, err := e.Start(ctx, ada, quiz.Scope{Topic: quiz.TopicAll}, quiz.MaxRoundSize, now)
		var nd *quiz.NothingDueError
		if errors.As(err, &nd) {
			now = nd.Next.Add(time.Minute)
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		return step.Question, now
	}
}

// lostReplyStore commits for real, then reports a conflict once, as a Redis client that retried a
// write whose first attempt landed but whose reply was lost would.
type lostReplyStore struct {
	*bolt.Store
	armed bool
}

func (s *lostReplyStore) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	v, err := s.Store.Commit(ctx, user, w)
	if err == nil && s.armed {
		s.armed = false
		return 0, quiz.ErrConflict
	}
	return v, err
}

func TestRetriedCommitRecognisesItsOwnWrite(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ls := &lostReplyStore{Store: st}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank(t), Store: ls})
	if err != nil {
		t.Fatal(err)
	}
	step, err := e.Start(ctx, ada, quiz.Scope{Topic: "ml"}, 2, t0)
	if err != nil {
		t.Fatal(err)
	}
	ls.armed = true
	q := step.Question
	step, err = e.Answer(ctx, ada, quiz.ChoiceData(q, q.Correct), t0.Add(time.Second))
	if err != nil || step.Feedback == nil || step.Feedback.Result != quiz.Right {
		t.Fatalf("answer whose reply was lost = %+v, %v; want its feedback", step.Feedback, err)
	}
	rec, _ := st.Load(ctx, ada.Key, false)
	p, _ := quiz.DecodeProgress(rec.Progress)
	if p.Answered != 1 {
		t.Errorf("answered = %d, want exactly 1", p.Answered)
	}
}

func TestStreakAndStatsCountTheLearnersDays(t *testing.T) {
	h := newHarness(t)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	me := ada
	me.Zone = tokyo
	play := func(now time.Time) int {
		q := h.start(me, quiz.Scope{Topic: "all"}, 1, now)
		return h.answer(me, q, q.Correct, now.Add(time.Second)).Summary.Streak
	}
	// 22:00 and 16:00 UTC the next day are 07:00 and 01:00 in Tokyo on two consecutive days,
	// though in UTC the second is the same day's evening plus 18 hours.
	first := time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)
	if got := play(first); got != 1 {
		t.Fatalf("first play: streak %d, want 1", got)
	}
	if got := play(time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC)); got != 2 {
		t.Errorf("next Tokyo day: streak %d, want 2", got)
	}
	// Moving west makes "today" the day already counted: the streak stays.
	me.Zone = time.UTC
	if got := play(time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)); got != 2 {
		t.Errorf("after moving west: streak %d, want 2 kept", got)
	}

	now := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC) // 03:00 on the 29th in Tokyo
	st, err := h.e.Stats(ctx, me.Key, now, tokyo)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 29, 0, 0, 0, 0, tokyo); !st.Today.Equal(want) {
		t.Errorf("Today = %v, want %v", st.Today, want)
	}
	total := 0
	for _, r := range st.Reviews {
		total += r.Count
	}
	if total != 3 || len(st.Reviews) != 2 || st.Reviews[0].Count != 1 || st.Reviews[1].Count != 2 {
		t.Errorf("reviews per Tokyo day = %+v, want 1 on the 28th and 2 on the 29th", st.Reviews)
	}
	history, err := h.e.History(ctx, me.Key, time.Now())
	if err != nil || len(history) != 3 {
		t.Fatalf("history = %v, %v; want 3 reviews", history, err)
	}
	cards := map[string]bool{}
	for _, r := range history {
		cards[r.Card] = true
	}
	due := 0
	for _, n := range st.Due {
		due += n
	}
	if due != len(cards) {
		t.Errorf("forecast counts %d cards, want the %d seen (%v)", due, len(cards), st.Due)
	}
	for _, ts := range st.Topics {
		if ts.Seen == 0 && (ts.Answered != 0 || !math.IsNaN(ts.Retention)) ||
			ts.Seen > 0 && (ts.Answered < ts.Seen || ts.Correct != ts.Answered || ts.Retention <= 0 || ts.Retention > 1) {
			t.Errorf("topic %s: seen %d, answered %d, correct %d, retention %v", ts.Topic, ts.Seen, ts.Answered, ts.Correct, ts.Retention)
		}
	}
}
