package telegram_test

import (
	"context"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/store/redis"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestReplicasOnRedisLoad is TestReplicasShareTheFloodLimits with the real shared limiter: two
// replicas, each with its own connection to one redis-server, send to one private chat as fast
// as they can for about 20 seconds, and the fake server's arrival times (real time, the budget
// being on Redis's clock) are checked against Telegram's one a second per chat after a burst of 3.
// Arrivals may trail their reservation by a request's latency, so each window is allowed 50 ms
// of slack. It takes real time, so it runs only when asked:
//
//	PYBRARIAN_LOAD=1 go test ./adapters/telegram -run TestReplicasOnRedisLoad -v
func TestReplicasOnRedisLoad(t *testing.T) {
	if os.Getenv("PYBRARIAN_LOAD") == "" {
		t.Skip("set PYBRARIAN_LOAD=1 to measure two replicas sharing Redis's flood budgets")
	}
	url := redistest.Start(t, redistest.Args("--appendfsync", "everysec")).URL()
	srv := telegramtest.NewServer(t)
	srv.SetClock(time.Now)
	var replicas []*telegram.Adapter
	for range 2 {
		st, err := redis.Open(context.Background(), redis.Config{URL: url, Prefix: "load"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		replicas = append(replicas, replica(t, srv, bot.SystemClock, st))
	}
	to := bot.Destination{Platform: telegram.Platform, ChatID: "1001", Chat: bot.Private}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, a := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				a.Send(ctx, to, []bot.Reply{{Text: bot.Text("tip")}})
			}
		}()
	}
	wg.Wait()

	var at []time.Time
	for _, c := range srv.Calls("sendMessage") {
		at = append(at, c.At)
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	worst := map[time.Duration]int{}
	for _, w := range []time.Duration{time.Second, 5 * time.Second, 10 * time.Second} {
		for i := range at {
			n := sort.Search(len(at), func(j int) bool { return !at[j].Before(at[i].Add(w - 50*time.Millisecond)) }) - i
			worst[w] = max(worst[w], n)
		}
		if limit := 2 + int(w/time.Second); worst[w] > limit {
			t.Errorf("%d messages within %v, want at most %d (a burst of 3, then one a second)", worst[w], w, limit)
		}
	}
	span := at[len(at)-1].Sub(at[0])
	t.Logf("%d messages to one chat from 2 replicas in %v: %.2f/s after the burst; most in any 1 s: %d, 5 s: %d, 10 s: %d",
		len(at), span.Round(time.Millisecond), float64(len(at)-3)/span.Seconds(), worst[time.Second], worst[5*time.Second], worst[10*time.Second])
}
