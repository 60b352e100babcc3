package telegram_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram"
)

const hookSecret = "s3cret_Token-42"

func TestWebhook(t *testing.T) {
	h := newHarness(t, withConfig(func(c *telegram.Config) {
		c.WebhookURL = "https://bot.example.com/tg/hook"
		c.WebhookListen = "127.0.0.1:0"
		c.WebhookSecret = hookSecret
	}))
	reg := h.srv.WaitCall(t, "setWebhook", 1)
	if reg.Get("url") != "https://bot.example.com/tg/hook" || reg.Get("secret_token") != hookSecret {
		t.Errorf("setWebhook = %v", reg.Fields())
	}
	var allowed []string
	if err := reg.Decode("allowed_updates", &allowed); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"message", "callback_query", "inline_query", "poll_answer", "my_chat_member"} {
		if !slices.Contains(allowed, want) {
			t.Errorf("allowed_updates = %q, lacks %s", allowed, want)
		}
	}
	<-h.a.Ready()
	addr := strings.TrimPrefix(h.hook.URL, "http://")
	url := "http://" + addr + "/tg/hook"

	post := func(t *testing.T, path, secret string, body []byte) int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+addr+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	update := func(text string) []byte {
		m := message(private(ada), ada, text)
		b, err := json.Marshal(map[string]any{"update_id": m["message_id"].(int) + 500, "message": m})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	for _, tt := range []struct {
		name, secret string
	}{
		{"missing secret", ""},
		{"wrong secret", "s3cret_Token-43"},
		{"prefix of the secret", "s3cret"},
	} {
		if got := post(t, "/tg/hook", tt.secret, update("/lib flask")); got != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tt.name, got)
		}
	}
	if got := post(t, "/other", hookSecret, update("/lib flask")); got != http.StatusNotFound {
		t.Errorf("another path: status %d, want 404", got)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}

	// The right secret: answered once handled; the same update delivered again (Telegram retries
	// when unsure) is not answered twice.
	u := update("/lib pandas")
	if got := post(t, "/tg/hook", hookSecret, u); got != http.StatusOK {
		t.Fatalf("right secret: status %d, want 200", got)
	}
	if got := post(t, "/tg/hook", hookSecret, u); got != http.StatusOK {
		t.Fatalf("repeated update: status %d, want 200", got)
	}
	if got := post(t, "/tg/hook", hookSecret, []byte(`{"update_id": "nope"`)); got != http.StatusOK {
		t.Errorf("malformed update: status %d, want 200 (acknowledged and dropped)", got)
	}
	if got := post(t, "/tg/hook", hookSecret, update("/help")); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	help := h.srv.WaitCall(t, "sendMessage", 2)
	if !strings.Contains(help.Get("text"), "/find") {
		t.Fatalf("second answer = %s, want the help", help)
	}
	sends := h.srv.Calls("sendMessage")
	if len(sends) != 2 || !strings.Contains(sends[0].Get("text"), "<b>pandas</b>") {
		t.Errorf("sends = %v, want the pandas card once, then the help", sends)
	}
	if n := len(h.srv.Calls("getUpdates")) + len(h.srv.Calls("deleteWebhook")); n != 0 {
		t.Errorf("webhook mode polled or deleted the webhook (%d calls)", n)
	}
}
