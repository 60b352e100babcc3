package quiz

import (
	"context"
	mrand "math/rand/v2"
	"slices"
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
