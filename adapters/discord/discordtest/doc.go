// Package discordtest is a fake Discord for end-to-end tests of the Discord adapter: the REST
// API under /api/v9 and the gateway websocket, speaking the wire protocol closely enough that
// the real discordgo client (v0.28.1) runs against it unmodified. Tests therefore exercise the
// same requests, JSON, error bodies, rate-limit headers and reconnects as production, without a
// token or the internet.
//
// Point a session at the fake through its http.Client; GET /gateway hands out the fake's
// websocket URL, so Open needs nothing else:
//
//	srv := discordtest.NewServer(t)
//	sess, _ := discordgo.New("Bot " + discordtest.Token)
//	sess.Client = &http.Client{Transport: srv.Transport()}
//	sess.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
//		s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
//			Type: discordgo.InteractionResponseChannelMessageWithSource,
//			Data: &discordgo.InteractionResponseData{Content: "pong"},
//		})
//	})
//	sess.Open()
//	sess.ApplicationCommandBulkOverwrite(discordtest.AppID, "", commands)
//
//	inv := srv.Interact(t, discordtest.SlashCommand("ping").InDM().WithLocale("zh-CN"))
//	if r := inv.Await(t); r.Content != "pong" { … }
//
// What the fake stores: registered commands, and every message as the channel (or the user,
// for DMs) sees it, with content, embeds, components, flags and allowed_mentions (Server.Messages,
// Server.DMs, Invocation.Original, Invocation.Followups). Every REST call is recorded
// (Server.Calls) with the answer it got.
//
// What it enforces, answering as Discord does: the bot token on bot routes (401); one
// acknowledgement per interaction (400, code 40060) within 3 s of dispatch (404, code 10062) and
// follow-ups within the token's 15 minutes (401, code 50027); which callback types fit which
// interactions; message, embed, component, autocomplete and modal limits (400, code 50035 with
// Discord's per-field error tree); empty messages (50006); command naming rules; editing only
// the bot's own messages; unknown channels and messages. Interact refuses to dispatch what the
// Discord client would never send: unregistered commands, options that do not match the
// registration, presses on buttons no one can see.
//
// Time: deadlines are judged on a Clock that only the test moves (Clock.Advance); scripted
// delays wait on it too. Nothing in the fake waits on wall time except WaitTimeout, a safety
// net that fails a test instead of letting it hang. discordgo itself still sleeps in wall time
// where it chooses to: a 429's retry_after when it retries, and one second in Session.Close.
//
// Failures to script: FailNext with RateLimited, GloballyRateLimited, Refused, Unavailable and
// Slow; on the gateway, Reconnect (op 7), InvalidateSession (op 9), DropConnection,
// CloseGateway and RequestHeartbeat. Missed events are replayed on RESUME, as Discord does.
package discordtest
