package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// secretHeader is where Telegram echoes the webhook's secret_token.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateSize bounds a webhook body; real updates are a few kilobytes.
const maxUpdateSize = 1 << 20

// serveWebhook listens on WebhookListen, registers WebhookURL with Telegram, and serves updates
// until ctx ends. Each replica behind a load balancer runs the same, with the same secret.
func (a *Adapter) serveWebhook(ctx context.Context) error {
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil {
		return fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln, err := net.Listen("tcp", a.cfg.WebhookListen)
	if err != nil {
		return fmt.Errorf("TELEGRAM_WEBHOOK_LISTEN %q: %w", a.cfg.WebhookListen, err)
	}
	mux := http.NewServeMux()
	mux.Handle(path, a.webhookHandler(ctx))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case a.webhookAddr <- ln.Addr().String():
	default: // already published by an earlier Run
	}

	err = a.setWebhook(ctx)
	if err == nil {
		a.log.Info("serving webhook", "url", redactURL(u), "listen", ln.Addr().String(), "bot", "@"+a.self.UserName)
		select {
		case <-ctx.Done():
		case err = <-served:
			err = fmt.Errorf("telegram: webhook server: %w", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		a.log.Warn("stopping the webhook server", "err", serr)
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
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

// webhookHandler accepts Telegram's update posts: only with the right secret (compared in constant
// time), answering 200 at once and handling the update afterwards, so Telegram never times out
// and redelivers while a reply waits for the flood limiter.
func (a *Adapter) webhookHandler(ctx context.Context) http.Handler {
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
		// A malformed update is acknowledged too: Telegram would only send it again.
		a.dispatch(ctx, body)
		w.WriteHeader(http.StatusOK)
	})
}

// redactURL hides a secret that may be part of the webhook path before it is logged.
func redactURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + "/…"
}
