package redis

import (
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestMemoryPerUser measures what one learner costs Redis (MEMORY USAGE of their keys) as they
// learn more cards (distinct cards with a state; the engine mixes in the reviews that fall due),
// between rounds and with a 20-question round in play, and holds the 100-card figure to 4 KiB.
// Past hash-max-listpack-entries cards (512 by default) Redis converts the card hash to a
// hashtable, which costs about 2.5 times as much; the second run raises the limit above the
// bank's size. Run with -v for the figures.
func TestMemoryPerUser(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		marks []int
	}{
		{"Default", nil, []int{20, 100, 200, 512, 513, 1000}},
		{"ListpackEntries1024", []string{"--hash-max-listpack-entries", "1024"}, []int{100, 513, 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.marks[len(tt.marks)-1] > 100 {
				tt.marks = []int{20, 100}
			}
			srv := redistest.Start(t, redistest.Args(tt.args...))
			if srv.Addr() == "" && tt.args != nil {
				t.Skip("needs a server of its own")
			}
			s := mustOpen(t, Config{URL: srv.URL()})
			memoryPerUser(t, s, newEngine(t, s), tt.marks)
		})
	}
}

func memoryPerUser(t *testing.T, s *Store, e *quiz.Engine, marks []int) {
	const budget = 4096
	l := newLearner(1, "")
	cards := func() int {
		n, err := s.client.HLen(ctx, s.keys.cards(l.u.Key)).Result()
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	for _, mark := range marks {
		for n := cards(); n < mark; n = cards() {
			l.mustStart(t, e, min(20, mark-n))
			for l.q != nil {
				if _, err := l.answer(e, l.choice(false)); err != nil {
					t.Fatal(err)
				}
			}
		}
		between := memoryUsage(t, s, l.u.Key)
		l.mustStart(t, e, 20)
		during := memoryUsage(t, s, l.u.Key)
		if _, err := e.Stop(ctx, l.u, l.now); err != nil {
			t.Fatal(err)
		}
		enc, _ := s.client.ObjectEncoding(ctx, s.keys.cards(l.u.Key)).Result()
		t.Logf("%4d cards: %5d bytes between rounds, %5d with a round of 20 in play (card hash: %s)", mark, between, during, enc)
		if mark == 100 && max(between, during) > budget {
			t.Errorf("a learner with 100 cards takes %d bytes between rounds, %d in a round; want at most %d", between, during, budget)
		}
	}
}

func memoryUsage(t *testing.T, s *Store, user string) int64 {
	t.Helper()
	n, err := s.MemoryUsage(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHistoryMemory measures a learner's review history in Redis at 1,000 and at 2,000 reviews
// (the most kept): one string of 13-byte entries, appended by the commit script. Run with -v for
// the figures.
func TestHistoryMemory(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, Config{URL: srv.URL()})
	v := uint64(0)
	for i := 1; i <= quiz.MaxHistory+quiz.MaxHistory/5; i++ {
		w := quiz.Write{Expect: v, Progress: []byte("p"), Review: quiz.PackReview(quiz.Review{Card: "abcdef", Time: t0.Add(time.Duration(i) * time.Minute), Rating: 3, Duration: 4 * time.Second})}
		var err error
		if v, err = s.Commit(ctx, "test:hist", w); err != nil {
			t.Fatal(err)
		}
		if i != 1000 && i != quiz.MaxHistory+quiz.MaxHistory/5 {
			continue
		}
		n, err := s.client.MemoryUsage(ctx, s.keys.history("test:hist"), 0).Result()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d reviews committed: history takes %d bytes in Redis", i, n)
		if i == 1000 && n > 16<<10 {
			t.Errorf("1,000 reviews take %d bytes, want at most 16 KiB", n)
		}
		if i > quiz.MaxHistory && n > 40<<10 {
			t.Errorf("the history grew to %d bytes past its limit", n)
		}
	}
}
