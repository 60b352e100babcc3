package redis

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

func (k keys) claim(key string) string { return k.prefix + ":claim:" + key }

// claimScript takes a claim for ARGV[1] for ARGV[2] ms: set when free (or expired, which Redis
// has already deleted), renewed when ARGV[1] holds it already. Returns 1 when taken, 0 when
// another owner holds it.
var claimScript = goredis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

// releaseScript deletes the claim only while ARGV[1] holds it: compare and delete in one step,
// so a release can never free a claim another owner took after this one expired.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Claim takes key for owner until ttl has passed: it reports true when the key was free, had
// expired, or was already owner's (whose claim it renews for ttl), and false while another owner
// holds it. Expiry runs on the Redis server's clock, the same for every replica.
func (s *Store) Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	n, err := claimScript.Run(ctx, s.client, []string{s.keys.claim(key)}, owner, max(ttl.Milliseconds(), 1)).Int()
	if err != nil {
		return false, fail("claim", err)
	}
	return n == 1, nil
}

// Release frees key if owner still holds it.
func (s *Store) Release(ctx context.Context, key, owner string) error {
	if err := releaseScript.Run(ctx, s.client, []string{s.keys.claim(key)}, owner).Err(); err != nil {
		return fail("release", err)
	}
	return nil
}

// Take removes the claim on key, whoever holds it, and returns its owner: GETDEL, one step, so
// two replicas taking the same key cannot both get it.
func (s *Store) Take(ctx context.Context, key string) (string, bool, error) {
	owner, err := s.client.GetDel(ctx, s.keys.claim(key)).Result()
	if errors.Is(err, goredis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fail("take", err)
	}
	return owner, true, nil
}
