package fsrs

import (
	"fmt"
	"math"
	"time"
)

// Rating is the learner's self-assessment of one review. Any rating other
// than Again counts as a successful recall.
type Rating int8

// The four answer buttons, numbered as in every FSRS implementation so that
// stored review logs stay interchangeable.
const (
	Again Rating = 1
	Hard  Rating = 2
	Good  Rating = 3
	Easy  Rating = 4
)

// Valid reports whether r is one of Again, Hard, Good or Easy. Scheduler.Review
// requires a valid rating; callers that take ratings from users or files check
// them with Valid first.
func (r Rating) Valid() bool { return r >= Again && r <= Easy }

// String returns the button name, or "Rating(n)" for an invalid value.
func (r Rating) String() string {
	switch r {
	case Again:
		return "Again"
	case Hard:
		return "Hard"
	case Good:
		return "Good"
	case Easy:
		return "Easy"
	}
	return fmt.Sprintf("Rating(%d)", int8(r))
}

// State is the scheduling phase of a card. The zero State is read as
// Learning, so that the zero Card is a brand-new card at learning step 0,
// exactly as a fresh py-fsrs Card.
type State int8

// The phases a card moves through. Learning and Relearning walk through the
// configured short steps; Review schedules in whole days.
const (
	Learning   State = 1
	Review     State = 2
	Relearning State = 3
)

// String returns the phase name; the zero State prints as Learning.
func (s State) String() string {
	switch s {
	case 0, Learning:
		return "Learning"
	case Review:
		return "Review"
	case Relearning:
		return "Relearning"
	}
	return fmt.Sprintf("State(%d)", int8(s))
}

// Card is the complete scheduling state of one flashcard. It is a plain
// value: Scheduler.Review returns an updated copy and never keeps a
// reference, so a store can persist the fields as they are.
//
// A card with zero Stability, zero Difficulty and a zero LastReview has never
// been reviewed; the zero Card is such a card, due immediately.
type Card struct {
	// State is the scheduling phase; zero (or any unknown value) means
	// Learning.
	State State
	// Step is the index into the learning or relearning steps while the
	// card is in Learning or Relearning; it is 0 in Review.
	Step int
	// Stability is the number of days after which recall probability falls
	// to 90%.
	Stability float64
	// Difficulty is in [1, 10]; higher means harder to raise stability.
	Difficulty float64
	// Due is when the card should next be shown.
	Due time.Time
	// LastReview is the time of the most recent review.
	LastReview time.Time
}

// hasMemory reports whether the card carries a usable memory state from an
// earlier review. A card without one (the zero Card, or one whose stored
// stability or difficulty is missing or corrupt) is reviewed as a new card,
// whatever its State says.
func (c Card) hasMemory() bool {
	return c.Stability > 0 && c.Stability <= math.MaxFloat64 &&
		c.Difficulty > 0 && c.Difficulty <= math.MaxFloat64
}
