package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

// TestTelegramThroughMain runs the real program with TELEGRAM_TOKEN set against a fake Bot API:
// the Telegram adapter answers, the terminal chat stays off, and cancelling stops it cleanly.
func TestTelegramThroughMain(t *testing.T) {
	srv := telegramtest.NewServer(t)
	env := map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": srv.Endpoint(), "BOT_DATA_DIR": t.TempDir(),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	done := make(chan int)
	go func() {
		done <- runAt(ctx, nil, strings.NewReader("/lib flask\n"), &out, io.Discard, func(k string) string { return env[k] }, time.Now)
	}()
	srv.PushMessage(telegramtest.Private(tgAda), tgAda, "/lib pandas")
	call := srv.WaitCall(t, "sendMessage", 1)
	if got := call.Get("text"); !strings.Contains(got, "<b>pandas</b>") || call.Get("chat_id") != "42" {
		t.Errorf("sendMessage = %v", call)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d after cancel, want 0", code)
	}
	if out.Len() != 0 {
		t.Errorf("with a Telegram token the terminal chat must stay off, but it printed:\n%s", out.String())
	}
}

func TestTelegramBadTokenIsReported(t *testing.T) {
	srv := telegramtest.NewServer(t)
	env := map[string]string{"TELEGRAM_TOKEN": "999:wrong", "TELEGRAM_API_ENDPOINT": srv.Endpoint()}
	code, _, stderr := runBot(t, nil, "", env)
	if code != 1 || !strings.Contains(stderr, "TELEGRAM_TOKEN was rejected by Telegram") || strings.Contains(stderr, "999:wrong") {
		t.Errorf("bad token: exit %d, stderr %q; want a clear error that does not print the token", code, stderr)
	}
}

func TestTelegramConfigProblems(t *testing.T) {
	code, _, stderr := runBot(t, nil, "", map[string]string{"TELEGRAM_TOKEN": "1:x", "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg"})
	if code != 2 || !strings.Contains(stderr, "TELEGRAM_WEBHOOK_SECRET is required") {
		t.Errorf("webhook without secret: exit %d, %q", code, stderr)
	}
	code, _, stderr = runBot(t, nil, "", map[string]string{"TELEGRAM_TOKEN": "1:x", "TELEGRAM_GLOBAL_RATE": "0"})
	if code != 2 || !strings.Contains(stderr, "TELEGRAM_GLOBAL_RATE") {
		t.Errorf("a global rate of 0: exit %d, %q", code, stderr)
	}
}
