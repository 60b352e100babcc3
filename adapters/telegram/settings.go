package telegram

import (
	"context"
	"sync"
	"time"
)

// Chat setting keys.
const (
	// settingQuizMode is "poll" or "buttons" ("" means buttons).
	settingQuizMode = "quizmode"
	// settingUnreachable is why the bot cannot write to the chat ("bot was blocked by the user"),
	// or "" when it can; features that message chats unprompted (the daily tip) skip marked chats.
	settingUnreachable = "unreachable"
)

// settings caches chat settings briefly: the quiz mode is read for every question and the
// unreachable mark for every message, and neither changes often. Across replicas a change shows
// after at most the TTL.
type settings struct {
	store Store
	clock Clock
	ttl   time.Duration
	mu    sync.Mutex
	m     map[[2]string]cachedSetting
}

type cachedSetting struct {
	value   string
	expires time.Time
}

func newSettings(store Store, clock Clock, ttl time.Duration) *settings {
	return &settings{store: store, clock: clock, ttl: ttl, m: map[[2]string]cachedSetting{}}
}

func (s *settings) get(ctx context.Context, chat, key string) (string, error) {
	k := [2]string{chat, key}
	now := s.clock.Now()
	s.mu.Lock()
	c, ok := s.m[k]
	s.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.value, nil
	}
	v, err := s.store.ChatSetting(ctx, chat, key)
	if err != nil {
		return "", err
	}
	s.put(k, v, now)
	return v, nil
}

func (s *settings) set(ctx context.Context, chat, key, value string) error {
	if err := s.store.SetChatSetting(ctx, chat, key, value); err != nil {
		return err
	}
	s.put([2]string{chat, key}, value, s.clock.Now())
	return nil
}

func (s *settings) put(k [2]string, v string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= 10_000 {
		for key, c := range s.m {
			if !now.Before(c.expires) {
				delete(s.m, key)
			}
		}
	}
	s.m[k] = cachedSetting{value: v, expires: now.Add(s.ttl)}
}
