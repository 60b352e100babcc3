package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestOpsServerThroughMain runs the real Main with Telegram and BOT_HTTP_ADDR, sends it a lookup
// and a quiz answer, and scrapes the ops server: alive, ready, and the metrics count what happened.
// When polling starts failing, readiness turns 503.
func TestOpsServerThroughMain(t *testing.T) {
	srv := telegramtest.NewServer(t)
	env := map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": srv.Endpoint(), "BOT_DATA_DIR": t.TempDir(),
		"BOT_HTTP_ADDR": "127.0.0.1:0", "BOT_LOG_FORMAT": "json",
	}
	m := NewMain(strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return env[k] })
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	}()
	<-m.Listening()
	base := "http://" + m.HTTPAddrs()["127.0.0.1:0"]
	srv.WaitLongPolling(t)

	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	msg := func(text string) { srv.PushMessage(telegramtest.Private(tgAda), tgAda, text) }
	msg("/lib pandas")
	srv.WaitCall(t, "sendMessage", 1)
	msg("/lib pnadas")
	// One chat's updates are handled in order: once the third is answered, everything the first
	// two did, metrics included, is recorded.
	msg("/help")
	srv.WaitCall(t, "sendMessage", 3)

	code, body := get(t, base+"/readyz")
	if code != 200 || !strings.Contains(body, "adapter telegram: connected") || !strings.Contains(body, "store bolt: up") {
		t.Errorf("/readyz = %d:\n%s", code, body)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`pybrarian_events_total{command="lib",kind="command",outcome="ok",platform="telegram"} 2`,
		`pybrarian_lookups_total{outcome="exact"} 1`,
		`pybrarian_lookups_total{outcome="typo"} 1`,
		`pybrarian_platform_calls_total{method="sendMessage",platform="telegram",result="ok"}`,
		`pybrarian_store_operation_seconds_count{op="user_setting",store="bolt"}`,
		`pybrarian_adapter_up{platform="telegram"} 1`,
		`pybrarian_leaderboard_credits_lost_total 0`,
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// No metric label carries user text or ids.
	if strings.Contains(metrics, "pandas") || strings.Contains(metrics, `"42"`) {
		t.Errorf("/metrics carries user data")
	}

	// Telegram starts failing: the replica is no longer ready, but still alive.
	for range 3 {
		srv.Fail("getUpdates", telegramtest.Fault{Code: 502, Description: "Bad Gateway"})
	}
	msg("/help") // ends the parked poll; the next ones fail
	deadline := time.Now().Add(telegramtest.WaitTimeout)
	for {
		if code, body = get(t, base+"/readyz"); code == 503 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz stayed %d while polling failed:\n%s", code, body)
		}
		srv.WaitCallAfter(t, "getUpdates", srv.LastSeq()) // the next poll attempt, not a sleep
	}
	if !strings.Contains(body, "adapter telegram: disconnected") {
		t.Errorf("/readyz while polling fails:\n%s", body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d while polling fails; the process is alive", code)
	}
}

// TestHealthcheckSubcommand asks a running ops server, and one that is not there.
func TestHealthcheckSubcommand(t *testing.T) {
	env := map[string]string{"BOT_HTTP_ADDR": "127.0.0.1:0", "BOT_DATA_DIR": t.TempDir()}
	stdin, typing := io.Pipe() // a terminal nobody types into until the test ends
	defer typing.Close()
	m := NewMain(stdin, io.Discard, io.Discard, func(k string) string { return env[k] })
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	<-m.Listening()
	addr := m.HTTPAddrs()["127.0.0.1:0"]
	if code, out, stderr := runBot(t, []string{"healthcheck"}, "", map[string]string{"BOT_HTTP_ADDR": addr}); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("healthcheck of a running bot: %d %q %q", code, out, stderr)
	}
	cancel()
	<-done
	m.Close()
	if code, _, _ := runBot(t, []string{"healthcheck"}, "", map[string]string{"BOT_HTTP_ADDR": addr}); code != 1 {
		t.Errorf("healthcheck of a stopped bot: exit %d, want 1", code)
	}
	if code, _, stderr := runBot(t, []string{"healthcheck"}, "", nil); code != 1 || !strings.Contains(stderr, "BOT_HTTP_ADDR") {
		t.Errorf("healthcheck without BOT_HTTP_ADDR: exit %d %q", code, stderr)
	}
}

// TestSIGTERMDuringARoundLosesNoAnsweredCard answers quiz questions in the terminal chat, sends
// SIGTERM right after an answer, and starts the bot again on the same data: every answer that got
// its feedback is counted.
func TestSIGTERMDuringARoundLosesNoAnsweredCard(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BOT_DATA_DIR": dir}
	p := startProc(t, "-json", env)
	p.ask("/quiz frameworks 10")
	acknowledged := 0
	for range 4 {
		if got := texts(p.ask("1")); strings.Contains(got, "Right!") || strings.Contains(got, "Not quite") || strings.Contains(got, "The answer") {
			acknowledged++
		}
	}
	fmt.Fprintln(p.in, "2") // one more, in flight as the signal comes
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-p.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	q := startProc(t, "-json", env)
	got := texts(q.ask("/stats"))
	if !strings.Contains(got, fmt.Sprintf("Answers: %d ", acknowledged)) && !strings.Contains(got, fmt.Sprintf("Answers: %d ", acknowledged+1)) {
		t.Errorf("after SIGTERM and a restart, /stats says:\n%s\nwant the %d acknowledged answers (or one more)", got, acknowledged)
	}
}
