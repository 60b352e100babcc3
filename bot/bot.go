package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Config is what the core needs from the outside world. Content is required; the rest has defaults.
type Config struct {
	Content *content.KB
	// Quiz runs quizzes; nil leaves the quiz commands out (a lookup-only bot).
	Quiz *quiz.Engine
	// Now is the clock; tests inject a fixed one. Defaults to time.Now.
	Now func() time.Time
	// Logger receives internal errors and recovered panics. Defaults to slog.Default().
	Logger *slog.Logger
}

// Bot is the core: it routes events to handlers and turns their results and errors into replies.
// It is safe for concurrent use; adapters call Handle from as many goroutines as they like.
type Bot struct {
	kb     *content.KB
	quiz   *quiz.Engine
	now    func() time.Time
	log    *slog.Logger
	router router
}

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
	mw := []Middleware{b.recoverPanics}
	if err := b.router.register(mw, b.lookupCommands()...); err != nil {
		return nil, err
	}
	if b.quiz != nil {
		if err := b.router.register(mw, b.quizCommands()...); err != nil {
			return nil, err
		}
	}
	if err := b.router.register(mw, b.helpCommands()...); err != nil {
		return nil, err
	}
	return b, nil
}

// CommandInfo describes a command for platform menus (Telegram setMyCommands, Discord slash
// commands).
type CommandInfo struct {
	Name string
	Args content.Text
	Help content.Text
}

// Commands lists the visible commands in registration order.
func (b *Bot) Commands() []CommandInfo {
	var out []CommandInfo
	for _, c := range b.router.commands {
		if !c.Hidden {
			out = append(out, CommandInfo{Name: c.Name, Args: c.Args, Help: c.Help})
		}
	}
	return out
}

// Content returns the knowledge base, for adapters that build platform-only renderings from it
// (Telegram inline results, Discord autocomplete).
func (b *Bot) Content() *content.KB { return b.kb }

// Handle answers one event. It never fails: errors become friendly replies in the user's language,
// and an empty result means the bot has nothing to say (chatter in a group).
func (b *Bot) Handle(ctx context.Context, ev Event) []Reply {
	req := &Request{Event: ev, Lang: b.langFor(ctx, ev)}
	text := strings.TrimSpace(ev.Text)
	var h HandlerFunc
	switch name, args, isCmd := parseCommand(text); {
	case ev.Choice != "":
		if b.quiz == nil {
			return nil
		}
		h = b.recoverPanics(b.answerChoice)
	case isCmd:
		cmd := b.router.byName[name]
		if cmd == nil {
			if !ev.addressed() {
				return nil // probably another bot's command
			}
			return []Reply{{Text: Text(T(req.Lang, msgUnknownCommand, "/"+name))}}
		}
		req.Command, req.Args, h = name, args, cmd.Handler
	case text != "":
		req.Args, h = text, b.recoverPanics(b.handleText)
	default:
		return nil
	}
	replies, err := h(ctx, req)
	if err != nil {
		return []Reply{b.replyForError(req, err)}
	}
	return replies
}

// langFor picks the reply language: a message written in Chinese is answered in Chinese whatever
// the platform says; otherwise the learner's /lang setting, then the platform locale, decides.
func (b *Bot) langFor(ctx context.Context, ev Event) content.Lang {
	for _, r := range ev.Text {
		if unicode.Is(unicode.Han, r) {
			return content.Chinese
		}
	}
	if b.quiz != nil {
		if l := b.quiz.Lang(ctx, ev.UserKey(), b.now()); l != "" {
			return l
		}
	}
	return content.ParseLocale(ev.Locale)
}

// recoverPanics turns a panic in a handler into an internal error, so one bad request cannot take
// the adapter down with it.
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
