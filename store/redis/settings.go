package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"
)

// ChatSetting implements quiz.ChatSettings; an unset setting is "".
func (s *Store) ChatSetting(ctx context.Context, chat, key string) (string, error) {
	v, err := s.client.HGet(ctx, s.keys.settings(chat), key).Result()
	switch {
	case errors.Is(err, goredis.Nil):
		return "", nil
	case err != nil:
		return "", fail("chat setting", err)
	}
	return v, nil
}

// SetChatSetting implements quiz.ChatSettings.
func (s *Store) SetChatSetting(ctx context.Context, chat, key, value string) error {
	if err := s.client.HSet(ctx, s.keys.settings(chat), key, value).Err(); err != nil {
		return fail("set chat setting", err)
	}
	return nil
}
