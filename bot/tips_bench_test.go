package bot

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/store/storetest"
)

// limitedSink is a platform that accepts at most limit messages in any second, counting the
// messages it had to refuse and each chat's deliveries.
type limitedSink struct {
	mu      sync.Mutex
	limit   int
	times   []time.Time
	over    int
	perChat map[string]int
}

func (s *limitedSink) Send(ctx context.Context, to Destination, replies []Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	recent := 0
	for i := len(s.times) - 1; i >= 0 && now.Sub(s.times[i]) < time.Second; i-- {
		recent++
	}
	if recent >= s.limit {
		s.over++
	}
	s.times = append(s.times, now)
	s.perChat[to.ChatID]++
	return nil
}

// BenchmarkTipFanoutTwoReplicas sends 250 tips due in the same minute from two replicas that
// spend from one fan-out budget (FanoutRate, 25/s), to a platform that allows 30 messages a
// second. It reports the rate achieved, how many messages the platform would have refused, and
// duplicates and losses (both must be 0).
//
//	go test ./bot -run '^$' -bench TipFanoutTwoReplicas -benchtime 1x
func BenchmarkTipFanoutTwoReplicas(b *testing.B) {
	const chats = 250
	for range b.N {
		st := storetest.NewMemory()
		c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
		st.Now = c.now
		sink := &limitedSink{limit: 30, perChat: map[string]int{}}
		// Every replica spends from one bucket, as they would from the store's shared one.
		shared := NewMemoryLimiter(time.Now)
		var scheds []*TipScheduler
		for i := range 2 {
			bt, _, _ := newTipBot(b, st, nil, c)
			bt.Attach("test", sink)
			s, err := bt.TipScheduler(TipSchedulerConfig{Limiter: shared})
			if err != nil {
				b.Fatal(err)
			}
			scheds = append(scheds, s)
			if i == 0 {
				for n := range chats {
					id := fmt.Sprint("u", n)
					bt.Handle(context.Background(), event(id, id, Private, "/subscribe 09:00"))
				}
			}
		}
		c.t = c.t.Add(time.Hour)
		start := time.Now()
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Go(func() {
				if _, err := s.Tick(context.Background(), c.t); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		dup, lost := 0, chats-len(sink.perChat)
		for _, n := range sink.perChat {
			dup += n - 1
		}
		// The first FanoutRate().Burst go at once; the rest are paced.
		burst := FanoutRate().Burst
		b.ReportMetric(float64(chats-burst)/sink.times[len(sink.times)-1].Sub(sink.times[burst-1]).Seconds(), "tips/s")
		b.ReportMetric(float64(sink.over), "over-30/s")
		b.ReportMetric(float64(dup), "duplicates")
		b.ReportMetric(float64(lost), "losses")
		b.ReportMetric(elapsed.Seconds(), "s")
	}
}
