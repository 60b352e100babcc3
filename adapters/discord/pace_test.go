package discord_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/bot"
)

var channelDest = bot.Destination{Platform: discord.Platform, ChatID: discordtest.ChannelID, Chat: bot.Group}

// sendAsync sends one reply to the channel in the background; the returned channel carries
// Send's error.
func sendAsync(h *harness, text string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- h.a.Send(context.Background(), channelDest, []bot.Reply{{Text: bot.Text(text)}}) }()
	return done
}

// TestSendWaitsRetryAfter: a 429 on an unprompted message is waited out on the adapter's clock,
// as long as Discord asks, and the message then goes out once.
func TestSendWaitsRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.RateLimited(0.25))
	done := sendAsync(h, "Tip of the day")
	due := h.clock.WaitForWaiters(t, 1)
	if want := h.clock.Now().Add(250 * time.Millisecond); !due.Equal(want) {
		t.Errorf("retry due %v, want %v: retry_after on the clock", due, want)
	}
	h.clock.Advance(250 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatalf("Send = %v", err)
	}
	if got := h.srv.Messages(discordtest.ChannelID); len(got) != 1 || got[0].Content != "Tip of the day" {
		t.Errorf("channel messages = %+v, want the tip once", got)
	}
}

// TestSendRetriesServerErrors: 500, 502 and 503 are retried after 0.5 s, 1 s and 2 s on the
// adapter's clock, and the message goes out once Discord answers.
func TestSendRetriesServerErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, code := range []int{500, 502, 503} {
		h.srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.Unavailable(code))
	}
	done := sendAsync(h, "Tip of the day")
	var waits []time.Duration
	for range 3 {
		due := h.clock.WaitForWaiters(t, 1)
		waits = append(waits, due.Sub(h.clock.Now()))
		h.clock.Advance(due.Sub(h.clock.Now()))
	}
	if err := <-done; err != nil {
		t.Fatalf("Send = %v", err)
	}
	if want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}; fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("backoff waits %v, want %v", waits, want)
	}
	if got := h.srv.Messages(discordtest.ChannelID); len(got) != 1 {
		t.Errorf("%d messages in the channel, want the tip once", len(got))
	}
}

// TestSendGivesUpOnPersistentServerErrors: a Discord that keeps failing costs a bounded number
// of tries, and the error says so.
func TestSendGivesUpOnPersistentServerErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.FailNext("POST /channels/{channel}/messages", 10, discordtest.Unavailable(503))
	done := sendAsync(h, "tip")
	for range 3 {
		due := h.clock.WaitForWaiters(t, 1)
		h.clock.Advance(due.Sub(h.clock.Now()))
	}
	if err := <-done; err == nil || errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("Send after four 503s = %v, want an error that is not ErrUnreachable", err)
	}
	if n := len(h.srv.Calls("POST /channels/{channel}/messages")); n != 4 {
		t.Errorf("%d tries, want 4", n)
	}
}

// TestUnknownChannelIsUnreachable: a deleted channel (10003) and a missing permission (403 50013)
// are the chat's refusal, not a failure to retry.
func TestUnknownChannelIsUnreachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, f := range []discordtest.Fault{discordtest.Refused(404, discordtest.CodeUnknownChannel), discordtest.Refused(403, discordtest.CodeMissingPermissions)} {
		h.srv.FailNext("POST /channels/{channel}/messages", 1, f)
		if err := h.a.Send(context.Background(), channelDest, []bot.Reply{{Text: bot.Text("tip")}}); !errors.Is(err, bot.ErrUnreachable) || !strings.Contains(err.Error(), fmt.Sprint(f.Code)) {
			t.Errorf("Send refused with %d %d = %v, want ErrUnreachable naming the code", f.Status, f.Code, err)
		}
	}
	if n := len(h.srv.Calls("POST /channels/{channel}/messages")); n != 2 {
		t.Errorf("%d tries, want 2: refusals are not retried", n)
	}
}

// TestReplicasShareTheGlobalCap: two replicas posting as fast as they can through one shared
// limiter put at most 49 messages in any second on Discord's side, under its 50 a second for
// the bot. The fake stamps arrivals on the clock both replicas wait on, which moves only while
// both are waiting.
func TestReplicasShareTheGlobalCap(t *testing.T) {
	t.Parallel()
	var shared bot.Limiter
	h := newHarness(t, func(c *discord.Config) {
		shared = bot.NewMemoryLimiter(c.Clock.Now) // stands for the Redis store
		c.Limiter = shared
	})
	second, err := discord.New(discord.Config{Token: discordtest.Token, APIBase: h.srv.URL(), Clock: h.clock,
		Limiter: shared, Logger: slog.New(slog.DiscardHandler)}, h.core)
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- second.Run(rctx) }()
	defer func() { stop(); <-ran }()
	<-second.Ready()

	other := "1300000000000000077"
	h.srv.AddChannel(discordtest.GuildID, other)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, a := range []*discord.Adapter{h.a, second} {
		to := channelDest
		if i == 1 {
			to.ChatID = other // another channel: only the global cap binds them together
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				a.Send(ctx, to, []bot.Reply{{Text: bot.Text("tip")}})
			}
		}()
	}
	route := "POST /channels/{channel}/messages"
	for len(h.srv.Calls(route)) < 150 {
		due := h.clock.WaitForWaiters(t, 2)
		h.clock.Advance(due.Sub(h.clock.Now()))
	}
	cancel()
	wg.Wait()

	var at []time.Duration
	by := map[string]int{}
	for _, c := range h.srv.Calls(route) {
		if c.Status < 300 {
			at = append(at, c.At.Sub(h.clock.Now()))
			by[c.Path]++
		}
	}
	sort.Slice(at, func(i, j int) bool { return at[i] < at[j] })
	for i := range at {
		n := sort.Search(len(at), func(j int) bool { return at[j] >= at[i]+time.Second }) - i
		if n > 49 {
			t.Fatalf("%d messages within a second from %v, want at most 49", n, at[i])
		}
	}
	if len(by) != 2 {
		t.Errorf("messages by channel %v, want both replicas sending", by)
	}
}

// TestRetriedUploadIsWhole: a message with a file that Discord first refuses with a 500 is sent
// again with the whole file, not with what the first try left of it.
func TestRetriedUploadIsWhole(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	target, _ := url.Parse(srv.URL())
	var mu sync.Mutex
	var sizes []int // bytes of the file part, per message upload seen
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/messages") && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			mr := multipart.NewReader(bytes.NewReader(body), strings.Split(r.Header.Get("Content-Type"), "boundary=")[1])
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				if p.FileName() != "" {
					data, _ := io.ReadAll(p)
					mu.Lock()
					sizes = append(sizes, len(data))
					mu.Unlock()
				}
			}
		}
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	h := newHarnessOn(t, srv, func(c *discord.Config) { c.APIBase = proxy.URL })

	srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.Unavailable(500))
	data := bytes.Repeat([]byte("review,"), 100)
	done := make(chan error, 1)
	go func() {
		done <- h.a.Send(context.Background(), channelDest, []bot.Reply{{Text: bot.Text("your export"), File: &bot.File{Name: "reviews.csv", MIME: "text/csv", Data: data}}})
	}()
	due := h.clock.WaitForWaiters(t, 1)
	h.clock.Advance(due.Sub(h.clock.Now()))
	if err := <-done; err != nil {
		t.Fatalf("Send = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(sizes) != fmt.Sprint([]int{len(data), len(data)}) {
		t.Errorf("file bytes per try %v, want %d both times", sizes, len(data))
	}
}
