package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// poll runs the long-polling loop until ctx ends. It is our own rather than the library's
// GetUpdatesChan, which has no context, retries 401s and 409s forever without saying why, and
// cannot stop in the middle of a poll.
func (a *Adapter) poll(ctx context.Context) error {
	// getUpdates answers 409 while a webhook is set, e.g. after running in webhook mode.
	if _, err := a.do(ctx, tgbotapi.DeleteWebhookConfig{}); err != nil && ctx.Err() == nil {
		a.log.Warn("removing a webhook before polling", "err", err)
	}
	a.log.Info("polling for updates", "bot", "@"+a.self.UserName)
	offset, failures := 0, 0
	for ctx.Err() == nil {
		raws, err := a.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, ErrTokenRejected) {
				return err
			}
			failures++
			wait := min(a.backoffMin<<min(failures-1, 10), a.backoffMax)
			var apiErr *tgbotapi.Error
			switch {
			case errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict:
				if strings.Contains(apiErr.Message, "webhook") {
					a.log.Error("a webhook is set for this token, so polling gets nothing; unset TELEGRAM_WEBHOOK_URL everywhere or run in webhook mode", "err", apiErr.Message)
				} else {
					a.log.Error("another instance is polling this token (409 Conflict); only one poller per token can run: stop the other one, or use webhook mode (TELEGRAM_WEBHOOK_URL) for several replicas", "err", apiErr.Message, "retry_in", wait)
				}
			case errors.As(err, &apiErr) && apiErr.Code == http.StatusTooManyRequests:
				wait = max(wait, time.Duration(apiErr.RetryAfter)*time.Second)
				a.log.Warn("flood control on getUpdates", "retry_in", wait)
			default:
				a.log.Warn("getting updates failed", "err", err, "retry_in", wait)
			}
			if sleep(ctx, a.clock, wait) != nil {
				break
			}
			continue
		}
		failures = 0
		for _, raw := range raws {
			var head struct {
				UpdateID int `json:"update_id"`
			}
			if json.Unmarshal(raw, &head) == nil && head.UpdateID >= offset {
				offset = head.UpdateID + 1 // confirms it with the next request
			}
			a.dispatch(ctx, raw)
		}
	}
	a.log.Info("stopped polling")
	return nil
}

// getUpdates long-polls once. The updates come back raw, so one malformed update is dropped alone
// instead of failing the whole batch.
func (a *Adapter) getUpdates(ctx context.Context, offset int) ([]json.RawMessage, error) {
	timeout := int(a.pollTimeout / time.Second)
	cfg := tgbotapi.UpdateConfig{Offset: offset, Timeout: timeout, AllowedUpdates: allowedUpdates}
	rctx, cancel := context.WithTimeout(ctx, a.pollTimeout+requestTimeout)
	defer cancel()
	resp, err := a.api(rctx).Request(cfg)
	if err != nil {
		var apiErr *tgbotapi.Error
		if errors.As(err, &apiErr) && apiErr.Code == http.StatusUnauthorized {
			return nil, ErrTokenRejected
		}
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, err
	}
	return raws, nil
}
