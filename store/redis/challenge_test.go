package redis

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// chatSink is the platform of the challenge tests: it records what the core posts to the group
// and edits, from any replica.
type chatSink struct {
	mu     sync.Mutex
	msgs   []bot.Reply
	events []string
	// edited receives the time of each edit without buttons: a question's results.
	results chan time.Time
}

func (s *chatSink) Send(ctx context.Context, to bot.Destination, rs []bot.Reply) error {
	for _, r := range rs {
		s.Post(ctx, to, r)
	}
	return nil
}

func (s *chatSink) Post(ctx context.Context, to bot.Destination, r bot.Reply) (bot.MessageRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	s.events = append(s.events, fmt.Sprint("post ", len(s.msgs)))
	return bot.MessageRef(fmt.Sprint(len(s.msgs))), nil
}

func (s *chatSink) Edit(ctx context.Context, to bot.Destination, ref bot.MessageRef, r bot.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var i int
	fmt.Sscan(string(ref), &i)
	s.msgs[i-1] = r
	s.events = append(s.events, "edit "+string(ref))
	if len(r.Choices) == 0 && s.results != nil {
		s.results <- time.Now()
	}
	return nil
}

func (s *chatSink) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := strings.Join(s.events, " ")
	s.events = nil
	return out
}

func (s *chatSink) last() bot.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msgs[len(s.msgs)-1]
}

// shared is a clock several replicas read while the test moves it.
type shared struct {
	mu sync.Mutex
	t  time.Time
}

func (c *shared) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *shared) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// challengeReplica is one bot process running challenges on its own connections to c.
func challengeReplica(t testing.TB, c Config, clock func() time.Time, sink *chatSink) (*bot.Bot, *Store) {
	t.Helper()
	s := mustOpen(t, c)
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, s)
	core, err := bot.New(bot.Config{Content: kb, Quiz: e, Settings: s, Now: clock,
		Challenges: quiz.NewChallenges(e, s), Claims: s,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	core.Attach("test", sink)
	return core, s
}

func groupSay(user, text string) bot.Event {
	return bot.Event{Platform: "test", ChatID: "g", UserID: user, UserName: user, Chat: bot.Group, Text: text}
}

func groupPress(user, data string) bot.Event {
	ev := groupSay(user, "")
	ev.Choice = data
	return ev
}

// rightData is the data of the right answer of the question the sink shows last.
func rightData(t testing.TB, q bot.Reply) string {
	t.Helper()
	b, err := bank()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.Cards() {
		if asks(q.Text.PlainText(), c.Prompt.EN) {
			for _, ch := range q.Choices {
				if ch.Label == c.Choices[0].EN {
					return ch.Data
				}
			}
		}
	}
	t.Fatalf("no card asks %q", q.Text.PlainText())
	return ""
}

// TestChallengeReplicasRace runs two replicas of the bot on one Redis, both ticking at the same
// moments, as two processes behind a load balancer would; answers reach either. Every step of
// the challenge happens once: one question message, one results edit, one review per press in
// each player's record, one leaderboard credit per right answer. Then one replica restarts
// between two questions, and the challenge carries on.
func TestChallengeReplicasRace(t *testing.T) {
	srv := redistest.Start(t)
	challengeReplicasRace(t, Config{URL: srv.URL(), Prefix: uniquePrefix()})
}

func TestChallengeReplicasRaceCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	challengeReplicasRace(t, Config{ClusterAddrs: cl.Addrs(), Prefix: uniquePrefix()})
}

func challengeReplicasRace(t *testing.T, c Config) {
	clock := &shared{t: t0}
	sink := &chatSink{}
	a, _ := challengeReplica(t, c, clock.now, sink)
	b, bs := challengeReplica(t, c, clock.now, sink)
	ctx := context.Background()
	both := func(d time.Duration, rs ...*bot.Bot) string {
		clock.advance(d)
		var wg sync.WaitGroup
		for _, r := range rs {
			wg.Go(func() { r.TickChallenges(ctx) })
		}
		wg.Wait()
		return sink.log()
	}
	if got := plainText(a.Handle(ctx, groupSay("ada", "/challenge 2 10"))); !strings.Contains(got, "Challenge from ada") {
		t.Fatalf("/challenge = %q", got)
	}
	if got := plainText(b.Handle(ctx, groupSay("bob", "/challenge"))); !strings.Contains(got, "already running") {
		t.Errorf("a second /challenge on the other replica = %q", got)
	}
	if got := both(quiz.ChallengeLead, a, b); got != "post 1" {
		t.Fatalf("question 1: %q, want it posted once", got)
	}
	right := rightData(t, sink.last())
	players := []string{"p1", "p2", "p3", "p4", "p5", "p6"}
	clock.advance(time.Second)
	for i, p := range players {
		r := []*bot.Bot{a, b}[i%2]
		data := right
		if i >= 4 {
			data = sink.last().Choices[len(sink.last().Choices)-1].Data // "I don't know"
		}
		r.Handle(ctx, groupPress(p, data))
		// The same press at the other replica, as a retried delivery would bring it.
		twin := plainText([]*bot.Bot{b, a}[i%2].Handle(ctx, groupPress(p, data)))
		if !strings.Contains(twin, "only your first answer counts") {
			t.Errorf("%s's repeated press at the other replica = %q", p, twin)
		}
	}
	if got := both(10*time.Second, a, b); got != "edit 1" {
		t.Fatalf("the close: %q, want one results edit", got)
	}
	if res := sink.msgs[0].Text.PlainText(); !strings.Contains(res, "6 answered, 4 right") {
		t.Errorf("results:\n%s", res)
	}

	// Replica B restarts between the questions.
	bs.Close()
	b2, _ := challengeReplica(t, c, clock.now, sink)
	if got := both(quiz.ChallengeGap, a, b2); got != "post 2" {
		t.Fatalf("after a restart between questions: %q, want question 2 once", got)
	}
	b2.Handle(ctx, groupPress("p1", rightData(t, sink.last())))
	if got := both(11*time.Second, a, b2); got != "edit 2 post 3" {
		t.Fatalf("the end: %q, want the results and the final results once each", got)
	}
	for i, p := range players {
		want := "Answers: 1 "
		if i == 0 {
			want = "Answers: 2 "
		}
		if got := plainText(a.Handle(ctx, bot.Event{Platform: "test", ChatID: p, UserID: p, Chat: bot.Private, Text: "/stats"})); !strings.Contains(got, want) {
			t.Errorf("%s's /stats:\n%s", p, got)
		}
	}
	final := sink.last().Text.PlainText()
	if !strings.Contains(final, "🥇 p1") || !strings.Contains(final, "2/2 right") {
		t.Errorf("final results:\n%s", final)
	}
}

// TestChallengePressIsOneRoundTrip: once the player's language is cached, a press through the
// whole core costs one script, and nothing else.
func TestChallengePressIsOneRoundTrip(t *testing.T) {
	srv := redistest.Start(t)
	clock := &shared{t: t0}
	sink := &chatSink{}
	core, s := challengeReplica(t, Config{URL: srv.URL(), Prefix: uniquePrefix()}, clock.now, sink)
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	ctx := context.Background()
	core.Handle(ctx, groupSay("ada", "/challenge 1 30"))
	clock.advance(quiz.ChallengeLead)
	core.TickChallenges(ctx)
	q := sink.last()
	core.Handle(ctx, groupPress("ada", q.Choices[0].Data)) // loads the script into Redis's cache
	core.Handle(ctx, groupSay("bob", "/leaderboard"))      // bob's language and the chat's settings, cached
	rt.Reset()
	if got := plainText(core.Handle(ctx, groupPress("bob", q.Choices[0].Data))); !strings.Contains(got, "Got your answer") {
		t.Fatalf("press = %q", got)
	}
	if got := rt.ByCommand(); got["evalsha"] != 1 || rt.Count() != 1 {
		t.Errorf("a press cost %v, want one script", got)
	}
}

// TestChallenge500PlayersWithinASecond: 500 players press the same question at once, each
// twice, through the whole core; every first press is recorded once, every second refused, and
// the closed question counts them all.
func TestChallenge500PlayersWithinASecond(t *testing.T) {
	srv := redistest.Start(t)
	clock := &shared{t: t0}
	sink := &chatSink{}
	core, _ := challengeReplica(t, Config{URL: srv.URL(), Prefix: uniquePrefix()}, clock.now, sink)
	ctx := context.Background()
	core.Handle(ctx, groupSay("ada", "/challenge 1 20"))
	clock.advance(quiz.ChallengeLead)
	core.TickChallenges(ctx)
	q := sink.last()
	const players = 500
	recorded, repeated := pressAll(t, core, q, players, 2)
	if recorded != players || repeated != players {
		t.Fatalf("%d recorded and %d refused, want %d each", recorded, repeated, players)
	}
	clock.advance(20 * time.Second)
	core.TickChallenges(ctx)
	if got := sink.msgs[0].Text.PlainText(); !strings.Contains(got, fmt.Sprintf("%d answered", players)) {
		t.Errorf("results:\n%.300s", got)
	}
}

// pressAll has players press choices of q at once, each presses times, and counts the presses
// recorded and the ones refused as repeated.
func pressAll(tb testing.TB, core *bot.Bot, q bot.Reply, players, presses int) (recorded, repeated int) {
	var rec, rep atomic.Int64
	var wg sync.WaitGroup
	for i := range players {
		wg.Go(func() {
			for n := range presses {
				got := plainText(core.Handle(context.Background(), groupPress(fmt.Sprint("player", i), q.Choices[(i+n)%len(q.Choices)].Data)))
				switch {
				case strings.Contains(got, "Got your answer"):
					rec.Add(1)
				case strings.Contains(got, "only your first answer counts"):
					rep.Add(1)
				default:
					tb.Errorf("player %d: %q", i, got)
				}
			}
		})
	}
	wg.Wait()
	return int(rec.Load()), int(rep.Load())
}

// BenchmarkChallenge500 is a question of a group challenge with 500 players: all press within
// the same moment, through the whole core (each player's first event in a while also reads
// their language), then the question closes: the answers are taken, each becomes a review in its
// player's record with a leaderboard credit for a right one, the scoreboard is computed and the
// results are shown. It reports presses per second and the time from the deadline's tick to the
// results. The server writes its append-only file with appendfsync everysec.
//
//	go test ./store/redis -run '^$' -bench Challenge500 -benchtime 5x
func BenchmarkChallenge500(b *testing.B) {
	const players = 500
	srv := redistest.Start(b, redistest.Args("--appendfsync", "everysec"))
	clock := &shared{t: t0}
	sink := &chatSink{results: make(chan time.Time, 2)}
	c := Config{URL: srv.URL(), Prefix: uniquePrefix()}
	core, s := challengeReplica(b, c, clock.now, sink)
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	ctx := context.Background()
	var pressing, closing time.Duration
	var trips, pressTrips int64
	b.ResetTimer()
	for range b.N {
		core.Handle(ctx, groupSay("ada", "/challenge 1 20"))
		clock.advance(quiz.ChallengeLead)
		core.TickChallenges(ctx)
		q := sink.last()
		rt.Reset()
		start := time.Now()
		if rec, _ := pressAll(b, core, q, players, 1); rec != players {
			b.Fatalf("%d presses recorded, want %d", rec, players)
		}
		pressing += time.Since(start)
		pressTrips += rt.Count()
		clock.advance(21 * time.Second)
		rt.Reset()
		start = time.Now()
		core.TickChallenges(ctx) // close, results, final results, end
		closing += (<-sink.results).Sub(start)
		trips += rt.Count()
		clock.advance(time.Minute)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(players*n/pressing.Seconds(), "presses/s")
	b.ReportMetric(float64(pressTrips)/(players*n), "roundtrips/press")
	b.ReportMetric(float64(closing.Milliseconds())/n, "ms-to-results")
	b.ReportMetric(float64(trips)/n, "roundtrips/close")
}

// BenchmarkPress is the store's part of a press alone: 500 players, each pressing once, all at
// the same time, on one open question, repeated for b.N questions.
//
//	go test ./store/redis -run '^$' -bench Press -benchtime 20x
func BenchmarkPress(b *testing.B) {
	const players = 500
	srv := redistest.Start(b, redistest.Args("--appendfsync", "everysec"))
	s := mustOpen(b, Config{URL: srv.URL()})
	var pressing time.Duration
	for i := range b.N {
		until := t0.Add(time.Minute)
		w := quiz.ChallengeWrite{State: []byte("x"), ID: "AAAAAA", Open: 0, Until: until, Due: until}
		chat := fmt.Sprint("bench:", i)
		if _, err := s.SaveChallenge(ctx, chat, w); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		for p := range players {
			wg.Go(func() {
				r, err := s.Press(ctx, chat, quiz.Press{Challenge: "AAAAAA", User: fmt.Sprint("player", p), Name: "P", Choice: p % 4, At: t0})
				if err != nil || r != quiz.PressRecorded {
					b.Errorf("Press = %v, %v", r, err)
				}
			})
		}
		wg.Wait()
		pressing += time.Since(start)
	}
	b.ReportMetric(players*float64(b.N)/pressing.Seconds(), "presses/s")
}

// asks reports whether a rendered question shows prompt as one of its lines: rendered text
// has lost the backticks that mark code in the content.
func asks(text, prompt string) bool {
	p := strings.ReplaceAll(prompt, "`", "")
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == p {
			return true
		}
	}
	return false
}
