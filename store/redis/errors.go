package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

// ErrExists is returned by Import for a learner who already has a record.
var ErrExists = errors.New("redis: the learner already has a record")

// fail translates a go-redis error at the package boundary: failures that mean Redis cannot be
// reached or cannot serve right now wrap quiz.ErrUnavailable, so the bot says "try again in a
// moment"; anything else (a script or type error: a bug) keeps its own identity. Callers handle
// goredis.Nil themselves: it means "not found", never a failure.
func fail(op string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("redis: %s: %w: %w", op, quiz.ErrUnavailable, err)
	}
	return fmt.Errorf("redis: %s: %w", op, err)
}

// unavailable reports whether err means Redis is down, unreachable, slow, starting, or between
// masters, as opposed to a command that Redis refused.
func unavailable(err error) bool {
	var netErr net.Error
	switch {
	case errors.As(err, &netErr), // dial failures, timeouts, broken connections
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, goredis.ErrPoolTimeout), errors.Is(err, goredis.ErrPoolExhausted),
		errors.Is(err, goredis.ErrClosed),
		goredis.IsClusterDownError(err), goredis.IsTryAgainError(err), goredis.IsLoadingError(err),
		goredis.IsMasterDownError(err), goredis.IsReadOnlyError(err), goredis.IsMaxClientsError(err),
		// Refusals of a Redis that works but cannot take writes now: out of memory under
		// noeviction, no replicas for WAIT/min-replicas, a password changed under a running bot.
		goredis.IsOOMError(err), goredis.IsNoReplicasError(err), goredis.IsAuthError(err),
		// A transaction refused whole: under memory pressure Redis refuses to queue anything.
		strings.HasPrefix(err.Error(), "EXECABORT"):
		return true
	}
	return false
}

// ErrConfig marks a refusal no retry will cure: the password is wrong, the database does not
// exist, the user may not run our commands. At start it stops the bot (exit status 2); later it is
// reported like an outage, since lookups keep working without progress.
var ErrConfig = errors.New("redis: refused the configuration")

// configError words a refusal that Check found, naming the setting to fix and never its value.
func configError(setting string, err error) error {
	msg := err.Error()
	var why string
	switch {
	case strings.HasPrefix(msg, "WRONGPASS"):
		why = "Redis rejected the password (WRONGPASS)"
	case strings.HasPrefix(msg, "NOAUTH"):
		why = "Redis requires a password and none was given (NOAUTH)"
	case strings.Contains(msg, "AUTH") && strings.Contains(msg, "without any password configured"):
		why = "a password was given but Redis has none set (ERR AUTH)"
	case strings.Contains(msg, "DB index is out of range"):
		why = "Redis has no such database number (ERR DB index is out of range)"
	case goredis.IsPermissionError(err):
		why = "the Redis user may not run the commands the bot needs (NOPERM)"
	default:
		return nil
	}
	return fmt.Errorf("%s: %s: %w", setting, why, ErrConfig)
}
