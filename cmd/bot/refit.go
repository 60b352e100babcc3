package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/quiz"
)

// refitSpec is when every replica's cron tries the weekly refit of FSRS weights: daily at 04:00
// UTC, a quiet hour for most communities. The claim names the ISO week, so the first try of a week
// that finishes is the week's only run, and a try that failed (a replica killed mid-fit, a store
// outage) is taken up again the next day rather than a week later.
const refitSpec = "0 4 * * *"

// refitLease bounds how long one refit may hold the week before another replica may take over:
// longer than the fit of a large deployment takes (maxCommunityReviews bounds the pooled fit).
const refitLease = 2 * time.Hour

// refitJob runs quiz.Refit at most once per ISO week across replicas and restarts.
type refitJob struct {
	once  bot.Once
	refit *quiz.Refit
	log   *slog.Logger
	now   func() time.Time
}

func newRefitJob(claims bot.Claims, store quiz.RefitStore, owner string, log *slog.Logger, now func() time.Time) *refitJob {
	return &refitJob{
		once:  bot.Once{Claims: claims, Owner: owner, Lease: refitLease, Keep: 8 * 24 * time.Hour},
		refit: &quiz.Refit{Store: store, Log: log},
		log:   log,
		now:   now,
	}
}

// run refits unless this week's refit is done or under way; it reports what happened.
func (j *refitJob) run(ctx context.Context) bot.OnceResult {
	now := j.now()
	res, err := j.once.Do(ctx, "fsrs-refit:"+quiz.Week(now), func(ctx context.Context) error {
		_, err := j.refit.Run(ctx, now)
		return err
	})
	if err != nil {
		j.log.Warn("weekly refit of FSRS weights failed; tomorrow's run tries again", "err", err)
	}
	return res
}
