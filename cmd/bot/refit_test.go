package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// failingLearners is a store whose learner listing fails while fail is set.
type failingLearners struct {
	*storetest.Memory
	fail bool
}

func (f *failingLearners) Learners(ctx context.Context, fn func(string) error) error {
	if f.fail {
		return errors.New("store down")
	}
	return f.Memory.Learners(ctx, fn)
}

// TestRefitRunsOnceAWeekAcrossReplicas: every replica's cron fires daily; the week's refit runs on
// one of them, once, and a failed run is retried the next day.
func TestRefitRunsOnceAWeekAcrossReplicas(t *testing.T) {
	st := storetest.NewMemory()
	now := time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC) // a Monday
	st.Now = func() time.Time { return now }
	clock := func() time.Time { return now }
	store := &failingLearners{Memory: st, fail: true}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := newRefitJob(st, store, "replica-a", quiet, clock)
	b := newRefitJob(st, store, "replica-b", quiet, clock)
	ctx := context.Background()

	if got := a.run(ctx); got != bot.Ran {
		t.Fatalf("first try of the week: %v, want it to run", got)
	}
	store.fail = false
	now = now.Add(24 * time.Hour)
	if got := b.run(ctx); got != bot.Ran {
		t.Fatalf("the day after a failed run: %v, want another replica to run it", got)
	}
	for day := 1; day < 6; day++ {
		now = now.Add(24 * time.Hour)
		for _, j := range []*refitJob{a, b} {
			if got := j.run(ctx); got != bot.AlreadyDone {
				t.Fatalf("%s later in the week: %v, want it left alone", now.Weekday(), got)
			}
		}
	}
	now = now.Add(24 * time.Hour) // the next Monday
	if got := a.run(ctx); got != bot.Ran {
		t.Errorf("a new week: %v, want the refit to run", got)
	}
}
