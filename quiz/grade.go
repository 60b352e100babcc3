package quiz

import (
	"context"
	"errors"
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

// Answer grades choice data from a button (ChoiceData). Presses of another learner's question, of
// an earlier or already answered question, or junk data are not graded and return ErrNotYours,
// ErrStale, ErrAnswered or ErrBadChoice; the learner's state is unchanged. A refusal is given only
// after the learner's record was read fresh.
func (e *Engine) Answer(ctx context.Context, u User, data string, now time.Time) (Step, error) {
	tag, roundID, pos, choice, ok := parseChoice(data)
	if !ok {
		return Step{}, ErrBadChoice
	}
	if tag != userTag(u.Key) {
		return Step{}, ErrNotYours
	}
	step, err := e.grade(ctx, u, now, func(r *Round, q *Question) (int, error) {
		switch {
		case r.ID != roundID:
			return 0, ErrStale
		case pos < r.Pos:
			return 0, ErrAnswered
		case pos > r.Pos:
			return 0, ErrBadChoice
		case choice >= len(q.Choices):
			return 0, ErrBadChoice
		}
		return choice, nil
	})
	if errors.Is(err, ErrNoRound) {
		err = ErrStale // the button's round is over
	}
	return step, err
}

// TextOutcome says what a typed message meant to the learner's round.
type TextOutcome int

// Text outcomes.
const (
	// NoRound: no round is in play, so the message is not about the quiz.
	NoRound TextOutcome = iota
	// Graded: the message answered the question in play.
	Graded
	// NotAChoice: a round is in play but the message names none of its choices; the Step holds the
	// question in play, to show again.
	NotAChoice
)

// errNotAChoice is a typed message that answers nothing; AnswerText turns it into NotAChoice.
var errNotAChoice = errors.New("quiz: not one of the choices")

// AnswerText grades a typed answer: the choice's number ("2", "２", "2.", "2)") or its text in
// either language. The learner's round is matched as the store holds it at the moment of the
// write (a compare-and-set), never as a cache remembers it.
func (e *Engine) AnswerText(ctx context.Context, u User, text string, now time.Time) (Step, TextOutcome, error) {
	var pending *Question
	step, err := e.grade(ctx, u, now, func(r *Round, q *Question) (int, error) {
		pending = q
		if i := matchChoice(q, text); i >= 0 {
			return i, nil
		}
		return 0, errNotAChoice
	})
	switch {
	case errors.Is(err, ErrNoRound):
		return Step{}, NoRound, nil
	case errors.Is(err, errNotAChoice):
		return Step{Question: pending}, NotAChoice, nil
	case err != nil:
		return Step{}, NoRound, err
	}
	return step, Graded, nil
}

// matchChoice returns the index of the choice text names, by number or by text, or -1.
func matchChoice(q *Question, text string) int {
	if n, ok := answerNumber(text); ok {
		if n >= 1 && n <= len(q.Choices) {
			return n - 1
		}
		return -1
	}
	norm, tooLong := content.NormalizeUpTo(text, maxChoiceRunes)
	if norm == "" || tooLong {
		return -1
	}
	for i, c := range q.Choices {
		if norm == content.Normalize(c.EN) || norm == content.Normalize(c.ZH) {
			return i
		}
	}
	return -1
}

// maxChoiceRunes bounds how much of a typed message is compared with the choices; no choice is
// longer.
const maxChoiceRunes = 200

// answerNumber reads a choice number as people type it: "2", full-width "２", "2.", "2)", "(2)",
// "2、". ok is false for anything else.
func answerNumber(text string) (int, bool) {
	t := strings.TrimSpace(text)
	if len(t) > 16 {
		return 0, false
	}
	t = strings.TrimLeft(t, "(（")
	t = strings.TrimRight(t, ".。)）、:：")
	n, digits := 0, 0
	for _, r := range t {
		if r >= '０' && r <= '９' {
			r -= '０' - '0'
		}
		if r < '0' || r > '9' || digits == 3 {
			return 0, false
		}
		n = n*10 + int(r-'0')
		digits++
	}
	return n, digits > 0
}

// LooksLikeAnswer reports whether text has the form of a choice number, which in a group is
// worth checking against the learner's round even when the message is not addressed to the bot.
func LooksLikeAnswer(text string) bool {
	_, ok := answerNumber(text)
	return ok
}

// grade applies one answer: pick returns the chosen index into the question in play, or an error
// when the answer does not apply to it.
func (e *Engine) grade(ctx context.Context, u User, now time.Time, pick func(*Round, *Question) (int, error)) (Step, error) {
	defer e.lock(u.Key)()
	var step Step
	var at pendingWrite
	err := e.update(ctx, u.Key, now, false, func(rec Record, p *Progress) (*Write, error) {
		step = Step{}
		r := p.Round
		if r == nil {
			return nil, ErrNoRound
		}
		q := e.question(u.Key, r)
		if q == nil {
			return nil, ErrNoRound
		}
		choice, err := pick(r, q)
		if err != nil {
			return nil, err
		}
		at = pendingWrite{round: r.ID, pos: r.Pos, at: now}
		sched, _ := e.scheduler(ctx, rec.Params, now)
		w, s := e.apply(u, p, q, choice, sched, now)
		step = s
		return w, nil
	})
	var unknown *unknownOutcome
	if errors.As(err, &unknown) {
		at.id = unknown.writeID
		e.unknown.put(u.Key, at)
	}
	return step, err
}

// apply records the answer to q in p and returns the rest of the write and the resulting step.
func (e *Engine) apply(u User, p *Progress, q *Question, choice int, sched *fsrs.Scheduler, now time.Time) (*Write, Step) {
	r := p.Round
	it := &r.Items[r.Pos]
	var prev CardState
	if it.Prev != nil {
		prev, _ = UnpackState(it.Prev)
	}
	result := resultOf(choice, q.Correct, len(q.Choices))
	rating := rate(prev, result, now.Sub(time.UnixMilli(r.Shown)))
	next := review(sched, u.Key, q.Card.ID, prev, rating, now)

	it.Result = result
	it.Due = next.Due.Unix()
	if !it.Repeat && !prev.Seen() {
		r.New++
	}
	if result == Right {
		r.Right++
	} else {
		r.Wrong++
		if !it.Repeat {
			r.Items = append(r.Items, Item{Card: q.Card.ID, Prev: PackState(next), Repeat: true})
		}
	}
	p.count(q.Card.ID, result == Right, now, u.Zone)

	w := &Write{
		Cards:  map[string][]byte{q.Card.ID: PackState(next)},
		Review: PackReview(Review{Card: q.Card.ID, Time: now, Rating: rating, Duration: now.Sub(time.UnixMilli(r.Shown))}),
	}
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
		sum := r.summary(p.Streak)
		step.Summary = &sum
		p.Round = nil
	}
	return w, step
}

// resultOf grades choice of a question with n choices ("I don't know" last) whose right one is
// correct.
func resultOf(choice, correct, n int) Result {
	switch choice {
	case correct:
		return Right
	case n - 1:
		return Skipped
	}
	return Wrong
}

// rate is how an answer is rated for FSRS: Again unless right; Good, or Easy when a mature card
// was known within FastAnswer.
func rate(prev CardState, result Result, took time.Duration) fsrs.Rating {
	if result != Right {
		return fsrs.Again
	}
	if prev.Mature() && took <= FastAnswer {
		return fsrs.Easy
	}
	return fsrs.Good
}

// review is the learner's state of card after an answer rated r at now. The scheduler's fuzz is
// seeded by the learner, the card and its review count, so a retried write schedules the same.
func review(sched *fsrs.Scheduler, user, card string, prev CardState, r fsrs.Rating, now time.Time) CardState {
	seed := mix("fuzz", user, card, strconv.Itoa(prev.Reps))
	next := CardState{
		Card:   sched.Review(prev.Card, r, now, mrand.New(mrand.NewPCG(seed, seed>>1|1))),
		Reps:   prev.Reps + 1,
		Lapses: prev.Lapses,
	}
	if prev.State == fsrs.Review && r == fsrs.Again {
		next.Lapses++
	}
	return next
}

// count adds an answer to card at now to the learner's counters and daily streak (UTC days).
func (p *Progress) count(card string, right bool, now time.Time, loc *time.Location) {
	if right {
		p.Correct++
	}
	p.Answered++
	p.LastCard = card
	// Days are the learner's own; after a move west "today" can be the day already counted.
	today := Day(now, loc)
	switch {
	case p.LastDay >= today:
	case p.LastDay == today-1:
		p.Streak++
	default:
		p.Streak = 1
	}
	p.LastDay = max(p.LastDay, today)
	p.BestStreak = max(p.BestStreak, p.Streak)
}
