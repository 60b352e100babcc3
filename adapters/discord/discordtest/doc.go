// Package discordtest is a fake Discord for end-to-end tests of the Discord adapter: the REST
// API under /api/v9, speaking the wire protocol closely enough that the real discordgo client
// (v0.28.1) runs against it unmodified. Tests therefore exercise the same requests, JSON, error
// bodies and rate-limit headers as production, without a token or the internet.
//
// Point a session at the fake through its http.Client:
//
//	srv := discordtest.NewServer(t)
//	sess, _ := discordgo.New("Bot " + discordtest.Token)
//	sess.Client = &http.Client{Transport: srv.Transport()}
//	sess.ChannelMessageSend(discordtest.ChannelID, "hello")
//	msgs := srv.Messages(discordtest.ChannelID)
//
// What the fake stores: registered commands, and every message as the channel (or the user,
// for DMs) sees it, with content, embeds, components, flags and allowed_mentions (Server.Messages,
// Server.DMs). Every REST call is recorded (Server.Calls) with the answer it got.
//
// What it enforces, answering as Discord does: the bot token on bot routes (401); message,
// embed and component limits (400, code 50035 with Discord's per-field error tree); empty
// messages (50006); command naming rules and the daily create quota; editing only the bot's own
// messages; unknown channels and messages; DMs to users who do not accept them (50007).
//
// Time: scripted delays and quotas are judged on a Clock that only the test moves
// (Clock.Advance). Nothing in the fake waits on wall time except WaitTimeout, a safety net that
// fails a test instead of letting it hang. discordgo itself still sleeps in wall time where it
// chooses to, such as a 429's retry_after when it retries.
//
// Failures to script: FailNext with RateLimited, GloballyRateLimited, Refused, Unavailable and
// Slow.
package discordtest
