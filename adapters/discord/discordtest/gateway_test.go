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

func TestReconnectResumesAndInteractionsStillArrive(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	recv(t, b.guilds, "GUILD_CREATE")

	srv.Reconnect(t)
	r := srv.WaitResume(t, 1)
	if !r.OK || r.Replayed != 0 || r.Seq != 2 {
		t.Errorf("resume after op 7 = %+v, want OK at seq 2 with nothing to replay", r)
	}
	if n := srv.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	if i.ID != inv.ID {
		t.Fatalf("bot got interaction %s, want %s", i.ID, inv.ID)
	}
	if inv.Seq != 4 { // READY 1, GUILD_CREATE 2, RESUMED 3
		t.Errorf("interaction went out with seq %d, want 4", inv.Seq)
	}
	if err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "Round 1"}}); err != nil {
		t.Fatal(err)
	}
	if got := inv.Await(t).Content; got != "Round 1" {
		t.Errorf("response content = %q, want %q", got, "Round 1")
	}
}

func TestDroppedSocketResumesAndReplaysMissedEvents(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	recv(t, b.guilds, "GUILD_CREATE")

	srv.DropConnection(t)
	// Dispatched while the bot is away: Discord keeps it and replays it on RESUME.
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	r := srv.WaitResume(t, 1)
	if !r.OK || r.Replayed != 1 {
		t.Errorf("resume after a dropped socket = %+v, want OK with 1 event replayed", r)
	}
	i := b.interaction()
	if i.ID != inv.ID {
		t.Fatalf("bot got interaction %s, want %s", i.ID, inv.ID)
	}
	if err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "back"}}); err != nil {
		t.Fatal(err)
	}
	inv.Await(t)
	select {
	case again := <-b.interactions:
		t.Errorf("interaction %s delivered twice", again.ID)
	default:
	}
}

func TestInvalidSessionMakesTheBotIdentifyAgain(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	first := recv(t, b.readies, "READY")

	srv.InvalidateSession(t, false)
	srv.WaitIdentify(t, 2)
	second := recv(t, b.readies, "second READY")
	if second.SessionID == first.SessionID {
		t.Errorf("session id after INVALID_SESSION = %q, want a new one", second.SessionID)
	}
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	if i := b.interaction(); i.ID != inv.ID {
		t.Fatalf("bot got interaction %s, want %s", i.ID, inv.ID)
	}
	if inv.Seq != 1+2 { // READY, GUILD_CREATE on the new session, then this
		t.Errorf("interaction seq on the new session = %d, want 3", inv.Seq)
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

func TestShardsGetTheirGuildsEvents(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	// Two guilds on different shards of two: shard = (guild_id >> 22) % 2.
	const other = "1200000000004194305" // GuildID + 1<<22
	srv.AddChannel(other, "1300000000000000002")
	shard := func(id int) func(*discordgo.Session) {
		return func(s *discordgo.Session) { s.ShardID, s.ShardCount = id, 2 }
	}
	bots := []*bot{newBot(t, srv, shard(0)), newBot(t, srv, shard(1))}
	bots[0].register()
	for _, id := range srv.Identifies() {
		if id.Shard == nil || id.Shard[1] != 2 {
			t.Errorf("IDENTIFY shard = %v, want [n 2]", id.Shard)
		}
	}
	home := int((uint64(1200000000000000001) >> 22) % 2)
	srv.Interact(t, discordtest.SlashCommand("quiz"))
	if i := bots[home].interaction(); i.GuildID != discordtest.GuildID {
		t.Errorf("shard %d got guild %s", home, i.GuildID)
	}
	srv.Interact(t, discordtest.SlashCommand("quiz").InGuild(other, "1300000000000000002"))
	if i := bots[1-home].interaction(); i.GuildID != other {
		t.Errorf("shard %d got guild %s", 1-home, i.GuildID)
	}
	srv.Interact(t, discordtest.SlashCommand("quiz").InDM())
	if i := bots[0].interaction(); i.GuildID != "" {
		t.Errorf("shard 0 got guild %s, want the DM", i.GuildID)
	}
	for k, b := range bots {
		select {
		case i := <-b.interactions:
			t.Errorf("shard %d also got interaction in guild %q", k, i.GuildID)
		default:
		}
	}
}

func TestTwoProcessesOnOneShardBothAnswer(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	a, b := newBot(t, srv), newBot(t, srv)
	a.register()

	// Discord delivers the interaction to both sessions; whichever answers second gets 40060,
	// the failure a doubled deployment shows in production.
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	errs := make(chan error, 2)
	for _, x := range []*bot{a, b} {
		i := x.interaction()
		go func() { errs <- x.sess.InteractionRespond(i, reply("mine")) }()
	}
	var codes []int
	for range 2 {
		if err := recv(t, errs, "a response"); err != nil {
			_, code := apiCode(t, err)
			codes = append(codes, code)
		}
	}
	if len(codes) != 1 || codes[0] != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Errorf("error codes = %v, want exactly one 40060", codes)
	}
	inv.Await(t)
}
