package telegram_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/bolt"
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

// charts is the picture renderer the tests share: it parses the fonts once.
var charts = sync.OnceValue(func() *chart.Renderer { return chart.NewRenderer("", nil) })

// harness runs a real adapter on the real core and the bbolt store against the fake Bot API.
type harness struct {
	t     *testing.T
	srv   *telegramtest.Server
	clock *telegramtest.Clock
	store *bolt.Store
	a     *telegram.Adapter
	core  *bot.Bot
	logs  *logRecorder
	stop  context.CancelFunc
	done  chan error
	hook  *httptest.Server // serves the webhook in webhook mode
	opts  options
}

type options struct {
	cfg        func(*telegram.Config)
	kb         *content.KB
	manualTime bool
	// coreClock, when set, is the core's clock, and the core runs group challenges.
	coreClock func() time.Time
}

type option func(*options)

// withConfig adjusts the adapter's configuration.
func withConfig(f func(*telegram.Config)) option { return func(o *options) { o.cfg = f } }

// withContent serves another knowledge base.
func withContent(k *content.KB) option { return func(o *options) { o.kb = k } }

// withChallenges runs group challenges in the core, on the given clock; the test drives the
// runner with core.TickChallenges.
func withChallenges(now func() time.Time) option { return func(o *options) { o.coreClock = now } }

// manualClock makes time move only when the test advances it; otherwise every wait completes at
// once in virtual time.
func manualClock() option { return func(o *options) { o.manualTime = true } }

var start = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	h := &harness{t: t, srv: telegramtest.NewServer(t), clock: telegramtest.NewClock(start), logs: &logRecorder{}, opts: o}
	h.clock.SetAuto(!o.manualTime)
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.store = st
	h.run()
	t.Cleanup(func() {
		h.shutdown()
		if t.Failed() {
			t.Logf("adapter log:\n%s", h.logs.String())
		}
	})
	return h
}

// run builds a core and an adapter on the harness's store and fake server and runs it, as a
// process start would.
func (h *harness) run() {
	t := h.t
	t.Helper()
	k, b := embedded(t)
	if h.opts.kb != nil {
		k = h.opts.kb
		var err error
		if b, _, err = quiz.NewBank(k); err != nil {
			t.Fatal(err)
		}
	}
	engine, err := quiz.NewEngine(quiz.Config{Bank: b, Store: h.store, Boards: h.store, Reports: h.store})
	if err != nil {
		t.Fatal(err)
	}
	bc := bot.Config{Content: k, Quiz: engine, Settings: h.store, Charts: charts(), Logger: slog.New(h.logs)}
	if h.opts.coreClock != nil {
		bc.Now, bc.Challenges, bc.Claims = h.opts.coreClock, quiz.NewChallenges(engine, h.store), h.store
	}
	core, err := bot.New(bc)
	if err != nil {
		t.Fatal(err)
	}
	h.core = core
	cfg := telegram.Config{
		Token: telegramtest.Token, Endpoint: h.srv.Endpoint(), Clock: h.clock,
		Logger: slog.New(h.logs),
	}
	if h.opts.cfg != nil {
		h.opts.cfg(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.a, err = telegram.New(cfg, core, h.store)
	if err != nil {
		cancel()
		t.Fatalf("New: %v", err)
	}
	core.Attach(telegram.Platform, h.a)
	if cfg.WebhookURL != "" {
		// Main owns the listener in the program; here the test serves the adapter's handler.
		mux := http.NewServeMux()
		mux.Handle(h.a.WebhookPath(), h.a.WebhookHandler())
		h.hook = httptest.NewServer(mux)
		t.Cleanup(h.hook.Close)
	}
	h.stop, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.a.Run(ctx) }()
	if cfg.WebhookURL == "" {
		h.srv.WaitLongPolling(t)
	} else {
		h.srv.WaitCallAfter(t, "setWebhook", h.srv.LastSeq()-1)
	}
}

// shutdown stops the running adapter as SIGTERM would and waits for Run to return.
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
	case <-time.After(10 * time.Second):
		h.t.Error("Run did not return after cancel")
	}
}

// Users and chats of the scripted conversations.
type (
	user = telegramtest.User
	chat = telegramtest.Chat
)

var (
	ada = user{ID: 1001, FirstName: "Ada", Lang: "en"}
	li  = user{ID: 1002, FirstName: "Li", Lang: "zh-hans"}
	bob = user{ID: 1003, FirstName: "Bob", Lang: "en-GB"}
)

func private(u user) chat { return telegramtest.Private(u) }

var group = chat{ID: -1001234567, Type: "supergroup"}

func message(c chat, from user, text string) map[string]any {
	return telegramtest.Message(c, from, text)
}

// send scripts a text message and returns the message object.
func (h *harness) send(c chat, from user, text string) map[string]any {
	return h.srv.PushMessage(c, from, text)
}

var queryIDs atomic.Int64

// press scripts a press of a button carrying data on message msgID.
func (h *harness) press(c chat, from user, msgID int, data string) {
	h.srv.PushUpdate(map[string]any{"callback_query": map[string]any{
		"id":   fmt.Sprintf("cq-%d", queryIDs.Add(1)),
		"from": from,
		"message": map[string]any{
			"message_id": msgID, "date": 1, "chat": c.JSON(), "from": telegramtest.Bot, "text": "…",
		},
		"chat_instance": "42",
		"data":          data,
	}})
}

// settle sends /help in chat and waits for its answer. Updates of one chat are handled in order,
// so everything an earlier update of that chat caused has been sent by then. It returns the
// sequence number of the answer.
func (h *harness) settle(c chat, from user) int {
	h.t.Helper()
	before := h.srv.LastSeq()
	h.send(c, from, "/help")
	for {
		call := h.srv.WaitCallAfter(h.t, "sendMessage", before)
		if text := call.Get("text"); call.Get("chat_id") == fmt.Sprint(c.ID) && strings.Contains(text, "Pybrarian") && strings.Contains(text, "/find") {
			return call.Seq
		}
		before = call.Seq
	}
}

// sentBetween returns the calls after seq and before the settle call at end, leaving out reads.
func (h *harness) sentBetween(seq, end int) []*telegramtest.Call {
	var out []*telegramtest.Call
	for _, c := range h.srv.CallsAfter(seq) {
		if c.Seq < end {
			out = append(out, c)
		}
	}
	return out
}

func (h *harness) setting(chat, key string) string {
	h.t.Helper()
	v, err := h.store.ChatSetting(context.Background(), chat, key)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

// keyboard is the decoded reply_markup of a call.
type keyboard struct {
	InlineKeyboard [][]struct {
		Text         string  `json:"text"`
		URL          *string `json:"url"`
		CallbackData *string `json:"callback_data"`
	} `json:"inline_keyboard"`
}

func markup(t *testing.T, c *telegramtest.Call) keyboard {
	t.Helper()
	var k keyboard
	if c.Get("reply_markup") == "" {
		return k
	}
	if err := c.Decode("reply_markup", &k); err != nil {
		t.Fatal(err)
	}
	return k
}

// choices returns the callback data of the one-per-row choice buttons of a question.
func choices(t *testing.T, c *telegramtest.Call) []string {
	t.Helper()
	var out []string
	for _, row := range markup(t, c).InlineKeyboard {
		if len(row) == 1 && row[0].CallbackData != nil && !strings.HasPrefix(*row[0].CallbackData, "cmd:") {
			out = append(out, *row[0].CallbackData)
		}
	}
	return out
}

var tag = regexp.MustCompile(`<[^>]*>`)

// visible is what a Telegram client shows for an HTML text.
func visible(s string) string { return html.UnescapeString(tag.ReplaceAllString(s, "")) }

// logRecorder is a slog.Handler that keeps the adapter's log lines and lets a test wait for one,
// the adapter's way of saying something happened that shows nowhere else.
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
	deadline := time.NewTimer(telegramtest.WaitTimeout)
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

// rightChoice returns the callback data of the right answer of a question sent in English: the
// card is found in the bank by its question, and its first choice is the answer.
func rightChoice(t *testing.T, c *telegramtest.Call) string {
	t.Helper()
	_, bank := embedded(t)
	text := visible(c.Get("text"))
	for _, card := range bank.Cards() {
		if !strings.Contains(text, card.Prompt.EN) {
			continue
		}
		for _, row := range markup(t, c).InlineKeyboard {
			if len(row) == 1 && row[0].CallbackData != nil && row[0].Text == card.Choices[0].EN {
				return *row[0].CallbackData
			}
		}
	}
	t.Fatalf("no card of the bank asks %q with these choices", text)
	return ""
}
