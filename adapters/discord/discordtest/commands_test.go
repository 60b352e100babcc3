package discordtest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

func TestBulkOverwriteRecordsCommands(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)

	got := b.register()
	if len(got) != 2 || got[0].ID == "" || got[0].ApplicationID != discordtest.AppID || got[0].Name != "lib" {
		t.Fatalf("bulk overwrite returned %+v, want lib and quiz with ids", got)
	}
	stored := srv.Commands("")
	if len(stored) != 2 || stored[0].Options[0].Name != "name" || !stored[0].Options[0].Autocomplete || stored[0].NameLocalizations["zh-CN"] != "库" {
		t.Errorf("stored commands = %+v, want lib with an autocomplete option and a zh-CN name", stored)
	}

	// Overwriting again keeps the ids of commands that still exist and drops the others.
	again, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, "", testCommands()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].ID != got[0].ID {
		t.Errorf("second overwrite = %+v, want lib with id %s", again, got[0].ID)
	}
	if n := len(srv.Commands("")); n != 1 {
		t.Errorf("%d global commands after overwrite, want 1", n)
	}

	// Guild commands live apart from global ones.
	if _, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, testCommands()[1:]); err != nil {
		t.Fatal(err)
	}
	if g := srv.Commands(discordtest.GuildID); len(g) != 1 || g[0].Name != "quiz" || g[0].GuildID != discordtest.GuildID {
		t.Errorf("guild commands = %+v, want quiz", g)
	}
}

func TestBulkOverwriteRejectsBadCommands(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)
	tests := []struct {
		name string
		cmd  *discordgo.ApplicationCommand
		path string
	}{
		{"uppercase name", &discordgo.ApplicationCommand{Name: "Lib", Description: "x"}, "0.name"},
		{"space in name", &discordgo.ApplicationCommand{Name: "look up", Description: "x"}, "0.name"},
		{"no description", &discordgo.ApplicationCommand{Name: "lib"}, "0.description"},
		{"long description", &discordgo.ApplicationCommand{Name: "lib", Description: strings.Repeat("d", 101)}, "0.description"},
		{"autocomplete with choices", &discordgo.ApplicationCommand{Name: "lib", Description: "x", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "n", Description: "x", Autocomplete: true, Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}},
		}}, "0.options.0.autocomplete"},
		{"required after optional", &discordgo.ApplicationCommand{Name: "lib", Description: "x", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "a", Description: "x"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "b", Description: "x", Required: true},
		}}, "0.options.1.required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, "", []*discordgo.ApplicationCommand{tt.cmd})
			if status, code := apiCode(t, err); status != 400 || code != discordtest.CodeInvalidFormBody {
				t.Fatalf("overwrite: status %d code %d, want 400 50035", status, code)
			}
			calls := srv.Calls("PUT /applications/{app}/commands")
			if paths := calls[len(calls)-1].Error.Paths(); !cmp.Equal(paths, []string{tt.path}) {
				t.Errorf("error paths = %v, want [%s]", paths, tt.path)
			}
		})
	}
}

func TestDailyCommandCreateLimit(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)
	batch := func(prefix string, n int) []*discordgo.ApplicationCommand {
		var cmds []*discordgo.ApplicationCommand
		for k := range n {
			cmds = append(cmds, &discordgo.ApplicationCommand{Name: fmt.Sprintf("%s%d", prefix, k), Description: "x"})
		}
		return cmds
	}
	for _, prefix := range []string{"a", "b"} {
		if _, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, batch(prefix, 100)); err != nil {
			t.Fatalf("overwrite %s: %v", prefix, err)
		}
	}
	// Re-sending existing commands is free; one new command over the 200 is not.
	if _, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, batch("b", 100)); err != nil {
		t.Fatalf("overwrite with existing commands: %v", err)
	}
	_, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, batch("c", 1), discordgo.WithRetryOnRatelimit(false))
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("201st create = %v, want a rate limit", err)
	}
	if rl.RetryAfter != 12*time.Hour { // the fake clock starts at noon UTC
		t.Errorf("retry_after = %v, want the 12h until the daily quota resets", rl.RetryAfter)
	}
	if c := srv.Calls("PUT /applications/{app}/guilds/{guild}/commands"); c[len(c)-1].Error.Code != discordtest.CodeMaxDailyCommandCreates {
		t.Errorf("last overwrite answered %+v, want code 30034", c[len(c)-1].Error)
	}
	// The next day on the fake clock the quota is back.
	srv.Clock().Advance(12 * time.Hour)
	if _, err := b.sess.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, batch("c", 1)); err != nil {
		t.Errorf("create on the next day: %v", err)
	}
}
