package bot

import (
	"errors"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Observer is told what the core does, for operators' metrics. Every value it receives comes from
// a small fixed set (a registered command name, an outcome below), never from user text, so
// metrics labels stay bounded. Methods must be cheap and safe for concurrent use.
type Observer interface {
	// Event is one handled event: its platform, kind ("command", "choice", "text"), the command
	// name for commands (else ""), its outcome and how long handling took.
	Event(platform, kind, command string, outcome Outcome, took time.Duration)
	// Lookup is one name lookup answered: exact, alias, typo or not_found.
	Lookup(outcome string)
	// Answer is one quiz answer: right, wrong, skipped, refused or busy.
	Answer(outcome string)
	// Round is a quiz round started or finished (ended by its last answer, /stop or a new round).
	Round(started bool)
	// Limited is an event refused by a rate limit: scope is "user" or "chat".
	Limited(scope string)
	// Tip is one daily tip: "sent", "failed" (the platform refused it) or "skipped" (due on a
	// day already past, or already delivered by another replica).
	Tip(result string)
}

// Outcome classifies how handling an event ended.
type Outcome string

// Outcomes.
const (
	OutcomeOK          Outcome = "ok"
	OutcomeInvalid     Outcome = "invalid"     // bad input, told what to type
	OutcomeRefused     Outcome = "refused"     // a quiz answer that does not count (stale, not yours)
	OutcomeUnavailable Outcome = "unavailable" // the store is down or refusing
	OutcomeLimited     Outcome = "limited"     // over a rate limit
	OutcomeInternal    Outcome = "internal"    // a fault of ours
)

// nopObserver is the Observer when none is configured.
type nopObserver struct{}

func (nopObserver) Event(string, string, string, Outcome, time.Duration) {}
func (nopObserver) Lookup(string)                                        {}
func (nopObserver) Answer(string)                                        {}
func (nopObserver) Round(bool)                                           {}
func (nopObserver) Limited(string)                                       {}
func (nopObserver) Tip(string)                                           {}

// outcomeOf classifies a handler's error.
func outcomeOf(err error) Outcome {
	var e *Error
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, errLimited):
		return OutcomeLimited
	case errors.Is(err, quiz.ErrUnavailable), errors.Is(err, quiz.ErrBusy):
		return OutcomeUnavailable
	case errors.As(err, &e) && e.Code == EInvalid:
		return OutcomeInvalid
	case errors.As(err, &e) && e.Code == EUnavailable:
		return OutcomeUnavailable
	}
	if _, ok := quizError("", err, time.Time{}); ok {
		return OutcomeRefused
	}
	return OutcomeInternal
}

// lookupOutcome words how a lookup found its entry: by the entry's own name, by an alias, by
// forgiving a typo, or not at all.
func lookupOutcome(m content.Match, typed string) string {
	switch {
	case m.Entry == nil:
		return "not_found"
	case m.Kind == content.TypoMatch:
		return "typo"
	}
	k := content.Normalize(typed)
	for _, n := range []string{m.Entry.ID, m.Entry.Name, m.Entry.NameZH} {
		if n != "" && content.Normalize(n) == k {
			return "exact"
		}
	}
	return "alias"
}

// answerOutcome words how a quiz answer went.
func answerOutcome(step quiz.Step, err error) string {
	switch {
	case errors.Is(err, quiz.ErrBusy):
		return "busy"
	case err != nil:
		return "refused"
	case step.Feedback == nil:
		return "refused"
	case step.Feedback.Result == quiz.Right:
		return "right"
	case step.Feedback.Result == quiz.Skipped:
		return "skipped"
	}
	return "wrong"
}
