package quiz

import (
	"context"
	"slices"
	"time"
)

// Round sizes.
const (
	DefaultRoundSize = 5
	MaxRoundSize     = 20
)

// Summary closes a round.
type Summary struct {
	Scope   Scope
	Right   int
	Wrong   int
	New     int // cards seen for the first time
	Streak  int
	NextDue time.Time // earliest next review across all the learner's cards; zero if none
	Stopped bool      // ended by /stop before the last question
}

// Step is what an action produces: the summary of a round it closed early (a new /quiz replacing
// one in play), feedback on an answer, then either the next question or the round's summary.
type Step struct {
	Closed   *Summary
	Feedback *Feedback
	Question *Question
	Summary  *Summary
}

// Start begins a round of n questions (DefaultRoundSize when n is 0) in scope: due reviews first,
// then new cards. A round already in play is closed, and its summary returned in Step.Closed. It
// returns the first question, or a NothingDueError.
func (e *Engine) Start(ctx context.Context, u User, scope Scope, n int, now time.Time) (Step, error) {
	return e.begin(ctx, u, scope, n, false, now)
}

// Review begins a round of the cards due now across all topics, or returns a NothingDueError
// saying when the next one is due.
func (e *Engine) Review(ctx context.Context, u User, n int, now time.Time) (Step, error) {
	return e.begin(ctx, u, Scope{Topic: TopicAll}, n, true, now)
}

func (e *Engine) begin(ctx context.Context, u User, scope Scope, n int, review bool, now time.Time) (Step, error) {
	if n <= 0 {
		n = DefaultRoundSize
	}
	n = min(n, MaxRoundSize)
	defer e.lock(u.Key)()
	var step Step
	err := e.update(ctx, u.Key, now, true, func(rec Record, p *Progress) (*Write, error) {
		states := decodeStates(rec.Cards)
		items, next := e.plan(u.Key, scope, states, n, review, now)
		if len(items) == 0 {
			return nil, &NothingDueError{Next: next}
		}
		step = Step{}
		if old := p.Round; old != nil {
			sum := old.summary(p.Streak)
			sum.Stopped = true
			step.Closed = &sum
		}
		r := &Round{
			ID: newRoundID(), Scope: scope.String(), Chat: u.Chat, Group: u.Group, Review: review,
			Items: items, Shown: now.UnixMilli(), Started: now.UnixMilli(),
			OtherDue: earliestDue(states, items),
		}
		p.Round = r
		step.Question = e.question(u.Key, r)
		return &Write{}, nil
	})
	return step, err
}

// earliestDue is when the first of the learner's cards outside the round falls due (Unix seconds,
// 0 for none): with the round's own results it gives the summary's next review without another read.
func earliestDue(states map[string]CardState, items []Item) int64 {
	var min int64
	for id, s := range states {
		if !s.Seen() || slices.ContainsFunc(items, func(it Item) bool { return it.Card == id }) {
			continue
		}
		if d := s.Due.Unix(); min == 0 || d < min {
			min = d
		}
	}
	return min
}

// nextDue is the earliest due time over the cards outside the round and each round card's latest
// state.
func (r *Round) nextDue() time.Time {
	last := map[string]int64{}
	for _, it := range r.Items {
		switch {
		case it.Due != 0:
			last[it.Card] = it.Due
		case it.Prev != nil && last[it.Card] == 0: // planned but not answered (a stopped round)
			if s, err := UnpackState(it.Prev); err == nil {
				last[it.Card] = s.Due.Unix()
			}
		}
	}
	min := r.OtherDue
	for _, d := range last {
		if min == 0 || d < min {
			min = d
		}
	}
	if min == 0 {
		return time.Time{}
	}
	return time.Unix(min, 0).UTC()
}

// summary is the round's summary as it stands.
func (r *Round) summary(streak int) Summary {
	return Summary{
		Scope: ParseScope(r.Scope), Right: r.Right, Wrong: r.Wrong, New: r.New, Streak: streak,
		NextDue: r.nextDue(),
	}
}

// Stop ends the round in play and returns its summary.
func (e *Engine) Stop(ctx context.Context, u User, now time.Time) (Summary, error) {
	defer e.lock(u.Key)()
	var sum Summary
	err := e.update(ctx, u.Key, now, false, func(rec Record, p *Progress) (*Write, error) {
		r := p.Round
		if r == nil {
			return nil, ErrNoRound
		}
		sum = r.summary(p.Streak)
		sum.Stopped = true
		p.Round = nil
		return &Write{}, nil
	})
	return sum, err
}
