package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pybrarian/pybrarian/store/bolt"
	"github.com/pybrarian/pybrarian/store/redis"
)

// runMigrate copies every learner's progress from the embedded store (BOT_DATA_DIR) into Redis
// (REDIS_URL or REDIS_CLUSTER_ADDRS). Learners who already have a record in Redis are left alone and
// counted, so running it twice is safe. Stop the bot first: the embedded store allows one process.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: bot migrate   (copies BOT_DATA_DIR's progress into REDIS_URL or REDIS_CLUSTER_ADDRS)")
		return 2
	}
	cfg := DefaultConfig()
	cfg.fromEnv(getenv)
	if !cfg.usesRedis() {
		fmt.Fprintln(stderr, "bot migrate: set REDIS_URL or REDIS_CLUSTER_ADDRS to the Redis to copy into")
		return 2
	}
	if err := cfg.redis().Validate(); err != nil {
		fmt.Fprintln(stderr, "bot migrate:", err)
		return 2
	}
	src, err := bolt.Open(cfg.DataDir)
	if err != nil {
		fmt.Fprintln(stderr, "bot migrate: BOT_DATA_DIR:", err)
		return 1
	}
	defer src.Close()
	dst, err := redis.Open(ctx, cfg.redis())
	if err != nil {
		fmt.Fprintln(stderr, "bot migrate:", err)
		return 1
	}
	defer dst.Close()
	if err := dst.Ping(ctx); err != nil {
		fmt.Fprintln(stderr, "bot migrate: Redis is not answering:", err)
		return 1
	}
	var copied, skipped, cards int
	err = src.ForEachUser(ctx, func(user string, l bolt.Learner) error {
		rec := l.Record
		for k, v := range l.Settings {
			if cur, err := dst.UserSetting(ctx, user, k); err != nil {
				return fmt.Errorf("%s: %w", user, err)
			} else if cur == "" {
				if err := dst.SetUserSetting(ctx, user, k, v); err != nil {
					return fmt.Errorf("%s: %w", user, err)
				}
			}
		}
		if rec.Version == 0 {
			return nil // settings only: nothing answered yet
		}
		switch err := dst.Import(ctx, user, rec, l.History); {
		case errors.Is(err, redis.ErrExists):
			skipped++
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", user, err)
		}
		copied++
		cards += len(rec.Cards)
		return nil
	})
	fmt.Fprintf(stdout, "copied %d learners (%d card states); %d already in Redis were left alone\n", copied, cards, skipped)
	if err != nil {
		fmt.Fprintln(stderr, "bot migrate:", err)
		return 1
	}
	return 0
}
