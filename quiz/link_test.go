package quiz_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// replicas are engines sharing one store, as processes sharing Redis do.
type replicas struct {
	t     *testing.T
	store *storetest.Memory
	e     []*quiz.Engine
}

func newReplicas(t *testing.T, n int) *replicas {
	r := &replicas{t: t, store: storetest.NewMemory()}
	for range n {
		e, err := quiz.NewEngine(quiz.Config{Bank: bank(t), Store: r.store, Boards: r.store, Reports: r.store})
		if err != nil {
			t.Fatal(err)
		}
		r.e = append(r.e, e)
	}
	return r
}

// play has u answer a round of n questions on engine e at now, right or wrong each time, and
// returns the cards asked.
func (r *replicas) play(e *quiz.Engine, u quiz.User, n int, now time.Time, right bool) []string {
	r.t.Helper()
	step, err := e.Start(ctx, u, quiz.Scope{Topic: "all"}, n, now)
	if err != nil {
		r.t.Fatalf("Start for %s: %v", u.Key, err)
	}
	var cards []string
	for q := step.Question; q != nil; {
		now = now.Add(10 * time.Second)
		choice := q.Correct
		if !right {
			choice = wrongChoice(q)
		}
		cards = append(cards, q.Card.ID)
		step, err := e.Answer(ctx, u, quiz.ChoiceData(q, choice), now)
		if err != nil {
			r.t.Fatalf("Answer for %s: %v", u.Key, err)
		}
		q = step.Question
	}
	return cards
}

func (r *replicas) stats(e *quiz.Engine, user string, now time.Time) quiz.Stats {
	r.t.Helper()
	st, err := e.Stats(ctx, user, now, nil)
	if err != nil {
		r.t.Fatalf("Stats(%s): %v", user, err)
	}
	st.Version, st.Params = 0, ""
	return st
}

var (
	tg = quiz.User{Key: "telegram:1", Name: "Ada", Chat: "telegram:-100", Group: true}
	cs = quiz.User{Key: "console:ada", Name: "ada", Chat: "console:ada"}
)

// TestLinkMergesProgress: two identities with progress of their own become one learner. Every
// review is kept, counters and streaks follow the merged history, both identities see the same
// progress, and points stay on the board and under the identity that earned them.
func TestLinkMergesProgress(t *testing.T) {
	r := newReplicas(t, 1)
	e := r.e[0]
	day := 24 * time.Hour
	r.play(e, tg, 2, t0, true)            // day 1
	r.play(e, cs, 2, t0.Add(day), false)  // day 2
	r.play(e, cs, 1, t0.Add(2*day), true) // day 3
	before, err := e.History(ctx, tg.Key, t0)
	if err != nil {
		t.Fatal(err)
	}
	csHistory, _ := e.History(ctx, cs.Key, t0)
	if err := e.Link(ctx, tg.Key, cs.Key, nil, t0.Add(2*day+time.Hour)); err != nil {
		t.Fatalf("Link: %v", err)
	}
	now := t0.Add(2*day + 2*time.Hour)
	a, b := r.stats(e, tg.Key, now), r.stats(e, cs.Key, now)
	if a.Answered != b.Answered || a.Correct != b.Correct || a.Streak != b.Streak || a.DueToday != b.DueToday {
		t.Errorf("the two identities see different progress:\n%+v\n%+v", a, b)
	}
	answered := len(before) + len(csHistory)
	if a.Answered != answered || a.Streak != 3 || a.BestStreak != 3 {
		t.Errorf("merged: %d answers, streak %d (best %d); want %d answers and the 3 days in a row", a.Answered, a.Streak, a.BestStreak, answered)
	}
	merged, err := e.History(ctx, cs.Key, now)
	if err != nil || len(merged) != answered {
		t.Fatalf("merged history has %d reviews (%v), want %d", len(merged), err, answered)
	}
	if !slices.IsSortedFunc(merged, func(x, y quiz.Review) int { return x.Time.Compare(y.Time) }) {
		t.Errorf("merged history is not in time order")
	}
	// tg's points stay on the group's board of that week, under tg.
	top, _, _, err := e.Leaderboard(ctx, tg.Chat, tg.Key, 10, t0.Add(time.Hour))
	if err != nil || len(top) != 1 || top[0].User != tg.Key {
		t.Errorf("leaderboard after linking = %+v, %v; want tg's own points", top, err)
	}
	// Linking again is refused: they are one learner already.
	if err := e.Link(ctx, cs.Key, tg.Key, nil, now); !errors.Is(err, quiz.ErrSameLearner) {
		t.Errorf("linking again = %v, want ErrSameLearner", err)
	}
	linked, _ := e.Linked(ctx, cs.Key, now)
	if !slices.Equal(linked, []string{cs.Key, tg.Key}) {
		t.Errorf("Linked(console) = %v", linked)
	}
	// An answer from either identity counts for both.
	r.play(e, cs, 1, now, true)
	if a, b := r.stats(e, tg.Key, now.Add(time.Hour)), r.stats(e, cs.Key, now.Add(time.Hour)); a.Answered != answered+1 || b.Answered != answered+1 {
		t.Errorf("after one more answer: %d and %d answers, want %d", a.Answered, b.Answered, answered+1)
	}
}

// TestReplicaFollowsALinkItMissed: a replica that cached an identity's own record keeps
// answering for it after another replica linked it elsewhere; the answer lands in the learner's
// record, not in the pointer left behind. And after an unlink, the other way back.
func TestReplicaFollowsALinkItMissed(t *testing.T) {
	r := newReplicas(t, 2)
	e1, e2 := r.e[0], r.e[1]
	r.play(e1, tg, 1, t0, true)
	r.play(e1, cs, 1, t0, true) // e1 now caches console's own record
	if err := e2.Link(ctx, tg.Key, cs.Key, nil, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	r.play(e1, cs, 1, t0.Add(time.Hour), true)
	if got := r.stats(e2, tg.Key, t0.Add(2*time.Hour)).Answered; got != 3 {
		t.Errorf("answer on the replica that missed the link: learner has %d answers, want 3", got)
	}

	if err := e2.Unlink(ctx, cs.Key, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r.play(e1, cs, 1, t0.Add(4*time.Hour), true) // e1 still thinks console is linked
	now := t0.Add(5 * time.Hour)
	if a, b := r.stats(e2, tg.Key, now).Answered, r.stats(e2, cs.Key, now).Answered; a != 3 || b != 4 {
		t.Errorf("after unlink and one more console answer: telegram %d, console %d answers; want 3 and 4", a, b)
	}
	for _, e := range []*quiz.Engine{e1, e2} {
		if linked, _ := e.Linked(ctx, tg.Key, now); len(linked) != 1 {
			t.Errorf("telegram is still linked to %v", linked)
		}
	}
	// Linked again, the copies they kept are not counted twice.
	if err := e1.Link(ctx, tg.Key, cs.Key, nil, now); err != nil {
		t.Fatal(err)
	}
	if got := r.stats(e2, cs.Key, now).Answered; got != 4 {
		t.Errorf("linked again: %d answers, want 4 (3 shared, 1 since)", got)
	}
}

// TestLinkRetriesWhenAnAnswerLandsMeanwhile: an answer recorded between the merge and the pointer
// that replaces the merged record is merged on the second attempt, not lost.
func TestLinkRetriesWhenAnAnswerLandsMeanwhile(t *testing.T) {
	r := newReplicas(t, 2)
	e1, e2 := r.e[0], r.e[1]
	r.play(e1, tg, 1, t0, true)
	r.play(e1, cs, 1, t0, true)
	step, err := e1.Start(ctx, cs, quiz.Scope{Topic: "all"}, 1, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	replaced := 0
	r.store.BeforeReplace = func(user string) {
		if user != cs.Key || replaced > 0 {
			return
		}
		replaced++
		// The console answers on another replica just before its record is replaced.
		if _, err := e1.Answer(ctx, cs, quiz.ChoiceData(step.Question, step.Question.Correct), t0.Add(2*time.Minute)); err != nil {
			t.Errorf("answer during the link: %v", err)
		}
	}
	if err := e2.Link(ctx, tg.Key, cs.Key, nil, t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := r.stats(e2, tg.Key, t0.Add(time.Hour)).Answered; got != 3 {
		t.Errorf("learner has %d answers after the link, want 3: the answer given meanwhile is lost", got)
	}
}

// TestForgetCoversEveryLinkedIdentity: /forget from one side deletes the learner, and each
// identity starts afresh, no longer linked.
func TestForgetCoversEveryLinkedIdentity(t *testing.T) {
	r := newReplicas(t, 1)
	e := r.e[0]
	r.play(e, tg, 2, t0, true)
	r.play(e, cs, 1, t0, true)
	if err := e.Link(ctx, cs.Key, tg.Key, nil, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := e.Forget(ctx, tg.Key, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tg.Key, cs.Key} {
		if st := r.stats(e, id, t0.Add(3*time.Hour)); st.Answered != 0 {
			t.Errorf("%s still has %d answers after /forget", id, st.Answered)
		}
		if linked, _ := e.Linked(ctx, id, t0.Add(3*time.Hour)); len(linked) != 1 {
			t.Errorf("%s still linked to %v", id, linked)
		}
	}
	top, _, _, _ := e.Leaderboard(ctx, tg.Chat, tg.Key, 10, t0.Add(3*time.Hour))
	if len(top) != 0 {
		t.Errorf("leaderboard keeps %+v after /forget", top)
	}
}

// TestUnlinkTheLearnerKey: the identity the others were linked into may leave too; the rest keep
// the shared progress and stay linked among themselves.
func TestUnlinkTheLearnerKey(t *testing.T) {
	r := newReplicas(t, 1)
	e := r.e[0]
	dc := quiz.User{Key: "discord:7", Name: "Ada", Chat: "discord:dm"}
	for _, u := range []quiz.User{tg, cs, dc} {
		r.play(e, u, 1, t0, true)
	}
	for _, u := range []quiz.User{cs, dc} {
		if err := e.Link(ctx, tg.Key, u.Key, nil, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	now := t0.Add(time.Hour)
	if err := e.Unlink(ctx, tg.Key, now); err != nil {
		t.Fatal(err)
	}
	if linked, _ := e.Linked(ctx, dc.Key, now); !slices.Equal(linked, []string{dc.Key, cs.Key}) {
		t.Errorf("discord is linked to %v, want the console alone", linked)
	}
	for _, id := range []string{tg.Key, cs.Key, dc.Key} {
		if got := r.stats(e, id, now).Answered; got != 3 {
			t.Errorf("%s has %d answers, want the 3 shared", id, got)
		}
	}
	if err := e.Unlink(ctx, tg.Key, now); !errors.Is(err, quiz.ErrNotLinked) {
		t.Errorf("unlinking an identity linked to none = %v, want ErrNotLinked", err)
	}
}
