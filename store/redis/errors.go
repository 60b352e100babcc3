package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
		goredis.IsMasterDownError(err), goredis.IsReadOnlyError(err), goredis.IsMaxClientsError(err):
		return true
	}
	return false
}
