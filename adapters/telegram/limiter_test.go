package telegram

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// sendTimes sends n messages to chat as fast as the limiter allows, starting at t0, and returns
// when each went out, as offsets from t0.
func sendTimes(l *limiter, chat string, group bool, n int) []time.Duration {
	var out []time.Duration
	now := t0
	for range n {
		for {
			d := l.take(chat, group, now)
			if d == 0 {
				break
			}
			now = now.Add(d)
		}
		out = append(out, now.Sub(t0))
	}
	return out
}

func TestLimiterPrivateChat(t *testing.T) {
	l := newLimiter(telegramtest.NewClock(t0), globalRate)
	got := sendTimes(l, "telegram:1", false, 6)
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 3 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("send times %v, want a burst of 3 then one a second %v", got, want)
	}
	// Another chat is not held up by the first.
	if d := l.take("telegram:2", false, t0); d != 0 {
		t.Errorf("another chat waits %v", d)
	}
}

func TestLimiterGroupWindow(t *testing.T) {
	l := newLimiter(telegramtest.NewClock(t0), globalRate)
	got := sendTimes(l, "telegram:-100", true, 41)
	for i, at := range got {
		n := 0
		for _, other := range got {
			if other >= at && other < at+time.Minute {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d messages within a minute from message %d at %v, over 20", n, i, at)
		}
	}
	if got[19] != 17*time.Second || got[20] != time.Minute {
		t.Errorf("20th at %v, 21st at %v; want 17s (one a second after the burst) and 1m (the window)", got[19], got[20])
	}
}

func TestLimiterGlobal(t *testing.T) {
	l := newLimiter(telegramtest.NewClock(t0), globalRate)
	for i := range 30 {
		if d := l.take(fmt.Sprint("telegram:", i), false, t0); d != 0 {
			t.Fatalf("message %d to its own chat waits %v, under the global 30/s", i, d)
		}
	}
	if d := l.take("telegram:31", false, t0); d <= 0 || d > time.Second/30+time.Millisecond {
		t.Errorf("31st message in the same instant waits %v, want about 1/30 s", d)
	}
}

func TestLimiterWaitRespectsContext(t *testing.T) {
	clock := telegramtest.NewClock(t0)
	l := newLimiter(clock, globalRate)
	ctx, cancel := context.WithCancel(context.Background())
	for range 3 {
		if err := l.wait(ctx, "telegram:1", false); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- l.wait(ctx, "telegram:1", false) }()
	if due := clock.WaitForWaiters(t, 1); !due.Equal(t0.Add(time.Second)) {
		t.Errorf("4th message due %v, want %v", due, t0.Add(time.Second))
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("wait = %v after cancel, want context.Canceled", err)
	}
}
