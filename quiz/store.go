package quiz

import (
	"context"
	"errors"
	"time"
)

// Store keeps learners' progress. It deals in bytes the quiz encodes (see PackState and
// EncodeProgress), so every backend stores exactly the same format and migrating between backends is
// a copy. Implementations: store/bolt (embedded, the default) and store/redis.
//
// All methods are safe for concurrent use by many goroutines and many processes sharing the backend.
type Store interface {
	// Load returns the user's record; withCards also returns every card state. A user never seen
	// returns a zero Record (Version 0) and no error.
	Load(ctx context.Context, user string, withCards bool) (Record, error)
	// Commit applies w in one atomic step if the stored version is still w.Expect, and returns the
	// new version (w.Expect+1). If another writer got there first it returns ErrConflict and
	// changes nothing. A Credit, if set, is added to its leaderboard at most once per Credit.Answer,
	// even when Commit is retried.
	Commit(ctx context.Context, user string, w Write) (uint64, error)
	// Forget deletes everything stored about the user, including their settings, their review
	// history and their places on the given leaderboards, so nothing of theirs remains.
	Forget(ctx context.Context, user string, boards []Board) error
	// History returns the learner's reviews as PackReview entries, oldest first, at most the
	// newest MaxHistory; nil for none.
	History(ctx context.Context, user string) ([]byte, error)
	// SetParams stores the learner's own FSRS weights (nil removes them) and moves the record's
	// version on, so every replica's next answer for the learner reads them.
	SetParams(ctx context.Context, user string, params []byte) error
	// SetAside copies the user's record where the operator can find it and learners cannot, before
	// a record that cannot be decoded is forgotten: an unreadable record is a bug worth studying,
	// never something to overwrite silently.
	SetAside(ctx context.Context, user string) error
	// Replace makes rec (progress, every card state and weights; rec.Version is ignored) and
	// history the user's whole state, in one atomic step if the stored version is still expect
	// (0 for a user with no record), and returns the new version; otherwise it returns
	// ErrConflict and writes nothing. /link merges two learners with it and leaves a pointer in
	// place of one; /unlink copies one.
	Replace(ctx context.Context, user string, expect uint64, rec Record, history []byte) (uint64, error)
}

// Record is a user's stored state.
type Record struct {
	Version  uint64
	Progress []byte            // EncodeProgress output; nil for a new user
	Cards    map[string][]byte // card id -> PackState output; only when loaded withCards
	// Params are the learner's own FSRS weights (EncodeParams output), nil for none. A commit
	// leaves them alone; SetParams writes them.
	Params []byte
}

// Write is one atomic change to a user's state.
type Write struct {
	Expect   uint64
	Progress []byte
	Cards    map[string][]byte // card states to set
	Credit   *Credit
	// Review, when set, is appended to the learner's history in the same atomic step: a PackReview
	// entry.
	Review []byte
}

// Board names one chat's leaderboard for one week.
type Board struct {
	Chat string // chat key, "telegram:-100123"
	Week string // ISO week, "2026-W48"
}

// Credit is points earned by one answer on one board. Answer identifies the answer, so a retried
// Commit never counts it twice.
type Credit struct {
	Board  Board
	Answer string
	User   string
	Name   string
	Points int
}

// Standing is one learner's place on a leaderboard.
type Standing struct {
	User   string
	Name   string
	Points int
	Rank   int // 1-based
}

// Leaderboards reads chats' weekly leaderboards.
type Leaderboards interface {
	// Top returns the n best learners of the board, best first, and the standing of user (zero
	// Standing, false when they have no points there).
	Top(ctx context.Context, b Board, n int, user string) ([]Standing, Standing, bool, error)
}

// Report is a learner's flag on a card they found wrong or unclear. It carries no user id, so
// reports outlive /forget without keeping anything personal.
type Report struct {
	Card     string
	Entry    string
	Lang     string
	Text     string
	Platform string
	Time     time.Time
}

// Reports stores card reports for operators.
type Reports interface {
	AddReport(ctx context.Context, r Report) error
	// ListReports returns the newest reports first, at most limit of them.
	ListReports(ctx context.Context, limit int) ([]Report, error)
}

// Errors a Store returns. Backends wrap their own failures (a dead connection, a timeout) in
// ErrUnavailable so the core can tell the user to try again instead of apologising for a bug.
var (
	ErrConflict    = errors.New("quiz: record changed concurrently")
	ErrUnavailable = errors.New("quiz: progress store unavailable")
)
