package quiz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

// Challenges runs group challenges. The state of each lives in a ChallengeStore; a press costs
// one store round trip; when a question closes, every answer to it becomes a review in the
// player's own record through the Engine. Every change of state is a compare-and-set on the
// challenge's version, so replicas never move one challenge on twice; the caller (the core's
// runner) also holds a claim on the chat while it acts, so they do not even try.
type Challenges struct {
	e     *Engine
	store ChallengeStore
	// workers bounds how many players' reviews are written at once when a question closes.
	workers int
}

// NewChallenges runs challenges on store, grading answers into learners' records through e.
func NewChallenges(e *Engine, store ChallengeStore) *Challenges {
	return &Challenges{e: e, store: store, workers: 16}
}

// Bank returns the cards challenges draw from.
func (cs *Challenges) Bank() *Bank { return cs.e.bank }

// ChallengeSpec is what /challenge asks for.
type ChallengeSpec struct {
	Platform string
	ChatID   string
	Chat     string // chat key
	Starter  User
	Scope    Scope
	// Questions and Seconds are checked against the bounds; 0 means the default.
	Questions, Seconds int
	Lang               content.Lang
}

// ErrChallengeBounds is a challenge asked for with too many questions or a time outside the
// bounds.
var ErrChallengeBounds = errors.New("quiz: challenge size or time out of bounds")

// RunningError says a chat already has a challenge, which it carries.
type RunningError struct{ Challenge *Challenge }

func (e *RunningError) Error() string { return "quiz: a challenge is running in " + e.Challenge.Chat }

// Start creates the chat's challenge: its questions drawn from the scope, the first to open
// ChallengeLead from now. A chat with a challenge already gets a *RunningError.
func (cs *Challenges) Start(ctx context.Context, spec ChallengeSpec, now time.Time) (*Challenge, error) {
	n, secs := spec.Questions, spec.Seconds
	if n == 0 {
		n = DefaultChallengeQuestions
	}
	if secs == 0 {
		secs = DefaultChallengeSeconds
	}
	if n < 1 || n > MaxChallengeQuestions || secs < MinChallengeSeconds || secs > MaxChallengeSeconds {
		return nil, ErrChallengeBounds
	}
	c := &Challenge{
		ID: newRoundID(), Chat: spec.Chat, Platform: spec.Platform, ChatID: spec.ChatID, Lang: spec.Lang,
		Starter: spec.Starter.Key, ByName: spec.Starter.Name, Scope: spec.Scope.String(), Seconds: secs,
		Started: now.UnixMilli(), Phase: PhaseReady, Next: now.Add(ChallengeLead).UnixMilli(),
	}
	c.Cards = cs.pick(c.ID, spec.Scope, n)
	if len(c.Cards) == 0 {
		return nil, &NothingDueError{}
	}
	err := cs.save(ctx, c)
	if errors.Is(err, ErrConflict) {
		cur, lerr := cs.Load(ctx, spec.Chat)
		switch {
		case errors.Is(lerr, ErrCorrupt):
			// Unreadable: it can run no further. It gives way, and the new one starts.
			if lerr = cs.Discard(ctx, ChallengeDue{Chat: spec.Chat}); lerr == nil {
				err = cs.save(ctx, c)
			}
			if lerr != nil {
				return nil, lerr
			}
			return c, err
		case lerr != nil:
			return nil, lerr
		case cur == nil: // it ended in between
			return nil, ErrBusy
		}
		return nil, &RunningError{Challenge: cur}
	}
	return c, err
}

// pick draws n cards of the scope for challenge id: a random order of the challenge's own,
// introductory kinds first and one card per entry while others remain, as a new learner's round
// would be planned.
func (cs *Challenges) pick(id string, scope Scope, n int) []string {
	cards := pickNew("challenge:"+id, cs.e.bank.In(scope), n, nil)
	seed := mix("challenge-order", id)
	rng := mrand.New(mrand.NewPCG(seed, seed>>1|1))
	rng.Shuffle(len(cards), func(i, j int) { cards[i], cards[j] = cards[j], cards[i] })
	out := make([]string, len(cards))
	for i, c := range cards {
		out[i] = c.ID
	}
	return out
}

// Load returns the chat's challenge, or nil when it has none.
func (cs *Challenges) Load(ctx context.Context, chat string) (*Challenge, error) {
	rec, err := cs.store.LoadChallenge(ctx, chat)
	if err != nil || rec.Version == 0 {
		return nil, err
	}
	c, err := DecodeChallenge(rec.State)
	if err != nil {
		return nil, fmt.Errorf("%w: challenge of %s: %w", ErrCorrupt, chat, err)
	}
	c.version, c.Answers = rec.Version, rec.Answers
	return c, nil
}

// Question returns the challenge's question at c.Pos, or nil when there is none (the challenge
// is over, or the card was retired from the content since the challenge started).
func (cs *Challenges) Question(c *Challenge) *ChallengeQuestion {
	return cs.questionAt(c, c.Pos)
}

func (cs *Challenges) questionAt(c *Challenge, pos int) *ChallengeQuestion {
	if pos < 0 || pos >= len(c.Cards) {
		return nil
	}
	card := cs.e.bank.Card(c.Cards[pos])
	if card == nil {
		return nil
	}
	ch, correct := order(card, "challenge", c.ID, pos)
	return &ChallengeQuestion{
		Card: card, Choices: append(ch, DontKnow), Correct: correct, Number: pos + 1, Total: len(c.Cards),
		Scope: ParseScope(c.Scope), id: c.ID, pos: pos,
	}
}

// Press records a player's answer from button data: one store round trip. Data that is not a
// challenge button's returns ErrBadChoice.
func (cs *Challenges) Press(ctx context.Context, chat string, u User, data string, now time.Time) (PressResult, error) {
	id, pos, choice, ok := parseChallengeChoice(data)
	if !ok {
		return PressClosed, ErrBadChoice
	}
	return cs.store.Press(ctx, chat, Press{Challenge: id, Pos: pos, User: u.Key, Name: u.Name, Choice: choice, At: now})
}

// Due lists chats whose challenge needs the runner by now.
func (cs *Challenges) Due(ctx context.Context, now time.Time, limit int) ([]ChallengeDue, error) {
	return cs.store.DueChallenges(ctx, now, limit)
}

// Forget drops an index entry whose chat has no challenge any more.
func (cs *Challenges) Forget(ctx context.Context, d ChallengeDue) error {
	return cs.store.EndChallenge(ctx, d.Chat, "", d.At)
}

// Discard ends a chat's challenge whose state cannot be decoded (Load returned ErrCorrupt: a bug,
// or a format this release does not read), so that it holds the chat no longer.
func (cs *Challenges) Discard(ctx context.Context, d ChallengeDue) error {
	rec, err := cs.store.LoadChallenge(ctx, d.Chat)
	if err != nil || rec.Version == 0 {
		return err
	}
	var head struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(rec.State, &head) != nil || head.ID == "" {
		return fmt.Errorf("%w: challenge of %s: no id to end it by", ErrCorrupt, d.Chat)
	}
	return cs.store.EndChallenge(ctx, d.Chat, head.ID, d.At)
}

// save writes c as a compare-and-set on the version it was read at, and moves that on.
func (cs *Challenges) save(ctx context.Context, c *Challenge) error {
	w := ChallengeWrite{Expect: c.version, State: EncodeChallenge(c), ID: c.ID, Open: -1, Due: c.Due()}
	if c.Phase == PhaseOpen {
		w.Open, w.Until = c.Pos, time.UnixMilli(c.Deadline)
	}
	v, err := cs.store.SaveChallenge(ctx, c.Chat, w)
	if err != nil {
		return err
	}
	c.version = v
	return nil
}

// update applies f to c and saves the result; after a conflict it reloads and applies f again,
// so f must decide from the state it is given. f reports false to write nothing. The challenge
// as stored afterwards is returned; nil when it has ended.
func (cs *Challenges) update(ctx context.Context, c *Challenge, f func(c *Challenge) (bool, error)) (*Challenge, error) {
	for range 3 {
		cur := c.clone()
		write, err := f(cur)
		if err != nil || !write {
			return c, err
		}
		err = cs.save(ctx, cur)
		if err == nil {
			return cur, nil
		}
		if !errors.Is(err, ErrConflict) {
			return c, err
		}
		if c, err = cs.Load(ctx, c.Chat); err != nil || c == nil {
			return nil, err
		}
	}
	return c, ErrBusy
}

func (c *Challenge) clone() *Challenge {
	d := *c
	d.Cards = slices.Clone(c.Cards)
	d.Players = slices.Clone(c.Players)
	if c.Last != nil {
		l := *c.Last
		l.Right = slices.Clone(l.Right)
		d.Last = &l
	}
	return &d
}

// Open opens the next question when it is due: from now it takes answers for Seconds. Questions
// whose card was retired since the challenge started are skipped; with none left the
// challenge is over.
func (cs *Challenges) Open(ctx context.Context, c *Challenge, now time.Time) (*Challenge, error) {
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Action(now) != ActOpen {
			return false, nil
		}
		for c.Pos < len(c.Cards) && cs.e.bank.Card(c.Cards[c.Pos]) == nil {
			c.Pos++
		}
		if c.Pos == len(c.Cards) {
			c.Phase, c.Next = PhaseOver, now.UnixMilli()
			return true, nil
		}
		ms := now.UnixMilli()
		c.Phase, c.Opened, c.Deadline = PhaseOpen, ms, ms+int64(c.Seconds)*1000
		c.Next, c.Message, c.Shown, c.Answers = ms, "", 0, 0
		return true, nil
	})
}

// Posted records the message the open question was posted as.
func (cs *Challenges) Posted(ctx context.Context, c *Challenge, ref string, now time.Time) (*Challenge, error) {
	pos := c.Pos
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Phase != PhaseOpen || c.Pos != pos {
			return false, nil
		}
		c.Message, c.Next = ref, now.Add(ChallengeCountEvery).UnixMilli()
		return true, nil
	})
}

// Counted records that the open question's message now shows answers answers, and when to look
// again.
func (cs *Challenges) Counted(ctx context.Context, c *Challenge, answers int, now time.Time) (*Challenge, error) {
	pos := c.Pos
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Phase != PhaseOpen || c.Pos != pos {
			return false, nil
		}
		c.Shown, c.Next = answers, now.Add(ChallengeCountEvery).UnixMilli()
		return true, nil
	})
}

// Reschedule writes c again unchanged, which puts its index entry back where its state says:
// after a visit that found nothing due.
func (cs *Challenges) Reschedule(ctx context.Context, c *Challenge) (*Challenge, error) {
	return cs.update(ctx, c, func(*Challenge) (bool, error) { return true, nil })
}

// Stop ends the challenge early at the request of by (a display name): an open question closes
// with its results, then the final results follow. It returns the challenge as stopped, or as it
// was when it had stopped already.
func (cs *Challenges) Stop(ctx context.Context, c *Challenge, by string, now time.Time) (*Challenge, error) {
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Stopped != "" || c.Phase == PhaseOver {
			return false, nil
		}
		c.Stopped, c.Next = by, now.UnixMilli()
		if c.Phase == PhaseReady {
			c.Phase = PhaseOver
		}
		return true, nil
	})
}

// Close closes the open question: no answer is taken after this; each answer becomes a review
// in its player's own record (idempotently: a close run again after a crash changes no record
// twice) and the players' points; the results wait to be announced. It is an error of the
// store when a review could not be written; the close can then be run again.
func (cs *Challenges) Close(ctx context.Context, c *Challenge, now time.Time) (*Challenge, error) {
	if c.Phase != PhaseOpen {
		return c, nil
	}
	presses, err := cs.store.ClosePresses(ctx, c.Chat, c.ID, c.Pos)
	if err != nil {
		return c, err
	}
	q := cs.Question(c)
	graded, err := cs.grade(ctx, c, q, presses)
	if err != nil {
		return c, err
	}
	pos, opened := c.Pos, c.Opened
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Phase != PhaseOpen || c.Pos != pos || c.Opened != opened {
			return false, nil // closed already
		}
		res := &QuestionResult{Pos: pos, Message: c.Message}
		if q != nil {
			res.Card = q.Card.ID
		}
		for _, g := range graded {
			res.Answered++
			i := slices.IndexFunc(c.Players, func(p Player) bool { return p.User == g.user })
			if i < 0 {
				c.Players = append(c.Players, Player{User: g.user})
				i = len(c.Players) - 1
			}
			p := &c.Players[i]
			p.Name = g.name
			p.Answered++
			if g.result == Right {
				res.RightCount++
				p.Right++
				p.Points += g.points
				p.Time += g.took.Milliseconds()
				if len(res.Right) < MaxListedRight {
					res.Right = append(res.Right, Hit{Name: g.name, Took: g.took.Milliseconds(), Points: g.points})
				}
			}
		}
		c.Last = res
		c.Pos++
		c.Message, c.Shown, c.Answers = "", 0, 0
		c.Phase, c.Next = PhaseReady, now.Add(ChallengeGap).UnixMilli()
		late := now.Sub(time.UnixMilli(c.Deadline)) > ChallengeAbandoned
		if c.Pos >= len(c.Cards) || c.Stopped != "" || late {
			c.Phase, c.Next, c.Interrupted = PhaseOver, now.UnixMilli(), late && c.Stopped == ""
		}
		return true, nil
	})
}

// Announced records that the latest question's results are shown, in the message ref.
func (cs *Challenges) Announced(ctx context.Context, c *Challenge, ref string, now time.Time) (*Challenge, error) {
	if c.Last == nil {
		return c, nil
	}
	pos := c.Last.Pos
	return cs.update(ctx, c, func(c *Challenge) (bool, error) {
		if c.Last == nil || c.Last.Pos != pos || c.Last.Announced {
			return false, nil
		}
		c.Last.Announced, c.Last.Message = true, ref
		if c.Phase == PhaseReady {
			c.Next = max(c.Next, now.Add(ChallengeGap).UnixMilli())
		}
		return true, nil
	})
}

// End deletes the finished challenge with its answers; its chat may start another.
func (cs *Challenges) End(ctx context.Context, c *Challenge) error {
	return cs.store.EndChallenge(ctx, c.Chat, c.ID, c.Due())
}

// graded is one answer as its question closed.
type graded struct {
	user, name string
	result     Result
	took       time.Duration
	points     int
}

// grade reviews every answer to q in its player's record, several players at a time, and
// returns the answers fastest first with the points they earned. Answers naming no choice of q
// are left out; so is everything when the card was retired.
func (cs *Challenges) grade(ctx context.Context, c *Challenge, q *ChallengeQuestion, presses []Press) ([]graded, error) {
	if q == nil {
		return nil, nil
	}
	slices.SortFunc(presses, func(a, b Press) int {
		if d := a.At.Compare(b.At); d != 0 {
			return d
		}
		return strings.Compare(a.User, b.User)
	})
	presses = slices.DeleteFunc(presses, func(p Press) bool { return p.Choice < 0 || p.Choice >= len(q.Choices) })
	window := time.Duration(c.Seconds) * time.Second
	out := make([]graded, len(presses))
	errs := make([]error, len(presses))
	var wg sync.WaitGroup
	sem := make(chan struct{}, cs.workers)
	for i, p := range presses {
		took := min(max(p.At.Sub(time.UnixMilli(c.Opened)), 0), window)
		result := resultOf(p.Choice, q.Correct, len(q.Choices))
		out[i] = graded{user: p.User, name: p.Name, result: result, took: took}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a := challengeAnswer{key: c.ID + "." + strconv.Itoa(q.pos), card: q.Card, result: result, at: p.At, took: took, chat: c.Chat}
			u := User{Key: p.User, Name: p.Name, Chat: c.Chat, Group: true}
			difficulty, err := cs.e.reviewChallenge(ctx, u, a)
			if errors.Is(err, ErrBusy) {
				difficulty, err = cs.e.reviewChallenge(ctx, u, a)
			}
			switch {
			case errors.Is(err, ErrCorrupt), errors.Is(err, ErrBusy):
				// The player's record cannot take the review now: the answer still scores, at
				// the easiest card's rate.
				difficulty, err = 1, nil
			case err != nil:
				errs[i] = err
			}
			if result == Right {
				out[i].points = ChallengePoints(took, window, difficulty)
			}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// challengeAnswer is one player's answer to a challenge question, reviewed as its question
// closes.
type challengeAnswer struct {
	key    string // "<challenge id>.<pos>"
	card   *Card
	result Result
	at     time.Time // when the player answered
	took   time.Duration
	chat   string
}

// maxAppliedChallenges is how many challenge answers a record remembers having taken: far more
// than a close can be retried over.
const maxAppliedChallenges = 16

// reviewChallenge records a challenge answer in the player's own record, as an answer in a
// private round would be: the card's new FSRS state (Easy when a mature card was known within
// FastAnswer), the review in the history, the counters and streak, and for a right answer the
// chat's weekly leaderboard credited with the card's difficulty. It returns that difficulty
// (Points). A record that has the answer already is not changed again and returns the
// difficulty recorded then.
func (e *Engine) reviewChallenge(ctx context.Context, u User, a challengeAnswer) (int, error) {
	defer e.lock(u.Key)()
	var difficulty int
	err := e.update(ctx, u.Key, a.at, true, func(rec Record, p *Progress) (*Write, error) {
		if d, ok := applied(p.Challenges, a.key); ok {
			difficulty = d
			return nil, nil
		}
		var prev CardState
		if b := rec.Cards[a.card.ID]; b != nil {
			prev, _ = UnpackState(b)
		}
		sched, _ := e.scheduler(ctx, rec.Params, a.at)
		rating := rate(prev, a.result, a.took)
		next := review(sched, u.Key, a.card.ID, prev, rating, a.at)
		p.count(a.card.ID, a.result == Right, a.at, nil)
		difficulty = Points(next)
		p.Challenges = append(p.Challenges, a.key+":"+strconv.Itoa(difficulty))
		if n := len(p.Challenges); n > maxAppliedChallenges {
			p.Challenges = p.Challenges[n-maxAppliedChallenges:]
		}
		// A round in play that still has the card to come starts from the new state.
		if r := p.Round; r != nil {
			for i := r.Pos; i < len(r.Items); i++ {
				if it := &r.Items[i]; it.Card == a.card.ID && it.Result == Pending {
					it.Prev = PackState(next)
				}
			}
		}
		w := &Write{
			Cards:  map[string][]byte{a.card.ID: PackState(next)},
			Review: PackReview(Review{Card: a.card.ID, Time: a.at, Rating: rating, Duration: a.took}),
		}
		if a.result == Right {
			b := Board{Chat: a.chat, Week: Week(a.at)}
			w.Credit = &Credit{Board: b, Answer: u.Key + ":challenge:" + a.key, User: u.Key, Name: u.Name, Points: difficulty}
			p.Boards = addBoard(p.Boards, b, a.at)
		}
		return w, nil
	})
	return difficulty, err
}

// applied finds key among a record's applied challenge answers and returns the difficulty it
// earned.
func applied(list []string, key string) (int, bool) {
	for _, s := range list {
		if k, d, ok := strings.Cut(s, ":"); ok && k == key {
			n, err := strconv.Atoi(d)
			return n, err == nil
		}
	}
	return 0, false
}
