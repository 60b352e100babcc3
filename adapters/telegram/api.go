package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// requestTimeout bounds one Bot API request other than a long poll.
const requestTimeout = 30 * time.Second

// ctxDoer gives the library's context-free requests a context, so a shutdown cancels a request in
// flight, and keeps the token out of error messages (the library puts it in every URL).
type ctxDoer struct {
	ctx   context.Context
	c     *http.Client
	token string
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req.WithContext(d.ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			red := *ue
			red.URL = strings.ReplaceAll(ue.URL, d.token, "<token>")
			return nil, &red
		}
		return nil, err
	}
	return resp, nil
}

func (a *Adapter) doer(ctx context.Context) ctxDoer {
	return ctxDoer{ctx: ctx, c: a.http, token: a.cfg.Token}
}

// api returns a copy of the client whose requests run under ctx.
func (a *Adapter) api(ctx context.Context) *tgbotapi.BotAPI {
	b := *a.client
	b.Client = a.doer(ctx)
	return &b
}

// target is a chat the adapter sends to.
type target struct {
	id    int64
	key   string // "telegram:<id>", the chat key of events and settings
	group bool
}

func chatTarget(c *tgbotapi.Chat) target {
	return target{id: c.ID, key: chatKey(c.ID), group: c.Type != "private"}
}

func chatKey(id int64) string { return Platform + ":" + strconv.FormatInt(id, 10) }

// unreachable is the error for a 403: the bot was blocked, kicked or the user is deactivated.
// Retrying cannot help. It wraps bot.ErrUnreachable with Telegram's reason, so the core marks the
// chat.
func unreachable(apiErr *tgbotapi.Error) error {
	return fmt.Errorf("%w: %s", bot.ErrUnreachable, strings.TrimPrefix(apiErr.Message, "Forbidden: "))
}

// call makes one Bot API request with Telegram's error policy: a 429 waits retry_after and tries
// again; 5xx answers and network errors are retried with exponential backoff a few times; a 403
// gives up with an error wrapping bot.ErrUnreachable. When to is set the request is a message to that chat
// and waits its turn in the flood limiter first.
func (a *Adapter) call(ctx context.Context, to *target, method string, fn func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error)) (*tgbotapi.APIResponse, error) {
	backoff := a.backoffMin
	floods, failures := 0, 0
	for {
		rctx := ctx
		if to != nil {
			if err := a.pace(ctx, to); err != nil {
				return nil, err
			}
			// Nothing new goes out once shutdown has cut in; but a message already on its way is
			// let finish (within requestTimeout): cut off mid-request, its fate would be unknown,
			// and the update replayed after the restart could send it a second time.
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rctx = context.WithoutCancel(ctx)
		}
		rctx, cancel := context.WithTimeout(rctx, requestTimeout)
		start := time.Now()
		resp, err := fn(a.api(rctx))
		cancel()
		a.observe(method, start, err)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var apiErr *tgbotapi.Error
		isAPI := errors.As(err, &apiErr)
		switch {
		case isAPI && apiErr.Code == http.StatusTooManyRequests:
			if floods++; floods >= a.floodTries {
				return nil, err
			}
			wait := time.Duration(max(apiErr.RetryAfter, 1)) * time.Second
			a.log.Warn("flood control: waiting as Telegram asks", "retry_after", wait, "chat", keyOf(to))
			if err := bot.SleepOn(ctx, a.clock, wait); err != nil {
				return nil, err
			}
		case isAPI && apiErr.Code == http.StatusForbidden:
			return nil, unreachable(apiErr)
		case !isAPI || apiErr.Code >= 500:
			if failures++; failures >= a.retries {
				return nil, err
			}
			a.log.Warn("Bot API request failed, retrying", "err", err, "in", backoff)
			if err := bot.SleepOn(ctx, a.clock, backoff); err != nil {
				return nil, err
			}
			backoff = min(backoff*2, a.backoffMax)
		default:
			return nil, err
		}
	}
}

func keyOf(to *target) string {
	if to == nil {
		return ""
	}
	return to.key
}

// request sends a raw method with params; used for everything the library's configs cannot
// express in v5.5.1 (message_thread_id, secret_token).
func (a *Adapter) request(ctx context.Context, to *target, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	return a.call(ctx, to, method, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.MakeRequest(method, params)
	})
}

// do sends one of the library's configs.
func (a *Adapter) do(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	return a.call(ctx, nil, methodOf(c), func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(c)
	})
}

// isNotModified reports the harmless error of editing a message into what it already says.
func isNotModified(err error) bool {
	var apiErr *tgbotapi.Error
	return errors.As(err, &apiErr) && strings.Contains(apiErr.Message, "message is not modified")
}

func decodeMessage(resp *tgbotapi.APIResponse) (tgbotapi.Message, error) {
	var m tgbotapi.Message
	err := json.Unmarshal(resp.Result, &m)
	return m, err
}

// methodOf names the Bot API method of a library config, for metrics.
func methodOf(c tgbotapi.Chattable) string {
	switch c.(type) {
	case tgbotapi.CallbackConfig:
		return "answerCallbackQuery"
	case tgbotapi.SetMyCommandsConfig:
		return "setMyCommands"
	case tgbotapi.InlineConfig:
		return "answerInlineQuery"
	case tgbotapi.DeleteWebhookConfig:
		return "deleteWebhook"
	case tgbotapi.UpdateConfig:
		return "getUpdates"
	}
	return "other"
}

// observe reports one API call's result to the Observer: "ok", "429", "403", "4xx", "5xx", or
// "error" when no answer came.
func (a *Adapter) observe(method string, start time.Time, err error) {
	if a.cfg.Observer == nil {
		return
	}
	result := "ok"
	var apiErr *tgbotapi.Error
	switch {
	case err == nil:
	case errors.As(err, &apiErr) && (apiErr.Code == http.StatusTooManyRequests || apiErr.Code == http.StatusForbidden):
		result = strconv.Itoa(apiErr.Code)
	case errors.As(err, &apiErr) && apiErr.Code >= 500:
		result = "5xx"
	case errors.As(err, &apiErr) && apiErr.Code >= 400:
		result = "4xx"
	default:
		result = "error"
	}
	a.cfg.Observer.APICall(Platform, method, result, time.Since(start))
}
