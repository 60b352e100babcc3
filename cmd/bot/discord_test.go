package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

// TestDiscordThroughMain runs the real program with DISCORD_TOKEN and DISCORD_API_BASE set
// against a fake Discord, alongside Telegram: the slash commands are registered, both platforms
// answer, the terminal chat stays off, and cancelling stops both cleanly.
func TestDiscordThroughMain(t *testing.T) {
	dc := discordtest.NewServer(t)
	tg := telegramtest.NewServer(t)
	env := map[string]string{
		"DISCORD_TOKEN": discordtest.Token, "DISCORD_API_BASE": dc.URL(),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"BOT_DATA_DIR": t.TempDir(),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	done := make(chan int)
	go func() {
		done <- runAt(ctx, nil, strings.NewReader("/lib flask\n"), &out, io.Discard, func(k string) string { return env[k] }, time.Now)
	}()
	dc.WaitCall(t, "PUT /applications/{app}/commands", 1)
	inv := dc.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "pandas")))
	if r := inv.Await(t); len(r.Embeds) != 1 || r.Embeds[0].Title != "pandas" {
		t.Errorf("/lib pandas on Discord = %+v, want the pandas embed", r)
	}
	tg.PushMessage(telegramtest.Private(tgAda), tgAda, "/lib flask")
	if call := tg.WaitCall(t, "sendMessage", 1); !strings.Contains(call.Get("text"), "<b>Flask</b>") {
		t.Errorf("Telegram sendMessage = %v", call)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d after cancel, want 0", code)
	}
	if out.Len() != 0 {
		t.Errorf("with platform tokens the terminal chat must stay off, but it printed:\n%s", out.String())
	}
}

func TestDiscordBadTokenIsReported(t *testing.T) {
	srv := discordtest.NewServer(t)
	code, _, stderr := runBot(t, nil, "", map[string]string{"DISCORD_TOKEN": "wrong.token", "DISCORD_API_BASE": srv.URL()})
	if code != 1 || !strings.Contains(stderr, "DISCORD_TOKEN was rejected by Discord") || strings.Contains(stderr, "wrong.token") {
		t.Errorf("bad token: exit %d, stderr %q; want a clear error that does not print the token", code, stderr)
	}
}

func TestDiscordConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"shard id alone", map[string]string{"DISCORD_TOKEN": "x", "DISCORD_SHARD_ID": "1"}, []string{"DISCORD_SHARD_ID is set alone"}},
		{"shard out of range", map[string]string{"DISCORD_TOKEN": "x", "DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"}, []string{"DISCORD_SHARD_ID 2 must be from 0 to DISCORD_SHARD_COUNT-1 (1)"}},
		{"not numbers", map[string]string{"DISCORD_TOKEN": "x", "DISCORD_SHARD_ID": "one", "DISCORD_SHARD_COUNT": "2"}, []string{`DISCORD_SHARD_ID: "one" is not a whole number`}},
		{"every problem at once", map[string]string{"DISCORD_TOKEN": "x", "DISCORD_GUILD_ID": "my server", "DISCORD_API_BASE": "localhost:8080"},
			[]string{"DISCORD_GUILD_ID", "DISCORD_API_BASE"}},
		{"settings without a token", map[string]string{"DISCORD_GUILD_ID": "1200000000000000001"}, []string{"DISCORD_TOKEN is not"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runBot(t, nil, "", tt.env)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}
