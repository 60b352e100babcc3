package redis

import (
	"context"
	"errors"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/bot/tip"
)

var _ tip.Store = (*Store)(nil)

// Daily-tip subscriptions live in four keys under one hash tag, so each script below touches a
// single Cluster slot:
//
//	pyb:{tips}:subs    hash  chat -> tip.EncodeSubscription
//	pyb:{tips}:due     zset  chat -> Unix ms of its next delivery (unclaimed subscriptions)
//	pyb:{tips}:leased  zset  chat -> Unix ms its claim lapses (claimed subscriptions)
//	pyb:{tips}:was     hash  chat -> Unix ms of the delivery a claimed subscription is making
//
// A subscription is in exactly one of due and leased.
func (k keys) tips(kind string) string { return k.prefix + ":{tips}:" + kind }

func (k keys) tipKeys() []string {
	return []string{k.tips("due"), k.tips("leased"), k.tips("was"), k.tips("subs")}
}

// maxTipClaim bounds one claim script's batch, keeping its run (and Lua's argument stack) short.
const maxTipClaim = 1000

// claimTipsScript is tip.Store.ClaimDue: lapsed claims first, then due subscriptions, each
// earliest first, move to the leased set in one step, so no two schedulers ever hold the same
// subscription.
//
//	KEYS: due, leased, was, subs
//	ARGV: now ms, lease ms, limit
//
// It returns chat, encoded subscription, delivery ms, for each subscription claimed.
var claimTipsScript = goredis.NewScript(`
local limit = tonumber(ARGV[3])
local chats = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit)
if #chats < limit then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, limit - #chats)
  if #due > 0 then
    local rem = {}
    for i = 1, #due, 2 do
      rem[#rem + 1] = due[i]
      chats[#chats + 1] = due[i]
    end
    redis.call('ZREM', KEYS[1], unpack(rem))
    redis.call('HSET', KEYS[3], unpack(due))
  end
end
if #chats == 0 then
  return {}
end
local z = {}
for _, c in ipairs(chats) do
  z[#z + 1] = ARGV[2]
  z[#z + 1] = c
end
redis.call('ZADD', KEYS[2], unpack(z))
local subs = redis.call('HMGET', KEYS[4], unpack(chats))
local was = redis.call('HMGET', KEYS[3], unpack(chats))
local out = {}
for i, c in ipairs(chats) do
  out[#out + 1] = c
  out[#out + 1] = subs[i] or ''
  out[#out + 1] = was[i] or '0'
end
return out
`)

// rescheduleTipsScript is tip.Store.Reschedule: each subscription still under the named claim
// goes back on the schedule. Each command takes the whole batch, so a thousand cost a handful of
// calls (ZMSCORE needs Redis 6.2).
//
//	KEYS: due, leased, was
//	ARGV: chat, lease ms, next ms, repeated
var rescheduleTipsScript = goredis.NewScript(`
local chats = {}
for i = 1, #ARGV, 3 do
  chats[#chats + 1] = ARGV[i]
end
local leases = redis.call('ZMSCORE', KEYS[2], unpack(chats))
local rem, add = {}, {}
for j, c in ipairs(chats) do
  local l = leases[j]
  if l and tonumber(l) == tonumber(ARGV[3 * j - 1]) then
    rem[#rem + 1] = c
    add[#add + 1] = ARGV[3 * j]
    add[#add + 1] = c
  end
end
if #rem > 0 then
  redis.call('ZREM', KEYS[2], unpack(rem))
  redis.call('HDEL', KEYS[3], unpack(rem))
  redis.call('ZADD', KEYS[1], unpack(add))
end
return #rem
`)

// putTipScript is tip.Store.PutSubscription, voiding any claim on the old subscription.
//
//	KEYS: due, leased, was, subs
//	ARGV: chat, encoded subscription, next ms
var putTipScript = goredis.NewScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`)

// deleteTipScript is tip.Store.DeleteSubscription.
//
//	KEYS: due, leased, was, subs
//	ARGV: chat
var deleteTipScript = goredis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return 1
`)

// getTipScript is tip.Store.Subscription: the subscription and its delivery time, whether
// claimed or not.
//
//	KEYS: due, leased, was, subs
//	ARGV: chat
var getTipScript = goredis.NewScript(`
local s = redis.call('HGET', KEYS[4], ARGV[1])
if not s then
  return false
end
local t = redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[3], ARGV[1]) or '0'
return {s, t}
`)

// PutSubscription implements tip.Store.
func (s *Store) PutSubscription(ctx context.Context, sub tip.Subscription) error {
	err := putTipScript.Run(ctx, s.client, s.keys.tipKeys(), sub.Chat, tip.EncodeSubscription(sub), sub.Next.UnixMilli()).Err()
	if err != nil {
		return fail("put subscription", err)
	}
	return nil
}

// Subscription implements tip.Store.
func (s *Store) Subscription(ctx context.Context, chat string) (tip.Subscription, error) {
	vals, err := getTipScript.Run(ctx, s.client, s.keys.tipKeys(), chat).StringSlice()
	if errors.Is(err, goredis.Nil) {
		return tip.Subscription{}, tip.ErrNotSubscribed
	}
	if err != nil {
		return tip.Subscription{}, fail("subscription", err)
	}
	if len(vals) != 2 {
		return tip.Subscription{}, tip.ErrCorrupt
	}
	sub, err := tip.DecodeSubscription([]byte(vals[0]))
	if err != nil {
		return tip.Subscription{}, err
	}
	sub.Next = time.UnixMilli(parseMillis(vals[1]))
	return sub, nil
}

// DeleteSubscription implements tip.Store.
func (s *Store) DeleteSubscription(ctx context.Context, chat string) error {
	if err := deleteTipScript.Run(ctx, s.client, s.keys.tipKeys(), chat).Err(); err != nil {
		return fail("delete subscription", err)
	}
	return nil
}

// ClaimDue implements tip.Store: one script per batch of at most a thousand.
func (s *Store) ClaimDue(ctx context.Context, now, lease time.Time, limit int) ([]tip.Claimed, error) {
	limit = min(limit, maxTipClaim)
	if limit <= 0 {
		return nil, nil
	}
	vals, err := claimTipsScript.Run(ctx, s.client, s.keys.tipKeys(), now.UnixMilli(), lease.UnixMilli(), limit).StringSlice()
	if err != nil {
		return nil, fail("claim tips", err)
	}
	out := make([]tip.Claimed, 0, len(vals)/3)
	l := time.UnixMilli(lease.UnixMilli())
	for i := 0; i+2 < len(vals); i += 3 {
		sub, err := tip.DecodeSubscription([]byte(vals[i+1]))
		if err != nil {
			// Claimed but unreadable: it stays leased, and comes back when the lease lapses,
			// so the fault shows in the log each time rather than vanishing.
			return out, err
		}
		sub.Next = time.UnixMilli(parseMillis(vals[i+2]))
		out = append(out, tip.Claimed{Subscription: sub, Lease: l})
	}
	return out, nil
}

// Reschedule implements tip.Store: one script for the whole batch.
func (s *Store) Reschedule(ctx context.Context, rs []tip.Resched) error {
	for len(rs) > 0 {
		n := min(len(rs), maxTipClaim)
		args := make([]any, 0, 3*n)
		for _, r := range rs[:n] {
			args = append(args, r.Chat, r.Lease.UnixMilli(), r.Next.UnixMilli())
		}
		if err := rescheduleTipsScript.Run(ctx, s.client, s.keys.tipKeys()[:3], args...).Err(); err != nil {
			return fail("reschedule tips", err)
		}
		rs = rs[n:]
	}
	return nil
}

// parseMillis reads a sorted-set score or a decimal of Unix ms; Redis may print a large score
// as a float.
func parseMillis(v string) int64 {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	f, _ := strconv.ParseFloat(v, 64)
	return int64(f)
}
