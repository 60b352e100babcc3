package quiz

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

// unknownOutcome is a commit that failed in a way that may have written it anyway: the store went
// quiet after the request left. It wraps the store's error (an ErrUnavailable).
type unknownOutcome struct {
	writeID string
	err     error
}

func (u *unknownOutcome) Error() string {
	return "quiz: outcome of the write unknown: " + u.err.Error()
}
func (u *unknownOutcome) Unwrap() error { return u.err }

// pendingWrite is an answer whose commit had an unknown outcome: the write that carried it, and
// the question it answered.
type pendingWrite struct {
	id    string
	round string
	pos   int
	at    time.Time
}

// outcomes remembers, per learner, the last answer whose outcome is unknown, until the learner's
// next message settles it (Engine.Settle). It is bounded: an outcome nobody asks about within
// outcomeTTL is forgotten.
type outcomes struct {
	mu sync.Mutex
	m  map[string]pendingWrite
}

const (
	outcomeTTL  = 30 * time.Minute
	maxOutcomes = 10_000
)

func (o *outcomes) put(user string, w pendingWrite) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]pendingWrite{}
	}
	if len(o.m) >= maxOutcomes {
		for k, v := range o.m {
			if w.at.Sub(v.at) > outcomeTTL {
				delete(o.m, k)
			}
		}
		if len(o.m) >= maxOutcomes {
			return // a store outage this long is better told by the unavailable replies
		}
	}
	o.m[user] = w
}

// has reports whether user has an unsettled answer; it costs no store access.
func (o *outcomes) has(user string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.m[user]
	return ok
}

func (o *outcomes) take(user string) (pendingWrite, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	w, ok := o.m[user]
	delete(o.m, user)
	return w, ok
}

// Settlement tells a learner what became of an answer whose outcome was unknown when they gave it.
type Settlement struct {
	// Recorded is true when the answer was saved after all.
	Recorded bool
	// Card is the card answered and Result how the answer was graded, when Recorded and the round
	// it belonged to is still in play; otherwise Card is nil.
	Card    *Card
	Result  Result
	Correct content.Text // the right answer, when Card is set
	// Question is the question in play now, or nil when the round is over.
	Question *Question
}

// Unsettled reports whether the learner gave an answer whose outcome is still unknown. It reads
// nothing, so the core may ask it on every message.
func (e *Engine) Unsettled(user string) bool { return e.unknown.has(user) }

// Settle reads the learner's record and tells what became of the answer whose outcome was unknown,
// forgetting it. ok is false when there was none. While the store is still unavailable the answer
// stays unsettled and the error is returned.
func (e *Engine) Settle(ctx context.Context, user string, now time.Time) (s Settlement, ok bool, err error) {
	defer e.lock(user)()
	w, ok := e.unknown.take(user)
	if !ok {
		return Settlement{}, false, nil
	}
	_, _, p, err := e.load(ctx, user, false, now)
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			e.unknown.put(user, w)
		}
		return Settlement{}, false, err
	}
	r := p.Round
	s.Recorded = p.WriteID == w.id
	if !s.Recorded && r != nil && r.ID == w.round && r.Pos > w.pos {
		// A later answer of the same round landed (on another replica): this one was saved too.
		s.Recorded = true
	}
	if r != nil {
		if s.Recorded && r.ID == w.round && w.pos < len(r.Items) {
			it := r.Items[w.pos]
			if c := e.bank.Card(it.Card); c != nil {
				s.Card, s.Result = c, it.Result
				s.Correct = c.Choices[0]
			}
		}
		s.Question = e.question(user, r)
	}
	return s, true, nil
}
