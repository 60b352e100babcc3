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
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
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
	// Suggest and Content feed inline mode: the core picks the entries, the adapter renders them.
	Suggest(query string, lang content.Lang, scope bot.SuggestScope, limit int) []bot.Suggestion
	Content() *content.KB
	// MarkUnreachable and MarkReachable report what Telegram says about a chat (a 403, a
	// my_chat_member update), so no feature writes to a chat that cannot hear the bot.
	MarkUnreachable(ctx context.Context, platform, chatID, reason string)
	MarkReachable(ctx context.Context, platform, chatID string)
}

// Store keeps what the adapter must remember across restarts and replicas: what each native quiz
// poll asks, since Telegram's poll answers carry only the poll id, and claims on update ids, so an
// update is handled once however often it is delivered.
type Store interface {
	PutQuizPoll(ctx context.Context, id string, ref []byte) error
	// QuizPoll returns nil and no error for an unknown poll id.
	QuizPoll(ctx context.Context, id string) ([]byte, error)
	bot.Claims
}

// Clock is the time source of the flood limiter and the retry waits, so tests can drive them
// without sleeping. telegramtest.Clock is a manual one.
type Clock = bot.Clock

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
	// ShutdownGrace is how long updates being handled when Run's context ends may still take to
	// finish and send their replies (default 5 s). Nothing new is taken meanwhile.
	ShutdownGrace time.Duration
	// Observer is told of every Bot API call, for metrics; nil observes nothing.
	Observer Observer
	// Limiter, when set, holds the flood limits (30 messages a second for the bot, one a second
	// per chat, twenty a minute per group) as budgets shared with every other replica and with
	// the daily tip's fan-out: the Redis store's, so replicas together stay within Telegram's
	// limits. Its outages are paced through in process (bot.Pacer). Nil keeps the limits in this
	// process alone, right for a single replica.
	Limiter bot.Limiter
	// GlobalRate is how many messages a second the bot may send in all chats together (default
	// 30, Telegram's limit for a bot). Raise it only for a bot Telegram lets send more, or for a
	// capacity test against a fake Bot API.
	GlobalRate int
}

// Observer receives each Bot API call's method, result ("ok", "429", "403", "4xx", "5xx" or
// "error") and latency. Method names are Telegram's, a small fixed set.
type Observer interface {
	APICall(platform, method, result string, took time.Duration)
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
	cfg    Config
	h      Handler
	store  Store
	log    *slog.Logger
	clock  Clock
	http   *http.Client
	client *tgbotapi.BotAPI // Self is our account once Run has asked; copied per request to attach a context
	self   tgbotapi.User
	once   bot.Once

	limit  *limiter   // the flood limits in process, without Config.Limiter
	global int        // messages a second for the whole bot (Config.GlobalRate)
	shared *bot.Pacer // the flood limits as shared budgets, with Config.Limiter
	work   *serial
	admins admins

	// ready is closed once Run knows who the bot is; base is the context updates are handled in.
	ready chan struct{}
	base  context.Context
	// pollErr is the last getUpdates failure, nil once a poll succeeds: what Healthy reports.
	pollErr atomic.Pointer[error]
	// stopping is set once Run's context ends: no new update is taken.
	stopping atomic.Bool

	// Tunables; tests shorten none of them, they drive the clock instead.
	pollTimeout time.Duration // long-poll timeout asked of getUpdates
	retries     int           // attempts for 5xx and network errors
	floodTries  int           // attempts for 429s
	backoffMin  time.Duration
	backoffMax  time.Duration
}

var _ bot.Sender = (*Adapter)(nil)

// New checks cfg and returns the adapter. It does no network I/O: Run asks Telegram who the bot is.
func New(cfg Config, h Handler, store Store) (*Adapter, error) {
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
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 5 * time.Second
	}
	a := &Adapter{
		cfg: cfg, h: h, store: store, log: cfg.Logger, clock: cfg.Clock, http: cfg.HTTPClient,
		work: &serial{}, ready: make(chan struct{}),
		pollTimeout: 50 * time.Second, retries: 4, floodTries: 5,
		backoffMin: 500 * time.Millisecond, backoffMax: 30 * time.Second,
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.log = a.log.With("adapter", Platform)
	if a.clock == nil {
		a.clock = bot.SystemClock
	}
	if a.http == nil {
		a.http = &http.Client{}
	}
	a.global = cfg.GlobalRate
	if a.global <= 0 {
		a.global = globalRate
	}
	a.limit = newLimiter(a.clock, a.global)
	if cfg.Limiter != nil {
		a.shared = bot.NewPacer(cfg.Limiter, a.clock.Now, a.log)
	}
	// The library's constructors all call getMe; a bare client does not.
	a.client = &tgbotapi.BotAPI{Token: cfg.Token, Client: a.doer(context.Background()), Buffer: 100}
	a.client.SetAPIEndpoint(cfg.Endpoint)
	// Update claims: only one poller per token can run, so in polling mode the owner is the role
	// and a restarted poller takes back the leases its crashed predecessor held. Webhook replicas
	// each own their leases.
	owner := "poll"
	if cfg.WebhookURL != "" {
		owner = "webhook:" + newOwnerID()
	}
	a.once = bot.Once{Claims: store, Owner: owner, Lease: 2 * time.Minute, Keep: 48 * time.Hour}
	return a, nil
}

// connect asks Telegram who the bot is (getMe). A bad token is reported as ErrTokenRejected, so
// the operator sees which setting to fix.
func (a *Adapter) connect(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	me, err := a.api(rctx).GetMe()
	if err != nil {
		return startError(err)
	}
	if me.UserName == "" {
		return errors.New("telegram: getMe returned a bot without a username")
	}
	a.self = me
	a.client.Self = me
	return nil
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

// UserName is the bot's @username without the @, once Run has connected.
func (a *Adapter) UserName() string {
	select {
	case <-a.ready:
		return a.self.UserName
	default:
		return ""
	}
}

// Ready is closed once Run has connected to Telegram and takes updates.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// Healthy reports nil while the adapter is connected: after getMe, and in polling mode while
// getUpdates succeeds. Readiness probes ask it.
func (a *Adapter) Healthy() error {
	select {
	case <-a.ready:
	default:
		return errors.New("connecting to Telegram")
	}
	if p := a.pollErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Run connects, then serves until ctx is cancelled: by long polling, or in webhook mode by
// registering WebhookURL with Telegram while Main serves WebhookHandler. When ctx ends it stops
// taking updates and waits up to ShutdownGrace for those in hand to finish. It returns an error
// only when it cannot go on (a rejected token, a webhook Telegram refuses).
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.connect(ctx); err != nil {
		return err
	}
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	a.base = hctx
	stopGrace := context.AfterFunc(ctx, func() {
		a.stopping.Store(true)
		select {
		case <-a.clock.After(a.cfg.ShutdownGrace):
		case <-hctx.Done():
		}
		cancel()
	})
	defer stopGrace()
	close(a.ready)
	a.log.Info("connected", "bot", "@"+a.self.UserName, "webhook", a.cfg.WebhookURL != "")
	a.registerCommands(ctx)
	var err error
	if a.cfg.WebhookURL != "" {
		err = a.serveWebhook(ctx)
	} else {
		err = a.longPoll(ctx)
	}
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

// run queues f behind key's earlier functions, unless key already has max waiting; it reports
// whether f was queued.
func (s *serial) run(key string, max int, f func()) bool {
	s.mu.Lock()
	if s.queues == nil {
		s.queues = map[string][]func(){}
	}
	if q, busy := s.queues[key]; busy {
		if len(q) >= max {
			s.mu.Unlock()
			return false
		}
		s.queues[key] = append(q, f)
		s.mu.Unlock()
		return true
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
	return true
}

func (s *serial) wait() { s.wg.Wait() }

// newOwnerID names this process among webhook replicas.
func newOwnerID() string {
	var b [6]byte
	rand.Read(b[:])
	host, _ := os.Hostname()
	return host + ":" + hex.EncodeToString(b[:])
}
