// Package bolt is Pybrarian's embedded, zero-setup progress store: one bbolt file under the data
// directory, written with fsync'd transactions so an acknowledged answer survives a crash. Only one
// process can open the file; to run several replicas, use the Redis store.
//
// Layout (bucket/key):
//
//	users/<user>/v            record version (8 bytes, big endian)
//	users/<user>/p            encoded progress
//	users/<user>/cards/<id>   packed card state
//	users/<user>/set/<key>    the learner's settings (language)
//	users/<user>/hist/<seq>   the learner's reviews (quiz.PackReview), the newest quiz.MaxHistory
//	users/<user>/w            the learner's own FSRS weights (quiz.EncodeParams)
//	boards/<chat|week>/pts/<user>    points (8 bytes)
//	boards/<chat|week>/names/<user>  display name
//	boards/<chat|week>/seen/<answer> credited answers, so a retry never counts twice
//	reports/<sequence>        JSON report
//	chats/<chat>/<key>        chat settings
//	polls/<poll id>           what a Telegram quiz poll asks, to grade its answers
//	claims/<key>              claim holder: expiry (Unix ms, 8 bytes) then the owner
//	claims-by-expiry/<expiry><key>   the same claims in expiry order, for pruning
//	aside/<user>|<Unix ms>    an undecodable progress record set aside before /forget, 30 days
//	challenges/<chat>/...     a chat's group challenge and its answers (see challenges.go)
//	challenge-due/<ms><chat>  when each chat's challenge next needs the runner
//	tips/<chat>               a chat's daily-tip subscription and its schedule (see tips.go)
//	meta/format               layout version
//	meta/community-params     the deployment's community FSRS weights (quiz.EncodeParams)
package bolt

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/pybrarian/pybrarian/quiz"
)

// FileName is the database file inside the data directory.
const FileName = "pybrarian.db"

// format is the layout version written to meta/format; bump it with a migration when the layout
// changes.
const format = "1"

var (
	bucketUsers   = []byte("users")
	bucketBoards  = []byte("boards")
	bucketReports = []byte("reports")
	bucketChats   = []byte("chats")
	bucketMeta    = []byte("meta")
	bucketPolls   = []byte("polls")
	bucketClaims  = []byte("claims")
	// bucketClaimExpiry indexes claims by expiry (8 bytes) then key, for pruning.
	bucketClaimExpiry = []byte("claims-by-expiry")
	bucketAside       = []byte("aside")

	keyVersion  = []byte("v")
	keyProgress = []byte("p")
	keyCards    = []byte("cards")
	keyPoints   = []byte("pts")
	keyNames    = []byte("names")
	keySeen     = []byte("seen")
	keySettings = []byte("set")
	keyHistory  = []byte("hist")
	keyParams   = []byte("w")
)

// Store is the embedded store.
type Store struct {
	db *bbolt.DB
	// Now is the clock claims expire by; tests replace it. Defaults to time.Now.
	Now func() time.Time
}

var (
	_ quiz.Store        = (*Store)(nil)
	_ quiz.Leaderboards = (*Store)(nil)
	_ quiz.Reports      = (*Store)(nil)
	_ quiz.ParamStore   = (*Store)(nil)
)

// ErrLocked means another process has the database open.
var ErrLocked = errors.New("the data directory is in use by another Pybrarian process (one process per data directory; run several replicas on Redis instead)")

// ErrDamaged means the database file failed its consistency check at open: the file was damaged (a
// disk fault, a copy taken while the bot ran). Restore it from a backup, or move it away to start
// afresh.
var ErrDamaged = errors.New("the progress database is damaged")

// Open opens (creating if needed) the store in dir. If another process holds the file it gives up
// after a second with ErrLocked rather than hanging.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("bolt: creating data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openFile(path)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: %s: %w", path, ErrLocked)
	}
	if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
		return nil, fmt.Errorf("bolt: %s: %w (%v): restore the file from a backup, or move it away to start with empty progress", path, ErrDamaged, err)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: opening %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketUsers, bucketBoards, bucketReports, bucketChats, bucketMeta, bucketPolls, bucketClaims, bucketClaimExpiry, bucketAside,
			bucketChallenges, bucketChallengeDue, bucketDueOf, bucketTips, bucketTipDue, bucketTipLeased} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("format")); {
		case v == nil:
			return meta.Put([]byte("format"), []byte(format))
		case string(v) != format:
			return fmt.Errorf("data written by a newer release (layout %s, this release reads %s)", v, format)
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt: %s: %w", path, err)
	}
	if err := check(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt: %s: %w (%v): restore the file from a backup, or move it away to start with empty progress", path, ErrDamaged, err)
	}
	return &Store{db: db, Now: time.Now}, nil
}

// check runs bbolt's consistency check over the whole file, so damage is found at start with a
// clear message rather than as a panic in the middle of a learner's answer.
func check(db *bbolt.DB) (err error) {
	defer func() {
		if p := recover(); p != nil { // a badly damaged page can panic the checker itself
			err = fmt.Errorf("%v", p)
		}
	}()
	return db.View(func(tx *bbolt.Tx) error {
		var errs []error
		for e := range tx.Check() {
			if len(errs) < 3 {
				errs = append(errs, e)
			}
		}
		return errors.Join(errs...)
	})
}

// openFile opens the bbolt file, turning a panic of bbolt on a damaged file into an error.
func openFile(path string) (db *bbolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w (%v)", ErrDamaged, p)
		}
	}()
	return bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func putU64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// Load implements quiz.Store.
func (s *Store) Load(ctx context.Context, user string, withCards bool) (quiz.Record, error) {
	var rec quiz.Record
	err := s.db.View(func(tx *bbolt.Tx) error {
		ub := tx.Bucket(bucketUsers).Bucket([]byte(user))
		if ub == nil {
			return nil
		}
		rec.Version = u64(ub.Get(keyVersion))
		if p := ub.Get(keyProgress); p != nil {
			rec.Progress = slices.Clone(p)
		}
		if w := ub.Get(keyParams); w != nil {
			rec.Params = slices.Clone(w)
		}
		if withCards {
			rec.Cards = map[string][]byte{}
			if cb := ub.Bucket(keyCards); cb != nil {
				return cb.ForEach(func(k, v []byte) error {
					rec.Cards[string(k)] = slices.Clone(v)
					return nil
				})
			}
		}
		return nil
	})
	return rec, err
}

// Commit implements quiz.Store: the version check, the user's writes and the leaderboard credit are
// one transaction.
func (s *Store) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	var v uint64
	err := s.db.Update(func(tx *bbolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		ub := users.Bucket([]byte(user))
		if cur := uint64(0); ub != nil {
			cur = u64(ub.Get(keyVersion))
			if cur != w.Expect {
				return quiz.ErrConflict
			}
		} else if w.Expect != 0 {
			return quiz.ErrConflict
		}
		ub, err := users.CreateBucketIfNotExists([]byte(user))
		if err != nil {
			return err
		}
		v = w.Expect + 1
		if err := ub.Put(keyVersion, putU64(v)); err != nil {
			return err
		}
		if err := ub.Put(keyProgress, w.Progress); err != nil {
			return err
		}
		if len(w.Cards) > 0 {
			cb, err := ub.CreateBucketIfNotExists(keyCards)
			if err != nil {
				return err
			}
			for id, st := range w.Cards {
				if err := cb.Put([]byte(id), st); err != nil {
					return err
				}
			}
		}
		if len(w.Review) > 0 {
			if err := appendReview(ub, w.Review); err != nil {
				return err
			}
		}
		if w.Credit != nil {
			return credit(tx, w.Credit)
		}
		return nil
	})
	return v, err
}

// Replace implements quiz.Store: the learner's bucket is rebuilt in one transaction.
func (s *Store) Replace(ctx context.Context, user string, expect uint64, rec quiz.Record, history []byte) (uint64, error) {
	v := expect + 1
	err := s.db.Update(func(tx *bbolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		cur := uint64(0)
		if ub := users.Bucket([]byte(user)); ub != nil {
			cur = u64(ub.Get(keyVersion))
		}
		if cur != expect {
			return quiz.ErrConflict
		}
		ub, err := users.CreateBucketIfNotExists([]byte(user))
		if err != nil {
			return err
		}
		// Everything quiz progress keeps is replaced; the learner's settings stay.
		for _, sub := range [][]byte{keyCards, keyHistory} {
			if ub.Bucket(sub) != nil {
				if err := ub.DeleteBucket(sub); err != nil {
					return err
				}
			}
		}
		if err := ub.Delete(keyParams); err != nil {
			return err
		}
		if err := ub.Put(keyVersion, putU64(v)); err != nil {
			return err
		}
		if err := ub.Put(keyProgress, rec.Progress); err != nil {
			return err
		}
		if rec.Params != nil {
			if err := ub.Put(keyParams, rec.Params); err != nil {
				return err
			}
		}
		if len(rec.Cards) > 0 {
			cb, err := ub.CreateBucket(keyCards)
			if err != nil {
				return err
			}
			for id, st := range rec.Cards {
				if err := cb.Put([]byte(id), st); err != nil {
					return err
				}
			}
		}
		history = quiz.TrimHistory(history)
		for ; len(history) >= quiz.ReviewLen; history = history[quiz.ReviewLen:] {
			if err := appendReview(ub, history[:quiz.ReviewLen]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return v, nil
}

// appendReview adds one review to the learner's history, one key per review in order, and drops
// the oldest beyond quiz.MaxHistory: an answer writes a few bytes, never the whole history.
func appendReview(ub *bbolt.Bucket, review []byte) error {
	hb, err := ub.CreateBucketIfNotExists(keyHistory)
	if err != nil {
		return err
	}
	seq, err := hb.NextSequence()
	if err != nil {
		return err
	}
	if err := hb.Put(putU64(seq), review); err != nil {
		return err
	}
	if seq > quiz.MaxHistory {
		return hb.Delete(putU64(seq - quiz.MaxHistory))
	}
	return nil
}

// Learners implements quiz.RefitStore: the learners with a history are listed first, then fn
// runs for each outside the read, so it may use the store.
func (s *Store) Learners(ctx context.Context, fn func(user string) error) error {
	var users []string
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEachBucket(func(k []byte) error {
			if tx.Bucket(bucketUsers).Bucket(k).Bucket(keyHistory) != nil {
				users = append(users, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

// SetParams implements quiz.Store.
func (s *Store) SetParams(ctx context.Context, user string, params []byte) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		ub, err := tx.Bucket(bucketUsers).CreateBucketIfNotExists([]byte(user))
		if err != nil {
			return err
		}
		if err := ub.Put(keyVersion, putU64(u64(ub.Get(keyVersion))+1)); err != nil {
			return err
		}
		if params == nil {
			return ub.Delete(keyParams)
		}
		return ub.Put(keyParams, params)
	})
}

// History implements quiz.Store.
func (s *Store) History(ctx context.Context, user string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		ub := tx.Bucket(bucketUsers).Bucket([]byte(user))
		if ub == nil || ub.Bucket(keyHistory) == nil {
			return nil
		}
		return ub.Bucket(keyHistory).ForEach(func(_, v []byte) error {
			out = append(out, v...)
			return nil
		})
	})
	return out, err
}

func credit(tx *bbolt.Tx, c *quiz.Credit) error {
	boards := tx.Bucket(bucketBoards)
	name := []byte(c.Board.Chat + "|" + c.Board.Week)
	if boards.Bucket(name) == nil {
		if err := pruneBoards(boards, c.Board.Week); err != nil {
			return err
		}
	}
	bb, err := boards.CreateBucketIfNotExists(name)
	if err != nil {
		return err
	}
	seen, err := bb.CreateBucketIfNotExists(keySeen)
	if err != nil {
		return err
	}
	// A digest, not the answer id itself: answer ids contain the user key, and /forget must leave
	// nothing of the learner behind.
	digest := sha256.Sum256([]byte(c.Answer))
	if seen.Get(digest[:16]) != nil {
		return nil
	}
	if err := seen.Put(digest[:16], []byte{1}); err != nil {
		return err
	}
	pts, err := bb.CreateBucketIfNotExists(keyPoints)
	if err != nil {
		return err
	}
	names, err := bb.CreateBucketIfNotExists(keyNames)
	if err != nil {
		return err
	}
	if err := names.Put([]byte(c.User), []byte(c.Name)); err != nil {
		return err
	}
	return pts.Put([]byte(c.User), putU64(u64(pts.Get([]byte(c.User)))+uint64(c.Points)))
}

// boardWeeks is how many weeks a leaderboard is kept: /leaderboard shows only the current one, and
// a few past weeks are plenty for anyone looking back.
const boardWeeks = 5

// pruneBoards deletes leaderboards more than boardWeeks before week; it runs when a board for a new
// week is created, so it costs nothing on ordinary answers.
func pruneBoards(boards *bbolt.Bucket, week string) error {
	cur, ok := weekStart(week)
	if !ok {
		return nil
	}
	cutoff := cur.AddDate(0, 0, -7*boardWeeks)
	var old [][]byte
	err := boards.ForEachBucket(func(k []byte) error {
		i := bytes.LastIndexByte(k, '|')
		if start, ok := weekStart(string(k[i+1:])); ok && start.Before(cutoff) {
			old = append(old, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := boards.DeleteBucket(k); err != nil {
			return err
		}
	}
	return nil
}

// weekStart is the Monday that begins an ISO week written as quiz.Week writes it ("2026-W48").
func weekStart(week string) (time.Time, bool) {
	var y, w int
	if _, err := fmt.Sscanf(week, "%d-W%d", &y, &w); err != nil || w < 1 || w > 53 {
		return time.Time{}, false
	}
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC) // always in ISO week 1
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1)), true
}

// Forget implements quiz.Store.
func (s *Store) Forget(ctx context.Context, user string, boards []quiz.Board) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketUsers).DeleteBucket([]byte(user)); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return err
		}
		for _, b := range boards {
			bb := tx.Bucket(bucketBoards).Bucket([]byte(b.Chat + "|" + b.Week))
			if bb == nil {
				continue
			}
			for _, sub := range [][]byte{keyPoints, keyNames} {
				if sb := bb.Bucket(sub); sb != nil {
					if err := sb.Delete([]byte(user)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// Top implements quiz.Leaderboards.
func (s *Store) Top(ctx context.Context, b quiz.Board, n int, user string) ([]quiz.Standing, quiz.Standing, bool, error) {
	var all []quiz.Standing
	err := s.db.View(func(tx *bbolt.Tx) error {
		bb := tx.Bucket(bucketBoards).Bucket([]byte(b.Chat + "|" + b.Week))
		if bb == nil || bb.Bucket(keyPoints) == nil {
			return nil
		}
		names := bb.Bucket(keyNames)
		return bb.Bucket(keyPoints).ForEach(func(k, v []byte) error {
			st := quiz.Standing{User: string(k), Points: int(u64(v))}
			if names != nil {
				st.Name = string(names.Get(k))
			}
			all = append(all, st)
			return nil
		})
	})
	if err != nil {
		return nil, quiz.Standing{}, false, err
	}
	top, me, ok := quiz.Rank(all, n, user)
	return top, me, ok, nil
}

// AddReport implements quiz.Reports.
func (s *Store) AddReport(ctx context.Context, r quiz.Report) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketReports)
		seq, err := rb.NextSequence()
		if err != nil {
			return err
		}
		if seq > maxReports {
			if err := rb.Delete(putU64(seq - maxReports)); err != nil {
				return err
			}
		}
		return rb.Put(putU64(seq), body)
	})
}

// maxReports is how many card reports are kept, newest first, as the Redis store keeps them.
const maxReports = 10_000

// ListReports implements quiz.Reports.
func (s *Store) ListReports(ctx context.Context, limit int) ([]quiz.Report, error) {
	var out []quiz.Report
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketReports).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			var r quiz.Report
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("report %d: %w", u64(k), err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Learner is everything stored about one learner, for `bot migrate`.
type Learner struct {
	Record   quiz.Record // with every card state
	Settings map[string]string
	History  []byte // quiz.PackReview entries, oldest first
}

// ForEachUser calls fn with everything stored about every learner. A learner with settings but no
// answers yet has a zero Record. It reads one consistent snapshot; fn must not use the store.
func (s *Store) ForEachUser(ctx context.Context, fn func(user string, l Learner) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEachBucket(func(k []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ub := tx.Bucket(bucketUsers).Bucket(k)
			l := Learner{
				Record:   quiz.Record{Version: u64(ub.Get(keyVersion)), Progress: slices.Clone(ub.Get(keyProgress)), Cards: map[string][]byte{}},
				Settings: map[string]string{},
			}
			collect := func(sub []byte, f func(k, v []byte)) error {
				if b := ub.Bucket(sub); b != nil {
					return b.ForEach(func(k, v []byte) error { f(k, v); return nil })
				}
				return nil
			}
			err := errors.Join(
				collect(keyCards, func(k, v []byte) { l.Record.Cards[string(k)] = slices.Clone(v) }),
				collect(keySettings, func(k, v []byte) { l.Settings[string(k)] = string(v) }),
				collect(keyHistory, func(_, v []byte) { l.History = append(l.History, v...) }),
			)
			if err != nil {
				return err
			}
			return fn(string(k), l)
		})
	})
}

// PutQuizPoll remembers what a native quiz poll asks, because Telegram's poll answers carry only the
// poll id.
func (s *Store) PutQuizPoll(ctx context.Context, id string, ref []byte) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		pb := tx.Bucket(bucketPolls)
		if err := pb.Put([]byte(id), ref); err != nil {
			return err
		}
		// Keep the newest maxPolls: an answer to an older poll is not worth keeping data for.
		order, err := tx.Bucket(bucketMeta).CreateBucketIfNotExists([]byte("poll-order"))
		if err != nil {
			return err
		}
		seq, err := order.NextSequence()
		if err != nil {
			return err
		}
		if err := order.Put(putU64(seq), []byte(id)); err != nil {
			return err
		}
		if seq > maxPolls {
			oldKey := putU64(seq - maxPolls)
			if old := order.Get(oldKey); old != nil {
				if err := pb.Delete(old); err != nil {
					return err
				}
				return order.Delete(oldKey)
			}
		}
		return nil
	})
}

// maxPolls bounds the quiz polls remembered; Telegram quiz polls are answered within minutes.
const maxPolls = 10_000

// QuizPoll returns what PutQuizPoll stored for id, or nil and no error for an unknown poll.
func (s *Store) QuizPoll(ctx context.Context, id string) ([]byte, error) {
	var ref []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketPolls).Get([]byte(id)); v != nil {
			ref = slices.Clone(v)
		}
		return nil
	})
	return ref, err
}
