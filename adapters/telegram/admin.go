package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// adminTTL is how long the adapter trusts Telegram's word on who administers a group: long
// enough that a burst of administrators' commands costs one getChatMember, short enough that a
// demoted administrator loses the right within a minute.
const adminTTL = time.Minute

// maxCachedAdmins bounds the cache; past it, expired answers are dropped, or all if none expired.
const maxCachedAdmins = 10_000

type adminKey struct{ chat, user int64 }

type adminAnswer struct {
	admin   bool
	expires time.Time
}

// admins caches getChatMember answers per (chat, user).
type admins struct {
	mu sync.Mutex
	m  map[adminKey]adminAnswer
}

// isAdmin reports whether user is the creator or an administrator of the group chat, asking
// Telegram (getChatMember) at most once a minute per chat and user. It is what bot.Event.IsAdmin
// calls, and only when a command needs to know.
func (a *Adapter) isAdmin(ctx context.Context, chat, user int64) (bool, error) {
	k := adminKey{chat, user}
	now := a.clock.Now()
	a.admins.mu.Lock()
	got, ok := a.admins.m[k]
	a.admins.mu.Unlock()
	if ok && now.Before(got.expires) {
		return got.admin, nil
	}
	resp, err := a.request(ctx, nil, "getChatMember", tgbotapi.Params{
		"chat_id": strconv.FormatInt(chat, 10), "user_id": strconv.FormatInt(user, 10),
	})
	if err != nil {
		return false, err
	}
	var m struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(resp.Result, &m); err != nil {
		return false, err
	}
	admin := m.Status == "creator" || m.Status == "administrator"
	a.admins.mu.Lock()
	defer a.admins.mu.Unlock()
	if a.admins.m == nil {
		a.admins.m = map[adminKey]adminAnswer{}
	}
	if len(a.admins.m) >= maxCachedAdmins {
		for k, v := range a.admins.m {
			if !now.Before(v.expires) {
				delete(a.admins.m, k)
			}
		}
		if len(a.admins.m) >= maxCachedAdmins {
			clear(a.admins.m)
		}
	}
	a.admins.m[k] = adminAnswer{admin: admin, expires: now.Add(adminTTL)}
	return admin, nil
}
