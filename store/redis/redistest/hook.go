package redistest

import (
	"context"
	"maps"
	"strings"
	"sync"

	goredis "github.com/redis/go-redis/v9"
)

// RoundTrips is a go-redis hook that counts round trips to Redis: every command sent on its own and
// every pipeline (a MULTI/EXEC transaction included) counts once, whatever it holds. Install it with
// the store's AddHook. It is safe for concurrent use.
type RoundTrips struct {
	mu    sync.Mutex
	total int64
	names map[string]int64
}

var _ goredis.Hook = (*RoundTrips)(nil)

// DialHook implements goredis.Hook; dials are not counted.
func (r *RoundTrips) DialHook(next goredis.DialHook) goredis.DialHook { return next }

// ProcessHook implements goredis.Hook.
func (r *RoundTrips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		r.add(strings.ToLower(cmd.Name()))
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook implements goredis.Hook.
func (r *RoundTrips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		r.add("pipeline")
		return next(ctx, cmds)
	}
}

func (r *RoundTrips) add(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names == nil {
		r.names = map[string]int64{}
	}
	r.total++
	r.names[name]++
}

// Count returns the round trips since the last Reset.
func (r *RoundTrips) Count() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// ByCommand returns the round trips since the last Reset by command name ("evalsha", "pipeline").
func (r *RoundTrips) ByCommand() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.names)
}

// Reset starts counting again from zero.
func (r *RoundTrips) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total = 0
	r.names = nil
}
