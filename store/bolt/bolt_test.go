package bolt

import (
	"context"
	"errors"
	"testing"

	"github.com/pybrarian/pybrarian/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Backend, func() storetest.Backend) {
		dir := t.TempDir()
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		cur := s
		t.Cleanup(func() { cur.Close() })
		return s, func() storetest.Backend {
			if err := cur.Close(); err != nil {
				t.Fatal(err)
			}
			next, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			cur = next
			return next
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
	if ref, err := s.Poll(context.Background(), "nope"); ref != nil || err != nil {
		t.Errorf("unknown poll = %q, %v; want nil, nil", ref, err)
	}
	if err := s.PutPoll(context.Background(), "p1", []byte(`{"chat":1}`)); err != nil {
		t.Fatal(err)
	}
	if ref, _ := s.Poll(context.Background(), "p1"); string(ref) != `{"chat":1}` {
		t.Errorf("Poll(p1) = %q", ref)
	}
}
