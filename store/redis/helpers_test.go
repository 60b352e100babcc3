package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

var ctx = context.Background()

// runID keeps prefixes unique across test runs sharing one server (BOT_TEST_REDIS_URL).
var runID = func() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

var prefixes atomic.Int64

// uniquePrefix gives each test its own key space on a shared server.
func uniquePrefix() string { return fmt.Sprintf("t%s.%d", runID, prefixes.Add(1)) }

// mustOpen opens a store on c with a fresh prefix unless c has one, and closes it when the test
// ends. On a shared server (BOT_TEST_REDIS_URL) it first deletes the test's keys.
func mustOpen(t testing.TB, c Config) *Store {
	t.Helper()
	if c.Prefix == "" {
		c.Prefix = uniquePrefix()
	}
	s, err := Open(ctx, c)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if os.Getenv(redistest.EnvURL) != "" && c.URL != "" {
		t.Cleanup(func() {
			// Tests may walk the key space; the store never does.
			iter := s.client.Scan(ctx, 0, c.Prefix+":*", 1000).Iterator()
			for iter.Next(ctx) {
				s.client.Del(ctx, iter.Val())
			}
		})
	}
	return s
}
