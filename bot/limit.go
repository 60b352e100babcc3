package bot

import (
	"context"
	"time"
)

// Rate is one budget that sends spend from: at most Limit events per Period under Key, with
// bursts of up to Burst (at least 1). Every replica that names the same Key against the same
// store spends from the same budget, so a platform's limits hold however many replicas send.
type Rate struct {
	Key    string
	Limit  int
	Period time.Duration
	Burst  int
}

// Limiter paces work that a platform or the operator limits: platform sends, ordinary replies
// and the daily tip's fan-out alike. The Redis store implements it with a shared GCRA bucket per
// key; an in-process implementation serves the embedded store and tests.
type Limiter interface {
	// Reserve takes one event from every rate, all or nothing. It returns 0 when the event may
	// happen now (and has been counted), or how long to wait before asking again (nothing taken).
	// An error means the limiter could not decide (its store is down); callers then fall back
	// to their own in-process pacing rather than stall.
	Reserve(ctx context.Context, rates []Rate) (time.Duration, error)
}
