package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strconv"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/pybrarian/pybrarian/quiz"
)

// Layout of group challenges (bucket/key):
//
//	challenges/<chat>/v             state version (8 bytes)
//	challenges/<chat>/s             encoded state (quiz.EncodeChallenge)
//	challenges/<chat>/id            the challenge's id
//	challenges/<chat>/pos           the question taking answers, decimal; -1 for none
//	challenges/<chat>/dl            the last Unix ms it takes them (8 bytes)
//	challenges/<chat>/n             answers it has taken (8 bytes)
//	challenges/<chat>/p/<pos>/<user>  an answer (quiz.PackPress)
//	challenge-due/<Unix ms><chat>   the runner's index: when each chat's challenge is next due
//	challenge-due-of/<chat>         where the chat's index entry is (8 bytes of Unix ms)
var (
	bucketChallenges   = []byte("challenges")
	bucketChallengeDue = []byte("challenge-due")
	bucketDueOf        = []byte("challenge-due-of")

	keyState    = []byte("s")
	keyID       = []byte("id")
	keyOpen     = []byte("pos")
	keyDeadline = []byte("dl")
	keyAnswers  = []byte("n")
	keyPresses  = []byte("p")
)

var _ quiz.ChallengeStore = (*Store)(nil)

func dueKey(ms int64, chat string) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(max(ms, 0))), chat...)
}

// LoadChallenge implements quiz.ChallengeStore.
func (s *Store) LoadChallenge(ctx context.Context, chat string) (quiz.ChallengeRecord, error) {
	var rec quiz.ChallengeRecord
	err := s.db.View(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bucketChallenges).Bucket([]byte(chat))
		if cb == nil {
			return nil
		}
		rec.Version = u64(cb.Get(keyVersion))
		rec.State = slices.Clone(cb.Get(keyState))
		rec.Answers = int(u64(cb.Get(keyAnswers)))
		return nil
	})
	return rec, err
}

// SaveChallenge implements quiz.ChallengeStore in one transaction.
func (s *Store) SaveChallenge(ctx context.Context, chat string, w quiz.ChallengeWrite) (uint64, error) {
	var v uint64
	err := s.db.Update(func(tx *bbolt.Tx) error {
		all := tx.Bucket(bucketChallenges)
		cb := all.Bucket([]byte(chat))
		if cb != nil {
			v = u64(cb.Get(keyVersion))
		}
		if v != w.Expect {
			return quiz.ErrConflict
		}
		var err error
		if cb == nil {
			if cb, err = all.CreateBucket([]byte(chat)); err != nil {
				return err
			}
		}
		open := []byte(strconv.Itoa(w.Open))
		if w.Open >= 0 && !bytes.Equal(cb.Get(keyOpen), open) {
			if err := cb.Put(keyAnswers, putU64(0)); err != nil {
				return err
			}
		}
		v++
		for _, kv := range [][2][]byte{
			{keyVersion, putU64(v)}, {keyState, w.State}, {keyID, []byte(w.ID)}, {keyOpen, open},
			{keyDeadline, putU64(uint64(max(w.Until.UnixMilli(), 0)))},
		} {
			if err := cb.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
		return moveDue(tx, chat, w.Due.UnixMilli())
	})
	return v, err
}

// moveDue puts the chat's index entry at ms.
func moveDue(tx *bbolt.Tx, chat string, ms int64) error {
	index, of := tx.Bucket(bucketChallengeDue), tx.Bucket(bucketDueOf)
	if old := of.Get([]byte(chat)); old != nil {
		if err := index.Delete(dueKey(int64(u64(old)), chat)); err != nil {
			return err
		}
	}
	if err := index.Put(dueKey(ms, chat), nil); err != nil {
		return err
	}
	return of.Put([]byte(chat), putU64(uint64(max(ms, 0))))
}

// EndChallenge implements quiz.ChallengeStore.
func (s *Store) EndChallenge(ctx context.Context, chat, id string, due time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		all := tx.Bucket(bucketChallenges)
		if cb := all.Bucket([]byte(chat)); cb != nil && id != "" && string(cb.Get(keyID)) == id {
			if err := all.DeleteBucket([]byte(chat)); err != nil {
				return err
			}
		}
		of := tx.Bucket(bucketDueOf)
		if old := of.Get([]byte(chat)); old != nil && int64(u64(old)) == max(due.UnixMilli(), 0) {
			if err := tx.Bucket(bucketChallengeDue).Delete(dueKey(due.UnixMilli(), chat)); err != nil {
				return err
			}
			return of.Delete([]byte(chat))
		}
		return nil
	})
}

// Press implements quiz.ChallengeStore. Concurrent presses share one transaction and one fsync
// (bbolt's Batch), which is what lets a crowd answer within a second on a disk.
func (s *Store) Press(ctx context.Context, chat string, p quiz.Press) (quiz.PressResult, error) {
	var res quiz.PressResult
	err := s.db.Batch(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bucketChallenges).Bucket([]byte(chat))
		switch {
		case cb == nil || string(cb.Get(keyID)) != p.Challenge || string(cb.Get(keyOpen)) != strconv.Itoa(p.Pos):
			res = quiz.PressClosed
			return nil
		case p.At.UnixMilli() > int64(u64(cb.Get(keyDeadline))):
			res = quiz.PressLate
			return nil
		}
		pb, err := cb.CreateBucketIfNotExists(keyPresses)
		if err != nil {
			return err
		}
		qb, err := pb.CreateBucketIfNotExists([]byte(strconv.Itoa(p.Pos)))
		if err != nil {
			return err
		}
		if qb.Get([]byte(p.User)) != nil {
			res = quiz.PressRepeated
			return nil
		}
		if err := qb.Put([]byte(p.User), quiz.PackPress(p)); err != nil {
			return err
		}
		res = quiz.PressRecorded
		return cb.Put(keyAnswers, putU64(u64(cb.Get(keyAnswers))+1))
	})
	return res, err
}

// ClosePresses implements quiz.ChallengeStore.
func (s *Store) ClosePresses(ctx context.Context, chat, id string, pos int) ([]quiz.Press, error) {
	var out []quiz.Press
	err := s.db.Update(func(tx *bbolt.Tx) error {
		out = nil
		cb := tx.Bucket(bucketChallenges).Bucket([]byte(chat))
		if cb == nil || string(cb.Get(keyID)) != id {
			return nil
		}
		if string(cb.Get(keyOpen)) == strconv.Itoa(pos) {
			if err := cb.Put(keyOpen, []byte("-1")); err != nil {
				return err
			}
		}
		pb := cb.Bucket(keyPresses)
		if pb == nil {
			return nil
		}
		qb := pb.Bucket([]byte(strconv.Itoa(pos)))
		if qb == nil {
			return nil
		}
		return qb.ForEach(func(k, v []byte) error {
			p, err := quiz.UnpackPress(id, pos, string(k), v)
			out = append(out, p)
			return err
		})
	})
	return out, err
}

// DueChallenges implements quiz.ChallengeStore: the index is in time order, so this reads only
// the entries it returns.
func (s *Store) DueChallenges(ctx context.Context, now time.Time, limit int) ([]quiz.ChallengeDue, error) {
	var out []quiz.ChallengeDue
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketChallengeDue).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			ms := int64(binary.BigEndian.Uint64(k[:8]))
			if ms > now.UnixMilli() {
				break
			}
			out = append(out, quiz.ChallengeDue{Chat: string(k[8:]), At: time.UnixMilli(ms)})
		}
		return nil
	})
	return out, err
}
