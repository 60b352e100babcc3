package redis

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

// boardTTL is how long a chat's weekly leaderboard outlives its last credit: the week itself plus
// a month in which /leaderboard can still be asked about it, more or less.
const boardTTL = 35 * 24 * time.Hour

// creditAttempts is how often a Cluster's separate credit script is tried, within the store's
// credit budget; it is idempotent.
const creditAttempts = 3

// creditArgs is the credit part of a script's ARGV: answer digest, user, name, points, TTL.
func creditArgs(c *quiz.Credit) []any {
	return []any{answerDigest(c.Answer), c.User, c.Name, c.Points, int64(boardTTL / time.Second)}
}

// answerDigest stands for an answer id in the credited-answer set: answer ids contain the user
// key, and the set outlives /forget until it expires. 96 bits keep collisions out of reach.
func answerDigest(answer string) string {
	sum := sha256.Sum256([]byte(answer))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// creditAlone runs the credit on its own (on a Cluster, after the learner's write succeeded).
// Giving up loses these points but never the answer, which is already recorded; a failure that
// is not an outage (a bug) is not retried.
func (s *Store) creditAlone(ctx context.Context, c *quiz.Credit) {
	ctx, cancel := context.WithTimeout(ctx, s.creditBudget)
	defer cancel()
	pts, names, seen := s.keys.board(c.Board)
	keys := []string{pts, names, seen}
	args := creditArgs(c)
	for range creditAttempts {
		err := creditScript.Run(ctx, s.client, keys, args...).Err()
		if err == nil {
			return
		}
		if !unavailable(err) || ctx.Err() != nil {
			break
		}
	}
	s.lostCredits.Add(1)
}

// Top implements quiz.Leaderboards: one round trip reads the week's points and names (one chat's
// week is small), and quiz.Rank orders them as every backend does.
func (s *Store) Top(ctx context.Context, b quiz.Board, n int, user string) ([]quiz.Standing, quiz.Standing, bool, error) {
	pts, names, _ := s.keys.board(b)
	var ptsCmd *goredis.ZSliceCmd
	var namesCmd *goredis.MapStringStringCmd
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		ptsCmd = p.ZRangeWithScores(ctx, pts, 0, -1)
		namesCmd = p.HGetAll(ctx, names)
		return nil
	})
	if err != nil {
		return nil, quiz.Standing{}, false, fail("leaderboard", err)
	}
	var all []quiz.Standing
	for _, z := range ptsCmd.Val() {
		u, _ := z.Member.(string)
		all = append(all, quiz.Standing{User: u, Name: namesCmd.Val()[u], Points: int(math.Round(z.Score))})
	}
	top, me, ok := quiz.Rank(all, n, user)
	return top, me, ok, nil
}
