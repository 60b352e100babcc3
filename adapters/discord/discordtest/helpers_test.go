package discordtest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

// bot is a real discordgo session talking to the fake.
type bot struct {
	t    *testing.T
	srv  *discordtest.Server
	sess *discordgo.Session
}

// connect prepares a session whose requests go to the fake.
func connect(t *testing.T, srv *discordtest.Server, configure ...func(*discordgo.Session)) *bot {
	t.Helper()
	sess, err := discordgo.New("Bot " + discordtest.Token)
	if err != nil {
		t.Fatal(err)
	}
	sess.Client = &http.Client{Transport: srv.Transport(), Timeout: 20 * time.Second}
	for _, c := range configure {
		c(sess)
	}
	return &bot{t: t, srv: srv, sess: sess}
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

// register bulk-overwrites the global commands with the test's command set.
func (b *bot) register() []*discordgo.ApplicationCommand {
	b.t.Helper()
	cmds, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, "", testCommands())
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
