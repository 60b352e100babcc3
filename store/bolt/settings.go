package bolt

import (
	"context"
	"encoding/binary"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// ChatSetting returns a chat's setting, "" when it was never set.
func (s *Store) ChatSetting(ctx context.Context, chat, key string) (string, error) {
	return s.setting(bucketChats, []byte(chat), nil, key)
}

// SetChatSetting stores a chat's setting; "" removes it.
func (s *Store) SetChatSetting(ctx context.Context, chat, key, value string) error {
	return s.setSetting(bucketChats, []byte(chat), nil, key, value)
}

// UserSetting returns a learner's setting, "" when it was never set. Settings live in the
// learner's bucket, so /forget removes them with the rest.
func (s *Store) UserSetting(ctx context.Context, user, key string) (string, error) {
	return s.setting(bucketUsers, []byte(user), keySettings, key)
}

// SetUserSetting stores a learner's setting; "" removes it.
func (s *Store) SetUserSetting(ctx context.Context, user, key, value string) error {
	return s.setSetting(bucketUsers, []byte(user), keySettings, key, value)
}

// setting reads top/owner[/sub]/key.
func (s *Store) setting(top, owner, sub []byte, key string) (string, error) {
	var v string
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(top).Bucket(owner)
		if b != nil && sub != nil {
			b = b.Bucket(sub)
		}
		if b != nil {
			v = string(b.Get([]byte(key)))
		}
		return nil
	})
	return v, err
}

func (s *Store) setSetting(top, owner, sub []byte, key, value string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.Bucket(top).CreateBucketIfNotExists(owner)
		if err != nil {
			return err
		}
		if sub != nil {
			if b, err = b.CreateBucketIfNotExists(sub); err != nil {
				return err
			}
		}
		if value == "" {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), []byte(value))
	})
}

// Claim takes key for owner until ttl has passed: it reports true when the key was free, had
// expired, or was already owner's (whose claim it renews for ttl), and false while another owner
// holds it. It is how exactly-once work (a daily tip, a platform update) is shared out.
func (s *Store) Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	now := s.Now()
	ok := false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		claims, byExpiry := tx.Bucket(bucketClaims), tx.Bucket(bucketClaimExpiry)
		if err := pruneClaims(claims, byExpiry, now, 64); err != nil {
			return err
		}
		cur := claims.Get([]byte(key))
		if len(cur) >= 8 {
			if string(cur[8:]) != owner {
				return nil // unexpired: pruning removed it otherwise
			}
			if err := byExpiry.Delete(append(slices.Clone(cur[:8]), key...)); err != nil {
				return err
			}
		}
		ok = true
		exp := binary.BigEndian.AppendUint64(nil, uint64(now.Add(ttl).UnixMilli()))
		if err := byExpiry.Put(append(slices.Clone(exp), key...), nil); err != nil {
			return err
		}
		return claims.Put([]byte(key), append(exp, owner...))
	})
	return ok, err
}

// Release frees key if owner still holds it; a claim another owner took since, or none, is left
// alone.
func (s *Store) Release(ctx context.Context, key, owner string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		claims := tx.Bucket(bucketClaims)
		cur := claims.Get([]byte(key))
		if len(cur) < 8 || string(cur[8:]) != owner {
			return nil
		}
		if err := tx.Bucket(bucketClaimExpiry).Delete(append(slices.Clone(cur[:8]), key...)); err != nil {
			return err
		}
		return claims.Delete([]byte(key))
	})
}

// Take removes the claim on key, whoever holds it, and returns its owner; an expired claim is
// removed and reported as none.
func (s *Store) Take(ctx context.Context, key string) (string, bool, error) {
	now := s.Now()
	owner, ok := "", false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		claims := tx.Bucket(bucketClaims)
		cur := claims.Get([]byte(key))
		if len(cur) < 8 {
			return nil
		}
		if int64(binary.BigEndian.Uint64(cur)) > now.UnixMilli() {
			owner, ok = string(cur[8:]), true
		}
		if err := tx.Bucket(bucketClaimExpiry).Delete(append(slices.Clone(cur[:8]), key...)); err != nil {
			return err
		}
		return claims.Delete([]byte(key))
	})
	return owner, ok, err
}

// pruneClaims deletes up to n claims that have expired, oldest first, through the expiry index,
// so the bucket does not grow with every claim ever taken and each claim costs a bounded sweep.
func pruneClaims(claims, byExpiry *bbolt.Bucket, now time.Time, n int) error {
	var dead [][]byte
	c := byExpiry.Cursor()
	for k, _ := c.First(); k != nil && len(dead) < n; k, _ = c.Next() {
		if len(k) < 8 || int64(binary.BigEndian.Uint64(k)) > now.UnixMilli() {
			break
		}
		dead = append(dead, slices.Clone(k))
	}
	for _, k := range dead {
		if err := byExpiry.Delete(k); err != nil {
			return err
		}
		if cur := claims.Get(k[8:]); len(cur) >= 8 && string(cur[:8]) == string(k[:8]) {
			if err := claims.Delete(k[8:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// asideDays is how long a record set aside is kept for the operator.
const asideDays = 30

// SetAside keeps a copy of the learner's progress under aside/ for asideDays, for the operator to
// study why it could not be decoded.
func (s *Store) SetAside(ctx context.Context, user string) error {
	now := s.Now()
	return s.db.Update(func(tx *bbolt.Tx) error {
		aside := tx.Bucket(bucketAside)
		cutoff := now.AddDate(0, 0, -asideDays).UnixMilli()
		var old [][]byte
		err := aside.ForEach(func(k, v []byte) error {
			if len(v) >= 8 && int64(binary.BigEndian.Uint64(v)) < cutoff {
				old = append(old, slices.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := aside.Delete(k); err != nil {
				return err
			}
		}
		ub := tx.Bucket(bucketUsers).Bucket([]byte(user))
		if ub == nil {
			return nil
		}
		v := binary.BigEndian.AppendUint64(nil, uint64(now.UnixMilli()))
		key := []byte(user + "|" + now.UTC().Format("20060102T150405.000"))
		return aside.Put(key, append(v, ub.Get(keyProgress)...))
	})
}

// Aside returns the records set aside for user, oldest first, for operators and tests.
func (s *Store) Aside(ctx context.Context, user string) ([][]byte, error) {
	var out [][]byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketAside).Cursor()
		prefix := []byte(user + "|")
		for k, v := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			if len(v) >= 8 {
				out = append(out, slices.Clone(v[8:]))
			}
		}
		return nil
	})
	return out, err
}

var keyCommunity = []byte("community-params")

// CommunityParams implements quiz.ParamStore.
func (s *Store) CommunityParams(ctx context.Context) ([]byte, error) {
	var v []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keyCommunity); b != nil {
			v = slices.Clone(b)
		}
		return nil
	})
	return v, err
}

// SetCommunityParams implements quiz.ParamStore.
func (s *Store) SetCommunityParams(ctx context.Context, params []byte) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyCommunity, params) })
}
