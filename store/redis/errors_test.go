package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

func TestUnavailable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{io.EOF, true},
		{context.DeadlineExceeded, true},
		{goredis.ErrPoolTimeout, true},
		{goredis.ErrClosed, true},
		{errors.New("LOADING Redis is loading the dataset in memory"), true},
		{errors.New("CLUSTERDOWN The cluster is down"), true},
		{errors.New("TRYAGAIN Multiple keys request during rehashing of slot"), true},
		{errors.New("READONLY You can't write against a read only replica."), true},
		{errors.New("MASTERDOWN Link with MASTER is down"), true},
		{errors.New("WRONGTYPE Operation against a key holding the wrong kind of value"), false},
		{errors.New("ERR user_script:1: Script attempted to access nonexistent global variable"), false},
		{errors.New("NOPERM this user has no permissions to run the 'evalsha' command"), false},
	}
	for _, tt := range tests {
		if got := unavailable(tt.err); got != tt.want {
			t.Errorf("unavailable(%v) = %v, want %v", tt.err, got, tt.want)
		}
		if got := errors.Is(fail("op", tt.err), quiz.ErrUnavailable); got != tt.want {
			t.Errorf("fail(%v) is ErrUnavailable = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestHungRedis pauses writes on the server: a Commit must give up within the read timeout
// and say the store is unavailable, and the store works again once Redis does.
func TestHungRedis(t *testing.T) {
	srv := redistest.Start(t)
	if srv.Addr() == "" {
		t.Skip("needs a server of its own")
	}
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{URL: srv.URL(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms})
	if _, err := redistest.Do(srv.Addr(), "CLIENT", "PAUSE", "60000", "WRITE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { redistest.Do(srv.Addr(), "CLIENT", "UNPAUSE") })
	_, err := s.Commit(ctx, "test:hung", quiz.Write{Progress: []byte("p")})
	if !errors.Is(err, quiz.ErrUnavailable) {
		t.Fatalf("Commit on a paused Redis = %v, want ErrUnavailable", err)
	}
	if _, err := redistest.Do(srv.Addr(), "CLIENT", "UNPAUSE"); err != nil {
		t.Fatal(err)
	}
	// The timed-out script may still have run: like any client, the engine learns that from the
	// version.
	rec, err := s.Load(ctx, "test:hung", false)
	if err != nil {
		t.Fatalf("Load after the pause: %v", err)
	}
	if _, err := s.Commit(ctx, "test:hung", quiz.Write{Expect: rec.Version, Progress: []byte("q")}); err != nil {
		t.Errorf("Commit after the pause: %v", err)
	}
}

// TestRedisRefusal: a command Redis refuses (here a key of the wrong type) is a bug to report, not
// an outage to wait out.
func TestRedisRefusal(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	if err := s.client.Set(ctx, s.keys.rec("test:odd"), "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Commit(ctx, "test:odd", quiz.Write{Progress: []byte("p")})
	if err == nil || errors.Is(err, quiz.ErrUnavailable) || errors.Is(err, quiz.ErrConflict) {
		t.Errorf("Commit over a string key = %v, want a plain error", err)
	}
}
