package redis

import (
	"strconv"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

// Lua fragments shared by the scripts. Redis runs a script atomically, so a script is a
// read-modify-write no other client can interleave with.

// setCards writes n (card id, state) pairs starting at ARGV[i] into the hash key, a few hundred
// per HSET to stay far from Lua's argument limit, and returns the index after the last pair.
const luaSetCards = `
local function setCards(key, i, n)
  while n > 0 do
    local m = math.min(n, 256)
    redis.call('HSET', key, unpack(ARGV, i, i + 2 * m - 1))
    i = i + 2 * m
    n = n - m
  end
  return i
end
`

// writeHistory writes a whole history (PackReview entries, oldest first) into an empty history
// hash, in the buckets commitScript appends to.
var luaWriteHistory = `
local function writeHistory(key, h)
  local per = ` + historyBucket + ` * ` + strconv.Itoa(quiz.ReviewLen) + `
  for at = 1, #h, per do
    redis.call('HSET', key, math.floor((at - 1) / per), string.sub(h, at, at + per - 1))
  end
  if #h > 0 then
    redis.call('HSET', key, 'n', math.floor(#h / ` + strconv.Itoa(quiz.ReviewLen) + `))
  end
end
`

// credit adds one answer's points to a leaderboard unless the answer was credited before.
// Keys: points zset, names hash, credited-answers set. ARGV from i: answer digest, user, name,
// points, time to live in seconds.
const luaCredit = `
local function credit(points, names, seen, i)
  if redis.call('SADD', seen, ARGV[i]) == 0 then
    return 0
  end
  redis.call('ZINCRBY', points, ARGV[i + 3], ARGV[i + 1])
  redis.call('HSET', names, ARGV[i + 1], ARGV[i + 2])
  for _, k in ipairs({points, names, seen}) do
    redis.call('EXPIRE', k, ARGV[i + 4])
  end
  return 1
end
`

// commitScript is quiz.Store.Commit.
//
//	KEYS: rec, cards, hist [, points, names, seen]   (the last three only on a single Redis)
//	ARGV: deadline, expect, progress, n, id1, state1, ... idn, staten, review [, answer, user, name, points, ttl]
//
// It returns the new version, 0 when the stored version (0 for no record) is not expect, or -1
// when the script runs after deadline (Unix ms on the Redis server's clock; 0 for none): a commit
// the client has given up on must not land later, when Redis resumes after a pause, because the
// learner was told it failed. In the last two cases it has written nothing. A non-empty review is
// appended to the history (see historyBucket).
var commitScript = goredis.NewScript(commitSource)

// CommitScript is the Lua source of the script every answer runs: what an operator loads into
// redis-benchmark to measure their Redis's own ceiling for answers (BENCHMARKS.md, capacity).
func CommitScript() string { return commitSource }

var commitSource = luaSetCards + luaCredit + `
local deadline = tonumber(ARGV[1])
if deadline > 0 then
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > deadline then
    return -1
  end
end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'p', ARGV[3])
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
local i = setCards(KEYS[2], 5, tonumber(ARGV[4]))
if #ARGV[i] > 0 then
  local n = redis.call('HINCRBY', KEYS[3], 'n', 1)
  local b = math.floor((n - 1) / ` + historyBucket + `)
  local cur = redis.call('HGET', KEYS[3], b) or ''
  redis.call('HSET', KEYS[3], b, cur .. ARGV[i])
  if b >= ` + historyBuckets + ` then
    redis.call('HDEL', KEYS[3], b - ` + historyBuckets + `)
  end
end
if #KEYS == 6 then
  credit(KEYS[4], KEYS[5], KEYS[6], i + 1)
end
return v
`

// A learner's history is a hash: "n" counts the reviews ever appended, and bucket k (a decimal
// field) holds reviews k*historyBucket+1 to (k+1)*historyBucket, oldest first. An answer rewrites
// one bucket of at most historyBucket reviews, never the whole history, and strings written whole
// take no more memory than they hold (an appended string keeps room to grow: up to twice). The
// oldest bucket goes once historyBuckets newer ones exist, so at least quiz.MaxHistory reviews stay.
// A bucket of 78 reviews is 1,014 bytes: it fills the allocator's 1 KiB size class with little
// waste, so 1,000 reviews take about 14 KB.
var (
	historyBucket  = strconv.Itoa(historyPerBucket)
	historyBuckets = strconv.Itoa((quiz.MaxHistory+historyPerBucket-1)/historyPerBucket + 1)
)

const historyPerBucket = 78

// creditScript is the leaderboard credit on its own, for a Cluster, where the chat's keys are on
// another slot than the learner's. It is idempotent, so it may be retried.
//
//	KEYS: points, names, seen
//	ARGV: answer, user, name, points, ttl
var creditScript = goredis.NewScript(luaCredit + `
return credit(KEYS[1], KEYS[2], KEYS[3], 1)
`)

// importScript writes a whole record for a learner who has none.
//
//	KEYS: rec, cards, hist
//	ARGV: version, progress, n, id1, state1, ..., history
//
// It returns 1, or 0 without writing when the learner already has keys.
var importScript = goredis.NewScript(luaSetCards + luaWriteHistory + `
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'p', ARGV[2])
local i = setCards(KEYS[2], 4, tonumber(ARGV[3]))
writeHistory(KEYS[3], ARGV[i])
return 1
`)

// replaceScript is quiz.Store.Replace: the learner's progress, card states, history and weights
// are replaced if the version is still the one expected.
//
//	KEYS: rec, cards, hist
//	ARGV: expect, progress, n, id1, state1, ..., history, params ("" for none)
//
// It returns the new version, or 0 without writing when the stored version is not expect.
var replaceScript = goredis.NewScript(luaSetCards + luaWriteHistory + `
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'p', ARGV[2])
local i = setCards(KEYS[2], 4, tonumber(ARGV[3]))
writeHistory(KEYS[3], ARGV[i])
if #ARGV[i + 1] > 0 then
  redis.call('HSET', KEYS[1], 'w', ARGV[i + 1])
else
  redis.call('HDEL', KEYS[1], 'w')
end
return redis.call('HINCRBY', KEYS[1], 'v', 1)
`)
