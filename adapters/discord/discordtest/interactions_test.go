package discordtest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

func reply(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content},
	}
}

func TestSlashCommandResponse(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "itertools"), discordtest.IntegerOption("detail", 2)))
	i := b.interaction()
	if i.Type != discordgo.InteractionApplicationCommand || i.Member == nil || i.Member.User.ID != discordtest.Alice.ID || i.User != nil {
		t.Fatalf("interaction type %v member %+v user %+v, want a command by the guild member Alice", i.Type, i.Member, i.User)
	}
	data := i.ApplicationCommandData()
	if data.Name != "lib" || data.Options[0].StringValue() != "itertools" || data.Options[1].IntValue() != 2 {
		t.Errorf("command data = %+v, want lib name=itertools detail=2", data)
	}
	if i.GuildID != discordtest.GuildID || i.ChannelID != discordtest.ChannelID || i.Locale != discordgo.EnglishUS ||
		i.GuildLocale == nil || *i.GuildLocale != discordgo.EnglishUS || i.AppPermissions&discordgo.PermissionEmbedLinks == 0 {
		t.Errorf("guild %s channel %s locale %s guild locale %v perms %d, want the default guild channel in en-US with EMBED_LINKS",
			i.GuildID, i.ChannelID, i.Locale, i.GuildLocale, i.AppPermissions)
	}

	err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         "itertools <@" + discordtest.Bob.ID + ">",
			Embeds:          []*discordgo.MessageEmbed{{Title: "itertools", Description: "Functions creating iterators"}},
			Components:      []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "lib:more:itertools"}}}},
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := inv.Await(t)
	if r.Type != discordtest.CallbackMessage || !r.Ephemeral() || r.Embeds[0].Title != "itertools" || r.Components[0].Components[0].CustomID != "lib:more:itertools" {
		t.Errorf("response = %+v, want an ephemeral message with the embed and the button", r)
	}
	if r.AllowedMentions == nil || r.AllowedMentions.Parse == nil || len(r.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions = %+v, want parse []", r.AllowedMentions)
	}
	msgs := srv.Messages(discordtest.ChannelID)
	if len(msgs) != 1 || msgs[0].InteractionID != inv.ID || msgs[0].WebhookID != discordtest.AppID {
		t.Fatalf("channel messages = %+v, want the response", msgs)
	}
	if p := msgs[0].Pings(); len(p.Users) != 0 {
		t.Errorf("the reply pings %v despite parse []", p.Users)
	}
	if orig, ok := inv.Original(); !ok || orig.ID != msgs[0].ID {
		t.Errorf("Original() = %+v, want the channel message", orig)
	}
	// discordgo reads the original response back through the interaction webhook.
	got, err := b.sess.InteractionResponse(i)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != msgs[0].ID || got.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("InteractionResponse = %+v, want the ephemeral reply %s", got, msgs[0].ID)
	}
}

func TestSecondAcknowledgementIsRefused(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	if err := b.sess.InteractionRespond(i, reply("first")); err != nil {
		t.Fatal(err)
	}
	err := b.sess.InteractionRespond(i, reply("second"))
	if status, code := apiCode(t, err); status != 400 || code != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Errorf("second response: status %d code %d, want 400 %d", status, code, discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged)
	}
	if got := inv.Await(t).Content; got != "first" {
		t.Errorf("accepted response = %q, want %q", got, "first")
	}
	if n := len(inv.Callbacks()); n != 2 {
		t.Errorf("%d callbacks recorded, want 2", n)
	}
	if n := len(srv.Messages(discordtest.ChannelID)); n != 1 {
		t.Errorf("%d messages in the channel, want 1", n)
	}
}

func TestCallbackAfterThreeSecondsIsUnknown(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	srv.Clock().Advance(discordtest.InteractionDeadline) // exactly 3 s is still in time…
	srv.Clock().Advance(time.Millisecond)                // …a millisecond more is not
	err := b.sess.InteractionRespond(i, reply("too late"))
	if status, code := apiCode(t, err); status != 404 || code != discordgo.ErrCodeUnknownInteraction {
		t.Errorf("late response: status %d code %d, want 404 %d", status, code, discordgo.ErrCodeUnknownInteraction)
	}
	if _, ok := inv.Response(); ok {
		t.Error("the late response was accepted")
	}
	// The token was never activated, so follow-ups fail too.
	_, err = b.sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "still here"})
	if status, code := apiCode(t, err); status != 404 || code != discordtest.CodeUnknownWebhook {
		t.Errorf("follow-up after a missed deadline: status %d code %d, want 404 %d", status, code, discordtest.CodeUnknownWebhook)
	}
	// Await reports the missed deadline instead of waiting.
	if !fails(t, func(tb testing.TB) { inv.Await(tb) }) {
		t.Error("Await did not fail after the deadline passed on the fake clock")
	}
}

func TestResponseInTimeOnTheDeadline(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	srv.Clock().Advance(discordtest.InteractionDeadline)
	if err := b.sess.InteractionRespond(i, reply("just in time")); err != nil {
		t.Fatal(err)
	}
	inv.Await(t)
}

func TestRateLimitedCallback(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	// Without retries discordgo hands the 429 back with Discord's retry_after.
	srv.FailNext("POST /interactions/{id}/{token}/callback", 1, discordtest.RateLimited(2.5))
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	err := b.sess.InteractionRespond(i, reply("hi"), discordgo.WithRetryOnRatelimit(false))
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("InteractionRespond = %v, want a *discordgo.RateLimitError", err)
	}
	if rl.RetryAfter != 2500*time.Millisecond || rl.Message != "You are being rate limited." {
		t.Errorf("rate limit = %+v, want retry_after 2.5 s", rl.TooManyRequests)
	}
	c := inv.WaitCallback(t, 1)
	if c.Status != 429 || c.Fault == nil {
		t.Errorf("callback answered %d (fault %v), want a scripted 429", c.Status, c.Fault)
	}
	if _, ok := inv.Response(); ok {
		t.Error("a rate-limited response was accepted")
	}

	// With retries (discordgo's default) it emits a RateLimit event, waits retry_after and
	// tries again; a tiny retry_after keeps the test fast.
	srv.FailNext("POST /interactions/{id}/{token}/callback", 1, discordtest.RateLimited(0.01))
	inv = srv.Interact(t, discordtest.SlashCommand("quiz"))
	i = b.interaction()
	if err := b.sess.InteractionRespond(i, reply("after waiting")); err != nil {
		t.Fatal(err)
	}
	if ev := recv(t, b.rateLimits, "RateLimit event"); ev.RetryAfter != 10*time.Millisecond {
		t.Errorf("RateLimit event retry_after = %v, want 10ms", ev.RetryAfter)
	}
	if got := inv.Await(t).Content; got != "after waiting" {
		t.Errorf("response = %q after a retried 429", got)
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	choices := func(n, nameLen int) *discordgo.InteractionResponse {
		var cs []*discordgo.ApplicationCommandOptionChoice
		for k := 0; k < n; k++ {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: strings.Repeat("n", nameLen), Value: "v"})
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: cs}}
	}
	tests := []struct {
		name    string
		resp    *discordgo.InteractionResponse
		wantErr string // error path, "" for success
	}{
		{"25 choices of 100 characters", choices(25, 100), ""},
		{"26 choices", choices(26, 5), "data.choices"},
		{"name of 101 characters", choices(1, 101), "data.choices.0.name"},
		{"a message instead of choices", reply("no"), "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := srv.Interact(t, discordtest.Autocomplete("lib", discordtest.StringOption("name", "iter").Focus()).WithLocale("zh-CN"))
			i := b.interaction()
			opt := i.ApplicationCommandData().Options[0]
			if i.Type != discordgo.InteractionApplicationCommandAutocomplete || !opt.Focused || opt.StringValue() != "iter" || i.Locale != discordgo.ChineseCN {
				t.Fatalf("autocomplete interaction type %v option %+v locale %s, want focused name=iter in zh-CN", i.Type, opt, i.Locale)
			}
			err := b.sess.InteractionRespond(i, tt.resp)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if r := inv.Await(t); r.Type != discordtest.CallbackAutocomplete || len(r.Choices) != 25 {
					t.Errorf("response type %d with %d choices, want 8 with 25", r.Type, len(r.Choices))
				}
				return
			}
			if status, code := apiCode(t, err); status != 400 || code != discordtest.CodeInvalidFormBody {
				t.Errorf("status %d code %d, want 400 50035", status, code)
			}
			if paths := inv.WaitCallback(t, 1).Error.Paths(); !cmp.Equal(paths, []string{tt.wantErr}) {
				t.Errorf("error paths = %v, want [%s]", paths, tt.wantErr)
			}
		})
	}
}

func TestInteractRefusesWhatDiscordWouldNotSend(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	tests := []struct {
		name string
		ix   discordtest.Interaction
	}{
		{"unregistered command", discordtest.SlashCommand("nope")},
		{"unknown option", discordtest.SlashCommand("lib", discordtest.StringOption("name", "x"), discordtest.StringOption("colour", "red"))},
		{"wrong option type", discordtest.SlashCommand("lib", discordtest.IntegerOption("name", 1))},
		{"missing required option", discordtest.SlashCommand("lib")},
		{"value outside the choices", discordtest.SlashCommand("lib", discordtest.StringOption("name", "x"), discordtest.IntegerOption("detail", 3))},
		{"autocomplete without focus", discordtest.Autocomplete("lib", discordtest.StringOption("name", "x"))},
		{"focus on an option without autocomplete", discordtest.Autocomplete("lib", discordtest.IntegerOption("detail", 1).Focus())},
		{"button nobody sent", discordtest.Button("ghost")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !fails(t, func(tb testing.TB) { srv.Interact(tb, tt.ix) }) {
				t.Error("Interact accepted it")
			}
		})
	}
}

func TestButtonPressUpdatesMessage(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)

	sent, err := b.sess.ChannelMessageSendComplex(discordtest.ChannelID, &discordgo.MessageSend{
		Content: "Which module provides permutations?",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "itertools", Style: discordgo.PrimaryButton, CustomID: "quiz:1:a"},
			discordgo.Button{Label: "functools", Style: discordgo.PrimaryButton, CustomID: "quiz:1:b"},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Discord announces the bot's own messages to it too.
	if m := recv(t, b.messages, "MESSAGE_CREATE for the bot's message"); m.ID != sent.ID || m.Author.ID != discordtest.AppID || m.Content == "" {
		t.Errorf("MESSAGE_CREATE = %+v, want the bot's own message with its content", m.Message)
	}
	inv := srv.Interact(t, discordtest.Button("quiz:1:a").By(discordtest.Bob))
	i := b.interaction()
	if i.Type != discordgo.InteractionMessageComponent || i.MessageComponentData().CustomID != "quiz:1:a" ||
		i.Message == nil || i.Message.ID != sent.ID || i.Member.User.ID != discordtest.Bob.ID {
		t.Fatalf("component interaction %+v, want Bob pressing quiz:1:a on %s", i, sent.ID)
	}
	err = b.sess.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "Bob answered itertools: correct!", Components: []discordgo.MessageComponent{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := inv.Await(t); r.Type != discordtest.CallbackUpdateMessage {
		t.Errorf("response type %d, want 7", r.Type)
	}
	m, _ := srv.Message(sent.ID)
	if m.Content != "Bob answered itertools: correct!" || len(m.Components) != 0 || m.Edits != 1 {
		t.Errorf("message after the update = %+v, want the new text without buttons", m)
	}
	if n := len(srv.Messages(discordtest.ChannelID)); n != 1 {
		t.Errorf("%d messages in the channel, want the one updated", n)
	}
	if !fails(t, func(tb testing.TB) { srv.Interact(tb, discordtest.Button("quiz:1:b")) }) {
		t.Error("pressing a button that was removed was allowed")
	}
}

func TestDeferredResponseThenEditAndFollowUp(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := inv.Await(t); r.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("response type %d, want 5", r.Type)
	}
	if m, _ := inv.Original(); !m.Loading() || !m.Ephemeral() {
		t.Errorf("deferred original = %+v, want a loading ephemeral message", m)
	}
	// Minutes later on the fake clock the token still works.
	srv.Clock().Advance(10 * time.Minute)
	content := "Question 1"
	if _, err := b.sess.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content}); err != nil {
		t.Fatal(err)
	}
	m := inv.WaitOriginal(t, func(m discordtest.Message) bool { return !m.Loading() })
	if m.Content != "Question 1" || !m.Ephemeral() {
		t.Errorf("edited original = %+v, want the question, still ephemeral", m)
	}
	f, err := b.sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "Question 2"})
	if err != nil {
		t.Fatal(err)
	}
	if got := inv.WaitFollowups(t, 1); got[0].ID != f.ID || got[0].Content != "Question 2" || got[0].Ephemeral() {
		t.Errorf("follow-ups = %+v, want Question 2 (not ephemeral)", got)
	}
	// After 15 minutes the token is dead.
	srv.Clock().Advance(5*time.Minute + time.Second)
	_, err = b.sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "Question 3"})
	if status, code := apiCode(t, err); status != 401 || code != discordtest.CodeInvalidWebhookToken {
		t.Errorf("follow-up after 15 min: status %d code %d, want 401 %d", status, code, discordtest.CodeInvalidWebhookToken)
	}
}

func TestFirstFollowUpFillsTheDeferredMessage(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	if err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	f, err := b.sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "done", Flags: discordgo.MessageFlagsEphemeral})
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := inv.Original()
	if f.ID != orig.ID || orig.Content != "done" || orig.Loading() || orig.Ephemeral() {
		t.Errorf("first follow-up after a defer = %s, original %+v: want the original filled in, not ephemeral", f.ID, orig)
	}
	if n := len(inv.Followups()); n != 0 {
		t.Errorf("%d separate follow-ups, want 0", n)
	}
}

func TestDeferredFlagsAndCallbackTypes(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	tests := []struct {
		name string
		resp *discordgo.InteractionResponse
	}{
		{"defer with suppress embeds", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsSuppressEmbeds}}},
		{"update message on a command", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{Content: "x"}}},
		{"deferred update on a command", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}},
		{"pong over the gateway", &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}},
		{"empty message", &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
			err := b.sess.InteractionRespond(b.interaction(), tt.resp)
			if status, _ := apiCode(t, err); status != 400 {
				t.Errorf("status %d, want 400", status)
			}
			if _, ok := inv.Response(); ok {
				t.Error("response accepted")
			}
		})
	}
}

func TestInteractionInDM(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz").InDM().By(discordtest.Bob).WithLocale("zh-CN"))
	i := b.interaction()
	if i.User == nil || i.User.ID != discordtest.Bob.ID || i.Member != nil || i.GuildID != "" || i.GuildLocale != nil || i.Locale != discordgo.ChineseCN {
		t.Fatalf("DM interaction user %+v member %+v guild %q guild locale %v locale %s, want Bob in a DM in zh-CN", i.User, i.Member, i.GuildID, i.GuildLocale, i.Locale)
	}
	if i.ChannelID != srv.DMChannel(discordtest.Bob.ID) {
		t.Errorf("channel %s, want Bob's DM channel", i.ChannelID)
	}
	if err := b.sess.InteractionRespond(i, reply("你好")); err != nil {
		t.Fatal(err)
	}
	inv.Await(t)
	if dms := srv.DMs(discordtest.Bob.ID); len(dms) != 1 || dms[0].Content != "你好" {
		t.Errorf("Bob's DMs = %+v, want the reply", dms)
	}
}

func TestModalRoundTrip(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	err := b.sess.InteractionRespond(b.interaction(), &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "answer", Title: "Your answer", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "text", Label: "Answer", Style: discordgo.TextInputShort}}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := inv.Await(t); r.Type != discordtest.CallbackModal || r.CustomID != "answer" {
		t.Fatalf("response = %+v, want the modal", r)
	}
	sub := srv.Interact(t, discordtest.ModalSubmit("answer", map[string]string{"text": "itertools"}))
	i := b.interaction()
	data := i.ModalSubmitData()
	if data.CustomID != "answer" || data.Components[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput).Value != "itertools" {
		t.Fatalf("modal submit data = %+v", data)
	}
	if err := b.sess.InteractionRespond(i, reply("Correct")); err != nil {
		t.Fatal(err)
	}
	sub.Await(t)
}

func TestSelectMenuAndEphemeralButtons(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	// An ephemeral reply to Bob carries a select menu; only Bob can use it.
	inv := srv.Interact(t, discordtest.SlashCommand("quiz").By(discordtest.Bob))
	one := 1
	err := b.sess.InteractionRespond(b.interaction(), &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "Pick a topic",
			Flags:   discordgo.MessageFlagsEphemeral,
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.SelectMenu{CustomID: "topic", MinValues: &one, MaxValues: 2, Options: []discordgo.SelectMenuOption{
					{Label: "Iterators", Value: "iter"}, {Label: "Decorators", Value: "deco"},
				}},
			}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	inv.Await(t)
	if !fails(t, func(tb testing.TB) { srv.Interact(tb, discordtest.Select("topic", "iter").By(discordtest.Alice)) }) {
		t.Error("Alice used a select menu only Bob can see")
	}
	if !fails(t, func(tb testing.TB) { srv.Interact(tb, discordtest.Select("topic", "golf")) }) {
		t.Error("a value that is not an option was accepted")
	}
	if !fails(t, func(tb testing.TB) { srv.Interact(tb, discordtest.Button("topic")) }) {
		t.Error("a select menu was pressed like a button")
	}
	pick := srv.Interact(t, discordtest.Select("topic", "iter", "deco"))
	i := b.interaction()
	data := i.MessageComponentData()
	if data.ComponentType != discordgo.SelectMenuComponent || !cmp.Equal(data.Values, []string{"iter", "deco"}) || i.Member.User.ID != discordtest.Bob.ID {
		t.Errorf("select interaction %+v by %s, want Bob choosing iter and deco", data, i.Member.User.ID)
	}
	if err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}); err != nil {
		t.Fatal(err)
	}
	pick.Await(t)
	if orig, _ := pick.Original(); orig.ID != pick.MessageID || orig.Content != "Pick a topic" {
		t.Errorf("original after a deferred update = %+v, want the untouched menu message", orig)
	}
}

func TestCallbackWithResponse(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()
	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	// discordgo v0.28.1 has no with_response option, so ask for it by hand.
	body, err := b.sess.RequestWithBucketID("POST", discordgo.EndpointInteractionResponse(i.ID, i.Token)+"?with_response=true",
		reply("hello"), "callback")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Interaction struct{ ID string } `json:"interaction"`
		Resource    struct {
			Type    int `json:"type"`
			Message struct{ ID, Content string }
		} `json:"resource"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	orig, _ := inv.Original()
	if got.Interaction.ID != inv.ID || got.Resource.Type != 4 || got.Resource.Message.ID != orig.ID || got.Resource.Message.Content != "hello" {
		t.Errorf("callback response = %+v, want the interaction and the created message", got)
	}
}

func TestFollowUpAfterDeletingTheDeferredMessage(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := newBot(t, srv)
	b.register()

	inv := srv.Interact(t, discordtest.SlashCommand("quiz"))
	i := b.interaction()
	if err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	if err := b.sess.InteractionResponseDelete(i); err != nil {
		t.Fatal(err)
	}
	f, err := b.sess.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "for you only", Flags: discordgo.MessageFlagsEphemeral})
	if err != nil {
		t.Fatal(err)
	}
	got := inv.WaitFollowups(t, 1)
	if got[0].ID != f.ID || got[0].Content != "for you only" || !got[0].Ephemeral() {
		t.Errorf("follow-ups = %+v, want a new ephemeral message", got)
	}
	if msgs := srv.Messages(discordtest.ChannelID); len(msgs) != 1 || msgs[0].ID != f.ID {
		t.Errorf("channel messages = %+v, want only the follow-up", msgs)
	}
}
