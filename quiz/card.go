// Package quiz runs spaced-repetition quizzes generated from the knowledge base: it turns each
// entry's structured facts into multiple-choice cards, plans rounds (due reviews first, then new
// cards), grades answers, schedules each card with FSRS-6 and keeps per-user progress through a Store.
// Group challenges (Challenges) put the same cards to a whole chat against the clock, through a
// ChallengeStore, and turn every answer into a review in its player's own progress.
//
// Everything here is a function of its inputs: callers pass the current time, and the Store is the
// only I/O. The core (package bot) renders what the Engine returns in the user's language.
package quiz

import (
	"crypto/sha256"
	"encoding/base64"

	"github.com/pybrarian/pybrarian/content"
)

// Kind is the sort of question a card asks. It is part of the card's stable id, so its string values
// must never change.
type Kind string

// Card kinds.
const (
	// KindIdentify shows a description and asks which entry it is.
	KindIdentify Kind = "identify"
	// KindPurpose names an entry and asks what it is for.
	KindPurpose Kind = "purpose"
	// KindTrue states a true trait of the entry; KindFalse states a sibling's trait as if it were the
	// entry's.
	KindTrue  Kind = "true"
	KindFalse Kind = "false"
	// KindFact asks for a keyed fact: creator, organisation, year, foundation, language.
	KindFact Kind = "fact"
	// KindWhich gives a trait and asks which of several siblings has it.
	KindWhich Kind = "which"
	// KindStatus asks which of several siblings should no longer be picked for new work.
	KindStatus Kind = "status"
	// KindQuestion is a hand-written question from the entry (concept cards, mostly).
	KindQuestion Kind = "question"
)

// Card is one generated question. Choices are in canonical order with the right answer first;
// Question.Choices shuffles them per user.
type Card struct {
	// ID is a short hash of (entry, key, kind): stable across content edits and re-ordering, so
	// progress survives content updates, and compact, because it is stored once per user and card.
	ID    string
	Entry string
	Kind  Kind
	Key   string
	// Fact names what the card tests, as "<entry>/<fact>" (pandas/created, flask/micro-framework).
	// Cards that ask the same thing in different forms — a trait as a true/false statement and as
	// "which of these…" — share it, so a round can ask each fact once.
	Fact string
	// AnswerEntry is the id of the entry the right choice names (identify, which and status cards,
	// and hand-written questions answered by an entry's name); "" when the answer is not an entry.
	AnswerEntry string
	Topics      []string
	Prompt      content.Text
	Choices     []content.Text
	// Explain is the one-line explanation shown after the answer.
	Explain content.Text
}

// IDLen is the length of a card id: 6 base64url characters, 36 bits. The generator refuses a
// knowledge base in which two cards collide, so the length can stay this small.
const IDLen = 6

// CardID derives the stable id of the card asking kind about key of entry.
func CardID(entry, key string, kind Kind) string {
	sum := sha256.Sum256([]byte(entry + "\x00" + key + "\x00" + string(kind)))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:IDLen]
}

// InTopic reports whether the card belongs to the topic.
func (c *Card) InTopic(topic string) bool {
	for _, t := range c.Topics {
		if t == topic {
			return true
		}
	}
	return false
}
