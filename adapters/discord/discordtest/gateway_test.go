package discordtest_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

func TestOpenIdentifiesAndGetsReady(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)

	if got := b.sess.State.User.ID; got != discordtest.AppID {
		t.Errorf("State.User.ID = %q, want %q", got, discordtest.AppID)
	}
	if !b.sess.State.User.Bot {
		t.Errorf("State.User.Bot = false, want true")
	}
	ready := recv(t, b.readies, "READY")
	if ready.SessionID == "" || ready.Application == nil || ready.Application.ID != discordtest.AppID {
		t.Errorf("READY session %q application %+v, want a session id and application %s", ready.SessionID, ready.Application, discordtest.AppID)
	}
	id := srv.WaitIdentify(t, 1)
	if id.Token != "Bot "+discordtest.Token {
		t.Errorf("IDENTIFY token = %q, want %q", id.Token, "Bot "+discordtest.Token)
	}
	if id.Intents != int64(discordgo.IntentsAllWithoutPrivileged) || !id.Compress || id.Shard != nil {
		t.Errorf("IDENTIFY intents %d compress %v shard %v, want %d true nil", id.Intents, id.Compress, id.Shard, discordgo.IntentsAllWithoutPrivileged)
	}
	// The guild the bot is in arrives after READY, as on Discord.
	g := recv(t, b.guilds, "GUILD_CREATE")
	if g.ID != discordtest.GuildID || len(g.Channels) != 1 || g.Channels[0].ID != discordtest.ChannelID {
		t.Errorf("GUILD_CREATE %s with channels %v, want %s with %s", g.ID, g.Channels, discordtest.GuildID, discordtest.ChannelID)
	}
	// discordgo heartbeats as soon as it is connected; the fake acknowledges it (op 11).
	srv.WaitHeartbeat(t, 1)
	srv.RequestHeartbeat(t)
	if hb := srv.WaitHeartbeat(t, 2); hb.Seq == nil || *hb.Seq < 1 {
		t.Errorf("heartbeat after op 1 carried seq %v, want the last dispatch's", hb.Seq)
	}
}

func TestGatewayURLFromREST(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)
	url, err := b.sess.Gateway()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "ws://127.0.0.1:") {
		t.Errorf("Gateway() = %q, want the fake's ws:// URL", url)
	}
	gb, err := b.sess.GatewayBot()
	if err != nil {
		t.Fatal(err)
	}
	if gb.Shards != 1 || gb.URL != url {
		t.Errorf("GatewayBot() = %+v, want 1 shard at %s", gb, url)
	}
	me, err := b.sess.User("@me")
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != discordtest.AppID || !me.Bot {
		t.Errorf("User(@me) = %+v, want the bot %s", me, discordtest.AppID)
	}
}

func TestWrongTokenIsRefused(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv, func(s *discordgo.Session) {
		s.Token, s.Identify.Token = "Bot wrong", "Bot wrong"
	})
	_, err := b.sess.User("@me")
	if status, _ := apiCode(t, err); status != 401 {
		t.Errorf("User(@me) with a wrong token: status %d, want 401", status)
	}
	b.sess.ShouldReconnectOnError = false
	if err := b.sess.Open(); err == nil {
		b.sess.Close()
		t.Fatal("Open with a wrong token succeeded")
	}
	if got := srv.Identifies(); len(got) != 1 || got[0].Token != "Bot wrong" {
		t.Errorf("identifies = %+v, want one with the wrong token", got)
	}
}

func TestPrivilegedIntentsCanBeDenied(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	srv.DenyPrivilegedIntents()
	b := connect(t, srv, func(s *discordgo.Session) { s.Identify.Intents |= discordgo.IntentMessageContent })
	b.sess.ShouldReconnectOnError = false
	if err := b.sess.Open(); err == nil {
		b.sess.Close()
		t.Fatal("Open with MESSAGE_CONTENT denied succeeded")
	}
}

func TestMessageCreateFollowsIntents(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)

	// Without MESSAGE_CONTENT a guild message arrives with its text blanked…
	srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "hello bot")
	m := recv(t, b.messages, "guild MESSAGE_CREATE")
	if m.Content != "" || m.Author.ID != discordtest.Alice.ID || m.GuildID != discordtest.GuildID {
		t.Errorf("guild message = %q by %s in %s, want blank content by Alice in the guild", m.Content, m.Author.ID, m.GuildID)
	}
	// …unless it mentions the bot; DMs always carry their text.
	srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "<@"+discordtest.AppID+"> hi")
	if m := recv(t, b.messages, "mention"); m.Content == "" {
		t.Errorf("a message mentioning the bot arrived without content")
	}
	srv.PostUserMessage(t, srv.DMChannel(discordtest.Bob.ID), discordtest.Bob, "psst")
	if m := recv(t, b.messages, "DM"); m.Content != "psst" || m.GuildID != "" {
		t.Errorf("DM = %q in guild %q, want %q outside any guild", m.Content, m.GuildID, "psst")
	}
}
