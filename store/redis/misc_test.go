package redis

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/bolt"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

func TestImport(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	cards := map[string][]byte{}
	for i := range 700 { // more than one HSET batch in the script
		cards[strings.Repeat(string(rune('a'+i%26)), 3)+string(rune('A'+i/26))] = []byte{byte(i), 1, 2}
	}
	rec := quiz.Record{Version: 42, Progress: []byte(`{"v":1,"a":3}`), Cards: cards}
	history := append(quiz.PackReview(quiz.Review{Card: "abcdef", Time: time.Unix(1_700_000_000, 0), Rating: 3}),
		quiz.PackReview(quiz.Review{Card: "ghijkl", Time: time.Unix(1_700_000_100, 0), Rating: 1})...)
	if err := s.Import(ctx, "test:m", rec, history); err != nil {
		t.Fatalf("Import: %v", err)
	}
	if h, err := s.History(ctx, "test:m"); err != nil || string(h) != string(history) {
		t.Errorf("imported history = %q, %v", h, err)
	}
	got, err := s.Load(ctx, "test:m", true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec, got); diff != "" {
		t.Errorf("imported record (-want +got):\n%s", diff)
	}
	if err := s.Import(ctx, "test:m", quiz.Record{Version: 1}, nil); !errors.Is(err, ErrExists) {
		t.Errorf("second Import = %v, want ErrExists", err)
	}
	if got, _ := s.Load(ctx, "test:m", false); got.Version != 42 {
		t.Errorf("a refused Import changed the record: version %d", got.Version)
	}
	if v, err := s.Commit(ctx, "test:m", quiz.Write{Expect: 42, Progress: []byte("next")}); err != nil || v != 43 {
		t.Errorf("Commit after Import = %d, %v; want version 43", v, err)
	}
	if err := s.Import(ctx, "test:zero", quiz.Record{}, nil); err == nil {
		t.Error("Import of a record without a version succeeded")
	}
}

// TestImportFromBolt copies an embedded store's learners into Redis as `bot migrate` does: the
// records come out byte for byte the same.
func TestImportFromBolt(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	src, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for i, u := range []string{"test:a", "test:b"} {
		v, err := src.Commit(ctx, u, quiz.Write{Progress: []byte("p" + u), Cards: map[string][]byte{"c1": {byte(i)}}})
		if err == nil {
			_, err = src.Commit(ctx, u, quiz.Write{Expect: v, Progress: []byte("q" + u), Cards: map[string][]byte{"c2": {2, byte(i)}}})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]quiz.Record{}
	err = src.ForEachUser(ctx, func(user string, l bolt.Learner) error {
		want[user] = l.Record
		return s.Import(ctx, user, l.Record, l.History)
	})
	if err != nil {
		t.Fatal(err)
	}
	for u, rec := range want {
		got, err := s.Load(ctx, u, true)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(rec, got); diff != "" {
			t.Errorf("%s after migration (-bolt +redis):\n%s", u, diff)
		}
	}
}

func TestMemoryUsageOfUnknownUser(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	if n, err := s.MemoryUsage(ctx, "test:nobody"); n != 0 || err != nil {
		t.Errorf("MemoryUsage of an unknown learner = %d, %v; want 0, nil", n, err)
	}
}

func TestPolls(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	if ref, err := s.QuizPoll(ctx, "nope"); ref != nil || err != nil {
		t.Errorf("unknown poll = %q, %v; want nil, nil", ref, err)
	}
	if err := s.PutQuizPoll(ctx, "p1", []byte(`{"chat":1}`)); err != nil {
		t.Fatal(err)
	}
	if ref, err := s.QuizPoll(ctx, "p1"); string(ref) != `{"chat":1}` || err != nil {
		t.Errorf("Poll(p1) = %q, %v", ref, err)
	}
	if ttl := s.client.TTL(ctx, s.keys.poll("p1")).Val(); ttl <= 0 || ttl > pollTTL {
		t.Errorf("poll TTL = %v, want up to %v", ttl, pollTTL)
	}
}

// TestForgetLeavesNoUserKey checks that after Forget no key or value in Redis mentions the
// learner, the leaderboard's credited answers included, and that board keys expire.
func TestForgetLeavesNoUserKey(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	b := quiz.Board{Chat: "test:group", Week: "2026-W48"}
	user := "test:private-person"
	w := quiz.Write{Progress: []byte("p"), Cards: map[string][]byte{"c": {1}},
		Credit: &quiz.Credit{Board: b, Answer: user + ":round:0", User: user, Name: "Private Person", Points: 3}}
	if _, err := s.Commit(ctx, user, w); err != nil {
		t.Fatal(err)
	}
	pts, names, seen := s.keys.board(b)
	for _, k := range []string{pts, names, seen} {
		if ttl := s.client.TTL(ctx, k).Val(); ttl <= 0 || ttl > boardTTL {
			t.Errorf("TTL of %s = %v, want up to %v", k, ttl, boardTTL)
		}
	}
	if err := s.Forget(ctx, user, []quiz.Board{b}); err != nil {
		t.Fatal(err)
	}
	// A test may walk the whole key space; the store never does.
	keys, err := s.client.Keys(ctx, s.keys.prefix+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, user) {
			t.Errorf("key %s remains after Forget", k)
		}
		dump, err := s.client.Dump(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(dump, user) || strings.Contains(dump, "Private Person") {
			t.Errorf("key %s still mentions the learner after Forget", k)
		}
	}
}
