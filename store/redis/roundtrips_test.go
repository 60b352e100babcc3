package redis

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestRoundTrips counts, with a go-redis hook, what recording one answer costs once the engine's
// cache is warm: one script for the learner's state, plus on a Cluster one for a group's
// leaderboard.
func TestRoundTrips(t *testing.T) {
	srv := redistest.Start(t)
	cl := redistest.StartCluster(t, 3)
	single, cluster := Config{URL: srv.URL()}, Config{ClusterAddrs: cl.Addrs()}
	tests := []struct {
		name  string
		c     Config
		group string
		want  map[string]int64 // per answer
	}{
		{"PrivateChat", single, "", map[string]int64{"evalsha": 1}},
		{"GroupChat", single, "test:group", map[string]int64{"evalsha": 1}},
		{"ClusterPrivateChat", cluster, "", map[string]int64{"evalsha": 1}},
		{"ClusterGroupChat", cluster, "test:group", map[string]int64{"evalsha": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const answers = 10
			s := mustOpen(t, tt.c)
			var rt redistest.RoundTrips
			s.AddHook(&rt)
			e := newEngine(t, s)
			l := newLearner(1, tt.group)
			l.mustStart(t, e, answers+1)
			if _, err := l.answer(e, l.choice(false)); err != nil { // warms the cache and the script
				t.Fatal(err)
			}
			rt.Reset()
			for range answers {
				if _, err := l.answer(e, l.choice(false)); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string]int64{}
			for cmd, n := range tt.want {
				want[cmd] = n * answers
			}
			if diff := cmp.Diff(want, rt.ByCommand()); diff != "" {
				t.Errorf("round trips for %d answers (-want +got):\n%s", answers, diff)
			}
			if tt.group != "" {
				_, me, ok, err := s.Top(ctx, quiz.Board{Chat: tt.group, Week: quiz.Week(l.now)}, 3, l.u.Key)
				if err != nil || !ok || me.Points < answers+1 {
					t.Errorf("leaderboard standing = %+v, %v, %v; want at least %d points", me, ok, err, answers+1)
				}
			}
		})
	}
}

// TestScriptCacheFlushed runs a Commit after the script cache was emptied, as after a Redis
// restart: EVALSHA fails with NOSCRIPT and EVAL runs the script (and caches it again).
func TestScriptCacheFlushed(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	v, err := s.Commit(ctx, "test:u", quiz.Write{Progress: []byte("1")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	rt.Reset()
	for range 2 {
		if v, err = s.Commit(ctx, "test:u", quiz.Write{Expect: v, Progress: []byte("2")}); err != nil {
			t.Fatalf("Commit after SCRIPT FLUSH: %v", err)
		}
	}
	want := map[string]int64{"evalsha": 2, "eval": 1}
	if diff := cmp.Diff(want, rt.ByCommand()); diff != "" {
		t.Errorf("round trips of two commits after SCRIPT FLUSH (-want +got):\n%s", diff)
	}
}

// TestLinkedIdentityAnswersInOneRoundTrip: a learner answering from an identity /link joined to
// another still costs one script per answer, on one Redis and on a Cluster, where the identity's
// own record sits on another slot than the learner's: the engine keeps where the progress lives.
func TestLinkedIdentityAnswersInOneRoundTrip(t *testing.T) {
	srv := redistest.Start(t)
	cl := redistest.StartCluster(t, 3)
	for name, c := range map[string]Config{"Single": {URL: srv.URL()}, "Cluster": {ClusterAddrs: cl.Addrs()}} {
		t.Run(name, func(t *testing.T) {
			const answers = 10
			s := mustOpen(t, c)
			e := newEngine(t, s)
			home, away := newLearner(1, ""), newLearner(2, "")
			home.mustStart(t, e, 2)
			if _, err := home.answer(e, home.choice(false)); err != nil {
				t.Fatal(err)
			}
			if err := e.Link(ctx, home.u.Key, away.u.Key, nil, away.now); err != nil {
				t.Fatal(err)
			}
			away.now = home.now.Add(time.Minute)
			away.mustStart(t, e, answers+1)
			if _, err := away.answer(e, away.choice(false)); err != nil { // warms the cache
				t.Fatal(err)
			}
			var rt redistest.RoundTrips
			s.AddHook(&rt)
			for range answers {
				if _, err := away.answer(e, away.choice(false)); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(map[string]int64{"evalsha": answers}, rt.ByCommand()); diff != "" {
				t.Errorf("round trips for %d answers from a linked identity (-want +got):\n%s", answers, diff)
			}
			st, err := e.Stats(ctx, home.u.Key, away.now, nil)
			if err != nil || st.Answered != answers+2 {
				t.Errorf("the learner's answers = %d, %v; want %d counted under one progress", st.Answered, err, answers+2)
			}
		})
	}
}
