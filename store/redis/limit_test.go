package redis

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// Rates over an hour: a test's own milliseconds never refill them, so the tests need no clock.
var (
	hourly = func(key string, burst int) bot.Rate {
		return bot.Rate{Key: key, Limit: 1, Period: time.Hour, Burst: burst}
	}
)

// reserve calls l.Reserve and fails the test on an error.
func reserve(t testing.TB, l bot.Limiter, rates ...bot.Rate) time.Duration {
	t.Helper()
	d, err := l.Reserve(ctx, rates)
	if err != nil {
		t.Fatalf("Reserve: %v", err)
	}
	return d
}

// testLimiter runs the limiter's contract against a store: bursts, all-or-nothing, and one
// budget for several replicas.
func testLimiter(t *testing.T, c Config) {
	c.Prefix = uniquePrefix()
	a, b := mustOpen(t, c), mustOpen(t, c) // two replicas
	global, chat1, chat2 := hourly("telegram:global", 3), hourly("telegram:chat:1", 1), hourly("telegram:chat:2", 1)

	if d := reserve(t, a, global, chat1); d != 0 {
		t.Fatalf("first message waits %v", d)
	}
	// Replica b sees replica a's message to chat 1: one budget.
	for range 3 {
		if d := reserve(t, b, global, chat1); d < 59*time.Minute || d > time.Hour {
			t.Fatalf("second message to chat 1, from the other replica, waits %v; want about an hour", d)
		}
	}
	// Those refusals took nothing from the global budget: two more messages fit.
	if d := reserve(t, b, global, chat2); d != 0 {
		t.Errorf("message to chat 2 waits %v, want 0", d)
	}
	if d := reserve(t, a, global, hourly("telegram:chat:3", 1)); d != 0 {
		t.Errorf("message to chat 3 waits %v, want 0 (third of a burst of 3)", d)
	}
	if d := reserve(t, a, global, hourly("telegram:chat:4", 1)); d < 59*time.Minute {
		t.Errorf("fourth message within the global burst of 3 waits %v, want about an hour", d)
	}
	// A rate that limits nothing is no key at all.
	if d := reserve(t, a, bot.Rate{Key: "off"}); d != 0 {
		t.Errorf("Reserve with an empty rate waits %v", d)
	}
}

func TestLimiter(t *testing.T) {
	testLimiter(t, Config{URL: redistest.Start(t).URL()})
}

// TestLimiterCluster: a Telegram message's keys (the bot's global budget and the chat's) hash to
// different slots by name; the {limit} tag keeps them on one, so the script runs whole.
func TestLimiterCluster(t *testing.T) {
	testLimiter(t, Config{ClusterAddrs: redistest.StartCluster(t, 3).Addrs()})
}

// TestLimiterKeysExpire: a key lives only while its budget is spent, so idle chats cost nothing.
func TestLimiterKeysExpire(t *testing.T) {
	s := mustOpen(t, Config{URL: redistest.Start(t).URL()})
	reserve(t, s, bot.Rate{Key: "telegram:chat:1", Limit: 1, Period: time.Second, Burst: 3})
	ttl, err := s.client.PTTL(ctx, s.keys.limit("telegram:chat:1")).Result()
	if err != nil || ttl <= 0 || ttl > time.Second {
		t.Errorf("PTTL after one message at 1/s = %v, %v; want at most 1s", ttl, err)
	}
}

// TestLimiterRoundTrips: one Reserve is one round trip, whatever the number of rates.
func TestLimiterRoundTrips(t *testing.T) {
	s := mustOpen(t, Config{URL: redistest.Start(t).URL()})
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	reserve(t, s, hourly("warm", 1)) // loads the script
	rt.Reset()
	for i := range 10 {
		reserve(t, s, hourly("g", 100), hourly(fmt.Sprint("c", i), 1), hourly(fmt.Sprint("grp", i), 1))
	}
	if n := rt.Count(); n != 10 {
		t.Errorf("10 Reserves took %d round trips (%v), want 10", n, rt.ByCommand())
	}
}

// TestLimiterOutage: with Redis down Reserve fails, a Pacer over it keeps pacing in process, and
// sharing resumes by itself once Redis is back.
func TestLimiterOutage(t *testing.T) {
	srv := redistest.Start(t)
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{URL: srv.URL(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms})
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	sleep := func(_ context.Context, d time.Duration) error { now = now.Add(d); return nil }
	p := bot.NewPacer(s, clock, nil)
	rate := []bot.Rate{{Key: "fanout", Limit: 25, Period: time.Second, Burst: 1}}
	if err := bot.Wait(ctx, p, rate, sleep); err != nil || !p.Shared() {
		t.Fatalf("Wait with Redis up = %v, shared %v", err, p.Shared())
	}

	srv.Kill()
	if _, err := s.Reserve(ctx, rate); !errors.Is(err, quiz.ErrUnavailable) {
		t.Fatalf("Reserve with Redis down = %v, want ErrUnavailable", err)
	}
	start := now
	for range 50 {
		if err := bot.Wait(ctx, p, rate, sleep); err != nil {
			t.Fatalf("Wait with Redis down = %v; want it to pace in process", err)
		}
	}
	if p.Shared() {
		t.Error("Pacer reports the shared limiter while Redis is down")
	}
	if el := now.Sub(start); el < 1900*time.Millisecond {
		t.Errorf("50 events at 25/s took %v with Redis down, want about 2s", el)
	}

	srv.Restart()
	now = now.Add(10 * time.Second)
	if err := bot.Wait(ctx, p, rate, sleep); err != nil || !p.Shared() {
		t.Errorf("Wait after Redis restarted = %v, shared %v; want the shared limiter again", err, p.Shared())
	}
}

// TestLimiterRunsOnServerTime: a budget's state is a time on Redis's clock, which no replica's
// clock enters, so replicas whose clocks disagree still share one budget.
func TestLimiterRunsOnServerTime(t *testing.T) {
	s := mustOpen(t, Config{URL: redistest.Start(t).URL()})
	reserve(t, s, hourly("telegram:chat:1", 1))
	tat, err := s.client.Get(ctx, s.keys.limit("telegram:chat:1")).Int64()
	if err != nil {
		t.Fatal(err)
	}
	now, err := s.client.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(tat-now.UnixMicro())*time.Microsecond - time.Hour; d > 0 || d < -time.Second {
		t.Errorf("the budget's next free time is %v from Redis's now plus the interval, want within a second before", d)
	}
}
