package quiz

import (
	"sync"
	"time"
)

// recordCache keeps recently used progress records so that answering costs one store round trip
// (the commit) instead of two. It keeps them decoded and hands out deep copies, so callers can
// modify what they get without touching the cached record.
type recordCache struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	m   map[string]cachedRecord
}

type cachedRecord struct {
	version uint64
	p       Progress
	params  []byte // shared, never modified
	at      time.Time
}

func newRecordCache(max int, ttl time.Duration) *recordCache {
	return &recordCache{max: max, ttl: ttl, m: make(map[string]cachedRecord)}
}

func (c *recordCache) get(user string, now time.Time) (uint64, Progress, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[user]
	if !ok || now.Sub(r.at) > c.ttl || r.at.Sub(now) > c.ttl {
		return 0, Progress{}, nil, false
	}
	return r.version, r.p.clone(), r.params, true
}

// put caches a copy of the progress a store returned or accepted at version v, with the
// learner's weights.
func (c *recordCache) put(user string, v uint64, p Progress, params []byte, now time.Time) {
	c.own(user, v, p.clone(), params, now)
}

// own caches p itself; the caller must not use p afterwards.
func (c *recordCache) own(user string, v uint64, p Progress, params []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[user]; !ok && len(c.m) >= c.max {
		// Drop about a tenth of the entries; map order makes the choice effectively random.
		n := c.max/10 + 1
		for k := range c.m {
			delete(c.m, k)
			if n--; n == 0 {
				break
			}
		}
	}
	c.m[user] = cachedRecord{version: v, p: p, params: params, at: now}
}

func (c *recordCache) drop(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, user)
}
