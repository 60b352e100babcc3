package redis

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// replica is one bot process: its own core, engine, caches and connections, on the shared Redis.
type replica struct {
	core *bot.Bot
}

func newReplica(t *testing.T, c Config, now func() time.Time) replica {
	t.Helper()
	s := mustOpen(t, c)
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	core, err := bot.New(bot.Config{Content: kb, Quiz: newEngine(t, s), Settings: s, Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return replica{core: core}
}

func (r replica) say(user, text string) []bot.Reply {
	return r.core.Handle(context.Background(), bot.Event{Platform: "test", ChatID: user, UserID: user, UserName: user, Chat: bot.Private, Text: text})
}

func (r replica) press(user, data string) []bot.Reply {
	return r.core.Handle(context.Background(), bot.Event{Platform: "test", ChatID: user, UserID: user, UserName: user, Chat: bot.Private, Choice: data})
}

func plainText(rs []bot.Reply) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Text.PlainText())
	}
	return strings.Join(parts, "\n---\n")
}

func questionOf(rs []bot.Reply) *bot.Reply {
	for i := range rs {
		if len(rs[i].Choices) > 0 {
			return &rs[i]
		}
	}
	return nil
}

// TestReplicasShareOneLearner runs two replicas over one Redis, as two webhook replicas behind a
// load balancer would be, and sends every answer of several rounds to the replica that did not
// ask the question: by button and typed, after the other replica has cached the learner's record.
// Every answer is graded exactly once, and /stats on either replica counts them all.
func TestReplicasShareOneLearner(t *testing.T) {
	srv := redistest.Start(t)
	replicasShareOneLearner(t, Config{URL: srv.URL(), Prefix: uniquePrefix()})
}

func TestReplicasShareOneLearnerCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	replicasShareOneLearner(t, Config{ClusterAddrs: cl.Addrs(), Prefix: uniquePrefix()})
}

func replicasShareOneLearner(t *testing.T, c Config) {
	now := t0
	clock := func() time.Time { return now }
	a, b := newReplica(t, c, clock), newReplica(t, c, clock)
	const user = "ada"

	// The reproduction: B caches the learner's record, A starts a round, B gets the answer.
	if got := plainText(b.say(user, "/stats")); !strings.Contains(got, "Answers: 0") {
		t.Fatalf("/stats on B:\n%s", got)
	}
	q := questionOf(a.say(user, "/quiz frameworks 3"))
	if q == nil {
		t.Fatal("A asked no question")
	}
	now = now.Add(5 * time.Second)
	rs := b.say(user, "1")
	if got := plainText(rs); !strings.Contains(got, "Right!") && !strings.Contains(got, "Not quite") && !strings.Contains(got, "The answer") {
		t.Fatalf("B did not grade the typed answer to A's question:\n%s", got)
	}

	answered := 1
	replicas := []replica{a, b}
	turn := 0
	for round := 0; round < 4; round++ {
		q = questionOf(replicas[turn%2].say(user, fmt.Sprintf("/quiz %s 3", []string{"ml", "essentials", "frameworks", "all"}[round])))
		turn++
		for q != nil {
			now = now.Add(7 * time.Second)
			r := replicas[turn%2]
			turn++
			data := q.Choices[q.Question.Correct].Data
			if answered%2 == 0 {
				rs = r.press(user, data)
			} else {
				rs = r.say(user, fmt.Sprint(q.Question.Correct+1))
			}
			if got := plainText(rs); !strings.Contains(got, "Right!") {
				t.Fatalf("answer %d on replica %d: want it graded right, got:\n%s", answered+1, turn%2, got)
			}
			answered++
			q = questionOf(rs)
			// The same press arriving again at the other replica (a double tap, a retried
			// webhook) is refused, and counts nothing.
			if answered%3 == 0 {
				twin := replicas[turn%2].press(user, data)
				if got := plainText(twin); len(twin) != 1 || !twin[0].Private || !strings.Contains(got, "Already answered") && !strings.Contains(got, "earlier round") {
					t.Fatalf("a repeated press at the other replica: %s", got)
				}
			}
		}
	}
	for i, r := range replicas {
		if got := plainText(r.say(user, "/stats")); !strings.Contains(got, fmt.Sprintf("Answers: %d ", answered)) {
			t.Errorf("/stats on replica %d after %d answers:\n%s", i, answered, got)
		}
	}
}

// TestRoundTripsThroughTheCore counts what an answer costs through the whole core, settings
// included: once a learner's language and chat settings are cached, each answer is one script.
func TestRoundTripsThroughTheCore(t *testing.T) {
	srv := redistest.Start(t)
	c := Config{URL: srv.URL(), Prefix: uniquePrefix()}
	s := mustOpen(t, c)
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	core, err := bot.New(bot.Config{Content: kb, Quiz: newEngine(t, s), Settings: s, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := replica{core: core}
	q := questionOf(r.say("ada", "/quiz all 11"))
	now = now.Add(3 * time.Second)
	q = questionOf(r.press("ada", q.Choices[q.Question.Correct].Data)) // warms the caches
	rt.Reset()
	const answers = 10
	for range answers {
		now = now.Add(time.Second)
		q = questionOf(r.press("ada", q.Choices[q.Question.Correct].Data))
	}
	if got := rt.ByCommand(); got["evalsha"] != answers || rt.Count() != answers {
		t.Errorf("%d answers through the core cost %v, want %d scripts and nothing else", answers, got, answers)
	}
}
