package redis

import (
	"context"
	"fmt"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/store/redis/redistest"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// factory runs each conformance subtest in its own key space; a restart is Close and Open on the
// same prefix. Redis expires claims by its own clock, so Advance shortens the remaining time to
// live of the subtest's claim keys instead.
func factory(c Config) storetest.Factory {
	return func(t *testing.T) storetest.Harness {
		c := c
		c.Prefix = uniquePrefix()
		s := mustOpen(t, c)
		h := storetest.Harness{Backend: s}
		h.Restart = func() storetest.Backend {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, c)
			return s
		}
		h.Advance = func(d time.Duration) { advanceClaims(t, s, d) }
		return h
	}
}

// advanceClaims takes d off the time to live of every claim key under s's prefix, deleting those
// it runs out; tests only (it scans).
func advanceClaims(t *testing.T, s *Store, d time.Duration) {
	t.Helper()
	err := forEachMaster(s, func(ctx context.Context, c *goredis.Client) error {
		iter := c.Scan(ctx, 0, s.keys.claim("*"), 100).Iterator()
		for iter.Next(ctx) {
			k := iter.Val()
			ttl, err := c.PTTL(ctx, k).Result()
			if err != nil {
				return err
			}
			if ttl <= d {
				err = c.Del(ctx, k).Err()
			} else {
				err = c.PExpire(ctx, k, ttl-d).Err()
			}
			if err != nil {
				return err
			}
		}
		return iter.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// forEachMaster runs f on the single Redis, or on every master of a Cluster.
func forEachMaster(s *Store, f func(context.Context, *goredis.Client) error) error {
	ctx := context.Background()
	switch c := s.client.(type) {
	case *goredis.Client:
		return f(ctx, c)
	case *goredis.ClusterClient:
		return c.ForEachMaster(ctx, f)
	}
	return fmt.Errorf("unexpected client %T", s.client)
}

func TestConformance(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, factory(Config{URL: srv.URL()}))
}

func TestConformanceCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	storetest.Run(t, factory(Config{ClusterAddrs: cl.Addrs()}))
}
