package redis

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// BenchmarkTipClaimAndReschedule is the daily tip's store work when 100,000 subscriptions fall
// due in the same minute: claiming them all in batches of 1,000 (the claim script) and putting
// each back due at its next local delivery, computed in Go from its zone (the reschedule script),
// on one redis-server with appendfsync everysec, as in production. It reports the seconds that
// takes, and the Redis memory each subscription costs (INFO used_memory before and after seeding,
// and MEMORY USAGE of the four keys).
//
//	go test ./store/redis -run '^$' -bench TipClaimAndReschedule -benchtime 3x
func BenchmarkTipClaimAndReschedule(b *testing.B) {
	const subs, batch = 100_000, 1000
	srv := redistest.Start(b, redistest.Args("--appendfsync", "everysec"))
	if srv.Pid() == 0 {
		b.Skip("needs a server of its own")
	}
	s := mustOpen(b, Config{URL: srv.URL()})
	zones := []string{"UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin"}
	due := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	var seconds, perSub, perSubKeys float64
	for range b.N {
		b.StopTimer()
		if err := s.client.Del(ctx, s.keys.tipKeys()...).Err(); err != nil {
			b.Fatal(err)
		}
		before := usedMemory(b, srv)
		if err := putTipScript.Load(ctx, s.client).Err(); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < subs; i += batch {
			pipe := s.client.Pipeline()
			for j := i; j < i+batch; j++ {
				id := strconv.Itoa(-1001234567890 - j) // a Telegram group's id
				sub := tip.Subscription{Chat: "telegram:" + id, Platform: "telegram", ChatID: id, Group: true,
					At: 9 * 60, Zone: zones[j%len(zones)], Lang: "en", Next: due}
				putTipScript.EvalSha(ctx, pipe, s.keys.tipKeys(), sub.Chat, tip.EncodeSubscription(sub), due.UnixMilli())
			}
			if _, err := pipe.Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
		perSub = float64(usedMemory(b, srv)-before) / subs
		var keyBytes int64
		for _, k := range s.keys.tipKeys() {
			n, _ := s.client.MemoryUsage(ctx, k, 0).Result()
			keyBytes += n
		}
		perSubKeys = float64(keyBytes) / subs
		locs := map[string]*time.Location{}
		for _, z := range zones {
			locs[z], _ = tip.LoadZone(z)
		}
		now := due.Add(200 * time.Millisecond)
		b.StartTimer()
		start := time.Now()
		claimed := 0
		for {
			cs, err := s.ClaimDue(ctx, now, now.Add(2*time.Minute), batch)
			if err != nil {
				b.Fatal(err)
			}
			if len(cs) == 0 {
				break
			}
			rs := make([]tip.Resched, len(cs))
			for i, c := range cs {
				next, _ := tip.Next(now, c.At, locs[c.Zone])
				rs[i] = tip.Resched{Chat: c.Chat, Lease: c.Lease, Next: next}
			}
			if err := s.Reschedule(ctx, rs); err != nil {
				b.Fatal(err)
			}
			claimed += len(cs)
		}
		seconds += time.Since(start).Seconds()
		if claimed != subs {
			b.Fatalf("claimed %d subscriptions, want %d", claimed, subs)
		}
	}
	// Each delivery also leaves a done mark (bot.Once) for a day: its size, for one.
	mark := "tip:telegram:-1001234567890:2026-11-28#done"
	if _, err := s.Claim(ctx, mark, "\x00done", 26*time.Hour); err != nil {
		b.Fatal(err)
	}
	markBytes, err := s.client.MemoryUsage(ctx, s.keys.claim(mark), 0).Result()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(markBytes), "mark-B/sub")
	b.ReportMetric(seconds/float64(b.N), "s/100k")
	b.ReportMetric(perSub, "used_memory-B/sub")
	b.ReportMetric(perSubKeys, "key-B/sub")
}

// usedMemory is INFO memory's used_memory of srv.
func usedMemory(b *testing.B, srv *redistest.Server) int64 {
	b.Helper()
	info, err := redistest.Do(srv.Addr(), "INFO", "memory")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal(fmt.Sprintf("no used_memory in INFO memory: %q", info))
	return 0
}
