package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"
)

func (k keys) userSettings(user string) string { return k.user(user, "set") }

// ChatSetting returns a chat's setting, "" when it was never set.
func (s *Store) ChatSetting(ctx context.Context, chat, key string) (string, error) {
	return s.hget(ctx, s.keys.settings(chat), key, "chat setting")
}

// SetChatSetting stores a chat's setting; "" removes it.
func (s *Store) SetChatSetting(ctx context.Context, chat, key, value string) error {
	return s.hset(ctx, s.keys.settings(chat), key, value, "set chat setting")
}

// UserSetting returns a learner's setting, "" when it was never set. The hash shares the
// learner's hash tag, so /forget deletes it with the record in one round trip.
func (s *Store) UserSetting(ctx context.Context, user, key string) (string, error) {
	return s.hget(ctx, s.keys.userSettings(user), key, "user setting")
}

// SetUserSetting stores a learner's setting; "" removes it.
func (s *Store) SetUserSetting(ctx context.Context, user, key, value string) error {
	return s.hset(ctx, s.keys.userSettings(user), key, value, "set user setting")
}

func (s *Store) hget(ctx context.Context, key, field, op string) (string, error) {
	v, err := s.client.HGet(ctx, key, field).Result()
	switch {
	case errors.Is(err, goredis.Nil):
		return "", nil
	case err != nil:
		return "", fail(op, err)
	}
	return v, nil
}

func (s *Store) hset(ctx context.Context, key, field, value, op string) error {
	var err error
	if value == "" {
		err = s.client.HDel(ctx, key, field).Err()
	} else {
		err = s.client.HSet(ctx, key, field, value).Err()
	}
	if err != nil {
		return fail(op, err)
	}
	return nil
}

func (k keys) community() string { return k.prefix + ":fsrs:community" }

// CommunityParams implements quiz.ParamStore.
func (s *Store) CommunityParams(ctx context.Context) ([]byte, error) {
	b, err := s.client.Get(ctx, s.keys.community()).Bytes()
	switch {
	case errors.Is(err, goredis.Nil):
		return nil, nil
	case err != nil:
		return nil, fail("community params", err)
	}
	return b, nil
}

// SetCommunityParams implements quiz.ParamStore.
func (s *Store) SetCommunityParams(ctx context.Context, params []byte) error {
	if err := s.client.Set(ctx, s.keys.community(), params, 0).Err(); err != nil {
		return fail("set community params", err)
	}
	return nil
}
