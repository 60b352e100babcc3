package redis

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// countingSink is a Sender that counts what each chat received.
type countingSink struct {
	mu   sync.Mutex
	sent map[string]int
}

func (s *countingSink) Send(ctx context.Context, to bot.Destination, replies []bot.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[to.ChatID] += len(replies)
	return nil
}

// raceTipSchedulers runs three replicas' tip schedulers, each with its own connections, over the
// same Redis at once, ticking every minute through a delivery time, and checks that every chat
// got its tip exactly once.
func raceTipSchedulers(t *testing.T, c Config) {
	const chats, replicas = 90, 3
	c.Prefix = uniquePrefix()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	sink := &countingSink{sent: map[string]int{}}
	var scheds []*bot.TipScheduler
	for i := range replicas {
		s := mustOpen(t, c)
		core, err := bot.New(bot.Config{Content: kb, Settings: s, Claims: s, Tips: s, Now: now, Replica: fmt.Sprint("r", i),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		core.Attach("test", sink)
		sched, err := core.TipScheduler(bot.TipSchedulerConfig{Batch: 7})
		if err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, sched)
		if i == 0 {
			for n := range chats {
				id := fmt.Sprint(n)
				zone := []string{"UTC", "Europe/London", "Africa/Abidjan"}[n%3] // 09:00 there is 09:00 UTC in November
				if err := s.PutSubscription(ctx, tip.Subscription{Chat: "test:" + id, Platform: "test", ChatID: id,
					At: 9 * 60, Zone: zone, Lang: "en", Next: at}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, tick := range []time.Time{at, at.Add(time.Minute), at.Add(2 * time.Minute)} {
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Go(func() {
				if _, err := s.Tick(ctx, tick); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if len(sink.sent) != chats {
		t.Errorf("%d chats got a tip, want %d", len(sink.sent), chats)
	}
	for chat, n := range sink.sent {
		if n != 1 {
			t.Errorf("chat %s got %d tips, want 1", chat, n)
		}
	}
	s := mustOpen(t, c)
	got, err := s.Subscription(ctx, "test:0")
	if err != nil || !got.Next.Equal(at.Add(24*time.Hour)) {
		t.Errorf("after the race, a subscription = %+v, %v; want it due the next day", got, err)
	}
}

func TestTipSchedulersRace(t *testing.T) {
	srv := redistest.Start(t)
	raceTipSchedulers(t, Config{URL: srv.URL()})
}

func TestTipSchedulersRaceCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	raceTipSchedulers(t, Config{ClusterAddrs: cl.Addrs()})
}
