package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestConsoleOnRedis runs the token-less terminal chat with REDIS_URL set: a quiz round is kept in
// Redis, and a new process sees the same /stats.
func TestConsoleOnRedis(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"REDIS_URL": srv.URL(), "REDIS_PREFIX": "e2e"}
	code, out, stderr := runBot(t, []string{"-json"}, "/quiz flask 1\n1\n/stats\n", env)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := decodeLines(t, out)
	stats := lines[len(lines)-1].Text
	if !strings.Contains(stats, "Answers: ") || strings.Contains(stats, "Answers: 0") {
		t.Fatalf("/stats after a round on Redis:\n%s", stats)
	}
	_, out, _ = runBot(t, []string{"-json"}, "/stats\n", env)
	if again := decodeLines(t, out); len(again) != 1 || again[0].Text != stats {
		t.Errorf("/stats in a new process on the same Redis:\n%s\nwant:\n%s", out, stats)
	}
	if keys, err := redistest.Do(srv.Addr(), "EXISTS", "e2e:{console:console}:rec"); err != nil || keys != "1" {
		t.Errorf("the learner's record should be at e2e:{console:console}:rec (EXISTS = %q, %v)", keys, err)
	}
}

func TestBadRedisURLIsReported(t *testing.T) {
	code, _, stderr := runBot(t, nil, "", map[string]string{"REDIS_URL": "http://user:s3cret@host"})
	if code != 2 || !strings.Contains(stderr, "REDIS_URL") || strings.Contains(stderr, "s3cret") {
		t.Errorf("bad REDIS_URL: exit %d, stderr %q; want a start-up error naming REDIS_URL without the password", code, stderr)
	}
	code, _, stderr = runBot(t, nil, "", map[string]string{"REDIS_URL": "redis://localhost", "REDIS_READ_TIMEOUT": "soon"})
	if code != 2 || !strings.Contains(stderr, "REDIS_READ_TIMEOUT") {
		t.Errorf("bad timeout: exit %d, stderr %q", code, stderr)
	}
}

// TestRedisDownAtStart starts the bot while Redis is down: lookups answer and progress says it is
// unavailable, promptly, in the user's language.
func TestRedisDownAtStart(t *testing.T) {
	srv := redistest.Start(t)
	url := srv.URL()
	srv.Kill()
	env := map[string]string{"REDIS_URL": url, "REDIS_DIAL_TIMEOUT": "100ms", "REDIS_READ_TIMEOUT": "100ms"}
	code, out, stderr := runBot(t, []string{"-json"}, "/quiz frameworks\nwhat is flask?\n/stats\n", env)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := decodeLines(t, out)
	if len(lines) != 3 || !strings.Contains(lines[0].Text, "Progress is unavailable right now") ||
		lines[1].Entry != "flask" || !strings.Contains(lines[2].Text, "unavailable") {
		t.Errorf("with Redis down:\n%s", out)
	}
}

// TestMigrateToRedis plays a round on the embedded store, migrates, and finds the same progress on
// Redis; a second migrate leaves it alone.
func TestMigrateToRedis(t *testing.T) {
	dir := t.TempDir()
	_, out, _ := runBot(t, []string{"-json"}, "/quiz django 2\n1\n1\n/stats\n", map[string]string{"BOT_DATA_DIR": dir})
	lines := decodeLines(t, out)
	before := lines[len(lines)-1].Text

	srv := redistest.Start(t)
	env := map[string]string{"BOT_DATA_DIR": dir, "REDIS_URL": srv.URL()}
	code, out, stderr := runBot(t, []string{"migrate"}, "", env)
	if code != 0 || !strings.Contains(out, "copied 1 learners") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, stderr)
	}
	_, out, _ = runBot(t, []string{"-json"}, "/stats\n", map[string]string{"REDIS_URL": srv.URL()})
	if after := decodeLines(t, out); len(after) != 1 || after[0].Text != before {
		t.Errorf("/stats on Redis after migrate:\n%s\nwant:\n%s", out, before)
	}
	_, out, _ = runBot(t, []string{"migrate"}, "", env)
	if !strings.Contains(out, "copied 0 learners") || !strings.Contains(out, "1 already in Redis") {
		t.Errorf("second migrate: %s", out)
	}
}

func TestReportsFromRedis(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"REDIS_URL": srv.URL()}
	runBot(t, []string{"-json"}, "/quiz flask 1\n1\n/report unclear wording\n", env)
	code, out, stderr := runBot(t, []string{"reports"}, "", env)
	if code != 0 || !strings.Contains(out, "unclear wording") {
		t.Errorf("bot reports on Redis: exit %d\n%s%s", code, out, stderr)
	}
}

// TestTelegramOnRedisSharesFloodLimits runs the real Main with Telegram and Redis: every message
// out spends from the flood budgets in Redis (a reservation, and another after each wait), which
// the metrics time as the store operation "reserve".
func TestTelegramOnRedisSharesFloodLimits(t *testing.T) {
	rs := redistest.Start(t)
	srv := telegramtest.NewServer(t)
	env := map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"REDIS_URL": rs.URL(), "BOT_HTTP_ADDR": "127.0.0.1:0",
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
	srv.WaitLongPolling(t)
	for _, text := range []string{"/lib pandas", "/help"} {
		srv.PushMessage(telegramtest.Private(tgAda), tgAda, text)
	}
	srv.WaitCall(t, "sendMessage", 2)
	_, metrics := get(t, "http://"+m.HTTPAddrs()["127.0.0.1:0"]+"/metrics")
	line := grepLines(metrics, `pybrarian_store_operation_seconds_count{op="reserve",store="redis"}`)
	var n int
	if _, err := fmt.Sscanf(line[strings.LastIndexByte(line, ' ')+1:], "%d", &n); err != nil || n < 2 {
		t.Errorf("reservations in Redis: %q, want one or more per message sent (2)", line)
	}
}

// grepLines returns the lines of s that contain substr.
func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
