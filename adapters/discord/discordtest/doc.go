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
//	sess.Open()
//	srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "hello")
//
// What the fake stores: registered commands, and every message as the channel (or the user,
// for DMs) sees it, with content, embeds, components, flags and allowed_mentions (Server.Messages,
// Server.DMs). Every REST call is recorded (Server.Calls) with the answer it got.
//
// What it enforces, answering as Discord does: the bot token on bot routes (401) and in
// IDENTIFY (close 4004); message, embed and component limits (400, code 50035 with Discord's
// per-field error tree); empty messages (50006); command naming rules and the daily create
// quota; editing only the bot's own messages; unknown channels and messages; DMs to users who
// do not accept them (50007); the intents a message event needs.
//
// Time: scripted delays and quotas are judged on a Clock that only the test moves
// (Clock.Advance). Nothing in the fake waits on wall time except WaitTimeout, a safety net that
// fails a test instead of letting it hang. discordgo itself still sleeps in wall time where it
// chooses to: a 429's retry_after when it retries, and one second in Session.Close.
//
// Failures to script: FailNext with RateLimited, GloballyRateLimited, Refused, Unavailable and
// Slow; on the gateway, Reconnect (op 7), InvalidateSession (op 9), DropConnection,
// CloseGateway and RequestHeartbeat. Missed events are replayed on RESUME, as Discord does.
package discordtest
