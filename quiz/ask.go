package quiz

import (
	"context"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

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

// question builds the current question of r, skipping cards retired from the content since the round
// was planned. It returns nil when no question is left.
func (e *Engine) question(user string, r *Round) *Question {
	for ; r.Pos < len(r.Items); r.Pos++ {
		it := r.Items[r.Pos]
		c := e.bank.Card(it.Card)
		if c == nil {
			continue
		}
		choices, correct := shuffled(c, user, r, r.Pos)
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

// shuffled orders a card's choices for the ask at pos of round r. The order is a function of the
// learner, the card, the round and the position, so a retried request shows the same order, while
// each new ask of a card gets a fresh one; a missed card asked again within the round never keeps
// its answer where it was. True/false keeps True first.
func shuffled(c *Card, user string, r *Round, pos int) ([]content.Text, int) {
	ch, correct := order(c, user, r.ID, pos)
	if r.Items[pos].Repeat {
		for i := range pos {
			if r.Items[i].Card == c.ID && !r.Items[i].Repeat {
				if _, before := order(c, user, r.ID, i); before == correct && len(ch) > 2 {
					next := (correct + 1) % len(ch)
					ch[correct], ch[next] = ch[next], ch[correct]
					correct = next
				}
				break
			}
		}
	}
	return append(ch, DontKnow), correct
}

// order is one ask's order of c's choices, without "I don't know", and the right answer's index.
func order(c *Card, user, round string, pos int) ([]content.Text, int) {
	ch := slices.Clone(c.Choices)
	if c.Kind == KindTrue || c.Kind == KindFalse {
		if ch[0] == falseText {
			ch[0], ch[1] = ch[1], ch[0]
			return ch, 1
		}
		return ch, 0
	}
	seed := mix("shuffle", c.ID, user, round, strconv.Itoa(pos))
	rng := mrand.New(mrand.NewPCG(seed, seed>>1|1))
	out := make([]content.Text, len(ch))
	correct := 0
	for i, j := range rng.Perm(len(ch)) {
		out[j] = ch[i]
		if i == 0 {
			correct = j
		}
	}
	return out, correct
}

// Current returns the question in play, or nil when there is none. It reads the learner's record
// fresh, since the round may have moved on another replica.
func (e *Engine) Current(ctx context.Context, user string, now time.Time) (*Question, error) {
	_, _, p, err := e.load(ctx, user, false, now)
	if err != nil || p.Round == nil {
		return nil, err
	}
	return e.question(user, p.Round), nil
}
