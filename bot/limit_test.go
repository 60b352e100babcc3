package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var lt0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

// manual is a clock that moves only when a Wait sleeps on it.
type manual struct{ t time.Time }

func (c *manual) now() time.Time { return c.t }
func (c *manual) sleep(ctx context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return ctx.Err()
}

// sendTimes waits for n events through l and returns when each was let through, from lt0.
func sendTimes(t *testing.T, l Limiter, c *manual, rates []Rate, n int) []time.Duration {
	t.Helper()
	var out []time.Duration
	for range n {
		if err := Wait(context.Background(), l, rates, c.sleep); err != nil {
			t.Fatal(err)
		}
		out = append(out, c.t.Sub(lt0))
	}
	return out
}

// maxInWindow is the most events in any window [t, t+w).
func maxInWindow(times []time.Duration, w time.Duration) int {
	best := 0
	for _, at := range times {
		n := 0
		for _, o := range times {
			if o >= at && o < at+w {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

func TestMemoryLimiterRates(t *testing.T) {
	tests := []struct {
		name string
		rate Rate
		n    int
		want []time.Duration
	}{
		{"a burst of 3, then one a second", Rate{Key: "chat", Limit: 1, Period: time.Second, Burst: 3}, 6,
			[]time.Duration{0, 0, 0, time.Second, 2 * time.Second, 3 * time.Second}},
		{"fan-out: a burst of 3, then one every 40 ms", FanoutRate(), 5,
			[]time.Duration{0, 0, 0, 40 * time.Millisecond, 80 * time.Millisecond}},
		{"burst 0 counts as 1", Rate{Key: "k", Limit: 2, Period: time.Second}, 3,
			[]time.Duration{0, 500 * time.Millisecond, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &manual{t: lt0}
			got := sendTimes(t, NewMemoryLimiter(c.now), c, []Rate{tt.rate}, tt.n)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("events at %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMemoryLimiterWindowBound: a group's 16/min with bursts of 5 never puts more than 20
// messages in any minute, Telegram's limit for a group.
func TestMemoryLimiterWindowBound(t *testing.T) {
	c := &manual{t: lt0}
	got := sendTimes(t, NewMemoryLimiter(c.now), c, []Rate{{Key: "g", Limit: 16, Period: time.Minute, Burst: 5}}, 100)
	if n := maxInWindow(got, time.Minute); n > 20 {
		t.Errorf("%d events within a minute, want at most 20", n)
	}
	if got[4] != 0 || got[5] != 3750*time.Millisecond {
		t.Errorf("5th event at %v, 6th at %v; want a burst of 5, then one every 3.75 s", got[4], got[5])
	}
}

// TestMemoryLimiterRoundsUp: 30 a second with no burst puts 30 events in a second, never 31,
// though a second is not a whole number of nanosecond intervals.
func TestMemoryLimiterRoundsUp(t *testing.T) {
	c := &manual{t: lt0}
	got := sendTimes(t, NewMemoryLimiter(c.now), c, []Rate{{Key: "g", Limit: 30, Period: time.Second, Burst: 1}}, 100)
	if n := maxInWindow(got, time.Second); n != 30 {
		t.Errorf("%d events within a second at 30/s, want 30", n)
	}
}

// TestMemoryLimiterAllOrNothing: an event refused by one rate takes nothing from the others.
func TestMemoryLimiterAllOrNothing(t *testing.T) {
	c := &manual{t: lt0}
	l := NewMemoryLimiter(c.now)
	global := Rate{Key: "global", Limit: 2, Period: time.Second, Burst: 2}
	chat := Rate{Key: "chat:1", Limit: 1, Period: time.Second, Burst: 1}
	if d, _ := l.Reserve(context.Background(), []Rate{global, chat}); d != 0 {
		t.Fatalf("first event waits %v", d)
	}
	for range 5 {
		if d, _ := l.Reserve(context.Background(), []Rate{global, chat}); d != time.Second {
			t.Fatalf("second event to chat 1 waits %v, want 1s", d)
		}
	}
	// The refusals above took nothing from the global budget: one more event fits.
	if d, _ := l.Reserve(context.Background(), []Rate{global, {Key: "chat:2", Limit: 1, Period: time.Second, Burst: 1}}); d != 0 {
		t.Errorf("event to chat 2 waits %v after refusals to chat 1, want 0", d)
	}
}

// TestMemoryLimiterForgets: keys whose budget is whole again are dropped, so memory follows the
// keys in use, not every key ever seen.
func TestMemoryLimiterForgets(t *testing.T) {
	c := &manual{t: lt0}
	l := NewMemoryLimiter(c.now)
	for i := range 5000 {
		l.Reserve(context.Background(), []Rate{{Key: fmt.Sprint("chat:", i), Limit: 1, Period: time.Second, Burst: 3}})
	}
	c.t = c.t.Add(2 * time.Second)
	l.Reserve(context.Background(), []Rate{{Key: "chat:new", Limit: 1, Period: time.Second}})
	if n := l.Len(); n != 1 {
		t.Errorf("%d keys held after every other key went idle, want 1", n)
	}
}

func TestWaitContext(t *testing.T) {
	c := &manual{t: lt0}
	l := NewMemoryLimiter(c.now)
	r := []Rate{{Key: "k", Limit: 1, Period: time.Hour}}
	Wait(context.Background(), l, r, c.sleep)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Wait(ctx, l, r, c.sleep); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with a cancelled context = %v, want context.Canceled", err)
	}
}

// flaky is a shared limiter that fails while down.
type flaky struct {
	down  bool
	calls int
	inner *MemoryLimiter
}

func (f *flaky) Reserve(ctx context.Context, rates []Rate) (time.Duration, error) {
	f.calls++
	if f.down {
		return 0, errors.New("redis: connection refused")
	}
	return f.inner.Reserve(ctx, rates)
}

// TestPacerFallsBack: while the shared limiter fails, events are paced in process at the same
// rate, the outage is logged once, the shared limiter is asked again only every few seconds,
// and pacing returns to it by itself.
func TestPacerFallsBack(t *testing.T) {
	c := &manual{t: lt0}
	shared := &flaky{inner: NewMemoryLimiter(c.now)}
	var logs bytes.Buffer
	p := NewPacer(shared, c.now, slog.New(slog.NewTextHandler(&logs, nil)))
	if NewPacer(p, nil, nil) != p {
		t.Error("NewPacer(pacer) wraps it again")
	}
	rate := []Rate{{Key: "fanout", Limit: 10, Period: time.Second, Burst: 1}}
	sendTimes(t, p, c, rate, 5)

	shared.down, shared.calls = true, 0
	start := c.t
	got := sendTimes(t, p, c, rate, 30) // 3 s at 10/s
	if p.Shared() {
		t.Error("Shared() = true while the shared limiter fails")
	}
	if el := c.t.Sub(start); el < 2900*time.Millisecond || el > 3100*time.Millisecond {
		t.Errorf("30 events at 10/s during the outage took %v, want about 3s", el)
	}
	if n := maxInWindow(got, time.Second); n > 10 {
		t.Errorf("%d events in a second during the outage, want at most 10", n)
	}
	if shared.calls != 1 {
		t.Errorf("shared limiter asked %d times within %v of failing, want once", shared.calls, pacerRetry)
	}

	shared.down = false
	c.t = c.t.Add(pacerRetry)
	sendTimes(t, p, c, rate, 3)
	if !p.Shared() {
		t.Error("Shared() = false after the shared limiter recovered")
	}
	if n := strings.Count(logs.String(), "not answering"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, logs.String())
	}
	if n := strings.Count(logs.String(), "answers again"); n != 1 {
		t.Errorf("recovery logged %d times, want once:\n%s", n, logs.String())
	}
}

// TestPacerAsksTheStoreOncePerSlot: many sends waiting in one process (a fan-out, a bot held at
// Telegram's 30 a second) ask the shared limiter only when this process's own pace lets one
// through, not all of them each time the budget frees; a send another replica took the slot for
// gives its local share back, so this process loses nothing to the other's sends.
func TestPacerAsksTheStoreOncePerSlot(t *testing.T) {
	c := &manual{t: lt0}
	shared := &flaky{inner: NewMemoryLimiter(c.now)}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := NewPacer(shared, c.now, quiet)
	rate := []Rate{{Key: "telegram:global", Limit: 10, Period: time.Second, Burst: 1}}
	granted := 0
	for range 10 { // ten slots of 100 ms, twenty sends waiting at each
		for range 20 {
			if d, _ := p.Reserve(context.Background(), rate); d == 0 {
				granted++
			}
		}
		c.t = c.t.Add(100 * time.Millisecond)
	}
	if granted != 10 || shared.calls != 10 {
		t.Errorf("%d sends granted with %d questions to the shared limiter, want 10 and 10", granted, shared.calls)
	}

	// Another replica takes the next slot: this process is refused, gets its share back, and
	// takes the slot after.
	other := NewPacer(shared, c.now, quiet)
	if d, _ := other.Reserve(context.Background(), rate); d != 0 {
		t.Fatalf("the other replica was refused its slot: %v", d)
	}
	if d, _ := p.Reserve(context.Background(), rate); d == 0 {
		t.Fatal("granted a slot the other replica took")
	}
	c.t = c.t.Add(100 * time.Millisecond)
	if d, _ := p.Reserve(context.Background(), rate); d != 0 {
		t.Errorf("the slot after the other replica's: wait %v, want none (the refused share was given back)", d)
	}
}

// BenchmarkMemoryLimiter is one in-process reservation of a Telegram group message (three
// budgets): what pacing costs without Redis, or while it is down.
func BenchmarkMemoryLimiter(b *testing.B) {
	l := NewMemoryLimiter(nil)
	rates := []Rate{
		{Key: "telegram:global", Limit: 1_000_000_000, Period: time.Second, Burst: 1 << 20},
		{Key: "telegram:chat:-100", Limit: 1_000_000_000, Period: time.Second, Burst: 1 << 20},
		{Key: "telegram:group:-100", Limit: 1_000_000_000, Period: time.Second, Burst: 1 << 20},
	}
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := l.Reserve(context.Background(), rates); d != 0 {
			b.Fatalf("refused: %v", d)
		}
	}
}
