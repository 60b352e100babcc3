package bolt

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		dir := t.TempDir()
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		open := func() *Store {
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			s.Now = func() time.Time { return now }
			// Durability across crashes is not what the suite checks (its restarts close the
			// file cleanly); syncing each of its ten thousand reports would only make it slow.
			s.db.NoSync = true
			return s
		}
		cur := open()
		t.Cleanup(func() { cur.Close() })
		return storetest.Harness{
			Backend: cur,
			Restart: func() storetest.Backend {
				if err := cur.Close(); err != nil {
					t.Fatal(err)
				}
				cur = open()
				return cur
			},
			Advance: func(d time.Duration) { now = now.Add(d) },
		}
	})
}

// TestSecondProcessGetsClearError opens the same directory twice: the second open must fail fast
// with ErrLocked instead of hanging. (bbolt's lock is per file descriptor, so a second open in one
// process behaves like a second process.)
func TestSecondProcessGetsClearError(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(dir)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
}

func TestPolls(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ref, err := s.QuizPoll(context.Background(), "nope"); ref != nil || err != nil {
		t.Errorf("unknown poll = %q, %v; want nil, nil", ref, err)
	}
	if err := s.PutQuizPoll(context.Background(), "p1", []byte(`{"chat":1}`)); err != nil {
		t.Fatal(err)
	}
	if ref, _ := s.QuizPoll(context.Background(), "p1"); string(ref) != `{"chat":1}` {
		t.Errorf("Poll(p1) = %q", ref)
	}
}

func TestOldLeaderboardsArePruned(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	v := uint64(0)
	for _, week := range []string{"2026-W40", "2026-W43", "2026-W48"} {
		v, err = s.Commit(ctx, "test:u", quiz.Write{Expect: v, Progress: []byte("p"), Credit: &quiz.Credit{
			Board: quiz.Board{Chat: "test:g", Week: week}, Answer: "a-" + week, User: "test:u", Points: 1,
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for week, kept := range map[string]bool{"2026-W40": false, "2026-W43": true, "2026-W48": true} {
		_, _, ok, _ := s.Top(ctx, quiz.Board{Chat: "test:g", Week: week}, 5, "test:u")
		if ok != kept {
			t.Errorf("board of %s kept = %v, want %v (boards older than %d weeks are pruned)", week, ok, kept, boardWeeks)
		}
	}
}

func TestWeekStart(t *testing.T) {
	for week, want := range map[string]string{"2026-W01": "2025-12-29", "2026-W48": "2026-11-23", "2021-W01": "2021-01-04"} {
		got, ok := weekStart(week)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("weekStart(%s) = %v, %v; want %s", week, got, ok, want)
		}
	}
	if _, ok := weekStart("soon"); ok {
		t.Errorf("weekStart(soon) should fail")
	}
}

// TestForgetLeavesNothing scans the whole database after /forget for any trace of the learner.
func TestForgetLeavesNothing(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	b := quiz.Board{Chat: "test:g", Week: "2026-W48"}
	if _, err := s.Commit(ctx, "test:gone", quiz.Write{Progress: []byte("p"), Cards: map[string][]byte{"c": {1}},
		Credit: &quiz.Credit{Board: b, Answer: "test:gone:r1:0", User: "test:gone", Name: "Gone", Points: 3}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Forget(ctx, "test:gone", []quiz.Board{b}); err != nil {
		t.Fatal(err)
	}
	var walk func(b *bbolt.Bucket) error
	walk = func(b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if bytes.Contains(k, []byte("gone")) || bytes.Contains(v, []byte("gone")) || bytes.Contains(v, []byte("Gone")) {
				t.Errorf("found a trace of the forgotten learner: %q = %q", k, v)
			}
			if v == nil {
				return walk(b.Bucket(k))
			}
			return nil
		})
	}
	s.db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return walk(b) })
	})
}
