package bot

import (
	"context"
	"sync"
	"time"
)

// MemoryLimiter is the in-process Limiter: GCRA over a map of keys, the same arithmetic as the
// Redis store's script, so a replica paces the same way whichever it uses. It is the limiter
// without Redis, and a Pacer's fallback while Redis is down. Its budgets are this process's
// alone. Memory stays bounded by the keys used recently: a key whose budget is full again is
// forgotten, since forgetting it changes nothing.
type MemoryLimiter struct {
	now   func() time.Time
	mu    sync.Mutex
	tats  map[string]time.Time // key → theoretical arrival time of its next event
	swept time.Time
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns an empty limiter on the clock now (nil means time.Now).
func NewMemoryLimiter(now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{now: now, tats: map[string]time.Time{}}
}

// Reserve implements Limiter; it never returns an error.
func (m *MemoryLimiter) Reserve(_ context.Context, rates []Rate) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	var wait time.Duration
	for _, r := range rates {
		if r.Interval() == 0 {
			continue
		}
		tat := m.tats[r.Key]
		if tat.Before(now) {
			tat = now
		}
		// The event fits when the budget spent ahead of now is within the burst tolerance.
		wait = max(wait, tat.Sub(now)-r.Tolerance())
	}
	if wait > 0 {
		return wait, nil
	}
	for _, r := range rates {
		if r.Interval() == 0 {
			continue
		}
		tat := m.tats[r.Key]
		if tat.Before(now) {
			tat = now
		}
		m.tats[r.Key] = tat.Add(r.Interval())
	}
	return 0, nil
}

// refund gives back one event of every rate, as if the last Reserve that granted it had not: a
// Pacer takes this process's share first and hands it back when the shared budget says no.
func (m *MemoryLimiter) refund(rates []Rate) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range rates {
		if tat, ok := m.tats[r.Key]; ok && r.Interval() > 0 {
			m.tats[r.Key] = tat.Add(-r.Interval())
		}
	}
}

// sweep forgets keys whose budget is whole again, at most once a second and only once the map
// has grown: a key costs a map entry for at most Burst intervals after its last event.
func (m *MemoryLimiter) sweep(now time.Time) {
	if len(m.tats) < 1024 || now.Sub(m.swept) < time.Second {
		return
	}
	m.swept = now
	for k, tat := range m.tats {
		if !tat.After(now) {
			delete(m.tats, k)
		}
	}
}

// Len is how many keys the limiter holds, for tests of its memory bound.
func (m *MemoryLimiter) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tats)
}
