package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Config is what the core needs from the outside world. Content is required; the rest has defaults.
type Config struct {
	Content *content.KB
	// Quiz runs quizzes; nil leaves the quiz commands out (a lookup-only bot).
	Quiz Quiz
	// Settings keeps /lang, /quizmode and the unreachable mark; nil leaves /lang and /quizmode
	// out, and replies follow the platform's language.
	Settings Settings
	// Middleware wraps the pipeline inside the core's own (recovery, input bounds, rate limits),
	// outermost first: further concerns plug in here without touching routing.
	Middleware []Middleware
	// Challenges runs group challenges; nil leaves /challenge out. It needs Quiz and Claims.
	Challenges *quiz.Challenges
	// Claims lets one replica at a time move a chat's challenge on, and deliver a daily tip.
	Claims Claims
	// Codes keeps /link's one-time codes; with a Quiz that can link identities (the engine), it
	// enables /link and /unlink.
	Codes Codes
	// Tips keeps daily-tip subscriptions; nil leaves /subscribe, /unsubscribe and
	// /subscription out (/tip works without it). Its scheduler needs Claims too.
	Tips tip.Store
	// Replica names this process among the replicas sharing a store, for its claims; empty
	// makes up a name from the host name and a random suffix.
	Replica string
	// Observer is told what the core does, for metrics; nil observes nothing.
	Observer Observer
	// RateLimit bounds how many events one user may send (default 20 per 10 s); commands that
	// start something (a round) are also limited per chat. Zero Events disables the limits.
	RateLimit RateLimit
	// Charts draws the pictures /stats and /leaderboard send with their text; nil sends text
	// alone.
	Charts *chart.Renderer
	// Now is the clock; tests inject a fixed one. Defaults to time.Now.
	Now func() time.Time
	// Logger receives internal errors and recovered panics. Defaults to slog.Default().
	Logger *slog.Logger
}

// Bot is the core: it routes events to handlers and turns their results and errors into replies.
// It is safe for concurrent use; adapters call Handle from as many goroutines as they like.
type Bot struct {
	kb       *content.KB
	quiz     Quiz
	settings *settingsCache
	now      func() time.Time
	log      *slog.Logger
	router   router
	pipeline HandlerFunc
	quiet    *logLimiter
	obs      Observer
	limits   *rateLimits
	pictures *pictures

	challenges *quiz.Challenges
	claims     Claims
	codes      Codes
	linker     Linker
	tips       tip.Store
	deck       *tip.Deck
	replica    string
	visits     visits

	sendersMu sync.RWMutex
	senders   map[string]Sender
}

// MaxTextRunes is the longest message the core reads (Telegram's own limit). A longer one gets a
// short "too long" reply: nothing the core does may cost more because a user sent more.
const MaxTextRunes = 4096

// New builds the core and registers its commands. An error means a programming mistake in the
// command table (a duplicate name, missing help), reported at start-up rather than in a chat.
func New(cfg Config) (*Bot, error) {
	if cfg.Content == nil {
		return nil, errors.New("bot: Config.Content is required")
	}
	b := &Bot{kb: cfg.Content, quiz: cfg.Quiz, now: cfg.Now, log: cfg.Logger}
	if b.now == nil {
		b.now = time.Now
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	b.quiet = newLogLimiter(b.now, time.Minute)
	b.obs = cfg.Observer
	if b.obs == nil {
		b.obs = nopObserver{}
	}
	if cfg.RateLimit.Events > 0 {
		b.limits = newRateLimits(cfg.RateLimit, b.now)
	}
	if cfg.Settings != nil {
		b.settings = newSettingsCache(cfg.Settings, b.now)
	}
	if cfg.Charts != nil {
		b.pictures = newPictures(cfg.Charts, runtime.GOMAXPROCS(0))
	}
	cmds := b.lookupCommands()
	if b.quiz != nil {
		cmds = append(cmds, b.quizCommands()...)
		cmds = append(cmds, b.exportCommands()...)
		if l, ok := b.quiz.(Linker); ok && cfg.Codes != nil {
			b.codes, b.linker = cfg.Codes, l
			cmds = append(cmds, b.linkCommands()...)
		}
		if err := b.router.handleChoices(quiz.ChoicePrefix, b.answerChoice); err != nil {
			return nil, err
		}
	}
	b.claims, b.replica, b.tips, b.deck = cfg.Claims, cfg.Replica, cfg.Tips, tip.NewDeck(cfg.Content)
	if b.replica == "" {
		b.replica = newReplicaName()
	}
	if cfg.Challenges != nil {
		if b.quiz == nil || cfg.Claims == nil {
			return nil, errors.New("bot: Config.Challenges needs Config.Quiz and Config.Claims")
		}
		b.challenges = cfg.Challenges
		cmds = append(cmds, b.challengeCommands()...)
		if err := b.router.handleChoices(quiz.ChallengePrefix, b.pressChallenge); err != nil {
			return nil, err
		}
	}
	if b.tips != nil && b.settings == nil {
		return nil, errors.New("bot: Config.Tips needs Config.Settings")
	}
	cmds = append(cmds, b.tipCommands()...)
	if b.settings != nil {
		cmds = append(cmds, b.settingsCommands()...)
	}
	cmds = append(cmds, b.helpCommands()...)
	if err := b.router.register(cmds...); err != nil {
		return nil, err
	}
	b.router.text = b.handleText

	// The pipeline, outermost first. Recovery comes first so that nothing, not even the language
	// look-up, can take an adapter down; input is bounded before anything reads it.
	chain := []Middleware{b.recoverPanics, b.observeEvents, b.boundInput, b.parse, b.resolveLang, b.limitRate}
	chain = append(chain, cfg.Middleware...)
	chain = append(chain, b.markReachable, b.settleFirst)
	h := b.router.route
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	b.pipeline = h
	return b, nil
}

// CommandInfo describes a command for platform menus (Telegram setMyCommands, Discord slash
// commands).
type CommandInfo struct {
	Name string
	Args []Arg
	Help content.Text
	// Native is set for commands that matter only where quizzes render natively.
	Native bool
	// Private is set for commands whose replies are for the asking user alone (Command.Private).
	Private bool
}

// Replica is the name this process holds its claims under (Config.Replica, or one made up):
// background jobs the program runs beside the core claim their work under the same name.
func (b *Bot) Replica() string { return b.replica }

// Commands lists the visible commands in registration order.
func (b *Bot) Commands() []CommandInfo {
	var out []CommandInfo
	for _, c := range b.router.commands {
		if !c.Hidden {
			out = append(out, CommandInfo{Name: c.Name, Args: c.Args, Help: c.Help, Native: c.Native, Private: c.Private})
		}
	}
	return out
}

// Content returns the knowledge base, for adapters that render entries themselves (Telegram
// inline results).
func (b *Bot) Content() *content.KB { return b.kb }

// Handle answers one event. It never fails: errors become friendly replies in the user's language,
// and an empty result means the bot has nothing to say (chatter in a group).
func (b *Bot) Handle(ctx context.Context, ev Event) []Reply {
	req := &Request{Event: ev, Lang: content.ParseLocale(ev.Locale)}
	replies, err := b.pipeline(ctx, req)
	switch {
	case errors.Is(err, errLimited):
		return replies // the notice, once a window; then nothing
	case err != nil:
		return []Reply{b.replyForError(req, err)}
	}
	return replies
}

// recoverPanics turns a panic anywhere in handling into an internal error, so one bad request
// cannot take the adapter down with it.
func (b *Bot) recoverPanics(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) (replies []Reply, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		return next(ctx, req)
	}
}

// observeEvents reports each event to the Observer and logs it at debug level: its kind, command,
// outcome and how long it took, never its text.
func (b *Bot) observeEvents(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		start := time.Now()
		replies, err := next(ctx, req)
		took := time.Since(start)
		kind, cmd := "text", ""
		switch {
		case req.Choice != "":
			kind = "choice"
		case req.Command != "":
			kind, cmd = "command", req.Command
			if b.router.byName[cmd] == nil {
				cmd = "unknown" // keeps metric labels to the registered names
			}
		}
		outcome := outcomeOf(err)
		b.obs.Event(req.Platform, kind, cmd, outcome, took)
		if b.log.Enabled(ctx, slog.LevelDebug) {
			b.log.Debug("event", "platform", req.Platform, "chat_kind", req.Chat, "kind", kind, "command", cmd,
				"outcome", outcome, "replies", len(replies), "took", took)
		}
		return replies, err
	}
}

// boundInput refuses input longer than the core reads: text over MaxTextRunes gets a short reply,
// choice data longer than any the core issues is junk.
func (b *Bot) boundInput(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		if len(req.Choice) > quiz.MaxChoiceData {
			return nil, errBadButton
		}
		if len(req.Text) > MaxTextRunes && len(ClipRunes(req.Text, MaxTextRunes+1)) < len(req.Text) {
			if !req.addressed() {
				return nil, nil
			}
			return nil, invalid(msgTooLong, MaxTextRunes)
		}
		return next(ctx, req)
	}
}

// parse reads the command name and arguments once, for every step after it.
func (b *Bot) parse(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		if req.Choice == "" {
			text := strings.TrimSpace(req.Text)
			if name, args, ok := parseCommand(text); ok {
				req.Command, req.Args = name, args
			} else {
				req.Args = text
			}
		}
		return next(ctx, req)
	}
}

// resolveLang picks the reply language: a message written in Chinese is answered in Chinese
// whatever the platform says; otherwise the learner's /lang, then the platform locale, decides.
func (b *Bot) resolveLang(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		req.Lang = b.langOf(ctx, req.Event)
		return next(ctx, req)
	}
}

func (b *Bot) langOf(ctx context.Context, ev Event) content.Lang {
	if strings.ContainsFunc(ClipRunes(ev.Text, 200), isHan) {
		return content.Chinese
	}
	if b.settings != nil {
		if l := b.settings.user(ctx, ev.UserKey(), settingLang); l != "" {
			return content.Lang(l)
		}
	}
	return content.ParseLocale(ev.Locale)
}

// markReachable lifts a chat's unreachable mark when the chat speaks to the bot again.
func (b *Bot) markReachable(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		if b.settings != nil && req.ChatID != "" {
			b.clearUnreachable(ctx, req.ChatKey())
		}
		return next(ctx, req)
	}
}

// logLimiter lets a kind of log line through once per interval, so an outage that fails every
// request is logged as it starts and then once a minute, with the count of lines held back.
type logLimiter struct {
	now      func() time.Time
	interval time.Duration
	mu       sync.Mutex
	last     map[string]time.Time
	held     map[string]int
}

func newLogLimiter(now func() time.Time, interval time.Duration) *logLimiter {
	return &logLimiter{now: now, interval: interval, last: map[string]time.Time{}, held: map[string]int{}}
}

// allow reports whether a line of kind may be logged now, and how many were held back since the
// last one.
func (l *logLimiter) allow(kind string) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if last, ok := l.last[kind]; ok && now.Sub(last) < l.interval && now.Sub(last) >= 0 {
		l.held[kind]++
		return false, 0
	}
	held := l.held[kind]
	l.last[kind], l.held[kind] = now, 0
	return true, held
}
