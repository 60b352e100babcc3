package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
)

// globalKey names the bot's global budget among the shared limiter's keys.
const globalKey = "discord:global"

// GlobalRate is the cap on the bot's REST calls outside interactions (messages sent and edited,
// DM channels opened), shared by every replica when a Limiter is configured: Discord allows a bot
// 50 requests a second in all, and discordgo's limiter only knows this process's share. Bursts
// of 10, then 40 a second, put at most 49 in any second. Interaction responses are left out:
// Discord does not count them against the global limit, and they must beat a 3-second deadline.
func GlobalRate() bot.Rate {
	return bot.Rate{Key: globalKey, Limit: 40, Period: time.Second, Burst: 10}
}

// The retry policy of rest.
const (
	restFloodTries = 5 // 429s waited out per call
	restRetries    = 4 // attempts per call for 5xx answers and network errors
	restBackoffMin = 500 * time.Millisecond
	restBackoffMax = 30 * time.Second
)

// sleep waits d on the adapter's clock, or until ctx ends.
func (a *Adapter) sleep(ctx context.Context, d time.Duration) error {
	return bot.SleepOn(ctx, a.clock, d)
}

// rest makes one REST call that is not an interaction response: it waits its turn in the global
// budget, then calls with discordgo's own retries off, because discordgo sleeps out a 429 on the
// real clock whatever the context and retries a 502 at once. Here a 429 waits retry_after and a
// 5xx or network error is retried with capped exponential backoff, both on the adapter's clock
// and within ctx. A 5xx may come after Discord acted, so a retried message can show twice: rare,
// and better than a tip lost. Other errors are returned as they are, for classify.
func (a *Adapter) rest(ctx context.Context, call func(...discordgo.RequestOption) error) error {
	backoff := restBackoffMin
	floods, failures := 0, 0
	for {
		if err := bot.Wait(ctx, a.pacer, []bot.Rate{GlobalRate()}, a.sleep); err != nil {
			return err
		}
		err := call(discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0), discordgo.WithContext(ctx))
		if err == nil || ctx.Err() != nil {
			return err
		}
		var rl *discordgo.RateLimitError
		switch {
		case errors.As(err, &rl):
			if floods++; floods >= restFloodTries {
				return err
			}
			a.log.Warn("rate limited; waiting as Discord asks", "url", redactToken(rl.URL), "retry_after", rl.RetryAfter)
			if err := a.sleep(ctx, max(rl.RetryAfter, time.Millisecond)); err != nil {
				return err
			}
		case serverFailure(err):
			if failures++; failures >= restRetries {
				return err
			}
			a.log.Warn("Discord request failed, retrying", "err", describe(err), "in", backoff)
			if err := a.sleep(ctx, backoff); err != nil {
				return err
			}
			backoff = min(2*backoff, restBackoffMax)
		default:
			return err
		}
	}
}

// serverFailure reports an error worth retrying: a 5xx answer, or no answer at all. discordgo
// v0.28.1 reports a 502 it may not retry (WithRestRetries(0)) as a plain error starting "Exceeded
// Max retries HTTP"; other 5xx come as a RESTError.
func serverFailure(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= http.StatusInternalServerError
	}
	if strings.HasPrefix(err.Error(), "Exceeded Max retries HTTP 5") {
		return true
	}
	var rl *discordgo.RateLimitError
	// Anything else that is not Discord's answer (a refused connection, a timeout) never reached
	// Discord or got no answer back.
	return !errors.As(err, &rl) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) &&
		!errors.Is(err, discordgo.ErrUnauthorized)
}
