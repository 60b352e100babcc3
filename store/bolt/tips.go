package bolt

import (
	"context"
	"encoding/binary"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/pybrarian/pybrarian/bot/tip"
)

// Layout of daily-tip subscriptions (bucket/key):
//
//	tips/<chat>                 next delivery (8 bytes Unix ms), claim lease (8 bytes Unix ms, 0
//	                            while unclaimed), then tip.EncodeSubscription
//	tip-due/<next ms><chat>     the schedule: unclaimed subscriptions by next delivery
//	tip-leased/<lease ms><chat> claimed subscriptions by the end of their lease
//
// Every method is one transaction, so a claim moves a subscription from the schedule to the
// leased index atomically, as the Redis store's script does.
var (
	bucketTips      = []byte("tips")
	bucketTipDue    = []byte("tip-due")
	bucketTipLeased = []byte("tip-leased")
)

var _ tip.Store = (*Store)(nil)

type tipRow struct {
	next, lease int64
	sub         []byte
}

func readTip(v []byte) (tipRow, bool) {
	if len(v) < 16 {
		return tipRow{}, false
	}
	return tipRow{int64(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(v[8:])), v[16:]}, true
}

func (r tipRow) bytes() []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(r.next))
	b = binary.BigEndian.AppendUint64(b, uint64(r.lease))
	return append(b, r.sub...)
}

// unindex removes a subscription's entry from whichever index holds it.
func unindex(tx *bbolt.Tx, chat string, r tipRow) error {
	if r.lease != 0 {
		return tx.Bucket(bucketTipLeased).Delete(dueKey(r.lease, chat))
	}
	return tx.Bucket(bucketTipDue).Delete(dueKey(r.next, chat))
}

// PutSubscription implements tip.Store.
func (s *Store) PutSubscription(ctx context.Context, sub tip.Subscription) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(bucketTips)
		if old, ok := readTip(tb.Get([]byte(sub.Chat))); ok {
			if err := unindex(tx, sub.Chat, old); err != nil {
				return err
			}
		}
		r := tipRow{next: sub.Next.UnixMilli(), sub: tip.EncodeSubscription(sub)}
		if err := tx.Bucket(bucketTipDue).Put(dueKey(r.next, sub.Chat), nil); err != nil {
			return err
		}
		return tb.Put([]byte(sub.Chat), r.bytes())
	})
}

// Subscription implements tip.Store.
func (s *Store) Subscription(ctx context.Context, chat string) (tip.Subscription, error) {
	var sub tip.Subscription
	err := s.db.View(func(tx *bbolt.Tx) error {
		r, ok := readTip(tx.Bucket(bucketTips).Get([]byte(chat)))
		if !ok {
			return tip.ErrNotSubscribed
		}
		var err error
		sub, err = tip.DecodeSubscription(r.sub)
		sub.Next = time.UnixMilli(r.next)
		return err
	})
	return sub, err
}

// DeleteSubscription implements tip.Store.
func (s *Store) DeleteSubscription(ctx context.Context, chat string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(bucketTips)
		r, ok := readTip(tb.Get([]byte(chat)))
		if !ok {
			return nil
		}
		if err := unindex(tx, chat, r); err != nil {
			return err
		}
		return tb.Delete([]byte(chat))
	})
}

// ClaimDue implements tip.Store: lapsed claims first, then the schedule, in one transaction.
func (s *Store) ClaimDue(ctx context.Context, now, lease time.Time, limit int) ([]tip.Claimed, error) {
	var out []tip.Claimed
	n, l := now.UnixMilli(), lease.UnixMilli()
	err := s.db.Update(func(tx *bbolt.Tx) error {
		out = out[:0]
		tb := tx.Bucket(bucketTips)
		var chats []string
		for _, idx := range [][]byte{bucketTipLeased, bucketTipDue} {
			c := tx.Bucket(idx).Cursor()
			var keys [][]byte
			for k, _ := c.First(); k != nil && len(chats)+len(keys) < limit; k, _ = c.Next() {
				if len(k) < 8 || int64(binary.BigEndian.Uint64(k)) > n {
					break
				}
				keys = append(keys, append([]byte(nil), k...))
			}
			for _, k := range keys {
				if err := tx.Bucket(idx).Delete(k); err != nil {
					return err
				}
				chats = append(chats, string(k[8:]))
			}
		}
		for _, chat := range chats {
			r, ok := readTip(tb.Get([]byte(chat)))
			if !ok {
				continue // an index entry without its subscription: dropped above
			}
			sub, err := tip.DecodeSubscription(r.sub)
			if err != nil {
				return err
			}
			sub.Next = time.UnixMilli(r.next)
			r.lease = l
			if err := tx.Bucket(bucketTipLeased).Put(dueKey(l, chat), nil); err != nil {
				return err
			}
			if err := tb.Put([]byte(chat), r.bytes()); err != nil {
				return err
			}
			out = append(out, tip.Claimed{Subscription: sub, Lease: time.UnixMilli(l)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Reschedule implements tip.Store.
func (s *Store) Reschedule(ctx context.Context, rs []tip.Resched) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(bucketTips)
		for _, x := range rs {
			r, ok := readTip(tb.Get([]byte(x.Chat)))
			if !ok || r.lease == 0 || r.lease != x.Lease.UnixMilli() {
				continue
			}
			if err := tx.Bucket(bucketTipLeased).Delete(dueKey(r.lease, x.Chat)); err != nil {
				return err
			}
			r.lease, r.next = 0, x.Next.UnixMilli()
			if err := tx.Bucket(bucketTipDue).Put(dueKey(r.next, x.Chat), nil); err != nil {
				return err
			}
			if err := tb.Put([]byte(x.Chat), r.bytes()); err != nil {
				return err
			}
		}
		return nil
	})
}
