package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

// lookups are distinct questions, so each reply tells which update it answers.
var lookups = []string{"pandas", "numpy", "flask", "django", "requests", "scrapy", "pillow", "pytest", "polars", "fastapi"}

// answersPerEntry counts the lookup replies per entry among the messages sent to chat.
func (h *harness) answersPerEntry(chat int64) map[string]int {
	n := map[string]int{}
	for _, c := range h.srv.Calls("sendMessage") {
		if c.Get("chat_id") != fmt.Sprint(chat) {
			continue
		}
		for _, id := range lookups {
			if strings.HasPrefix(visible(c.Get("text")), entryTitle[id]+" · ") {
				n[id]++
			}
		}
	}
	return n
}

var entryTitle = map[string]string{
	"pandas": "pandas", "numpy": "NumPy", "flask": "Flask", "django": "Django", "requests": "Requests",
	"scrapy": "Scrapy", "pillow": "Pillow", "pytest": "pytest", "polars": "Polars", "fastapi": "FastAPI",
}

// TestRestartMidBacklogLosesAndRepeatsNothing: ten lookups arrive in one chat; Telegram's flood
// limit lets only a few replies out before a SIGTERM. After the restart every lookup has been
// answered exactly once: none handled before the stop is handled again, none waiting is lost.
func TestRestartMidBacklogLosesAndRepeatsNothing(t *testing.T) {
	h := newHarness(t, manualClock())
	for _, id := range lookups {
		h.send(private(ada), ada, "/lib "+id)
	}
	// The first replies go at once; then the per-chat limit makes the next wait on the clock.
	h.clock.WaitForWaiters(t, 1)
	sentBefore := len(h.srv.Calls("sendMessage"))
	if sentBefore == 0 || sentBefore >= len(lookups) {
		t.Fatalf("%d replies before the stop; the test needs some but not all", sentBefore)
	}
	// SIGTERM: stop taking updates; the reply waiting for the limiter gets the grace period,
	// which runs out before the limiter lets it go.
	h.stop()
	h.clock.WaitForWaiters(t, 2) // the waiting reply, and the grace period
	h.clock.Advance(10 * time.Second)
	if err := <-h.done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	h.stop = nil

	h.clock.SetAuto(true)
	h.run()
	h.settle(private(ada), ada)
	for _, id := range lookups {
		if n := h.answersPerEntry(ada.ID)[id]; n != 1 {
			t.Errorf("/lib %s answered %d times across the restart, want once", id, n)
		}
	}
}

// TestWebhookRedeliveryWhileAnotherReplicaHandles: Telegram delivers an update to a second replica
// while the first still handles it. The second answers 503, so Telegram keeps it; once the first
// is done, the redelivery is acknowledged without being handled again.
func TestWebhookRedeliveryWhileAnotherReplicaHandles(t *testing.T) {
	h := newHarness(t, withConfig(func(c *telegram.Config) {
		c.WebhookURL = "https://bot.example.com/hook"
		c.WebhookSecret = hookSecret
	}))
	<-h.a.Ready()
	id := 9001
	body, err := json.Marshal(map[string]any{"update_id": id, "message": message(private(ada), ada, "/lib polars")})
	if err != nil {
		t.Fatal(err)
	}
	post := func() int {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, h.hook.URL+"/hook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hookSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Another replica holds the update's run lease.
	lease := fmt.Sprintf("tg:%d:update:%d#run", telegramtest.Bot.ID, id)
	if ok, err := h.store.Claim(context.Background(), lease, "webhook:other-replica", time.Minute); !ok || err != nil {
		t.Fatalf("claiming for the other replica: %v %v", ok, err)
	}
	if got := post(); got != http.StatusServiceUnavailable {
		t.Errorf("delivery while another replica handles it: status %d, want 503", got)
	}
	if n := h.answersPerEntry(ada.ID)["polars"]; n != 0 {
		t.Fatalf("the busy update was handled here too (%d replies)", n)
	}
	// The other replica finishes: it marks the update done.
	if err := h.store.Release(context.Background(), lease, "webhook:other-replica"); err != nil {
		t.Fatal(err)
	}
	if got := post(); got != http.StatusOK {
		t.Fatalf("delivery after the other replica let go: status %d, want 200", got)
	}
	if got := post(); got != http.StatusOK {
		t.Fatalf("a repeated delivery: status %d, want 200", got)
	}
	if n := h.answersPerEntry(ada.ID)["polars"]; n != 1 {
		t.Errorf("polars answered %d times, want once", n)
	}
}
