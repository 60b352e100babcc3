package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// secretHeader is where Telegram echoes the webhook's secret_token.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateSize bounds a webhook body; real updates are a few kilobytes.
const maxUpdateSize = 1 << 20

// WebhookPath is the path Telegram posts updates to: the path of WebhookURL ("/" when it has
// none). Main serves WebhookHandler there.
func (a *Adapter) WebhookPath() string {
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// WebhookListen is the address the webhook is to be served on (TELEGRAM_WEBHOOK_LISTEN).
func (a *Adapter) WebhookListen() string { return a.cfg.WebhookListen }

// serveWebhook registers WebhookURL with Telegram and waits until ctx ends; Main serves
// WebhookHandler. Each replica behind a load balancer does the same, with the same secret.
func (a *Adapter) serveWebhook(ctx context.Context) error {
	if err := a.setWebhook(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	u, _ := url.Parse(a.cfg.WebhookURL)
	a.log.Info("webhook registered", "url", redactURL(u), "bot", "@"+a.self.UserName)
	<-ctx.Done()
	return nil
}

// setWebhook registers our URL with the secret and the update types we handle. v5.5.1's
// WebhookConfig has no secret_token, so the parameters are sent as they are.
func (a *Adapter) setWebhook(ctx context.Context) error {
	p := tgbotapi.Params{"url": a.cfg.WebhookURL, "secret_token": a.cfg.WebhookSecret}
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	if _, err := a.request(ctx, nil, "setWebhook", p); err != nil {
		var apiErr *tgbotapi.Error
		if errors.As(err, &apiErr) && apiErr.Code == http.StatusUnauthorized {
			return ErrTokenRejected
		}
		return fmt.Errorf("telegram: registering TELEGRAM_WEBHOOK_URL with Telegram: %w", err)
	}
	return nil
}

// WebhookHandler accepts Telegram's update posts: only with the right secret (compared in constant
// time), and it answers only once the update is settled: 200 when it was handled (or deliberately
// dropped), 503 when it must come again (another replica is handling it, the store could not
// say, the bot is starting or stopping). Telegram redelivers until it gets a 200, so no update is
// lost, and the update's claim keeps a redelivery from being handled twice.
func (a *Adapter) WebhookHandler() http.Handler {
	want := sha256.Sum256([]byte(a.cfg.WebhookSecret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Hashing first makes the comparison independent of the secret's length too.
		got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
		if r.Header.Get(secretHeader) == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateSize+1))
		if err != nil {
			http.Error(w, "reading the body", http.StatusBadRequest)
			return
		}
		if len(body) > maxUpdateSize {
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		select {
		case <-a.ready:
		default:
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		if a.stopping.Load() || a.base.Err() != nil {
			// Shutting down: updates in hand finish, new ones go to another replica or wait.
			http.Error(w, "stopping", http.StatusServiceUnavailable)
			return
		}
		settled := make(chan bool, 1)
		a.accept(body, func(ok bool) { settled <- ok })
		select {
		case ok := <-settled:
			if !ok {
				http.Error(w, "try again", http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		case <-r.Context().Done():
			// Telegram gave up waiting; it will deliver again, and the claim tells.
		}
	})
}

// redactURL hides a secret that may be part of the webhook path before it is logged.
func redactURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + "/…"
}
