package quiz

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Round sizes.
const (
	DefaultRoundSize = 5
	MaxRoundSize     = 20
)

// FastAnswer is how quickly a right answer must come for a mature card to be rated Easy rather
// than Good: knowing a long-learnt card at a glance means its interval can grow faster.
const FastAnswer = 8 * time.Second

// Question is a question ready to show: the card, its choices in this learner's order with
// "I don't know" last, and the token that answers must carry.
type Question struct {
	Token   string
	Card    *Card
	Choices []content.Text
	Correct int // index into Choices
	Number  int // 1-based position among the round's planned questions; 0 for a missed card asked again
	Total   int // planned questions, not counting missed cards asked again
	Scope   Scope
	Repeat  bool // a missed card asked once more
}

// DontKnow is the last choice of every question: graded as a miss, so nobody has to guess.
var DontKnow = content.Text{EN: "I don't know", ZH: "我不知道"}

// ChoiceData is what a button for choice i of q carries back: the question token and the index.
// It is at most 24 bytes, well within Telegram's 64-byte callback data.
func ChoiceData(q *Question, i int) string { return q.Token + ":" + strconv.Itoa(i) }

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

// Step is what an action produces: feedback on an answer, then either the next question or the
// round's summary.
type Step struct {
	Feedback *Feedback
	Question *Question
	Summary  *Summary
}

// token layout: <user hash 4>.<round id>.<position>
func userTag(user string) string {
	h := mix("user", user)
	return base64.RawURLEncoding.EncodeToString([]byte{byte(h >> 16), byte(h >> 8), byte(h)})
}

func makeToken(user string, r *Round, pos int) string {
	return userTag(user) + "." + r.ID + "." + strconv.Itoa(pos)
}

// parseChoice splits choice data into its token parts and the chosen index.
func parseChoice(data string) (tag, round string, pos, choice int, ok bool) {
	parts := strings.Split(data, ":")
	if len(parts) != 2 {
		return "", "", 0, 0, false
	}
	t := strings.Split(parts[0], ".")
	if len(t) != 3 {
		return "", "", 0, 0, false
	}
	pos, err1 := strconv.Atoi(t[2])
	choice, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || pos < 0 || choice < 0 {
		return "", "", 0, 0, false
	}
	return t[0], t[1], pos, choice, true
}

func newRoundID() string {
	var b [6]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])[:6]
}

// Start begins a round of n questions (DefaultRoundSize when n is 0) in scope: due reviews first,
// then new cards. A round already in play is replaced. It returns the first question, or a
// NothingDueError.
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
		r := &Round{
			ID: newRoundID(), Scope: scope.String(), Chat: u.Chat, Group: u.Group, Review: review,
			Items: items, Shown: now.UnixMilli(), Started: now.UnixMilli(),
			OtherDue: earliestDue(states, items),
		}
		p.Round = r
		step = Step{Question: e.question(u.Key, r)}
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

func decodeStates(raw map[string][]byte) map[string]CardState {
	out := make(map[string]CardState, len(raw))
	for id, b := range raw {
		if s, err := UnpackState(b); err == nil {
			out[id] = s
		}
	}
	return out
}

// kindOrder introduces an entry before quizzing its details: what it is and what it is for first.
var kindOrder = map[Kind]int{
	KindIdentify: 0, KindPurpose: 0,
	KindWhich: 1, KindQuestion: 1, KindStatus: 1,
	KindTrue: 2, KindFalse: 2, KindFact: 2,
}

// plan picks a round's cards: those due, most overdue first, then (unless review) new cards,
// basic kinds first and at most one card per entry while others are available. It also returns when
// the earliest card in scope falls due, for the "nothing due" reply.
func (e *Engine) plan(user string, scope Scope, states map[string]CardState, n int, review bool, now time.Time) ([]Item, time.Time) {
	var due, fresh []*Card
	var next time.Time
	for _, c := range e.bank.In(scope) {
		s, seen := states[c.ID]
		switch {
		case !seen || !s.Seen():
			fresh = append(fresh, c)
		case !s.Due.After(now):
			due = append(due, c)
		case next.IsZero() || s.Due.Before(next):
			next = s.Due
		}
	}
	slices.SortStableFunc(due, func(a, b *Card) int { return states[a.ID].Due.Compare(states[b.ID].Due) })
	picked := due
	if !review {
		picked = append(picked, e.pickNew(user, fresh, n-min(n, len(due)), due)...)
	}
	if len(picked) > n {
		picked = picked[:n]
	}
	items := make([]Item, len(picked))
	for i, c := range picked {
		items[i] = Item{Card: c.ID}
		if s, ok := states[c.ID]; ok && s.Seen() {
			items[i].Prev = PackState(s)
		}
	}
	return items, next
}

// pickNew takes up to n new cards for the learner: basic kinds first (kindOrder), in an order of
// the learner's own within a kind, and at most one card per entry (counting those already taken)
// while cards of other entries remain, so a round tours several entries instead of drilling one.
// Kinds are sorted only as far as the round needs them: planning must stay cheap next to answering.
func (e *Engine) pickNew(user string, fresh []*Card, n int, taken []*Card) []*Card {
	if n <= 0 {
		return nil
	}
	type keyed struct {
		c *Card
		h uint64
	}
	tiers := make([][]keyed, 3)
	for _, c := range fresh {
		o := kindOrder[c.Kind]
		tiers[o] = append(tiers[o], keyed{c, mix(user, c.ID)})
	}
	seen := map[string]bool{}
	for _, c := range taken {
		seen[c.Entry] = true
	}
	var out, rest []*Card
	for _, tier := range tiers {
		if len(out) == n {
			break
		}
		slices.SortFunc(tier, func(a, b keyed) int { return byHash(a.h, b.h, a.c.ID, b.c.ID) })
		for _, k := range tier {
			if len(out) == n {
				break
			}
			if seen[k.c.Entry] {
				rest = append(rest, k.c)
				continue
			}
			seen[k.c.Entry] = true
			out = append(out, k.c)
		}
	}
	for _, c := range rest {
		if len(out) == n {
			break
		}
		out = append(out, c)
	}
	return out
}

// question builds the current question of r, skipping cards retired from the content since the round
// was planned. It returns nil when no question is left.
func (e *Engine) question(user string, r *Round) *Question {
	for ; r.Pos < len(r.Items); r.Pos++ {
		it := r.Items[r.Pos]
		c := e.bank.Card(it.Card)
		if c == nil {
			continue
		}
		choices, correct := shuffled(c, user)
		q := &Question{
			Token: makeToken(user, r, r.Pos), Card: c, Choices: choices, Correct: correct,
			Scope: ParseScope(r.Scope), Repeat: it.Repeat,
		}
		for i, other := range r.Items {
			if other.Repeat {
				continue
			}
			q.Total++
			if i <= r.Pos && !it.Repeat {
				q.Number++
			}
		}
		return q
	}
	return nil
}

// shuffled orders a card's choices for one learner: stable per (card, learner), so a question shown
// again keeps its order, and different between learners. True/false keeps True first.
func shuffled(c *Card, user string) ([]content.Text, int) {
	ch := slices.Clone(c.Choices)
	correct := 0
	if c.Kind == KindTrue || c.Kind == KindFalse {
		if ch[0] == falseText {
			ch[0], ch[1] = ch[1], ch[0]
			correct = 1
		}
	} else {
		seed := mix("shuffle", c.ID, user)
		rng := mrand.New(mrand.NewPCG(seed, seed>>1|1))
		perm := rng.Perm(len(ch))
		out := make([]content.Text, len(ch))
		for i, j := range perm {
			out[j] = ch[i]
			if i == 0 {
				correct = j
			}
		}
		ch = out
	}
	return append(ch, DontKnow), correct
}

// Current returns the question in play, or nil when there is none.
func (e *Engine) Current(ctx context.Context, user string, now time.Time) (*Question, error) {
	_, p, err := e.progress(ctx, user, now)
	if err != nil || p.Round == nil {
		return nil, err
	}
	return e.question(user, p.Round), nil
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

// Points is what a right answer earns on a chat's leaderboard: the card's difficulty after the
// review, rounded, from 1 to 10, so hard cards are worth more.
func Points(s CardState) int { return max(1, int(math.Round(s.Difficulty))) }

// Week is the ISO week leaderboards count in ("2026-W48", UTC).
func Week(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func boardKey(b Board) string { return b.Chat + "|" + b.Week }

func parseBoard(s string) Board {
	i := strings.LastIndexByte(s, '|')
	if i < 0 {
		return Board{Chat: s}
	}
	return Board{Chat: s[:i], Week: s[i+1:]}
}

// addBoard remembers a leaderboard the learner has points on (for /forget), keeping only recent
// weeks: boards expire from the store after a few weeks anyway.
func addBoard(boards []string, b Board, now time.Time) []string {
	k := boardKey(b)
	if slices.Contains(boards, k) {
		return boards
	}
	boards = append(boards, k)
	if len(boards) > 16 {
		boards = boards[len(boards)-16:]
	}
	return boards
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
		sum = Summary{
			Scope: ParseScope(r.Scope), Right: r.Right, Wrong: r.Wrong, New: r.New, Streak: p.Streak,
			NextDue: r.nextDue(), Stopped: true,
		}
		p.Round = nil
		return &Write{}, nil
	})
	return sum, err
}
