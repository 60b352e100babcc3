package bot

import (
	"errors"
	"fmt"

	"github.com/pybrarian/pybrarian/quiz"
)

// ErrorCode classifies what went wrong from the user's point of view, which decides the reply.
type ErrorCode int

// Error codes.
const (
	// EInternal is a fault of ours: the user gets an apology and the log gets the details.
	EInternal ErrorCode = iota
	// EInvalid is bad input: the user gets told what to type instead, and nothing changes.
	EInvalid
	// EUnavailable is a dependency that is down or slow: the user is asked to try again soon.
	EUnavailable
)

// Error is the application error handlers return for anything the user should be told about.
// Key and Args select a message from the catalogue, so the same error reads well in both languages.
type Error struct {
	Code ErrorCode
	Key  msgID
	Args []any
	Err  error // the underlying cause, logged for EInternal and EUnavailable
}

func (e *Error) Error() string {
	msg := fmt.Sprintf(string(e.Key)+" %v", e.Args)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// invalid reports bad user input with a catalogue message.
func invalid(key msgID, args ...any) error { return &Error{Code: EInvalid, Key: key, Args: args} }

// unavailable reports a store that failed to answer.
func unavailable(err error) error { return &Error{Code: EUnavailable, Err: err} }

// errBadButton is a pressed choice whose data the core did not issue (or no longer routes).
var errBadButton = errors.New("bot: unknown button")

// replyForError is the single place errors become replies.
func (b *Bot) replyForError(req *Request, err error) Reply {
	if r, ok := quizError(req.Lang, err, b.now()); ok {
		if errors.Is(err, quiz.ErrCorrupt) {
			b.log.Error("a learner's stored progress cannot be decoded; /forget sets it aside", "user", req.UserKey(), "err", err)
		}
		return r
	}
	var e *Error
	switch {
	case errors.As(err, &e):
	case errors.Is(err, quiz.ErrUnavailable):
		e = &Error{Code: EUnavailable, Err: err}
	default:
		e = &Error{Code: EInternal, Err: err}
	}
	switch e.Code {
	case EInvalid:
		return Reply{Text: Text(T(req.Lang, e.Key, e.Args...)), Private: true}
	case EUnavailable:
		// An outage fails every request that needs the store: say so when it starts, then once a
		// minute, rather than once per request.
		if ok, held := b.quiet.allow("unavailable"); ok {
			b.log.Warn("progress store unavailable", "command", req.Command, "err", e.Err, "similar_since_last", held)
		}
		return Reply{Text: Text(T(req.Lang, msgUnavailable)), Private: true}
	default:
		b.log.Error("internal error", "user", req.UserKey(), "command", req.Command, "err", err)
		return Reply{Text: Text(T(req.Lang, msgInternal)), Private: true}
	}
}
