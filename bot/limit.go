package bot

import (
	"context"
	"time"
)

// Rate is one budget that sends spend from: at most Limit events per Period under Key, with
// bursts of up to Burst (at least 1). Every replica that names the same Key against the same
// store spends from the same budget, so a platform's limits hold however many replicas send.
type Rate struct {
	Key    string
	Limit  int
	Period time.Duration
	Burst  int
}

// Limiter paces work that a platform or the operator limits: platform sends, ordinary replies
// and the daily tip's fan-out alike. The Redis store implements it with a shared GCRA bucket per
// key; an in-process implementation serves the embedded store and tests.
type Limiter interface {
	// Reserve takes one event from every rate, all or nothing. It returns 0 when the event may
	// happen now (and has been counted), or how long to wait before asking again (nothing taken).
	// An error means the limiter could not decide (its store is down); callers then fall back
	// to their own in-process pacing rather than stall.
	Reserve(ctx context.Context, rates []Rate) (time.Duration, error)
}

// FanoutKey is the key of FanoutRate.
const FanoutKey = "fanout"

// FanoutRate is the daily tip's own budget: 25 messages a second across every replica, below
// Telegram's 30 a second for the whole bot, so ordinary replies, which spend from the platform's
// budget too, still go out promptly while a fan-out runs. The tip scheduler waits on it (Wait)
// before each tip, and the platform adapters then pace the message itself. A burst of 3 lets a
// sender that woke a little late catch up instead of losing the interval for good (with no burst
// the measured rate fell 10% short); it keeps any one second to at most 27, leaving room for
// messages that arrive a little later than they were let go.
func FanoutRate() Rate { return Rate{Key: FanoutKey, Limit: 25, Period: time.Second, Burst: 3} }

// Interval is the time one event costs the rate: Period/Limit, the GCRA emission interval,
// rounded up so the rate never runs faster than asked (30 a second is 33,333,334 ns, and 31
// events can never fit in one second). It is 0 for a rate that limits nothing (Limit or Period
// not positive).
func (r Rate) Interval() time.Duration {
	if r.Limit <= 0 || r.Period <= 0 {
		return 0
	}
	n := time.Duration(r.Limit)
	return (r.Period + n - 1) / n
}

// Tolerance is how far ahead of now the rate lets its budget be spent: (Burst-1) intervals, so
// an idle key allows Burst events at once and then one per Interval. Within any window of length
// W a rate allows at most Burst-1+⌈W/Interval⌉ events.
func (r Rate) Tolerance() time.Duration { return time.Duration(max(r.Burst, 1)-1) * r.Interval() }

// Wait blocks until l lets one event through every rate, sleeping with sleep between attempts.
// It returns nil once the event is counted, ctx's error when ctx ends first, or Reserve's error:
// pass a Pacer, which never fails for an outage, to keep sending while a shared store is down.
func Wait(ctx context.Context, l Limiter, rates []Rate, sleep func(context.Context, time.Duration) error) error {
	for {
		d, err := l.Reserve(ctx, rates)
		if err != nil {
			return err
		}
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Clock is the time source of the waits senders make (flood limits, retry backoff, interaction
// deadlines), so tests drive them with a manual clock instead of sleeping. telegramtest.Clock and
// discordtest.Clock are manual ones.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// SleepOn waits d on clock, or until ctx ends.
func SleepOn(ctx context.Context, clock Clock, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-clock.After(d):
		return nil
	}
}

// Sleep waits d on the real clock, or until ctx ends: the sleep for Wait outside tests.
func Sleep(ctx context.Context, d time.Duration) error { return SleepOn(ctx, SystemClock, d) }
