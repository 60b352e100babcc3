package discordtest_test

import (
	"errors"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

// bot is a real discordgo session connected to the fake, recording what reaches its handlers.
type bot struct {
	t    *testing.T
	srv  *discordtest.Server
	sess *discordgo.Session

	interactions chan *discordgo.InteractionCreate
	messages     chan *discordgo.MessageCreate
	guilds       chan *discordgo.GuildCreate
	readies      chan *discordgo.Ready
	rateLimits   chan *discordgo.RateLimit
}

// closing tracks sessions still closing after their test ended; TestMain waits for them.
var closing sync.WaitGroup

func TestMain(m *testing.M) {
	code := m.Run()
	closing.Wait()
	os.Exit(code)
}

// newBot opens a session on the fake. configure runs before Open, to change intents, shard or
// token. The session is closed when the test ends, without waiting out the second discordgo
// v0.28.1's Close sleeps (holding the session lock) after sending its close frame: once the
// fake has seen that frame end the session, Close holds the lock, so stopping the fake cannot
// send the read loop into a reconnect, and the rest of Close can finish in the background.
func newBot(t *testing.T, srv *discordtest.Server, configure ...func(*discordgo.Session)) *bot {
	t.Helper()
	b := connect(t, srv, configure...)
	if err := b.sess.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		b.sess.State.RLock()
		id := b.sess.State.SessionID
		b.sess.State.RUnlock()
		closing.Add(1)
		go func() {
			defer closing.Done()
			b.sess.Close()
		}()
		srv.WaitSessionEnded(t, id)
	})
	return b
}

// connect prepares a session with recording handlers, without opening it.
func connect(t *testing.T, srv *discordtest.Server, configure ...func(*discordgo.Session)) *bot {
	t.Helper()
	sess, err := discordgo.New("Bot " + discordtest.Token)
	if err != nil {
		t.Fatal(err)
	}
	sess.Client = &http.Client{Transport: srv.Transport(), Timeout: 20 * time.Second}
	b := &bot{
		t: t, srv: srv, sess: sess,
		interactions: make(chan *discordgo.InteractionCreate, 256),
		messages:     make(chan *discordgo.MessageCreate, 256),
		guilds:       make(chan *discordgo.GuildCreate, 256),
		readies:      make(chan *discordgo.Ready, 256),
		rateLimits:   make(chan *discordgo.RateLimit, 256),
	}
	sess.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { b.interactions <- i })
	sess.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { b.messages <- m })
	sess.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { b.guilds <- g })
	sess.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { b.readies <- r })
	sess.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) { b.rateLimits <- r })
	for _, c := range configure {
		c(sess)
	}
	return b
}

// recv takes the next value from ch; WaitTimeout is only a safety net.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(discordtest.WaitTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// interaction waits for the next INTERACTION_CREATE to reach the bot.
func (b *bot) interaction() *discordgo.Interaction {
	b.t.Helper()
	return recv(b.t, b.interactions, "INTERACTION_CREATE").Interaction
}

// register bulk-overwrites the global commands with the test's command set.
func (b *bot) register() []*discordgo.ApplicationCommand {
	b.t.Helper()
	cmds, err := b.sess.ApplicationCommandBulkOverwrite(b.sess.State.User.ID, "", testCommands())
	if err != nil {
		b.t.Fatalf("ApplicationCommandBulkOverwrite: %v", err)
	}
	return cmds
}

func testCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:              "lib",
			Description:       "Look up a Python library",
			NameLocalizations: &map[discordgo.Locale]string{discordgo.ChineseCN: "库"},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "name", Description: "Library name", Required: true, Autocomplete: true},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "detail", Description: "How much to show", Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "short", Value: 1}, {Name: "long", Value: 2},
				}},
			},
		},
		{Name: "quiz", Description: "Start a quiz round"},
	}
}

// apiCode extracts Discord's JSON error code and the HTTP status from a discordgo error.
func apiCode(t *testing.T, err error) (status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *discordgo.RESTError", err, err)
	}
	if re.Message == nil {
		t.Fatalf("REST error without a JSON message: %s", re.ResponseBody)
	}
	return re.Response.StatusCode, re.Message.Code
}

// fatalRecorder stands in for testing.TB so a test can check that a helper fails the test:
// its Fatalf panics instead of ending the goroutine, and fails recovers.
type fatalRecorder struct{ testing.TB }

func (fatalRecorder) Helper() {}

func (fatalRecorder) Fatalf(string, ...any) { panic(fatalPanic{}) }

type fatalPanic struct{}

// fails runs fn with a recorder and reports whether it failed the test.
func fails(t *testing.T, fn func(tb testing.TB)) bool {
	t.Helper()
	f := fatalRecorder{TB: t}
	failed := false
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(fatalPanic); !ok {
					panic(r)
				}
				failed = true
			}
		}()
		fn(f)
	}()
	return failed
}
