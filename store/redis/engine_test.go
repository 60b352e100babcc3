package redis

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// The tests here drive the real quiz engine over a real Redis.

var bank = sync.OnceValues(func() (*quiz.Bank, error) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		return nil, err
	}
	b, _, err := quiz.NewBank(kb)
	return b, err
})

var t0 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func newEngine(t testing.TB, s *Store) *quiz.Engine {
	t.Helper()
	b, err := bank()
	if err != nil {
		t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: b, Store: s, Boards: s, Reports: s})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// learner answers one round through an engine with its own clock.
type learner struct {
	u   quiz.User
	now time.Time
	q   *quiz.Question
}

func newLearner(i int, group string) *learner {
	l := &learner{u: quiz.User{Key: fmt.Sprintf("test:%d", i), Name: fmt.Sprint("Learner ", i)}, now: t0}
	l.u.Chat = l.u.Key
	if group != "" {
		l.u.Chat, l.u.Group = group, true
	}
	return l
}

// start begins a round of n questions in every topic.
func (l *learner) start(e *quiz.Engine, n int) error {
	step, err := e.Start(ctx, l.u, quiz.Scope{Topic: quiz.TopicAll}, n, l.now)
	if err != nil {
		return fmt.Errorf("Start(%s): %w", l.u.Key, err)
	}
	l.q = step.Question
	return nil
}

func (l *learner) mustStart(t testing.TB, e *quiz.Engine, n int) {
	t.Helper()
	if err := l.start(e, n); err != nil {
		t.Fatal(err)
	}
}

// choice is the choice data of the current question: right, or "I don't know" when wrong is set.
func (l *learner) choice(wrong bool) string {
	i := l.q.Correct
	if wrong {
		i = len(l.q.Choices) - 1
	}
	return quiz.ChoiceData(l.q, i)
}

// answer submits data and moves on to the next question.
func (l *learner) answer(e *quiz.Engine, data string) (quiz.Step, error) {
	step, err := e.Answer(ctx, l.u, data, l.now)
	if err == nil {
		l.q = step.Question
		l.now = l.now.Add(5 * time.Second)
	}
	return step, err
}

func progressOf(t testing.TB, s *Store, user string) (quiz.Record, quiz.Progress) {
	t.Helper()
	rec, err := s.Load(ctx, user, true)
	if err != nil {
		t.Fatalf("Load(%s): %v", user, err)
	}
	p, err := quiz.DecodeProgress(rec.Progress)
	if err != nil {
		t.Fatal(err)
	}
	return rec, p
}

// reps sums the review counts of the learner's cards: one per graded answer.
func reps(t testing.TB, rec quiz.Record) int {
	t.Helper()
	n := 0
	for id, b := range rec.Cards {
		st, err := quiz.UnpackState(b)
		if err != nil {
			t.Fatalf("card %s: %v", id, err)
		}
		n += st.Reps
	}
	return n
}

func TestOutage(t *testing.T) {
	srv := redistest.Start(t)
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{URL: srv.URL(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms})
	e := newEngine(t, s)
	l := newLearner(1, "")
	l.mustStart(t, e, 5)
	first := l.q.Card.ID
	if _, err := l.answer(e, l.choice(false)); err != nil {
		t.Fatalf("first answer: %v", err)
	}

	srv.Kill()
	data := l.choice(false)
	if _, err := l.answer(e, data); !errors.Is(err, quiz.ErrUnavailable) {
		t.Fatalf("answer while Redis is down = %v, want ErrUnavailable", err)
	}

	srv.Restart()
	// The learner tries again at once: nothing holds answers off once Redis is back.
	step, err := l.answer(e, data)
	if err != nil || step.Feedback == nil {
		t.Fatalf("answer after Redis restarted = %+v, %v; want it graded", step, err)
	}
	rec, p := progressOf(t, s, l.u.Key)
	if p.Answered != 2 || p.Round == nil || p.Round.Pos != 2 {
		t.Errorf("after the outage: %d answered, round %+v; want 2 answered, at question 3", p.Answered, p.Round)
	}
	if st, err := quiz.UnpackState(rec.Cards[first]); err != nil || st.Reps != 1 {
		t.Errorf("the answer acknowledged before the outage: card %s = %+v, %v; want 1 review", first, st, err)
	}
}

func TestOpenWhileDown(t *testing.T) {
	srv := redistest.Start(t)
	srv.Kill()
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{URL: srv.URL(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms})
	if err := s.Ping(ctx); !errors.Is(err, quiz.ErrUnavailable) {
		t.Errorf("Ping with Redis down = %v, want ErrUnavailable", err)
	}
	w := quiz.Write{Progress: []byte("p")}
	if _, err := s.Commit(ctx, "test:early", w); !errors.Is(err, quiz.ErrUnavailable) {
		t.Errorf("Commit with Redis down = %v, want ErrUnavailable", err)
	}
	if _, err := s.Load(ctx, "test:early", true); !errors.Is(err, quiz.ErrUnavailable) {
		t.Errorf("Load with Redis down = %v, want ErrUnavailable", err)
	}
	srv.Restart()
	if v, err := s.Commit(ctx, "test:early", w); err != nil || v != 1 {
		t.Errorf("Commit once Redis is up = %d, %v; want version 1", v, err)
	}
}

// TestCloseDuringOutage fails more commands than the pool has connections, which starts go-redis's
// background reconnect probe, and closes the store: TestMain checks that nothing is left running.
func TestCloseDuringOutage(t *testing.T) {
	srv := redistest.Start(t)
	srv.Kill()
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{URL: srv.URL(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms, PoolSize: 2})
	for range 5 {
		if _, err := s.Commit(ctx, "test:u", quiz.Write{}); !errors.Is(err, quiz.ErrUnavailable) {
			t.Fatalf("Commit with Redis down = %v, want ErrUnavailable", err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentLearners has many learners answer at once through two engines (two replicas)
// sharing the store, each answer submitted twice at the same moment, once to each replica: every
// answer must be graded exactly once.
func TestConcurrentLearners(t *testing.T) {
	srv := redistest.Start(t)
	concurrentLearners(t, Config{URL: srv.URL()}, 200)
}

func TestConcurrentLearnersCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	concurrentLearners(t, Config{ClusterAddrs: cl.Addrs()}, 20)
}

func concurrentLearners(t *testing.T, c Config, users int) {
	const questions = 20
	s := mustOpen(t, c)
	replicas := []*quiz.Engine{newEngine(t, s), newEngine(t, s)}
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			l := newLearner(i, "")
			if err := l.start(replicas[0], questions); err != nil {
				t.Error(err)
				return
			}
			for n := range questions {
				data := l.choice(n%4 == 3)
				var graded sync.WaitGroup
				results := make([]error, 2)
				steps := make([]quiz.Step, 2)
				for r := range 2 {
					graded.Go(func() { steps[r], results[r] = replicas[r].Answer(ctx, l.u, data, l.now) })
				}
				graded.Wait()
				ok := 0
				for r, err := range results {
					switch {
					case err == nil:
						ok++
						l.q = steps[r].Question
					case errors.Is(err, quiz.ErrAnswered), errors.Is(err, quiz.ErrStale):
					default:
						t.Errorf("%s answer %d on replica %d: %v", l.u.Key, n+1, r, err)
						return
					}
				}
				if ok != 1 {
					t.Errorf("%s answer %d was graded %d times, want once", l.u.Key, n+1, ok)
					return
				}
				l.now = l.now.Add(5 * time.Second)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i := range users {
		u := newLearner(i, "").u.Key
		rec, p := progressOf(t, s, u)
		if p.Answered != questions || reps(t, rec) != questions {
			t.Errorf("%s: %d answered, %d reviews over its cards; want %d", u, p.Answered, reps(t, rec), questions)
		}
	}
}
