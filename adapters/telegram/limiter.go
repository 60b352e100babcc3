package telegram

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/bot"
)

// Telegram's flood limits (Bot FAQ, "Broadcasting to users"): about one message a second per chat
// with short bursts tolerated, twenty a minute per group, about thirty a second overall. Going over
// earns 429s that stall the chat far longer than waiting our turn.
const (
	chatRate    = 1 // messages per second to one chat
	chatBurst   = 3
	groupWindow = time.Minute
	groupMax    = 20
	globalRate  = 30 // the default of Config.GlobalRate; in process the burst is a second's worth
)

// limiter makes each outgoing message wait until every limit that applies allows it.
type limiter struct {
	clock  Clock
	mu     sync.Mutex
	global bucket
	chats  map[string]*chatLimit
}

type chatLimit struct {
	bucket
	sent []time.Time // groups: send times within the last groupWindow, oldest first
	used time.Time
}

// bucket is a token bucket: tokens refill at rate per second up to burst.
type bucket struct {
	tokens float64
	last   time.Time
	rate   float64
	burst  float64
}

func newBucket(rate, burst float64, now time.Time) bucket {
	return bucket{tokens: burst, last: now, rate: rate, burst: burst}
}

// delay refills the bucket to now and says how long until it holds a whole token.
func (b *bucket) delay(now time.Time) time.Duration {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(b.burst, b.tokens+el*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

func newLimiter(clock Clock, global int) *limiter {
	return &limiter{clock: clock, global: newBucket(float64(global), float64(global), clock.Now()), chats: map[string]*chatLimit{}}
}

// wait blocks until a message to chat may be sent, and counts it as sent.
func (l *limiter) wait(ctx context.Context, chat string, group bool) error {
	for {
		d := l.take(chat, group, l.clock.Now())
		if d <= 0 {
			return nil
		}
		if err := bot.SleepOn(ctx, l.clock, d); err != nil {
			return err
		}
	}
}

// take counts a message to chat as sent at now and returns 0 if every limit allows it; otherwise
// it counts nothing and returns how long until it might.
func (l *limiter) take(chat string, group bool, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat, now)
	d := max(c.delay(now), l.global.delay(now))
	if group {
		cut := 0
		for cut < len(c.sent) && !c.sent[cut].Add(groupWindow).After(now) {
			cut++
		}
		c.sent = c.sent[cut:]
		if len(c.sent) >= groupMax {
			d = max(d, c.sent[0].Add(groupWindow).Sub(now))
		}
	}
	if d > 0 {
		return d
	}
	c.tokens--
	l.global.tokens--
	if group {
		c.sent = append(c.sent, now)
	}
	c.used = now
	return 0
}

// chat returns the chat's limits, forgetting idle chats now and then so the map stays small.
func (l *limiter) chat(key string, now time.Time) *chatLimit {
	if c, ok := l.chats[key]; ok {
		return c
	}
	if len(l.chats) >= 10_000 {
		for k, c := range l.chats {
			if now.Sub(c.used) > groupWindow {
				delete(l.chats, k)
			}
		}
	}
	c := &chatLimit{bucket: newBucket(chatRate, chatBurst, now), used: now}
	l.chats[key] = c
	return c
}

// The flood limits as bot.Rates, for a shared Limiter. GCRA lets a burst through and then one
// event per interval, which bounds any window of length W at Burst-1+⌈W/interval⌉ events; the
// rates are chosen so that bound is Telegram's limit itself, across every replica:
//   - the bot: 30 a second, no burst (at most 30 in any second);
//   - a chat: bursts of 3, then one a second, as the in-process limiter allows;
//   - a group: bursts of 5, then one every 3.75 s (16 a minute), so never more than 20 in any
//     minute; a steady 20 a minute would allow 24 once a burst is added.
const (
	globalKey  = "telegram:global"
	groupRate  = 16
	groupBurst = 5
)

// rates are the budgets a message to the chat spends from.
func (a *Adapter) rates(to *target) []bot.Rate {
	r := []bot.Rate{
		{Key: globalKey, Limit: a.global, Period: time.Second, Burst: 1},
		{Key: "telegram:chat:" + strconv.FormatInt(to.id, 10), Limit: chatRate, Period: time.Second, Burst: chatBurst},
	}
	if to.group {
		r = append(r, bot.Rate{Key: "telegram:group:" + strconv.FormatInt(to.id, 10), Limit: groupRate, Period: groupWindow, Burst: groupBurst})
	}
	return r
}

// pace waits until a message to the chat may go out, and counts it: on the shared budgets when a
// Limiter is configured, else in process.
func (a *Adapter) pace(ctx context.Context, to *target) error {
	if a.shared == nil {
		return a.limit.wait(ctx, to.key, to.group)
	}
	return bot.Wait(ctx, a.shared, a.rates(to), func(ctx context.Context, d time.Duration) error {
		return bot.SleepOn(ctx, a.clock, d)
	})
}
