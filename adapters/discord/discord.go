// Package discord brings Pybrarian to Discord through discordgo v0.28.1. It translates and
// holds no feature of its own: slash commands are built from the core's command table and
// autocompleted from its suggestions; entries show as embeds, quizzes as buttons; DMs and
// messages that @mention the bot are answered as plain questions; and it is the core's
// bot.Sender for Discord.
//
// Every interaction is answered within Discord's 3-second deadline, judged on the adapter's
// Clock: directly when the core answers in time, otherwise deferred and then edited. Interaction
// endpoints are called without discordgo's rate-limit sleeping, which ignores contexts in
// v0.28.1; the adapter waits out a 429 itself while the deadline allows. Messages it sends or
// edits on its own go through rest: a global cap shared across replicas (GlobalRate), then
// discordgo's per-route limiter, with 429s and server errors handled on the adapter's Clock.
//
// Chat ids: a guild channel's id for messages and interactions in a guild (Event.Chat is
// bot.Group), the user's id for DMs (bot.Private). Send opens the DM channel for a user id.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

// Platform is the platform name Discord events carry. Progress is stored under it, so it never
// changes.
const Platform = "discord"

// Handler is the part of the core the adapter needs; *bot.Bot satisfies it.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) []bot.Reply
	// Commands is the command table slash commands are built from.
	Commands() []bot.CommandInfo
	// Suggest answers autocomplete: bounded cost and no store, so it always beats the deadline.
	Suggest(query string, lang content.Lang, scope bot.SuggestScope, limit int) []bot.Suggestion
	// MarkUnreachable reports a chat Discord refuses to deliver to (closed DMs, a deleted channel,
	// missing permissions), so nothing sends to it unprompted until it speaks again.
	MarkUnreachable(ctx context.Context, platform, chatID, reason string)
}

// Clock is the time source of the interaction deadlines and the rate-limit waits, so tests can
// drive them without sleeping. discordtest.Clock is a manual one.
type Clock = bot.Clock

// Config is the adapter's configuration; cmd/bot fills it from the environment variables named in
// the error messages.
type Config struct {
	// Token is the bot token from the Discord developer portal (DISCORD_TOKEN), with or without
	// the "Bot " prefix.
	Token string
	// GuildID registers the slash commands on that one server, where changes show at once, instead
	// of globally (DISCORD_GUILD_ID): for development.
	GuildID string
	// APIBase replaces https://discord.com for every REST call, keeping the path
	// (DISCORD_API_BASE): a REST proxy, or a fake Discord in tests. The gateway's address comes
	// from the REST API, so it follows.
	APIBase string
	// ShardID and ShardCount run one shard of a sharded bot (DISCORD_SHARD_ID,
	// DISCORD_SHARD_COUNT); ShardCount 0 runs unsharded.
	ShardID, ShardCount int
	// Clock drives the deadlines and waits; nil means the real clock.
	Clock Clock
	// Logger receives connection changes and delivery problems; nil means slog.Default().
	Logger *slog.Logger
	// ShutdownGrace is how long events being handled when Run's context ends may still take to
	// finish and send their replies (default 5 s). Nothing new is taken meanwhile.
	ShutdownGrace time.Duration
	// Observer is told of every REST call, for metrics; nil observes nothing.
	Observer Observer
	// Limiter, when set, holds the global cap on REST calls (GlobalRate) as a budget shared with
	// every other replica: the Redis store's. Its outages are paced through in process
	// (bot.Pacer). Nil keeps the cap in this process alone. discordgo's per-route limiter works
	// behind it either way.
	Limiter bot.Limiter
}

var (
	snowflake = regexp.MustCompile(`^[0-9]{1,20}$`)
	tokenText = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// Validate reports every problem at once, each naming the environment variable to fix.
func (c Config) Validate() error {
	var errs []error
	switch token := strings.TrimPrefix(strings.TrimSpace(c.Token), "Bot "); {
	case token == "":
		errs = append(errs, errors.New("DISCORD_TOKEN is empty: create an application at https://discord.com/developers/applications, add a bot and set its token"))
	case !tokenText.MatchString(token):
		errs = append(errs, errors.New("DISCORD_TOKEN does not look like a bot token (letters, digits, '.', '_' and '-' only): copy it again from the developer portal's Bot page"))
	}
	if c.GuildID != "" && !snowflake.MatchString(c.GuildID) {
		errs = append(errs, fmt.Errorf("DISCORD_GUILD_ID %q is not a server id: enable Developer Mode in Discord, right-click the server and Copy Server ID", c.GuildID))
	}
	if c.APIBase != "" {
		if _, err := BaseURLTransport(c.APIBase, nil); err != nil {
			errs = append(errs, fmt.Errorf("DISCORD_API_BASE: %w", err))
		}
	}
	switch {
	case c.ShardCount < 0:
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_COUNT %d must be at least 1", c.ShardCount))
	case c.ShardCount == 0 && c.ShardID != 0:
		errs = append(errs, errors.New("DISCORD_SHARD_ID is set without DISCORD_SHARD_COUNT: set both or neither"))
	case c.ShardCount > 0 && (c.ShardID < 0 || c.ShardID >= c.ShardCount):
		errs = append(errs, fmt.Errorf("DISCORD_SHARD_ID %d must be from 0 to DISCORD_SHARD_COUNT-1 (%d)", c.ShardID, c.ShardCount-1))
	}
	return errors.Join(errs...)
}

// ErrTokenRejected means Discord refused the token, at start.
var ErrTokenRejected = errors.New("DISCORD_TOKEN was rejected by Discord (401 Unauthorized): copy the token again from the developer portal's Bot page, or reset it and set the new one")

// intents are the gateway events the adapter asks for: messages in guild channels (Discord sends
// the text only of those that mention the bot, without the privileged message content intent)
// and DMs. Interactions come whatever the intents.
const intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// Adapter connects one bot account, or one shard of it, to the core. Create it with New and
// start it with Run.
type Adapter struct {
	cfg   Config
	h     Handler
	log   *slog.Logger
	clock Clock
	sess  *discordgo.Session

	// commands is the core's command table, read once: it is fixed after the core starts.
	commands []bot.CommandInfo
	byName   map[string]bot.CommandInfo

	// ready is closed once Run has connected; self and appID are known from then on.
	ready chan struct{}
	self  string // the bot's user id
	appID string
	base  context.Context // where events are handled; ends ShutdownGrace after Run's context

	mu      sync.Mutex
	closing bool
	// connected is set while the gateway session is up: what Healthy reports.
	connected atomic.Bool
	work      sync.WaitGroup
	dms       map[string]string // user id → DM channel id
	pacer     *bot.Pacer        // the global cap on REST calls outside interactions
}

var _ bot.Sender = (*Adapter)(nil)

// New checks cfg and returns the adapter. It does no network I/O: Run connects.
func New(cfg Config, h Handler) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("discord: a Handler is required")
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 5 * time.Second
	}
	a := &Adapter{cfg: cfg, h: h, log: cfg.Logger, clock: cfg.Clock, ready: make(chan struct{}), base: context.Background(), dms: map[string]string{}}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.log = a.log.With("adapter", Platform)
	if cfg.ShardCount > 1 {
		a.log = a.log.With("shard", cfg.ShardID)
	}
	if a.clock == nil {
		a.clock = bot.SystemClock
	}
	routeLibraryLog(a.log)
	a.pacer = bot.NewPacer(cfg.Limiter, a.clock.Now, a.log)
	a.commands = h.Commands()
	a.byName = map[string]bot.CommandInfo{}
	for _, c := range a.commands {
		a.byName[c.Name] = c
	}

	sess, err := discordgo.New("Bot " + strings.TrimPrefix(strings.TrimSpace(cfg.Token), "Bot "))
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	sess.LogLevel = discordgo.LogWarning // a dropped gateway connection is worth a line
	var rt http.RoundTripper = http.DefaultTransport
	if cfg.APIBase != "" {
		if rt, err = BaseURLTransport(cfg.APIBase, nil); err != nil {
			return nil, err // Validate has already checked it
		}
	}
	if cfg.Observer != nil {
		rt = observed{next: rt, obs: cfg.Observer}
	}
	sess.Client = &http.Client{Transport: rt, Timeout: 20 * time.Second}
	sess.Identify.Intents = intents
	if cfg.ShardCount > 0 {
		sess.ShardID, sess.ShardCount = cfg.ShardID, cfg.ShardCount
	}
	sess.AddHandler(a.onInteraction)
	sess.AddHandler(a.onMessage)
	sess.AddHandler(a.onReady)
	sess.AddHandler(a.onResumed)
	sess.AddHandler(a.onDisconnect)
	a.sess = sess
	return a, nil
}

// Ready is closed once Run has connected to Discord and takes events.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// Run connects, registers the slash commands, then serves until ctx is cancelled. When ctx ends
// it stops taking events and waits up to ShutdownGrace for those in hand to finish. It returns an
// error only when it cannot start (a rejected token, Discord unreachable).
func (a *Adapter) Run(ctx context.Context) error {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	a.base = hctx
	me, err := a.sess.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started
		}
		return startError(err)
	}
	a.self = me.ID
	if err := a.sess.Open(); err != nil {
		return openError(err)
	}
	a.sess.State.RLock()
	a.appID = a.self
	if app := a.sess.State.Application; app != nil && app.ID != "" {
		a.appID = app.ID
	}
	a.sess.State.RUnlock()
	close(a.ready)
	a.log.Info("connected", "bot", me.Username, "shards", max(a.cfg.ShardCount, 1))
	a.registerCommands(ctx)

	<-ctx.Done()
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() {
		a.work.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-a.clock.After(a.cfg.ShutdownGrace):
		cancel()
		<-done
	}
	// Close says goodbye on the gateway (and, in v0.28.1, waits a second for Discord to hang up).
	if err := a.sess.Close(); err != nil {
		a.log.Warn("closing the gateway", "err", err)
	}
	return nil
}

// begin registers an event being handled, unless the adapter is shutting down.
func (a *Adapter) begin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		return false
	}
	a.work.Add(1)
	return true
}

func (a *Adapter) end() { a.work.Done() }

// startError explains why GET /users/@me failed, naming the setting to fix.
func startError(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Response.StatusCode == http.StatusUnauthorized {
			return ErrTokenRejected
		}
		return fmt.Errorf("discord: GET /users/@me: %s", re.Response.Status)
	}
	return fmt.Errorf("discord: reaching the API (check DISCORD_API_BASE and the network): %w", err)
}

// openError explains why the gateway refused the connection, naming the setting to fix.
func openError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return ErrTokenRejected
		case 4010, 4011:
			return fmt.Errorf("discord: the gateway refused the shard (%d %s): check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT", ce.Code, ce.Text)
		case 4013, 4014:
			return fmt.Errorf("discord: the gateway refused the intents (%d %s)", ce.Code, ce.Text)
		}
	}
	return fmt.Errorf("discord: connecting to the gateway: %w", err)
}

// Reconnects are discordgo's: it resumes the session after op 7, op 9 and dropped sockets by
// itself. The adapter logs them, so an operator can see the connection's health.

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	a.connected.Store(true)
	a.log.Info("gateway session started", "guilds", len(r.Guilds))
}

func (a *Adapter) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	a.connected.Store(true)
	a.log.Info("gateway session resumed")
}

// Healthy reports nil while the gateway session is up; readiness probes ask it.
func (a *Adapter) Healthy() error {
	select {
	case <-a.ready:
	default:
		return errors.New("connecting to Discord")
	}
	if !a.connected.Load() {
		return errors.New("gateway disconnected; reconnecting")
	}
	return nil
}

func (a *Adapter) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	a.connected.Store(false)
	a.mu.Lock()
	closing := a.closing
	a.mu.Unlock()
	if !closing {
		a.log.Warn("gateway connection lost; reconnecting")
	}
}

// discordgo writes its own problems (a gateway that will not connect, a missed heartbeat) through
// the standard log package unless given a Logger, which is one for the whole process. The last
// adapter created names the slog logger it goes to, so those lines come out in the operator's
// format and level like every other.
var (
	libraryLog     atomic.Pointer[slog.Logger]
	libraryLogOnce sync.Once
)

func routeLibraryLog(l *slog.Logger) {
	libraryLog.Store(l)
	libraryLogOnce.Do(func() {
		discordgo.Logger = func(level, _ int, format string, args ...any) {
			lv := slog.LevelDebug
			switch level {
			case discordgo.LogError:
				lv = slog.LevelError
			case discordgo.LogWarning:
				lv = slog.LevelWarn
			case discordgo.LogInformational:
				lv = slog.LevelInfo
			}
			libraryLog.Load().Log(context.Background(), lv, fmt.Sprintf(format, args...), "source", "discordgo")
		}
	})
}
