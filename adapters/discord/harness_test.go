package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// The embedded knowledge base and its quiz bank are read-only, so the tests share one of each.
var (
	kbOnce sync.Once
	kb     *content.KB
	bank   *quiz.Bank
	kbErr  error
)

func embedded(t *testing.T) (*content.KB, *quiz.Bank) {
	t.Helper()
	kbOnce.Do(func() {
		kb, kbErr = content.Load(content.Embedded())
		if kbErr == nil {
			bank, _, kbErr = quiz.NewBank(kb)
		}
	})
	if kbErr != nil {
		t.Fatal(kbErr)
	}
	return kb, bank
}

// gatedStore is the in-memory store with a gate on progress: while the gate is shut, every read
// and write of a learner's record waits, as a store that has stopped answering would.
type gatedStore struct {
	*storetest.Memory
	mu   sync.Mutex
	gate chan struct{}
}

func (s *gatedStore) wait(ctx context.Context) error {
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate == nil {
		return nil
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *gatedStore) Load(ctx context.Context, user string, withCards bool) (quiz.Record, error) {
	if err := s.wait(ctx); err != nil {
		return quiz.Record{}, err
	}
	return s.Memory.Load(ctx, user, withCards)
}

func (s *gatedStore) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	if err := s.wait(ctx); err != nil {
		return 0, err
	}
	return s.Memory.Commit(ctx, user, w)
}

// shut makes progress reads wait until the returned function opens the gate again.
func (s *gatedStore) shut() (open func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.gate = gate
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(gate)
		})
	}
}

// harness runs the real adapter on the real core and an in-memory store against the fake
// Discord, on the fake's clock.
type harness struct {
	t     *testing.T
	srv   *discordtest.Server
	clock *discordtest.Clock
	store *gatedStore
	core  *bot.Bot
	a     *discord.Adapter
	logs  *logRecorder
	tips  *bot.TipScheduler // with daily tips only
	stop  context.CancelFunc
	done  chan error
}

// charts is the picture renderer the tests share: it parses the fonts once.
var charts = sync.OnceValue(func() *chart.Renderer { return chart.NewRenderer("", nil) })

func newHarness(t *testing.T, configure ...func(*discord.Config)) *harness {
	t.Helper()
	return startHarness(t, false, configure...)
}

// newChallengeHarness is newHarness with group challenges in the core, on the fake's clock; the
// test drives the runner with core.TickChallenges.
func newChallengeHarness(t *testing.T) *harness {
	t.Helper()
	return startHarness(t, true)
}

// newHarnessOn is newHarness on a fake the test has set up.
func newHarnessOn(t *testing.T, srv *discordtest.Server, configure ...func(*discord.Config)) *harness {
	t.Helper()
	return startHarnessWith(t, srv, false, false, configure...)
}

// newTipHarness is newHarness with daily tips in the core, on the fake's clock; the test drives
// the scheduler with h.tips.Tick.
func newTipHarness(t *testing.T) *harness {
	t.Helper()
	return startHarnessWith(t, discordtest.NewServer(t), false, true)
}

func startHarness(t *testing.T, challenges bool, configure ...func(*discord.Config)) *harness {
	t.Helper()
	return startHarnessWith(t, discordtest.NewServer(t), challenges, false, configure...)
}

func startHarnessWith(t *testing.T, srv *discordtest.Server, challenges, tips bool, configure ...func(*discord.Config)) *harness {
	t.Helper()
	h := &harness{t: t, srv: srv, clock: srv.Clock(), store: &gatedStore{Memory: storetest.NewMemory()}, logs: &logRecorder{}}
	k, b := embedded(t)
	engine, err := quiz.NewEngine(quiz.Config{Bank: b, Store: h.store, Boards: h.store, Reports: h.store})
	if err != nil {
		t.Fatal(err)
	}
	bc := bot.Config{Content: k, Quiz: engine, Settings: h.store, Charts: charts(), Logger: slog.New(h.logs), Now: h.clock.Now}
	if challenges {
		bc.Challenges, bc.Claims = quiz.NewChallenges(engine, h.store), h.store
	}
	if tips {
		bc.Tips, bc.Claims = h.store, h.store
	}
	h.core, err = bot.New(bc)
	if err != nil {
		t.Fatal(err)
	}
	if tips {
		if h.tips, err = h.core.TipScheduler(bot.TipSchedulerConfig{}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := discord.Config{Token: discordtest.Token, APIBase: srv.URL(), Clock: h.clock, Logger: slog.New(h.logs)}
	for _, c := range configure {
		c(&cfg)
	}
	h.a, err = discord.New(cfg, h.core)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.core.Attach(discord.Platform, h.a)
	ctx, cancel := context.WithCancel(context.Background())
	h.stop, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.a.Run(ctx) }()
	t.Cleanup(func() {
		h.shutdown()
		if t.Failed() {
			t.Logf("adapter log:\n%s", h.logs.String())
		}
	})
	select {
	case <-h.a.Ready():
	case err := <-h.done:
		t.Fatalf("Run: %v", err)
	case <-time.After(discordtest.WaitTimeout):
		t.Fatal("the adapter did not connect")
	}
	if cfg.ShardID == 0 {
		h.logs.wait(t, "slash commands registered")
	}
	return h
}

// shutdown stops the adapter as SIGTERM would and waits for Run to return.
func (h *harness) shutdown() {
	if h.stop == nil {
		return
	}
	h.stop()
	h.stop = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(discordtest.WaitTimeout):
		h.t.Error("Run did not return after cancel")
	}
}

// postBotMessage posts a message as the bot, with buttons carrying the custom ids: a message an
// older version of the bot might have left behind.
func (h *harness) postBotMessage(content string, customIDs ...string) string {
	h.t.Helper()
	var buttons []map[string]any
	for _, id := range customIDs {
		buttons = append(buttons, map[string]any{"type": 2, "style": 1, "label": "press", "custom_id": id})
	}
	body, _ := json.Marshal(map[string]any{"content": content, "components": []any{map[string]any{"type": 1, "components": buttons}}})
	req, _ := http.NewRequest("POST", h.srv.URL()+"/api/v9/channels/"+discordtest.ChannelID+"/messages", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bot "+discordtest.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		h.t.Fatalf("posting a bot message: %s %v", resp.Status, err)
	}
	return m.ID
}

// customIDs lists the custom ids of a message's buttons whose ids start with prefix.
func customIDs(components []discordtest.Component, prefix string) []string {
	var out []string
	for _, row := range components {
		for _, c := range row.Components {
			if c.CustomID != "" && strings.HasPrefix(c.CustomID, prefix) {
				out = append(out, c.CustomID)
			}
		}
	}
	return out
}

// links lists "label url" for a message's link buttons.
func links(components []discordtest.Component) []string {
	var out []string
	for _, row := range components {
		for _, c := range row.Components {
			if c.Style == discordtest.ButtonLink {
				out = append(out, c.Label+" "+c.URL)
			}
		}
	}
	return out
}

// silent fails the test unless the message or response asked Discord to parse no mentions at
// all (an explicit empty list, not a missing one) and notifies nobody.
func silent(t *testing.T, what string, am *discordtest.AllowedMentions, pings discordtest.Pings) {
	t.Helper()
	if am == nil || am.Parse == nil || len(am.Parse) != 0 || am.ParseNull {
		t.Errorf("%s: allowed_mentions = %+v, want parse []", what, am)
	}
	if pings.Everyone || len(pings.Users) > 0 || len(pings.Roles) > 0 {
		t.Errorf("%s pings %+v", what, pings)
	}
}

// logRecorder is a slog.Handler that keeps the log lines and lets a test wait for one.
type logRecorder struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logRecorder) WithGroup(string) slog.Handler            { return l }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, b.String())
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return nil
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// wait blocks until a line containing substr has been logged, and returns it.
func (l *logRecorder) wait(t *testing.T, substr string) string {
	t.Helper()
	deadline := time.NewTimer(discordtest.WaitTimeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		for _, line := range l.lines {
			if strings.Contains(line, substr) {
				l.mu.Unlock()
				return line
			}
		}
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("no log line containing %q; log:\n%s", substr, l.String())
		}
	}
}
