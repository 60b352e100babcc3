// Package fsrs schedules flashcard reviews with FSRS-6, the Free Spaced
// Repetition Scheduler used by Anki.
//
// Scheduling is a pure function of (card, rating, time): the package reads
// no clock and holds no global or random state, so a caller can replay a
// review log and get the same cards every time. Behaviour follows py-fsrs
// 6.3.1 (open-spaced-repetition/py-fsrs, fsrs/scheduler.py), including its
// learning steps, same-day reviews, rounding and fuzz; the one deliberate
// difference is that stability is capped at 36,500 days, as fsrs-rs does.
package fsrs

import (
	"fmt"
	"math"
	"time"
)

// Limits on the memory state. The lower stability bound and the difficulty
// range are py-fsrs's; py-fsrs has no upper stability bound, fsrs-rs clamps
// to 36,500 days and so do we, which keeps the state finite whatever the gaps.
const (
	minStability  = 0.001
	maxStability  = 36500.0
	minDifficulty = 1.0
	maxDifficulty = 10.0
)

const day = 24 * time.Hour

// Rand is the source of randomness for interval fuzz: Float64 must return a
// value in [0, 1). *math/rand/v2.Rand satisfies it. Passing a seeded source
// makes fuzzed schedules reproducible.
type Rand interface {
	Float64() float64
}

// Scheduler applies one set of Parameters. It is immutable after NewScheduler
// and safe for concurrent use.
type Scheduler struct {
	p Parameters

	decay  float64 // -w20
	factor float64 // chosen so that R(t = S) = 0.9
	// retentionTerm is DesiredRetention^(1/decay) - 1; interval = S/factor * retentionTerm.
	retentionTerm float64
	// easyD0 is the unclamped initial difficulty for Easy: py-fsrs, fsrs-rs
	// and go-fsrs all revert towards it without clamping.
	easyD0 float64
}

// NewScheduler returns a Scheduler for p, or the error from p.Validate. The
// step slices are copied, so later changes to p do not affect it.
func NewScheduler(p Parameters) (*Scheduler, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.LearningSteps = append([]time.Duration(nil), p.LearningSteps...)
	p.RelearningSteps = append([]time.Duration(nil), p.RelearningSteps...)
	s := &Scheduler{p: p, decay: -p.W[20]}
	s.factor = math.Pow(0.9, 1/s.decay) - 1
	s.retentionTerm = math.Pow(p.DesiredRetention, 1/s.decay) - 1
	s.easyD0 = s.initialDifficulty(Easy)
	return s, nil
}

// Review returns card c after it was answered with rating g at time now.
//
// Memory state: the first review sets stability and difficulty from g; a
// review less than one whole 24-hour period after the previous one uses the
// same-day formula; any later review uses the recall or lapse formula with
// the current retrievability. Scheduling: Learning and Relearning cards walk
// through their steps (Again restarts, Hard repeats the step, Good advances,
// Easy graduates); Review cards get a whole-day interval, or enter
// Relearning on Again. The result's Due is now plus a learning delay, or now
// plus 1..MaxInterval days in Review, and its LastReview is now. now must not
// be the zero time, which LastReview uses to mean "never reviewed".
//
// When the parameters enable Fuzz and rnd is non-nil, Review intervals of
// three days or more are spread as py-fsrs does; with a nil rnd there is no
// fuzz. Review panics if g is not Valid: a rating is caller input that must
// be checked where it is read.
func (s *Scheduler) Review(c Card, g Rating, now time.Time, rnd Rand) Card {
	if !g.Valid() {
		panic(fmt.Sprintf("fsrs: Review called with invalid rating %d", int8(g)))
	}
	if c.State != Review && c.State != Relearning {
		c.State = Learning
	}
	if c.Step < 0 {
		c.Step = 0
	}

	switch {
	case !c.hasMemory():
		// A card never reviewed starts in Learning at step 0 whatever it
		// claimed, as a fresh py-fsrs Card does.
		c.State, c.Step = Learning, 0
		c.Stability = s.initialStability(g)
		c.Difficulty = clampDifficulty(s.initialDifficulty(g))
	case !c.LastReview.IsZero() && ElapsedDays(c.LastReview, now) < 1:
		c.Stability = s.shortTermStability(c.Stability, g)
		c.Difficulty = s.nextDifficulty(c.Difficulty, g)
	default:
		r := s.Retrievability(c, now)
		c.Stability = s.nextStability(c.Difficulty, c.Stability, r, g)
		c.Difficulty = s.nextDifficulty(c.Difficulty, g)
	}

	var wait time.Duration
	switch c.State {
	case Learning:
		wait = stepThrough(&c, g, s.p.LearningSteps)
	case Relearning:
		wait = stepThrough(&c, g, s.p.RelearningSteps)
	case Review:
		if g == Again && len(s.p.RelearningSteps) > 0 {
			c.State, c.Step = Relearning, 0
			wait = s.p.RelearningSteps[0]
		}
	}
	if c.State == Review {
		// Every outcome that leaves the card in Review waits the interval
		// for its new stability, fuzzed if enabled (graduation included).
		c.Step = 0
		days := s.Interval(c.Stability)
		if s.p.Fuzz && rnd != nil {
			days = fuzzInterval(days, s.p.MaxInterval, rnd)
		}
		wait = time.Duration(days) * day
	}
	c.Due = now.Add(wait)
	c.LastReview = now
	return c
}

// stepThrough moves a Learning or Relearning card along steps and returns
// the wait before its next review. A card that graduates becomes a Review
// card, and its whole-day wait is left to the caller. A Step beyond the end
// of steps (left by a scheduler with more steps) graduates on any rating but
// Again.
func stepThrough(c *Card, g Rating, steps []time.Duration) time.Duration {
	if len(steps) == 0 || (c.Step >= len(steps) && g != Again) {
		c.State, c.Step = Review, 0
		return 0
	}
	switch g {
	case Again:
		c.Step = 0
		return steps[0]
	case Hard:
		switch {
		case c.Step == 0 && len(steps) == 1:
			return steps[0] * 3 / 2
		case c.Step == 0:
			return (steps[0] + steps[1]) / 2
		default:
			return steps[c.Step]
		}
	case Good:
		if c.Step+1 == len(steps) {
			c.State, c.Step = Review, 0
			return 0
		}
		c.Step++
		return steps[c.Step]
	default: // Easy
		c.State, c.Step = Review, 0
		return 0
	}
}

// Retrievability returns the predicted probability of recalling c at now.
// It is 0 for a card that has never been reviewed (zero LastReview or no
// stability), as in py-fsrs. Time is counted in whole 24-hour periods since
// LastReview, so R stays 1 for the first day and never exceeds 1 when now is
// before LastReview.
func (s *Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.LastReview.IsZero() || !(c.Stability > 0) {
		return 0
	}
	t := max(0, ElapsedDays(c.LastReview, now))
	return math.Pow(1+s.factor*float64(t)/c.Stability, s.decay)
}

// Interval returns the number of whole days after which a memory of the
// given stability falls to the desired retention, rounded half to even as
// Python's round does and clamped to [1, MaxInterval].
func (s *Scheduler) Interval(stability float64) int {
	return intervalDays(stability, s.factor, s.retentionTerm, s.p.MaxInterval)
}

// intervalDays is Interval for an explicit retention term, so tests can
// reach retentions that Validate refuses, such as 1.
func intervalDays(stability, factor, retentionTerm float64, maxInterval int) int {
	x := math.RoundToEven(stability / factor * retentionTerm)
	switch {
	case !(x < float64(maxInterval)): // also catches +Inf and NaN
		return maxInterval
	case x < 1:
		return 1
	}
	return int(x)
}

// ElapsedDays counts the whole 24-hour periods from since to now, rounding
// towards minus infinity like Python's timedelta.days. It is the unit of time
// FSRS reasons in: a review with ElapsedDays < 1 since the previous one is a
// same-day review, and Retrievability only changes once a full period has
// passed.
func ElapsedDays(since, now time.Time) int {
	d := now.Sub(since)
	n := d / day
	if d < 0 && d%day != 0 {
		n--
	}
	return int(n)
}

func (s *Scheduler) initialStability(g Rating) float64 {
	return clampStability(s.p.W[g-1])
}

// initialDifficulty is D0(G) before clamping.
func (s *Scheduler) initialDifficulty(g Rating) float64 {
	w := &s.p.W
	return w[4] - math.Exp(w[5]*float64(g-1)) + 1
}

// nextDifficulty damps the step towards 10 linearly, then reverts a little
// towards the unclamped D0(Easy).
func (s *Scheduler) nextDifficulty(d float64, g Rating) float64 {
	w := &s.p.W
	delta := -(w[6] * float64(g-3))
	damped := d + (10-d)*delta/9
	return clampDifficulty(w[7]*s.easyD0 + (1-w[7])*damped)
}

// nextStability is the stability after a review at least one day after the
// previous one, given the retrievability r at that moment.
func (s *Scheduler) nextStability(d, st, r float64, g Rating) float64 {
	w := &s.p.W
	if g == Again {
		longTerm := w[11] * math.Pow(d, -w[12]) * (math.Pow(st+1, w[13]) - 1) * math.Exp((1-r)*w[14])
		// Post-lapse stability is capped at S/e^(w17·w18), a little below
		// the old stability; py-fsrs and fsrs-rs always apply the cap
		// (go-fsrs only when its short-term mode is on).
		return clampStability(min(longTerm, st/math.Exp(w[17]*w[18])))
	}
	hardPenalty, easyBonus := 1.0, 1.0
	switch g {
	case Hard:
		hardPenalty = w[15]
	case Easy:
		easyBonus = w[16]
	}
	growth := math.Exp(w[8]) * (11 - d) * math.Pow(st, -w[9]) * (math.Exp((1-r)*w[10]) - 1) * hardPenalty * easyBonus
	return clampStability(st * (1 + growth))
}

// shortTermStability is the stability after a review on the same day as the
// previous one. As in py-fsrs 6.3.1 the increase is floored at 1 only for
// Good and Easy, so a same-day Hard may lower stability (fsrs-rs and go-fsrs
// floor Hard too).
func (s *Scheduler) shortTermStability(st float64, g Rating) float64 {
	w := &s.p.W
	inc := math.Exp(w[17]*(float64(g-3)+w[18])) * math.Pow(st, -w[19])
	if g >= Good {
		inc = max(inc, 1)
	}
	return clampStability(st * inc)
}

func clampStability(st float64) float64 {
	return min(max(st, minStability), maxStability)
}

func clampDifficulty(d float64) float64 {
	return min(max(d, minDifficulty), maxDifficulty)
}
