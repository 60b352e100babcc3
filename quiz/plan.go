package quiz

import (
	"slices"
	"time"
)

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
// basic kinds first and at most one card per entry while others are available; never two cards
// testing the same fact. It also returns when the earliest card in scope falls due, for the
// "nothing due" reply.
func (e *Engine) plan(user string, scope Scope, states map[string]CardState, n int, review bool, now time.Time) ([]Item, time.Time) {
	picked, next := e.bank.plan(user, scope, states, n, review, now)
	items := make([]Item, len(picked))
	for i, c := range picked {
		items[i] = Item{Card: c.ID}
		if s, ok := states[c.ID]; ok && s.Seen() {
			items[i].Prev = PackState(s)
		}
	}
	return items, next
}

// Plan returns the cards a round of n questions in scope would ask a learner who has seen none of
// them yet, in order: the same choice a first /quiz makes. Reviewers and tests use it to see rounds
// without a store.
func (b *Bank) Plan(user string, scope Scope, n int) []*Card {
	picked, _ := b.plan(user, scope, nil, n, false, time.Time{})
	return picked
}

func (b *Bank) plan(user string, scope Scope, states map[string]CardState, n int, review bool, now time.Time) ([]*Card, time.Time) {
	var due, fresh []*Card
	var next time.Time
	for _, c := range b.In(scope) {
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
	// A round asks each fact once: of two due cards testing one fact, the more overdue is asked and
	// the other waits for a later round.
	facts := map[string]bool{}
	picked := due[:0:0]
	for _, c := range due {
		if !facts[c.Fact] {
			facts[c.Fact] = true
			picked = append(picked, c)
		}
	}
	if !review {
		picked = append(picked, pickNew(user, fresh, n-min(n, len(picked)), picked)...)
	}
	if len(picked) > n {
		picked = picked[:n]
	}
	return picked, next
}

// pickNew takes up to n new cards for the learner: basic kinds first (kindOrder), in an order of
// the learner's own within a kind, and at most one card per entry (counting those already taken)
// while cards of other entries remain, so a round tours several entries instead of drilling one.
// A card whose fact a taken card already tests is never picked: one fact, one question a round.
// Kinds are sorted only as far as the round needs them: planning must stay cheap next to answering.
func pickNew(user string, fresh []*Card, n int, taken []*Card) []*Card {
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
	seen, facts := map[string]bool{}, map[string]bool{}
	for _, c := range taken {
		seen[c.Entry] = true
		facts[c.Fact] = true
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
			if facts[k.c.Fact] {
				continue
			}
			if seen[k.c.Entry] {
				rest = append(rest, k.c)
				continue
			}
			seen[k.c.Entry] = true
			facts[k.c.Fact] = true
			out = append(out, k.c)
		}
	}
	for _, c := range rest {
		if len(out) == n {
			break
		}
		if !facts[c.Fact] {
			facts[c.Fact] = true
			out = append(out, c)
		}
	}
	return out
}
