package quiz

import (
	"context"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// FastAnswer is how quickly a right answer must come for a mature card to be rated Easy rather
// than Good: knowing a long-learnt card at a glance means its interval can grow faster.
const FastAnswer = 8 * time.Second

// Feedback is the result of one graded answer.
type Feedback struct {
	Card    *Card
	Repeat  bool // the answer was to a missed card asked again
	Choices []content.Text
	Chosen  int
	Correct int
	Result  Result
	Rating  fsrs.Rating
	Due     time.Time // when the card comes back
}

// Answer grades choice data from a button ("token:index"). Presses of another learner's
// question, of an earlier or already answered question, or junk data are not graded and return
// ErrNotYours, ErrStale, ErrAnswered or ErrBadChoice; the learner's state is unchanged.
func (e *Engine) Answer(ctx context.Context, u User, data string, now time.Time) (Step, error) {
	tag, roundID, pos, choice, ok := parseChoice(data)
	if !ok {
		return Step{}, ErrBadChoice
	}
	if tag != userTag(u.Key) {
		return Step{}, ErrNotYours
	}
	return e.grade(ctx, u, func(r *Round) (int, error) {
		switch {
		case r.ID != roundID:
			return 0, ErrStale
		case pos < r.Pos:
			return 0, ErrAnswered
		case pos > r.Pos:
			return 0, ErrBadChoice
		}
		return choice, nil
	}, now)
}

// AnswerText grades a typed answer: the choice's number or its text in either language. ok is false
// when no round is in play or the text is not an answer, so the caller treats it as an ordinary
// message. A number outside the choices returns an OutOfRangeError.
func (e *Engine) AnswerText(ctx context.Context, u User, text string, now time.Time) (step Step, ok bool, err error) {
	_, p, err := e.progress(ctx, u.Key, now)
	if err != nil || p.Round == nil {
		return Step{}, false, err
	}
	q := e.question(u.Key, p.Round)
	if q == nil {
		return Step{}, false, nil
	}
	choice := matchChoice(q, text)
	if choice < 0 {
		if _, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
			return Step{}, true, &OutOfRangeError{Max: len(q.Choices)}
		}
		return Step{}, false, nil
	}
	step, err = e.grade(ctx, u, func(r *Round) (int, error) {
		if r.ID != p.Round.ID || r.Pos != p.Round.Pos {
			return 0, ErrAnswered
		}
		return choice, nil
	}, now)
	return step, true, err
}

// matchChoice returns the index of the choice text names, by number or by text, or -1.
func matchChoice(q *Question, text string) int {
	t := strings.TrimSpace(text)
	if n, err := strconv.Atoi(t); err == nil {
		if n >= 1 && n <= len(q.Choices) {
			return n - 1
		}
		return -1
	}
	norm := content.Normalize(t)
	if norm == "" {
		return -1
	}
	for i, c := range q.Choices {
		if norm == content.Normalize(c.EN) || norm == content.Normalize(c.ZH) {
			return i
		}
	}
	return -1
}

// grade applies one answer: pick returns the chosen index for the current round, or an error when
// the answer does not apply to it.
func (e *Engine) grade(ctx context.Context, u User, pick func(*Round) (int, error), now time.Time) (Step, error) {
	defer e.lock(u.Key)()
	var step Step
	err := e.update(ctx, u.Key, now, false, func(rec Record, p *Progress) (*Write, error) {
		r := p.Round
		if r == nil {
			return nil, ErrStale
		}
		q := e.question(u.Key, r)
		if q == nil {
			return nil, ErrStale
		}
		choice, err := pick(r)
		if err != nil {
			return nil, err
		}
		if choice >= len(q.Choices) {
			return nil, &OutOfRangeError{Max: len(q.Choices)}
		}
		w, s := e.apply(u, p, q, choice, now)
		step = s
		return w, nil
	})
	return step, err
}

// apply records the answer to q in p and returns the rest of the write and the resulting step.
func (e *Engine) apply(u User, p *Progress, q *Question, choice int, now time.Time) (*Write, Step) {
	r := p.Round
	it := &r.Items[r.Pos]
	var prev CardState
	if it.Prev != nil {
		prev, _ = UnpackState(it.Prev)
	}
	result := Wrong
	switch choice {
	case q.Correct:
		result = Right
	case len(q.Choices) - 1:
		result = Skipped
	}
	rating := fsrs.Again
	if result == Right {
		rating = fsrs.Good
		if prev.Mature() && now.Sub(time.UnixMilli(r.Shown)) <= FastAnswer {
			rating = fsrs.Easy
		}
	}
	seed := mix("fuzz", u.Key, q.Card.ID, strconv.Itoa(prev.Reps))
	next := CardState{
		Card:   e.sched.Review(prev.Card, rating, now, mrand.New(mrand.NewPCG(seed, seed>>1|1))),
		Reps:   prev.Reps + 1,
		Lapses: prev.Lapses,
	}
	if prev.State == fsrs.Review && rating == fsrs.Again {
		next.Lapses++
	}

	it.Result = result
	it.Due = next.Due.Unix()
	if !it.Repeat && !prev.Seen() {
		r.New++
	}
	if result == Right {
		r.Right++
		p.Correct++
	} else {
		r.Wrong++
		if !it.Repeat {
			r.Items = append(r.Items, Item{Card: q.Card.ID, Prev: PackState(next), Repeat: true})
		}
	}
	p.Answered++
	p.LastCard = q.Card.ID
	today := int(now.Unix() / 86400)
	switch {
	case p.LastDay == today:
	case p.LastDay == today-1:
		p.Streak++
	default:
		p.Streak = 1
	}
	p.LastDay = today
	p.BestStreak = max(p.BestStreak, p.Streak)

	w := &Write{Cards: map[string][]byte{q.Card.ID: PackState(next)}}
	if u.Group && result == Right && r.Chat != "" {
		b := Board{Chat: r.Chat, Week: Week(now)}
		w.Credit = &Credit{
			Board: b, Answer: u.Key + ":" + r.ID + ":" + strconv.Itoa(r.Pos),
			User: u.Key, Name: u.Name, Points: Points(next),
		}
		p.Boards = addBoard(p.Boards, b, now)
	}

	step := Step{Feedback: &Feedback{
		Card: q.Card, Repeat: q.Repeat, Choices: q.Choices, Chosen: choice, Correct: q.Correct,
		Result: result, Rating: rating, Due: next.Due,
	}}
	r.Pos++
	r.Shown = now.UnixMilli()
	if nq := e.question(u.Key, r); nq != nil {
		step.Question = nq
	} else {
		step.Summary = &Summary{
			Scope: ParseScope(r.Scope), Right: r.Right, Wrong: r.Wrong, New: r.New, Streak: p.Streak,
			NextDue: r.nextDue(),
		}
		p.Round = nil
	}
	return w, step
}
