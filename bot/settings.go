package bot

import (
	"context"
	"sync"
	"time"
)

// Settings keeps learners' and chats' preferences, apart from quiz progress, so that answering a
// lookup in the right language never involves the quiz. Both stores implement it. An unset
// setting reads as "", and setting "" removes it.
type Settings interface {
	ChatSetting(ctx context.Context, chat, key string) (string, error)
	SetChatSetting(ctx context.Context, chat, key, value string) error
	UserSetting(ctx context.Context, user, key string) (string, error)
	SetUserSetting(ctx context.Context, user, key, value string) error
}

// Setting keys.
const (
	// settingLang is a learner's /lang: "en", "zh", or unset to follow the platform. As a chat
	// setting it is a group's language, set by an administrator's /lang there: what the bot
	// says to the whole group (a challenge) is in it.
	settingLang = "lang"
	// settingQuizMode is a chat's /quizmode: "poll", or unset for buttons.
	settingQuizMode = "quizmode"
	// settingUnreachable is why the bot cannot write to a chat ("blocked by the user"), or unset.
	// Every sender respects it; an event from the chat clears it.
	settingUnreachable = "unreachable"
	// settingZone is a learner's /timezone, an IANA name; unset means UTC.
	settingZone = "tz"
)

// Timing of the settings cache.
const (
	// settingsTTL is how long a setting read from the store is used before it is read again: a
	// change made on another replica shows here within this time. Settings change rarely and
	// only shape presentation (a language, a quiz mode), while answers read them on every event.
	settingsTTL = 15 * time.Second
	// settingsRetry is how long a fallback value stands in after the store failed to answer.
	settingsRetry = 5 * time.Second
	// settingsWait bounds a settings read on the way to a reply: a store that is slow or down
	// must not hold up a lookup, which answers in the platform's language instead.
	settingsWait      = 250 * time.Millisecond
	maxCachedSettings = 50_000
)

// settingsCache reads settings through a short cache and writes through it. A read that fails
// keeps serving the last value known (or "") for a few seconds, so a store outage costs each
// reader one bounded wait, not one per message.
type settingsCache struct {
	store Settings
	now   func() time.Time
	mu    sync.Mutex
	m     map[settingKey]cachedSetting
}

type settingKey struct {
	user       bool
	owner, key string
}

type cachedSetting struct {
	value   string
	expires time.Time
}

func newSettingsCache(s Settings, now func() time.Time) *settingsCache {
	return &settingsCache{store: s, now: now, m: map[settingKey]cachedSetting{}}
}

func (c *settingsCache) user(ctx context.Context, user, key string) string {
	return c.get(ctx, settingKey{true, user, key})
}

func (c *settingsCache) chat(ctx context.Context, chat, key string) string {
	return c.get(ctx, settingKey{false, chat, key})
}

// get returns the setting, or the best value known when the store does not answer in time. A
// bot without settings (nil cache) reads every setting as unset.
func (c *settingsCache) get(ctx context.Context, k settingKey) string {
	if c == nil {
		return ""
	}
	now := c.now()
	c.mu.Lock()
	cur, ok := c.m[k]
	c.mu.Unlock()
	if ok && now.Before(cur.expires) {
		return cur.value
	}
	rctx, cancel := context.WithTimeout(ctx, settingsWait)
	defer cancel()
	var v string
	var err error
	if k.user {
		v, err = c.store.UserSetting(rctx, k.owner, k.key)
	} else {
		v, err = c.store.ChatSetting(rctx, k.owner, k.key)
	}
	if err != nil {
		v = cur.value // the last known value, or ""
		c.put(k, v, now.Add(settingsRetry))
		return v
	}
	c.put(k, v, now.Add(settingsTTL))
	return v
}

// setUser and setChat write through to the store, so this replica sees its own change at once.
func (c *settingsCache) setUser(ctx context.Context, user, key, value string) error {
	if err := c.store.SetUserSetting(ctx, user, key, value); err != nil {
		return err
	}
	c.put(settingKey{true, user, key}, value, c.now().Add(settingsTTL))
	return nil
}

func (c *settingsCache) setChat(ctx context.Context, chat, key, value string) error {
	if err := c.store.SetChatSetting(ctx, chat, key, value); err != nil {
		return err
	}
	c.put(settingKey{false, chat, key}, value, c.now().Add(settingsTTL))
	return nil
}

// forgetUser drops a learner's cached settings, after /forget deleted them from the store.
func (c *settingsCache) forgetUser(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if k.user && k.owner == user {
			delete(c.m, k)
		}
	}
}

func (c *settingsCache) put(k settingKey, v string, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok && len(c.m) >= maxCachedSettings {
		now := c.now()
		for old, s := range c.m {
			if !now.Before(s.expires) {
				delete(c.m, old)
			}
		}
		if len(c.m) >= maxCachedSettings {
			clear(c.m) // everything is fresh: a flood of new users; start over
		}
	}
	c.m[k] = cachedSetting{value: v, expires: expires}
}
