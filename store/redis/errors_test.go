package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
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
		{errors.New("OOM command not allowed when used memory > 'maxmemory'."), true},
		{errors.New("WRONGPASS invalid username-password pair or user is disabled."), true},
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

// TestLateCommitIsRefused runs the commit script as Redis would run a command queued behind a
// pause long after the client gave up: with its deadline passed, it writes nothing and says so,
// and Commit reports the store unavailable rather than a conflict.
func TestLateCommitIsRefused(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	keys := []string{s.keys.rec("test:late"), s.keys.cards("test:late"), s.keys.history("test:late")}
	args := append([]any{time.Now().Add(-time.Minute).UnixMilli()}, cardArgs(0, []byte("late"), map[string][]byte{"c": {1}}, 1)...)
	args = append(args, "")
	if v, err := commitScript.Run(ctx, s.client, keys, args...).Int64(); err != nil || v != -1 {
		t.Fatalf("a commit past its deadline = %d, %v; want -1", v, err)
	}
	if rec, err := s.Load(ctx, "test:late", true); err != nil || rec.Version != 0 || len(rec.Cards) != 0 {
		t.Errorf("a refused late commit wrote %+v (%v)", rec, err)
	}
	// In time, the same commit lands.
	args[0] = s.deadline(ctx, time.Now())
	if v, err := commitScript.Run(ctx, s.client, keys, args...).Int64(); err != nil || v != 1 {
		t.Errorf("a commit within its deadline = %d, %v; want version 1", v, err)
	}
}

// TestOutOfMemoryIsUnavailable fills a Redis that may not evict: a commit is then refused with OOM,
// which the bot reports as "progress is unavailable" rather than as a bug, and reads still work.
func TestOutOfMemoryIsUnavailable(t *testing.T) {
	srv := redistest.Start(t, redistest.Args("--maxmemory", "2mb", "--maxmemory-policy", "noeviction"))
	s := mustOpen(t, Config{URL: srv.URL()})
	big := strings.Repeat("x", 64<<10)
	for i := 0; ; i++ {
		err := s.client.Set(ctx, fmt.Sprintf("%s:filler:%d", s.keys.prefix, i), big, 0).Err()
		if err != nil {
			if !goredis.IsOOMError(err) {
				t.Fatalf("filling Redis: %v", err)
			}
			break
		}
		if i > 1000 {
			t.Fatal("Redis never ran out of memory")
		}
	}
	_, err := s.Commit(ctx, "test:oom", quiz.Write{Progress: []byte(big)})
	if !errors.Is(err, quiz.ErrUnavailable) {
		t.Errorf("Commit on a full Redis = %v, want ErrUnavailable", err)
	}
	if _, err := s.Load(ctx, "test:oom", true); err != nil {
		t.Errorf("Load on a full Redis = %v, want it to work", err)
	}
}
