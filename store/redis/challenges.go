package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

var _ quiz.ChallengeStore = (*Store)(nil)

// A chat's challenge is one hash, and each question's answers another, under the chat's hash
// tag, so every script touches one slot; the runner's index is one sorted set of chats.
func (k keys) challenge(chat string) string { return k.chat(chat, "ch") }
func (k keys) presses(chat, id string, pos int) string {
	return k.chat(chat, "chp:"+id+":"+strconv.Itoa(pos))
}
func (k keys) challengeDue() string { return k.prefix + ":challenges:due" }

// challengeTTL is how long a challenge's keys outlive its last change.
var challengeTTL = strconv.FormatInt(quiz.ChallengeTTL.Milliseconds(), 10)

// saveChallengeScript is ChallengeStore.SaveChallenge's compare-and-set.
//
//	KEYS: challenge
//	ARGV: expect, state, id, open, until ms, ttl ms
//
// It returns the new version, or 0 when the stored version (0 for none) is not expect.
var saveChallengeScript = goredis.NewScript(`
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then
  return 0
end
if ARGV[4] ~= '-1' and redis.call('HGET', KEYS[1], 'pos') ~= ARGV[4] then
  redis.call('HSET', KEYS[1], 'n', 0)
end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[2], 'id', ARGV[3], 'pos', ARGV[4], 'dl', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return v
`)

// pressScript records one answer, ChallengeStore.Press: the check that the question is open
// and the answer the player's first, and the write, in one step.
//
//	KEYS: challenge, the question's answers
//	ARGV: id, pos, at ms, user, packed answer, ttl ms
//
// It returns 1 recorded, 2 repeated, 3 late, 4 closed (quiz.PressResult + 1).
var pressScript = goredis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'id', 'pos', 'dl')
if cur[1] ~= ARGV[1] or cur[2] ~= ARGV[2] then
  return 4
end
if tonumber(ARGV[3]) > tonumber(cur[3]) then
  return 3
end
if redis.call('HSETNX', KEYS[2], ARGV[4], ARGV[5]) == 0 then
  return 2
end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('HINCRBY', KEYS[1], 'n', 1)
return 1
`)

// closePressesScript is ChallengeStore.ClosePresses: the question stops taking answers, and its
// answers come back, in one step, so none can slip in between.
//
//	KEYS: challenge, the question's answers
//	ARGV: id, pos
var closePressesScript = goredis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'id', 'pos')
if cur[1] ~= ARGV[1] then
  return {}
end
if cur[2] == ARGV[2] then
  redis.call('HSET', KEYS[1], 'pos', -1)
end
return redis.call('HGETALL', KEYS[2])
`)

// endChallengeScript deletes the chat's challenge and its questions' answers if it is ARGV[1].
//
//	KEYS: challenge, answers of question 0, 1, ... (every question a challenge can have)
var endChallengeScript = goredis.NewScript(`
if ARGV[1] == '' or redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then
  return 0
end
return redis.call('DEL', unpack(KEYS))
`)

// unindexScript removes a chat from the index only while it is still at ARGV[2]: a newer
// challenge that moved it keeps its entry.
var unindexScript = goredis.NewScript(`
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`)

// LoadChallenge implements quiz.ChallengeStore: one round trip.
func (s *Store) LoadChallenge(ctx context.Context, chat string) (quiz.ChallengeRecord, error) {
	vals, err := s.client.HMGet(ctx, s.keys.challenge(chat), "v", "s", "n").Result()
	if err != nil {
		return quiz.ChallengeRecord{}, fail("load challenge", err)
	}
	var rec quiz.ChallengeRecord
	if v, ok := vals[0].(string); ok {
		if rec.Version, err = strconv.ParseUint(v, 10, 64); err != nil {
			return rec, fmt.Errorf("redis: load challenge: bad version %q", v)
		}
	}
	if st, ok := vals[1].(string); ok {
		rec.State = []byte(st)
	}
	if n, ok := vals[2].(string); ok {
		rec.Answers, _ = strconv.Atoi(n)
	}
	return rec, nil
}

// SaveChallenge implements quiz.ChallengeStore: the index entry first, then the state's
// compare-and-set, two round trips (on a Cluster the index lives on another slot). A failure
// between the two leaves at worst an entry that is early or late by one step; the runner puts
// it right on its next visit.
func (s *Store) SaveChallenge(ctx context.Context, chat string, w quiz.ChallengeWrite) (uint64, error) {
	if err := s.client.ZAdd(ctx, s.keys.challengeDue(), goredis.Z{Score: float64(w.Due.UnixMilli()), Member: chat}).Err(); err != nil {
		return 0, fail("index challenge", err)
	}
	v, err := saveChallengeScript.Run(ctx, s.client, []string{s.keys.challenge(chat)},
		w.Expect, w.State, w.ID, w.Open, w.Until.UnixMilli(), challengeTTL).Int64()
	if err != nil {
		return 0, fail("save challenge", err)
	}
	if v == 0 {
		return 0, quiz.ErrConflict
	}
	return uint64(v), nil
}

// EndChallenge implements quiz.ChallengeStore.
func (s *Store) EndChallenge(ctx context.Context, chat, id string, due time.Time) error {
	if id != "" {
		keys := []string{s.keys.challenge(chat)}
		for pos := range quiz.MaxChallengeQuestions {
			keys = append(keys, s.keys.presses(chat, id, pos))
		}
		if err := endChallengeScript.Run(ctx, s.client, keys, id).Err(); err != nil {
			return fail("end challenge", err)
		}
	}
	score := strconv.FormatInt(due.UnixMilli(), 10)
	if err := unindexScript.Run(ctx, s.client, []string{s.keys.challengeDue()}, chat, score).Err(); err != nil {
		return fail("unindex challenge", err)
	}
	return nil
}

// Press implements quiz.ChallengeStore with one script: one round trip.
func (s *Store) Press(ctx context.Context, chat string, p quiz.Press) (quiz.PressResult, error) {
	keys := []string{s.keys.challenge(chat), s.keys.presses(chat, p.Challenge, p.Pos)}
	r, err := pressScript.Run(ctx, s.client, keys, p.Challenge, p.Pos, p.At.UnixMilli(), p.User, quiz.PackPress(p), challengeTTL).Int()
	if err != nil {
		return 0, fail("press", err)
	}
	if r < 1 || r > 4 {
		return 0, fmt.Errorf("redis: press: unexpected result %d", r)
	}
	return quiz.PressResult(r - 1), nil
}

// ClosePresses implements quiz.ChallengeStore with one script.
func (s *Store) ClosePresses(ctx context.Context, chat, id string, pos int) ([]quiz.Press, error) {
	keys := []string{s.keys.challenge(chat), s.keys.presses(chat, id, pos)}
	vals, err := closePressesScript.Run(ctx, s.client, keys, id, pos).StringSlice()
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, fail("close presses", err)
	}
	out := make([]quiz.Press, 0, len(vals)/2)
	for i := 0; i+1 < len(vals); i += 2 {
		p, err := quiz.UnpackPress(id, pos, vals[i], []byte(vals[i+1]))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// DueChallenges implements quiz.ChallengeStore: one ZRANGE by score.
func (s *Store) DueChallenges(ctx context.Context, now time.Time, limit int) ([]quiz.ChallengeDue, error) {
	zs, err := s.client.ZRangeArgsWithScores(ctx, goredis.ZRangeArgs{
		Key: s.keys.challengeDue(), Start: "-inf", Stop: strconv.FormatInt(now.UnixMilli(), 10),
		ByScore: true, Count: int64(limit),
	}).Result()
	if err != nil {
		return nil, fail("due challenges", err)
	}
	out := make([]quiz.ChallengeDue, 0, len(zs))
	for _, z := range zs {
		chat, _ := z.Member.(string)
		out = append(out, quiz.ChallengeDue{Chat: chat, At: time.UnixMilli(int64(z.Score))})
	}
	return out, nil
}
