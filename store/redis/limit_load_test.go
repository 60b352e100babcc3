package redis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// platform is a fake chat platform that refuses a message arriving when 30 have arrived in the
// second before it, as Telegram's flood control would, and records the rest.
type platform struct {
	mu       sync.Mutex
	arrivals []time.Time // accepted, in order
	got      map[int]int // tip → times accepted
	refused  int
}

var errFlood = errors.New("429 Too Many Requests")

func (p *platform) send(tip int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	n := 0
	for i := len(p.arrivals) - 1; i >= 0 && now.Sub(p.arrivals[i]) < time.Second; i-- {
		n++
	}
	if n >= 30 {
		p.refused++
		return errFlood
	}
	p.arrivals = append(p.arrivals, now)
	p.got[tip]++
	return nil
}

// TestFanoutLoad measures the daily tip's fan-out with two replicas sharing one Redis: each
// replica (its own Store, its own connections) runs four senders that take tips from one queue
// (what claiming due subscriptions gives them) and send each as fast as bot.Wait with
// bot.FanoutRate lets them, to a platform that refuses more than 30 a second. It checks the
// combined rate is within 5% of 25 a second, with no tip lost or sent twice, and logs the
// figures for BENCHMARKS.md. It takes real time (Redis's clock is the budget's), so it runs only
// when asked:
//
//	PYBRARIAN_LOAD=1 go test ./store/redis -run TestFanoutLoad -v
//
// PYBRARIAN_LOAD_TIPS sets the number of tips (default 1000, 40 s), PYBRARIAN_LOAD_SENDERS the
// senders per replica (default 4), PYBRARIAN_LOAD_CLUSTER=1 runs on a three-node Cluster.
func TestFanoutLoad(t *testing.T) {
	if os.Getenv("PYBRARIAN_LOAD") == "" {
		t.Skip("set PYBRARIAN_LOAD=1 to measure the shared fan-out rate")
	}
	tips, senders := 1000, 4
	fmt.Sscan(os.Getenv("PYBRARIAN_LOAD_TIPS"), &tips)
	fmt.Sscan(os.Getenv("PYBRARIAN_LOAD_SENDERS"), &senders)
	c := Config{Prefix: uniquePrefix()}
	if os.Getenv("PYBRARIAN_LOAD_CLUSTER") != "" {
		c.ClusterAddrs = redistest.StartCluster(t, 3).Addrs()
	} else {
		c.URL = redistest.Start(t, redistest.Args("--appendfsync", "everysec")).URL()
	}
	queue := make(chan int, tips)
	for i := range tips {
		queue <- i
	}
	close(queue)
	p := &platform{got: map[int]int{}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var reserves, fallbacks int
	start := time.Now()
	for range 2 {
		s := mustOpen(t, c)
		var rt redistest.RoundTrips
		s.AddHook(&rt)
		pacer := bot.NewPacer(s, nil, nil)
		for range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for tip := range queue {
					for {
						if err := bot.Wait(ctx, pacer, []bot.Rate{bot.FanoutRate()}, bot.Sleep); err != nil {
							t.Error(err)
							return
						}
						if !pacer.Shared() {
							mu.Lock()
							fallbacks++
							mu.Unlock()
						}
						if p.send(tip) == nil {
							break
						}
					}
				}
			}()
		}
		defer func() {
			mu.Lock()
			reserves += int(rt.Count())
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)

	lost, dup := 0, 0
	for i := range tips {
		switch n := p.got[i]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	a := p.arrivals
	rate := float64(len(a)-1) / a[len(a)-1].Sub(a[0]).Seconds()
	peak := 0
	for i := range a {
		n := sort.Search(len(a), func(j int) bool { return !a[j].Before(a[i].Add(time.Second)) }) - i
		peak = max(peak, n)
	}
	t.Logf("%d tips in %v by 2 replicas × %d senders: %.2f/s combined (target 25/s), peak %d in any second, "+
		"%d refused by the platform, %d lost, %d sent twice, %d in-process fallbacks",
		tips, took.Round(time.Millisecond), senders, rate, peak, p.refused, lost, dup, fallbacks)
	t.Cleanup(func() { t.Logf("%d Reserve round trips, %.2f per tip", reserves, float64(reserves)/float64(tips)) })
	if rate < 25*0.95 || rate > 25*1.05 {
		t.Errorf("combined rate %.2f/s, want within 5%% of 25/s", rate)
	}
	if lost != 0 || dup != 0 || p.refused != 0 {
		t.Errorf("%d lost, %d sent twice, %d refused; want none", lost, dup, p.refused)
	}
}

// BenchmarkReserve is one reservation of a Telegram group message (the bot's, the chat's and the
// group's budgets) on one Redis: the cost every message out adds. Budgets are large, so every
// reservation is granted and charges three keys.
func BenchmarkReserve(b *testing.B) {
	for _, bc := range []struct {
		name     string
		parallel bool
	}{{"serial", false}, {"parallel", true}} {
		b.Run(bc.name, func(b *testing.B) {
			s := mustOpen(b, Config{URL: redistest.Start(b, redistest.Args("--appendfsync", "everysec")).URL()})
			rates := []bot.Rate{
				{Key: "telegram:global", Limit: 1_000_000, Period: time.Second, Burst: 1000},
				{Key: "telegram:chat:-100", Limit: 1_000_000, Period: time.Second, Burst: 1000},
				{Key: "telegram:group:-100", Limit: 1_000_000, Period: time.Second, Burst: 1000},
			}
			reserve(b, s, rates...)
			var rt redistest.RoundTrips
			s.AddHook(&rt)
			b.ReportAllocs()
			b.ResetTimer()
			if bc.parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := s.Reserve(context.Background(), rates); err != nil {
							b.Error(err)
							return
						}
					}
				})
			} else {
				for b.Loop() {
					reserve(b, s, rates...)
				}
			}
			b.StopTimer()
			if d := reserve(b, s, rates...); d != 0 {
				b.Fatalf("a reservation was refused (%v): the benchmark measured refusals", d)
			}
			b.ReportMetric(float64(rt.Count()-1)/float64(b.N), "roundtrips/op")
		})
	}
}
