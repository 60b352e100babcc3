package telegram_test

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/store/bolt"
)

// withSharedLimiter configures a shared Limiter on the harness's clock: the error policy must
// hold whichever limiter paces the sends.
func withSharedLimiter() option {
	return withConfig(func(c *telegram.Config) { c.Limiter = bot.NewMemoryLimiter(c.Clock.Now) })
}

func TestSharedLimiterFloodControlWaitsRetryAfter(t *testing.T) {
	h := newHarness(t, manualClock(), withSharedLimiter())
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7})
	h.send(private(ada), ada, "/lib pandas")
	h.srv.WaitCall(t, "sendMessage", 1)
	if due, want := h.clock.WaitForWaiters(t, 1), start.Add(7*time.Second); !due.Equal(want) {
		t.Errorf("retry scheduled for %v, want %v (retry_after)", due, want)
	}
	h.clock.Advance(7 * time.Second)
	if c := h.srv.WaitCall(t, "sendMessage", 2); c.Fault != nil || !strings.Contains(c.Get("text"), "<b>pandas</b>") {
		t.Errorf("retry = %s", c)
	}
}

func TestSharedLimiterServerErrorsAreRetried(t *testing.T) {
	h := newHarness(t, manualClock(), withSharedLimiter())
	for _, code := range []int{500, 503, 502} {
		h.srv.Fail("sendMessage", telegramtest.Fault{Code: code, Description: "Internal Server Error"})
	}
	h.send(private(ada), ada, "/lib pandas")
	var waits []time.Duration
	for n := 1; n <= 3; n++ {
		h.srv.WaitCall(t, "sendMessage", n)
		due := h.clock.WaitForWaiters(t, 1)
		waits = append(waits, due.Sub(h.clock.Now()))
		h.clock.Advance(due.Sub(h.clock.Now()))
	}
	if c := h.srv.WaitCall(t, "sendMessage", 4); c.Fault != nil {
		t.Errorf("fourth try = %s, want it sent", c)
	}
	if waits[1] != 2*waits[0] || waits[2] != 2*waits[1] {
		t.Errorf("backoff waits %v, want each twice the last", waits)
	}
}

func TestSharedLimiterForbiddenMarksChatUnreachable(t *testing.T) {
	h := newHarness(t, withSharedLimiter())
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"})
	h.send(private(ada), ada, "/lib pandas")
	h.logs.wait(t, "chat marked unreachable")
	if got, want := h.setting("telegram:1001", "unreachable"), "bot was blocked by the user"; got != want {
		t.Errorf("unreachable = %q, want %q", got, want)
	}
	if n := len(h.srv.Calls("sendMessage")); n != 1 {
		t.Errorf("%d sends, want 1: a 403 is not retried", n)
	}
}

// silent is a core that handles nothing: the replicas below only send.
type silent struct{}

func (silent) Handle(context.Context, bot.Event) []bot.Reply { return nil }
func (silent) Commands() []bot.CommandInfo                   { return nil }
func (silent) Suggest(string, content.Lang, bot.SuggestScope, int) []bot.Suggestion {
	return nil
}
func (silent) Content() *content.KB                                    { return nil }
func (silent) MarkUnreachable(context.Context, string, string, string) {}
func (silent) MarkReachable(context.Context, string, string)           {}

// replica runs an adapter against srv on clock with the shared limiter, as another process
// of the same bot would, and returns it once it is connected.
func replica(t *testing.T, srv *telegramtest.Server, clock telegram.Clock, l bot.Limiter) *telegram.Adapter {
	t.Helper()
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := telegram.New(telegram.Config{Token: telegramtest.Token, Endpoint: srv.Endpoint(), Clock: clock,
		Limiter: l, Logger: slog.New(slog.DiscardHandler)}, silent{}, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	<-a.Ready()
	return a
}

// TestReplicasShareTheFloodLimits: two replicas sending to one chat as fast as they can, through
// one shared limiter, together stay within Telegram's limits for that chat as the fake server
// sees the messages arrive. Time is the test's clock; it moves only when both replicas are
// waiting, so an arrival's stamp is the moment its replica was let go.
func TestReplicasShareTheFloodLimits(t *testing.T) {
	type bound struct {
		window time.Duration
		max    int
	}
	tests := []struct {
		name   string
		to     bot.Destination
		n      int
		bounds []bound
		within time.Duration // the last message arrives by then: the limit is reached, not undershot
	}{
		{"private chat: bursts of 3, then one a second",
			bot.Destination{Platform: telegram.Platform, ChatID: "1001", Chat: bot.Private}, 40,
			[]bound{{time.Second, 3}, {10 * time.Second, 12}}, 38 * time.Second},
		{"group: never more than 20 a minute",
			bot.Destination{Platform: telegram.Platform, ChatID: "-1001234567", Chat: bot.Group}, 60,
			[]bound{{time.Second, 3}, {time.Minute, 20}}, 55 * 3750 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			clock := telegramtest.NewClock(start)
			srv.SetClock(clock.Now)
			shared := bot.NewMemoryLimiter(clock.Now) // stands for the Redis store: one budget for both
			replicas := []*telegram.Adapter{replica(t, srv, clock, shared), replica(t, srv, clock, shared)}

			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for i, a := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ctx.Err() == nil {
						a.Send(ctx, tt.to, []bot.Reply{{Text: bot.Text(fmt.Sprint("from replica ", i))}})
					}
				}()
			}
			for len(srv.Calls("sendMessage")) < tt.n {
				due := clock.WaitForWaiters(t, len(replicas))
				clock.Advance(due.Sub(clock.Now()))
			}
			cancel()
			wg.Wait()

			var at []time.Duration
			from := map[string]int{}
			for _, c := range srv.Calls("sendMessage") {
				at = append(at, c.At.Sub(start))
				from[c.Get("text")]++
			}
			sort.Slice(at, func(i, j int) bool { return at[i] < at[j] })
			for _, b := range tt.bounds {
				for i := range at {
					n := 0
					for _, o := range at[i:] {
						if o < at[i]+b.window {
							n++
						}
					}
					if n > b.max {
						t.Errorf("%d messages within %v from %v, want at most %d", n, b.window, at[i], b.max)
						break
					}
				}
			}
			// Which replica wins each freed slot is up to the scheduler, so the test does not ask
			// for both to have sent; it does make both wait on the budget at every step
			// (WaitForWaiters), so with a budget each of their own the bounds above would break.
			if len(from) == 0 {
				t.Errorf("no replica sent anything")
			}
			if last := at[tt.n-1]; last > tt.within {
				t.Errorf("message %d arrived at %v, want by %v: the budget is used, not wasted", tt.n, last, tt.within)
			}
		})
	}
}
