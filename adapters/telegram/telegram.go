// Package telegram brings Pybrarian to Telegram through the Bot API (go-telegram-bot-api v5.5.1):
// it turns updates into bot.Events, renders the core's Replies as HTML messages with inline
// keyboards, runs quizzes as buttons edited in place or as native quiz polls, answers inline
// queries, and keeps within Telegram's flood limits.
//
// Updates arrive by long polling (our own context-aware loop) or, for several replicas behind a
// load balancer, by webhook. Events of one chat are handled in order; chats are handled
// concurrently.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

// Platform is the platform name Telegram events carry. Progress is stored under it, so it never
// changes.
const Platform = "telegram"

// DefaultWebhookListen is where the webhook server listens when TELEGRAM_WEBHOOK_LISTEN is unset:
// 8443 is one of the ports Telegram delivers webhooks to.
const DefaultWebhookListen = ":8443"

// Handler is the part of the core the adapter needs; *bot.Bot satisfies it.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) []bot.Reply
	// Commands feeds the command menu (setMyCommands).
	Commands() []bot.CommandInfo
	// Content feeds inline-mode results, which are a Telegram-only rendering.
	Content() *content.KB
}

// Store keeps what the adapter must remember across restarts and replicas: per-chat settings
// (the quiz mode, whether the chat is unreachable) and what each native quiz poll asks, since
// Telegram's poll answers carry only the poll id.
type Store interface {
	// ChatSetting returns "" for a setting never set.
	ChatSetting(ctx context.Context, chat, key string) (string, error)
	SetChatSetting(ctx context.Context, chat, key, value string) error
	PutPoll(ctx context.Context, id string, ref []byte) error
	// Poll returns nil and no error for an unknown poll id.
	Poll(ctx context.Context, id string) ([]byte, error)
}

// Clock is the time source of the flood limiter and the retry waits, so tests can drive them
// without sleeping. telegramtest.Clock is a manual one.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Config is the adapter's configuration; cmd/bot fills it from the environment variables named in
// the error messages.
type Config struct {
	// Token is the bot's token from @BotFather (TELEGRAM_TOKEN).
	Token string
	// Endpoint overrides the Bot API endpoint in the library's format, with two %s for the token
	// and the method (TELEGRAM_API_ENDPOINT), for a self-hosted Bot API server or a test fake.
	Endpoint string
	// WebhookURL switches from long polling to webhook mode: the public HTTPS URL Telegram posts
	// updates to (TELEGRAM_WEBHOOK_URL). Its path is the path served.
	WebhookURL string
	// WebhookListen is the local address of the webhook server (TELEGRAM_WEBHOOK_LISTEN, default
	// ":8443").
	WebhookListen string
	// WebhookSecret is the secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token
	// (TELEGRAM_WEBHOOK_SECRET); required with WebhookURL, the same on every replica.
	WebhookSecret string
	// HTTPClient makes the Bot API requests; nil means a default client. Each request gets its own
	// deadline, so the client needs no Timeout.
	HTTPClient *http.Client
	// Clock drives the flood limiter and retry waits; nil means the real clock.
	Clock Clock
	// Logger receives delivery problems; nil means slog.Default().
	Logger *slog.Logger
}

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Validate reports every problem at once, each naming the environment variable to fix.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Token) == "" {
		errs = append(errs, errors.New("TELEGRAM_TOKEN is empty: create a bot with @BotFather and set its token"))
	}
	if c.Endpoint != "" && (strings.Count(c.Endpoint, "%s") != 2 || strings.Count(c.Endpoint, "%") != 2) {
		errs = append(errs, fmt.Errorf("TELEGRAM_API_ENDPOINT %q must contain %%s twice, for the token and the method, e.g. http://127.0.0.1:8081/bot%%s/%%s", c.Endpoint))
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err))
		case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			errs = append(errs, fmt.Errorf("TELEGRAM_WEBHOOK_URL %q must be an absolute https:// URL", c.WebhookURL))
		}
		if !secretToken.MatchString(c.WebhookSecret) {
			errs = append(errs, errors.New("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: 1-256 characters of A-Z, a-z, 0-9, _ and -, the same on every replica"))
		}
	}
	return errors.Join(errs...)
}

// ErrTokenRejected means Telegram refused the token (401), at start or later when it is revoked.
var ErrTokenRejected = errors.New("TELEGRAM_TOKEN was rejected by Telegram (401 Unauthorized): copy the token again from @BotFather, or /revoke and set the new one")

// Adapter connects one bot account to the core. Create it with New and start it with Run.
type Adapter struct {
	cfg   Config
	h     Handler
	store Store
	log   *slog.Logger
	clock Clock
	http  *http.Client
	bot   *tgbotapi.BotAPI // Self is our account; copied per request to attach a context
	self  tgbotapi.User

	limit    *limiter
	settings *settings
	seen     *seenSet
	work     *serial

	webhookAddr chan string // the bound webhook address, once Run has listened

	// Tunables; tests shorten none of them, they drive the clock instead.
	pollTimeout time.Duration // long-poll timeout asked of getUpdates
	retries     int           // attempts for 5xx and network errors
	floodTries  int           // attempts for 429s
	backoffMin  time.Duration
	backoffMax  time.Duration
}

// New checks cfg, asks Telegram who the bot is (getMe), and returns the adapter. A bad token is
// reported as ErrTokenRejected, so the operator sees which setting to fix.
func New(ctx context.Context, cfg Config, h Handler, store Store) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if h == nil || store == nil {
		return nil, errors.New("telegram: a Handler and a Store are required")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = tgbotapi.APIEndpoint
	}
	if cfg.WebhookListen == "" {
		cfg.WebhookListen = DefaultWebhookListen
	}
	a := &Adapter{
		cfg: cfg, h: h, store: store, log: cfg.Logger, clock: cfg.Clock, http: cfg.HTTPClient,
		seen: newSeenSet(4096), work: &serial{}, webhookAddr: make(chan string, 1),
		pollTimeout: 50 * time.Second, retries: 4, floodTries: 5,
		backoffMin: 500 * time.Millisecond, backoffMax: 30 * time.Second,
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.log = a.log.With("adapter", Platform)
	if a.clock == nil {
		a.clock = realClock{}
	}
	if a.http == nil {
		a.http = &http.Client{}
	}
	a.limit = newLimiter(a.clock)
	a.settings = newSettings(store, a.clock, time.Minute)

	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, a.doer(rctx))
	if err != nil {
		return nil, startError(err)
	}
	a.bot, a.self = api, api.Self
	if a.self.UserName == "" {
		return nil, errors.New("telegram: getMe returned a bot without a username")
	}
	return a, nil
}

func startError(err error) error {
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case http.StatusUnauthorized:
			return ErrTokenRejected
		case http.StatusNotFound:
			return fmt.Errorf("TELEGRAM_TOKEN was rejected by Telegram, or TELEGRAM_API_ENDPOINT is wrong (404 %s)", apiErr.Message)
		}
		return fmt.Errorf("telegram: getMe: %d %s", apiErr.Code, apiErr.Message)
	}
	return fmt.Errorf("telegram: reaching the Bot API (check TELEGRAM_API_ENDPOINT and the network): %w", err)
}

// UserName is the bot's @username without the @, as Telegram reported it.
func (a *Adapter) UserName() string { return a.self.UserName }

// WebhookAddr returns the address the webhook server listens on, once Run has started it in
// webhook mode (WebhookListen may ask for port 0); it blocks until then or until ctx ends.
func (a *Adapter) WebhookAddr(ctx context.Context) (string, error) {
	select {
	case addr := <-a.webhookAddr:
		a.webhookAddr <- addr
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Run serves until ctx is cancelled, by long polling, or by webhook when WebhookURL is set. It
// returns nil on cancellation, promptly even in the middle of a long poll, after the events in
// hand have finished; it returns an error only when it cannot go on (a revoked token, a webhook
// that cannot listen or register).
func (a *Adapter) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.registerCommands(ctx)
	var err error
	if a.cfg.WebhookURL != "" {
		err = a.serveWebhook(ctx)
	} else {
		err = a.poll(ctx)
	}
	cancel()
	a.work.wait()
	return err
}

// allowedUpdates are the update types the adapter handles; asking for exactly these saves traffic
// and is how poll answers and membership changes get delivered at all.
var allowedUpdates = []string{
	tgbotapi.UpdateTypeMessage, tgbotapi.UpdateTypeCallbackQuery, tgbotapi.UpdateTypeInlineQuery,
	tgbotapi.UpdateTypePollAnswer, tgbotapi.UpdateTypeMyChatMember,
}

// serial runs functions one at a time per key (a chat), in the order given, and different keys
// concurrently, so one slow chat never holds up the others.
type serial struct {
	mu     sync.Mutex
	queues map[string][]func()
	wg     sync.WaitGroup
}

func (s *serial) run(key string, f func()) {
	s.mu.Lock()
	if s.queues == nil {
		s.queues = map[string][]func(){}
	}
	if q, busy := s.queues[key]; busy {
		s.queues[key] = append(q, f)
		s.mu.Unlock()
		return
	}
	s.queues[key] = nil
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		for {
			f()
			s.mu.Lock()
			q := s.queues[key]
			if len(q) == 0 {
				delete(s.queues, key)
				s.mu.Unlock()
				return
			}
			f, s.queues[key] = q[0], q[1:]
			s.mu.Unlock()
		}
	}()
}

func (s *serial) wait() { s.wg.Wait() }

// seenSet remembers recent update ids, so an update delivered twice (a webhook retried after a
// timeout, a poll repeated after a crash) is handled once.
type seenSet struct {
	mu   sync.Mutex
	ids  map[int]bool
	ring []int
	next int
}

func newSeenSet(n int) *seenSet { return &seenSet{ids: make(map[int]bool, n), ring: make([]int, n)} }

// add records id and reports whether it was new.
func (s *seenSet) add(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids[id] {
		return false
	}
	if old := s.ring[s.next]; old != 0 {
		delete(s.ids, old)
	}
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.ids[id] = true
	return true
}
