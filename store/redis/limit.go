package redis

import (
	"context"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/bot"
)

var _ bot.Limiter = (*Store)(nil)

// limitTag is the hash tag every rate-limit key carries: pyb:{limit}:<rate key>.
//
// All of them share it, so on a Cluster they live on one slot and one Reserve is one script over
// all its keys, atomic and all-or-nothing, in one round trip. The alternative, a key per chat on
// the chat's own slot, cannot be all-or-nothing: the global budget and the chat's would be
// reserved by two scripts on two nodes, and a refusal by the second would have to hand back what
// the first took, racing every other replica meanwhile. Nothing is gained by spreading the
// keys either: every Telegram send also spends from the bot's global budget, so every Reserve
// reaches the global key's node whatever the chat keys' slots. The cost is that one node serves
// every rate-limit call, which is bounded by the platforms' own limits (a few hundred calls a
// second at most, each a few microseconds of Lua), and that node's outage sends every replica to
// its in-process fallback (bot.Pacer) at once, not a fraction of the chats.
const limitTag = "{limit}"

func (k keys) limit(key string) string { return k.prefix + ":" + limitTag + ":" + key }

// reserveScript is GCRA over every key of KEYS at once, on the Redis server's clock, so replicas
// whose clocks disagree still share one budget. ARGV holds, per key, its emission interval and
// its burst tolerance in microseconds. Each key holds its theoretical arrival time (TAT) in
// microseconds and expires when its budget is whole again. Returns 0 when the event was counted
// against every key, else the microseconds to wait, having written nothing.
var reserveScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or 0)
  if tat < now then tat = now end
  tats[i] = tat
  local w = tat - now - tonumber(ARGV[2 * i])
  if w > wait then wait = w end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  local tat = tats[i] + tonumber(ARGV[2 * i - 1])
  redis.call('SET', key, string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
end
return 0
`)

// Reserve implements bot.Limiter with one script run (EVALSHA) on the Redis server's clock: all
// of rates' keys are checked and, only if every one allows the event, all are charged. Rates that
// limit nothing are skipped. An error wraps quiz.ErrUnavailable when Redis cannot answer.
func (s *Store) Reserve(ctx context.Context, rates []bot.Rate) (time.Duration, error) {
	ks := make([]string, 0, len(rates))
	args := make([]any, 0, 2*len(rates))
	for _, r := range rates {
		if r.Interval() == 0 {
			continue
		}
		ks = append(ks, s.keys.limit(r.Key))
		args = append(args, micros(r.Interval()), micros(r.Tolerance()))
	}
	if len(ks) == 0 {
		return 0, nil
	}
	us, err := reserveScript.Run(ctx, s.client, ks, args...).Int64()
	if err != nil {
		return 0, fail("reserve", err)
	}
	return time.Duration(us) * time.Microsecond, nil
}

// micros is d in whole microseconds, rounded up: a rate never gets faster for the rounding
// (30/s is an interval of 33,334 µs, not 33,333).
func micros(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Microsecond-1)/time.Microsecond), 10)
}
