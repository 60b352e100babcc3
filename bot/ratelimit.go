package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is how many events one user may send in a window (BOT_RATE_LIMIT, "20/10s").
type RateLimit struct {
	Events int
	Per    time.Duration
}

// DefaultRateLimit lets a learner answer a question every half second for a while, and stops a
// flood long before it costs the store anything.
var DefaultRateLimit = RateLimit{Events: 20, Per: 10 * time.Second}

// ParseRateLimit reads "N/DURATION" ("20/10s", "100/1m"); "off" disables the limit.
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return RateLimit{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	events, err1 := strconv.Atoi(n)
	d, err2 := time.ParseDuration(per)
	if !ok || err1 != nil || err2 != nil || events < 1 || d <= 0 {
		return RateLimit{}, fmt.Errorf("%q is not a rate such as 20/10s (events per duration) or off", s)
	}
	return RateLimit{Events: events, Per: d}, nil
}

func (r RateLimit) String() string {
	if r.Events == 0 {
		return "off"
	}
	return fmt.Sprintf("%d/%s", r.Events, r.Per)
}

// chatStarts is how many commands that start something (a quiz round) one chat may send a minute,
// whoever sends them: a group cannot be flooded with rounds by many members at once either.
const chatStarts = 30

// errLimited is an event refused by a rate limit.
var errLimited = errors.New("bot: rate limited")

// rateLimits keeps a sliding window per user and per chat, in memory: it protects this replica and
// the store behind it without costing a store round trip. With several replicas each applies it on
// its own share of the traffic.
type rateLimits struct {
	limit RateLimit
	now   func() time.Time
	mu    sync.Mutex
	users map[string]*window
	chats map[string]*window
	swept time.Time
}

// window counts events in the current and the previous period, weighting the previous one by how
// much of it still falls in the sliding window: constant memory per key.
type window struct {
	start      time.Time
	cur, prev  int
	noticeSent time.Time // when the last "slow down" notice went out
}

func newRateLimits(l RateLimit, now func() time.Time) *rateLimits {
	return &rateLimits{limit: l, now: now, users: map[string]*window{}, chats: map[string]*window{}}
}

// allow counts an event for key in m and reports whether it is within max per period, and whether
// the sender should be told (once per period) when it is not.
func (r *rateLimits) allow(m map[string]*window, key string, max int, period time.Duration) (ok, notify bool) {
	now := r.now()
	w := m[key]
	if w == nil {
		w = &window{start: now}
		m[key] = w
	}
	for now.Sub(w.start) >= period {
		if now.Sub(w.start) >= 2*period {
			w.start, w.prev, w.cur = now, 0, 0
			break
		}
		w.start, w.prev, w.cur = w.start.Add(period), w.cur, 0
	}
	weight := 1 - float64(now.Sub(w.start))/float64(period)
	if float64(w.prev)*weight+float64(w.cur) >= float64(max) {
		if now.Sub(w.noticeSent) >= period {
			w.noticeSent = now
			return false, true
		}
		return false, false
	}
	w.cur++
	return true, false
}

// sweep forgets keys idle for two periods, at most once a period.
func (r *rateLimits) sweep(now time.Time) {
	period := max(r.limit.Per, time.Minute)
	if now.Sub(r.swept) < period {
		return
	}
	r.swept = now
	for _, m := range []map[string]*window{r.users, r.chats} {
		for k, w := range m {
			if now.Sub(w.start) >= 2*period {
				delete(m, k)
			}
		}
	}
}

// limitRate refuses events over the user's rate, and commands that start something over the
// chat's, with one polite notice per window and silence after it: a flood reaches neither the
// handlers nor the store. Answers to questions count against the user's rate only.
func (b *Bot) limitRate(next HandlerFunc) HandlerFunc {
	if b.limits == nil {
		return next
	}
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		r := b.limits
		r.mu.Lock()
		r.sweep(r.now())
		ok, notify := r.allow(r.users, req.UserKey(), r.limit.Events, r.limit.Per)
		scope := "user"
		if ok && req.Command != "" {
			if c := b.router.byName[req.Command]; c != nil && c.Starts {
				ok, notify = r.allow(r.chats, req.ChatKey(), chatStarts, time.Minute)
				scope = "chat"
			}
		}
		r.mu.Unlock()
		if ok {
			return next(ctx, req)
		}
		b.obs.Limited(scope)
		if !notify {
			return nil, errLimited
		}
		return []Reply{{Text: Text(T(req.Lang, msgRateLimited)), Private: true}}, errLimited
	}
}
