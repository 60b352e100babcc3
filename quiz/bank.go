package quiz

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// Bank is every card generated from one knowledge base. It is read-only after NewBank and safe for
// concurrent use.
type Bank struct {
	kb    *content.KB
	cards []*Card
	byID  map[string]*Card
}

// NewBank generates the cards of kb. Problems are facts that could not make a sound card; they do not
// stop the bank from working (the card is simply left out) but `bot lint` reports them. An error
// means two cards' ids collide, which would mix up learners' progress, so the bank is refused.
func NewBank(kb *content.KB) (*Bank, []Problem, error) {
	g := newGenerator(kb)
	g.generate()
	b := &Bank{kb: kb, cards: g.cards, byID: make(map[string]*Card, len(g.cards))}
	for _, c := range g.cards {
		if prev, dup := b.byID[c.ID]; dup {
			return nil, g.problems, fmt.Errorf("quiz: card id %s of %s/%s/%s collides with %s/%s/%s",
				c.ID, c.Entry, c.Key, c.Kind, prev.Entry, prev.Key, prev.Kind)
		}
		b.byID[c.ID] = c
	}
	return b, g.problems, nil
}

// Card returns the card with the given id, or nil: a card whose fact was removed from the content is
// retired, and callers skip it.
func (b *Bank) Card(id string) *Card { return b.byID[id] }

// Cards returns every card in generation order. The slice is shared: do not modify it.
func (b *Bank) Cards() []*Card { return b.cards }

// Content returns the knowledge base the bank was generated from.
func (b *Bank) Content() *content.KB { return b.kb }

// TopicAll is the pseudo-topic holding every card.
const TopicAll = "all"

// Scope is what a round draws cards from: a topic, one entry, or everything.
type Scope struct {
	Topic string // a topic id, or TopicAll; empty when Entry is set
	Entry string // an entry id
}

// String is the scope's stable name, stored with a round.
func (s Scope) String() string {
	if s.Entry != "" {
		return "entry:" + s.Entry
	}
	return s.Topic
}

// ParseScope reverses Scope.String.
func ParseScope(s string) Scope {
	if id, ok := strings.CutPrefix(s, "entry:"); ok {
		return Scope{Entry: id}
	}
	return Scope{Topic: s}
}

// Name is the scope's name in lang, for headings.
func (b *Bank) ScopeName(s Scope, lang content.Lang) string {
	switch {
	case s.Entry != "":
		if e, ok := b.kb.Entry(s.Entry); ok {
			return e.DisplayName(lang)
		}
		return s.Entry
	case s.Topic == TopicAll:
		return content.Text{EN: "All topics", ZH: "全部主题"}.In(lang)
	}
	if t, ok := b.kb.Topic(s.Topic); ok {
		return t.Name.In(lang)
	}
	return s.Topic
}

// allNames are the words that mean "every topic".
var allNames = []string{"all", "everything", "any", "全部", "所有", "全部主题", "所有主题", "随便"}

// ResolveScope finds what a user means by a quiz topic: "all", a topic by id, name or alias in
// either language (typos forgiven), or an entry by name ("/quiz pandas"). ok is false when nothing
// matches.
func (b *Bank) ResolveScope(name string) (Scope, bool) {
	n := content.Normalize(name)
	for _, a := range allNames {
		if n == content.Normalize(a) {
			return Scope{Topic: TopicAll}, true
		}
	}
	// An exact entry name wins over a topic; a topic wins over a typo-corrected entry name.
	m := b.kb.Lookup(name)
	hasCards := m.Entry != nil && len(b.In(Scope{Entry: m.Entry.ID})) > 0
	if hasCards && m.Kind == content.ExactMatch {
		return Scope{Entry: m.Entry.ID}, true
	}
	if t, ok := b.kb.ResolveTopic(name); ok {
		return Scope{Topic: t.ID}, true
	}
	if hasCards {
		return Scope{Entry: m.Entry.ID}, true
	}
	return Scope{}, false
}

// In returns the cards of the scope, in generation order. An entry's scope leaves out the cards
// whose answer is that entry ("which library is this?"): in a round about pandas, "pandas" answers
// them all.
func (b *Bank) In(s Scope) []*Card {
	var out []*Card
	for _, c := range b.cards {
		switch {
		case s.Entry != "":
			if c.Entry == s.Entry && c.AnswerEntry != s.Entry {
				out = append(out, c)
			}
		case s.Topic == TopicAll || c.InTopic(s.Topic):
			out = append(out, c)
		}
	}
	return out
}

// Topics returns the ids of topics that have cards, in the content's order.
func (b *Bank) Topics() []string {
	var out []string
	for _, t := range b.kb.Topics() {
		if slices.ContainsFunc(b.cards, func(c *Card) bool { return c.InTopic(t.ID) }) {
			out = append(out, t.ID)
		}
	}
	return out
}
