package redis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

// Load implements quiz.Store: one round trip. With cards it pipelines the record read before the
// card states: a commit landing between the two can only make the cards newer than the version,
// which the next commit's version check then catches. (A MULTI/EXEC would be refused outright by
// a Redis out of memory, and reads must keep working then.)
func (s *Store) Load(ctx context.Context, user string, withCards bool) (quiz.Record, error) {
	if !withCards {
		vals, err := s.client.HMGet(ctx, s.keys.rec(user), "v", "p", "w").Result()
		if err != nil {
			return quiz.Record{}, fail("load", err)
		}
		return record(vals)
	}
	var recCmd *goredis.SliceCmd
	var cardsCmd *goredis.MapStringStringCmd
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		recCmd = p.HMGet(ctx, s.keys.rec(user), "v", "p", "w")
		cardsCmd = p.HGetAll(ctx, s.keys.cards(user))
		return nil
	})
	if err != nil {
		return quiz.Record{}, fail("load", err)
	}
	rec, err := record(recCmd.Val())
	if err != nil {
		return quiz.Record{}, err
	}
	rec.Cards = make(map[string][]byte, len(cardsCmd.Val()))
	for id, st := range cardsCmd.Val() {
		rec.Cards[id] = []byte(st)
	}
	return rec, nil
}

// record decodes HMGET rec v p w; a missing record is the zero Record.
func record(vals []any) (quiz.Record, error) {
	var rec quiz.Record
	if len(vals) != 3 {
		return rec, fmt.Errorf("redis: load: HMGET returned %d values", len(vals))
	}
	if w, ok := vals[2].(string); ok && w != "" {
		rec.Params = []byte(w)
	}
	if v, ok := vals[0].(string); ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return rec, fmt.Errorf("redis: load: bad record version %q", v)
		}
		rec.Version = n
	}
	if p, ok := vals[1].(string); ok && p != "" {
		rec.Progress = []byte(p)
	}
	return rec, nil
}

// Commit implements quiz.Store with one script, so the version check and every write are atomic
// and cost one round trip. On a single Redis the leaderboard credit is part of the same script;
// on a Cluster it follows in a second, idempotent script once the learner's write succeeded (see
// LostCredits for when even its retries fail: the answer is then recorded without its points).
func (s *Store) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	keys := []string{s.keys.rec(user), s.keys.cards(user), s.keys.history(user)}
	args := append([]any{s.deadline(ctx, time.Now())}, cardArgs(w.Expect, w.Progress, w.Cards, 6)...)
	args = append(args, w.Review)
	inline := w.Credit != nil && !s.cluster
	if inline {
		pts, names, seen := s.keys.board(w.Credit.Board)
		keys = append(keys, pts, names, seen)
		args = append(args, creditArgs(w.Credit)...)
	}
	v, err := commitScript.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return 0, fail("commit", err)
	}
	switch v {
	case 0:
		return 0, quiz.ErrConflict
	case -1:
		return 0, fmt.Errorf("redis: commit reached Redis after its deadline and was not applied: %w", quiz.ErrUnavailable)
	}
	if uint64(v) != w.Expect+1 {
		return 0, fmt.Errorf("redis: commit: version %d after expecting %d", v, w.Expect)
	}
	if w.Credit != nil && !inline {
		s.creditAlone(ctx, w.Credit)
	}
	return uint64(v), nil
}

// clockSkew is how far the bot's and Redis's clocks may disagree before a commit's deadline could
// refuse a commit the client still waits for.
const clockSkew = time.Second

// deadline is the latest time (Unix ms) a commit sent now may still be applied: when the client
// has stopped waiting for it, plus clockSkew.
func (s *Store) deadline(ctx context.Context, now time.Time) int64 {
	d := now.Add(s.timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	return d.Add(clockSkew).UnixMilli()
}

// cardArgs builds the ARGV shared by the commit and import scripts: a number (version), progress,
// the card count and the (id, state) pairs, with room for extra more.
func cardArgs(n uint64, progress []byte, cards map[string][]byte, extra int) []any {
	args := make([]any, 0, 3+2*len(cards)+extra)
	args = append(args, n, progress, len(cards))
	for id, st := range cards {
		args = append(args, id, st)
	}
	return args
}

// Forget implements quiz.Store: the learner's keys and their entries on the given leaderboards go
// in one pipeline (one round trip on a single Redis; one per node on a Cluster).
func (s *Store) Forget(ctx context.Context, user string, boards []quiz.Board) error {
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.Del(ctx, s.keys.rec(user), s.keys.cards(user), s.keys.userSettings(user), s.keys.history(user))
		for _, b := range boards {
			pts, names, _ := s.keys.board(b)
			p.ZRem(ctx, pts, user)
			p.HDel(ctx, names, user)
		}
		return nil
	})
	if err != nil {
		return fail("forget", err)
	}
	return nil
}

// Import writes rec, with its version, progress and every card state, and the learner's review
// history, for a learner who has no record yet; `bot migrate` uses it to copy the embedded store
// into Redis. It returns an error wrapping ErrExists, and writes nothing, when the learner already
// has one, so a migration can be run again and skip those already copied.
func (s *Store) Import(ctx context.Context, user string, rec quiz.Record, history []byte) error {
	if rec.Version == 0 {
		return fmt.Errorf("redis: import %s: a record to import has a version (got 0)", user)
	}
	keys := []string{s.keys.rec(user), s.keys.cards(user), s.keys.history(user)}
	args := append(cardArgs(rec.Version, rec.Progress, rec.Cards, 1), quiz.TrimHistory(history))
	ok, err := importScript.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return fail("import", err)
	}
	if ok == 0 {
		return fmt.Errorf("redis: import %s: %w", user, ErrExists)
	}
	return nil
}

// Replace implements quiz.Store with one script on the learner's slot: every key it writes
// shares the learner's hash tag, so a merged learner's progress lives under its learner key's tag
// on a Cluster too.
func (s *Store) Replace(ctx context.Context, user string, expect uint64, rec quiz.Record, history []byte) (uint64, error) {
	keys := []string{s.keys.rec(user), s.keys.cards(user), s.keys.history(user)}
	args := append(cardArgs(expect, rec.Progress, rec.Cards, 2), quiz.TrimHistory(history), rec.Params)
	v, err := replaceScript.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return 0, fail("replace", err)
	}
	if v == 0 {
		return 0, quiz.ErrConflict
	}
	return uint64(v), nil
}

// MemoryUsage returns the bytes Redis uses for the learner's keys (MEMORY USAGE, counting every
// field), 0 for a learner it does not know.
func (s *Store) MemoryUsage(ctx context.Context, user string) (int64, error) {
	var cmds []*goredis.IntCmd
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, k := range []string{s.keys.rec(user), s.keys.cards(user)} {
			cmds = append(cmds, p.MemoryUsage(ctx, k, 0))
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return 0, fail("memory usage", err)
	}
	var total int64
	for _, c := range cmds {
		n, err := c.Result()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return 0, fail("memory usage", err)
		}
		total += n
	}
	return total, nil
}

// asideTTL is how long a record set aside is kept for the operator.
const asideTTL = 30 * 24 * time.Hour

func (k keys) aside(user, kind string) string { return k.user(user, "aside:"+kind) }

// SetAside copies the learner's record and card states to keys of their own (sharing the
// learner's hash tag) for 30 days, for the operator to study why the record could not be decoded:
// pyb:{telegram:42}:aside:rec and pyb:{telegram:42}:aside:cards.
func (s *Store) SetAside(ctx context.Context, user string) error {
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, kind := range []string{"rec", "cards"} {
			src, dst := s.keys.user(user, kind), s.keys.aside(user, kind)
			p.Copy(ctx, src, dst, 0, true)
			p.Expire(ctx, dst, asideTTL)
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return fail("set aside", err)
	}
	return nil
}

func (k keys) history(user string) string { return k.user(user, "hist") }

// History implements quiz.Store: one HGETALL of the learner's history buckets, put in order.
func (s *Store) History(ctx context.Context, user string) ([]byte, error) {
	fields, err := s.client.HGetAll(ctx, s.keys.history(user)).Result()
	if err != nil {
		return nil, fail("history", err)
	}
	var buckets []int
	for f := range fields {
		if k, err := strconv.Atoi(f); err == nil {
			buckets = append(buckets, k)
		}
	}
	if len(buckets) == 0 {
		return nil, nil
	}
	slices.Sort(buckets)
	var out []byte
	for _, k := range buckets {
		out = append(out, fields[strconv.Itoa(k)]...)
	}
	return quiz.TrimHistory(out), nil
}

// setParamsScript stores or removes a learner's FSRS weights and moves the version on.
//
//	KEYS: rec
//	ARGV: params ("" removes them)
var setParamsScript = goredis.NewScript(`
if ARGV[1] == '' then
  redis.call('HDEL', KEYS[1], 'w')
else
  redis.call('HSET', KEYS[1], 'w', ARGV[1])
end
return redis.call('HINCRBY', KEYS[1], 'v', 1)
`)

// SetParams implements quiz.Store: one script, so the weights and the version move together.
func (s *Store) SetParams(ctx context.Context, user string, params []byte) error {
	if err := setParamsScript.Run(ctx, s.client, []string{s.keys.rec(user)}, params).Err(); err != nil {
		return fail("set params", err)
	}
	return nil
}

// Learners implements quiz.RefitStore by scanning for history keys (on every master of a
// Cluster): a background job's walk of the key space, which nothing on a request path does.
func (s *Store) Learners(ctx context.Context, fn func(user string) error) error {
	pattern := s.keys.prefix + ":{*}:hist"
	var users []string
	scan := func(ctx context.Context, c *goredis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			k := iter.Val()
			open, close := strings.IndexByte(k, '{'), strings.LastIndexByte(k, '}')
			if open >= 0 && close > open {
				users = append(users, k[open+1:close])
			}
		}
		return iter.Err()
	}
	var err error
	switch c := s.client.(type) {
	case *goredis.ClusterClient:
		var mu sync.Mutex
		err = c.ForEachMaster(ctx, func(ctx context.Context, m *goredis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return scan(ctx, m)
		})
	case *goredis.Client:
		err = scan(ctx, c)
	}
	if err != nil {
		return fail("learners", err)
	}
	slices.Sort(users)
	for _, u := range slices.Compact(users) {
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}
