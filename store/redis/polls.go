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

// PutPoll remembers what a Telegram quiz poll asks (its answers carry only the poll id), for a
// week: an answer to an older poll is not graded.
func (s *Store) PutPoll(ctx context.Context, id string, ref []byte) error {
	if err := s.client.Set(ctx, s.keys.poll(id), ref, pollTTL).Err(); err != nil {
		return fail("put poll", err)
	}
	return nil
}

// Poll returns what PutPoll stored for id, or nil and no error for an unknown or expired poll.
func (s *Store) Poll(ctx context.Context, id string) ([]byte, error) {
	ref, err := s.client.Get(ctx, s.keys.poll(id)).Bytes()
	switch {
	case errors.Is(err, goredis.Nil):
		return nil, nil
	case err != nil:
		return nil, fail("poll", err)
	}
	return ref, nil
}
