package redis

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// pollTTL is how long a native quiz poll can still be graded after it was sent.
const pollTTL = 7 * 24 * time.Hour

func (k keys) poll(id string) string { return k.prefix + ":poll:" + id }

// PutQuizPoll remembers what a Telegram quiz poll asks (its answers carry only the poll id), for a
// week: an answer to an older poll is not graded.
func (s *Store) PutQuizPoll(ctx context.Context, id string, ref []byte) error {
	if err := s.client.Set(ctx, s.keys.poll(id), ref, pollTTL).Err(); err != nil {
		return fail("put poll", err)
	}
	return nil
}

// QuizPoll returns what PutQuizPoll stored for id, or nil and no error for an unknown or expired poll.
func (s *Store) QuizPoll(ctx context.Context, id string) ([]byte, error) {
	ref, err := s.client.Get(ctx, s.keys.poll(id)).Bytes()
	switch {
	case errors.Is(err, goredis.Nil):
		return nil, nil
	case err != nil:
		return nil, fail("poll", err)
	}
	return ref, nil
}
