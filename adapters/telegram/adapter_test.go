package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/store/bolt"
)

// The real core and both stores plug straight in.
var (
	_ telegram.Handler = (*bot.Bot)(nil)
	_ telegram.Store   = (*bolt.Store)(nil)
)

func TestLibPandas(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/lib pandas")
	c := h.srv.WaitCall(t, "sendMessage", 1)

	if got, want := c.Get("chat_id"), "1001"; got != want {
		t.Errorf("chat_id = %q, want %q", got, want)
	}
	if got := c.Get("parse_mode"); got != "HTML" {
		t.Errorf("parse_mode = %q, want HTML", got)
	}
	if got := c.Get("reply_to_message_id"); got != "" {
		t.Errorf("a private reply quotes message %s; only group replies quote", got)
	}
	text := c.Get("text")
	for _, want := range []string{
		"<b>pandas</b>",
		"<code>DataFrame</code>",
		// Content text is escaped: the quotes in df["a"] must not reach Telegram raw.
		"<code>df[&#34;a&#34;][mask] = x</code>",
		"• ",
		"<code>pip install pandas</code>",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	var urls, cmds []string
	for _, row := range markup(t, c).InlineKeyboard {
		for _, b := range row {
			switch {
			case b.URL != nil:
				urls = append(urls, b.Text+"="+*b.URL)
			case b.CallbackData != nil:
				cmds = append(cmds, b.Text+"="+*b.CallbackData)
			}
		}
	}
	if !slices.Contains(urls, "Docs=https://pandas.pydata.org/docs/") {
		t.Errorf("URL buttons = %q, want the docs link", urls)
	}
	if !slices.Contains(cmds, "Quiz me on this=cmd:/quiz pandas") {
		// The core's entry reply must carry Button{Label: "Quiz me on this", Command: "/quiz pandas"}.
		t.Errorf("command buttons = %q, want Quiz me on this=cmd:/quiz pandas (a Command button from the core's entry reply)", cmds)
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, `/find <i>"&amp;"</i>`)
	text := h.srv.WaitCall(t, "sendMessage", 1).Get("text")
	if strings.Contains(text, "<i>&#34;") || strings.Contains(text, "&amp;</i>") {
		t.Fatalf("user text reached Telegram unescaped:\n%s", text)
	}
	if !strings.Contains(text, "&lt;i&gt;&#34;&amp;amp;&#34;&lt;/i&gt;") {
		t.Errorf("escaped user text missing:\n%s", text)
	}
}

func TestCommandButtonRunsCommand(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/lib pandas")
	card := h.srv.WaitCall(t, "sendMessage", 1)
	h.press(private(ada), ada, card.MessageID, "cmd:/quiz pandas")
	ans := h.srv.WaitCall(t, "answerCallbackQuery", 1)
	if got := ans.Get("text"); got != "" {
		t.Errorf("callback answer text = %q, want none", got)
	}
	q := h.srv.WaitCall(t, "sendMessage", 2)
	if !strings.Contains(q.Get("text"), "Question 1 of") || len(choices(t, q)) < 2 {
		t.Fatalf("pressing Quiz me on this sent %s, want a question with choices", q)
	}
	if len(h.srv.Calls("editMessageText")) != 0 {
		t.Error("a command button edited the lookup card; it should leave it and send new messages")
	}
}

func TestChineseQuestion(t *testing.T) {
	h := newHarness(t)
	h.send(private(li), li, "pandas是什么？")
	c := h.srv.WaitCall(t, "sendMessage", 1)
	text := c.Get("text")
	for _, want := range []string{"<b>pandas</b>", "主要特点", "表格"} {
		if !strings.Contains(text, want) {
			t.Errorf("Chinese answer lacks %q:\n%s", want, text)
		}
	}
	k := markup(t, c)
	if len(k.InlineKeyboard) == 0 || k.InlineKeyboard[0][0].Text != "文档" {
		t.Errorf("first button = %+v, want the Chinese docs label 文档", k.InlineKeyboard)
	}
}

func TestGroupCommands(t *testing.T) {
	h := newHarness(t)
	asked := h.send(group, bob, "/lib@pybrarian_bot flask")
	c := h.srv.WaitCall(t, "sendMessage", 1)
	if got, want := c.Get("chat_id"), fmt.Sprint(group.ID); got != want {
		t.Errorf("chat_id = %s, want %s", got, want)
	}
	if got, want := c.Get("reply_to_message_id"), fmt.Sprint(asked["message_id"]); got != want {
		t.Errorf("reply_to_message_id = %q, want %q (the asking message)", got, want)
	}
	if !strings.Contains(c.Get("text"), "<b>Flask</b>") {
		t.Errorf("reply is not the Flask card:\n%s", c.Get("text"))
	}

	// A command for another bot is not ours; chatter is not answered; a mention is.
	before := h.srv.LastSeq()
	h.send(group, bob, "/lib@other_bot django")
	h.send(group, ada, "we should really try something")
	end := h.settle(group, ada)
	if sent := h.sentBetween(before, end); len(sent) != 0 {
		t.Errorf("the bot answered another bot's command or chatter: %v", sent)
	}

	h.send(group, ada, "@PyBrarian_bot")
	c = h.srv.WaitCallAfter(t, "sendMessage", end)
	if !strings.Contains(c.Get("text"), "/find") {
		t.Errorf("a bare mention got %s, want the help", c)
	}
	end = c.Seq

	m := h.send(group, ada, "@pybrarian_bot what is django?")
	c = h.srv.WaitCallAfter(t, "sendMessage", end)
	if !strings.Contains(c.Get("text"), "<b>Django</b>") || c.Get("reply_to_message_id") != fmt.Sprint(m["message_id"]) {
		t.Errorf("a mention was not answered with a quoted Django card: %s", c)
	}
}

func TestForumTopic(t *testing.T) {
	h := newHarness(t)
	m := message(group, bob, "/lib@pybrarian_bot requests")
	m["message_thread_id"], m["is_topic_message"] = 77, true
	h.srv.PushUpdate(map[string]any{"message": m})
	c := h.srv.WaitCall(t, "sendMessage", 1)
	if got := c.Get("message_thread_id"); got != "77" {
		t.Errorf("message_thread_id = %q, want 77 (the asker's topic)", got)
	}
}

func TestCommandMenu(t *testing.T) {
	h := newHarness(t)
	calls := h.srv.Calls("setMyCommands")
	if len(calls) != 2 {
		t.Fatalf("setMyCommands called %d times, want 2 (default and zh)", len(calls))
	}
	type cmd struct{ Command, Description string }
	menus := map[string][]cmd{}
	for _, c := range calls {
		var cmds []cmd
		if err := c.Decode("commands", &cmds); err != nil {
			t.Fatal(err)
		}
		if c.Get("scope") != "" {
			t.Errorf("scope = %s, want the default", c.Get("scope"))
		}
		menus[c.Get("language_code")] = cmds
	}
	names := func(cs []cmd) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Command)
		}
		return out
	}
	for _, lang := range []string{"", "zh"} {
		got := names(menus[lang])
		for _, want := range []string{"lib", "find", "quiz", "help", "quizmode"} {
			if !slices.Contains(got, want) {
				t.Errorf("menu %q = %v, lacks %s", lang, got, want)
			}
		}
		if slices.Contains(got, "start") {
			t.Errorf("menu %q lists the hidden /start", lang)
		}
	}
	if en, zh := menus[""][0].Description, menus["zh"][0].Description; en == zh || !strings.ContainsRune(zh, '库') {
		t.Errorf("descriptions en %q, zh %q: want English and Chinese", en, zh)
	}
}

func TestInlineQuery(t *testing.T) {
	h := newHarness(t)
	h.srv.PushUpdate(map[string]any{"inline_query": map[string]any{"id": "iq-1", "from": ada, "query": "pandas", "offset": ""}})
	c := h.srv.WaitCall(t, "answerInlineQuery", 1)
	if c.Get("inline_query_id") != "iq-1" || c.Get("cache_time") != "300" || c.Get("is_personal") == "true" {
		t.Errorf("answerInlineQuery fields = %v", c.Fields())
	}
	type result struct {
		Type, ID, Title, Description string
		Content                      struct {
			Text      string `json:"message_text"`
			ParseMode string `json:"parse_mode"`
		} `json:"input_message_content"`
	}
	var rs []result
	if err := c.Decode("results", &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || len(rs) > 50 {
		t.Fatalf("%d results, want 1-50", len(rs))
	}
	first := rs[0]
	if first.Type != "article" || first.ID != "pandas" || first.Content.ParseMode != "HTML" {
		t.Errorf("first result = %+v, want the pandas article in HTML", first)
	}
	for _, want := range []string{"<b>pandas</b>", `<a href="https://pandas.pydata.org/docs/">Docs</a>`} {
		if !strings.Contains(first.Content.Text, want) {
			t.Errorf("article text lacks %q:\n%s", want, first.Content.Text)
		}
	}
	if len(rs) < 2 {
		t.Errorf("only the lookup came back; want search hits after it too")
	}

	h.srv.PushUpdate(map[string]any{"inline_query": map[string]any{"id": "iq-2", "from": li, "query": "", "offset": ""}})
	c = h.srv.WaitCall(t, "answerInlineQuery", 2)
	rs = nil
	if err := c.Decode("results", &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) < 3 || rs[0].ID != "requests" || !strings.Contains(rs[0].Content.Text, "文档") {
		t.Errorf("empty query in Chinese gave %+v, want popular entries in Chinese", rs)
	}
}

func TestFloodControlWaitsRetryAfter(t *testing.T) {
	h := newHarness(t, manualClock())
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7})
	h.send(private(ada), ada, "/lib pandas")
	if c := h.srv.WaitCall(t, "sendMessage", 1); c.Fault == nil {
		t.Fatal("the first send was not the one refused")
	}
	due := h.clock.WaitForWaiters(t, 1)
	if want := start.Add(7 * time.Second); !due.Equal(want) {
		t.Errorf("retry scheduled for %v, want %v (retry_after)", due, want)
	}
	h.clock.Advance(6 * time.Second)
	h.clock.Advance(999 * time.Millisecond)
	if n := len(h.srv.Calls("sendMessage")); n != 1 {
		t.Fatalf("%d sends before retry_after passed, want 1", n)
	}
	h.clock.Advance(time.Millisecond)
	retry := h.srv.WaitCall(t, "sendMessage", 2)
	if retry.Fault != nil || !strings.Contains(retry.Get("text"), "<b>pandas</b>") {
		t.Errorf("retry = %s", retry)
	}
}

func TestServerErrorsAreRetriedWithBackoff(t *testing.T) {
	h := newHarness(t, manualClock())
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 500, Description: "Internal Server Error"})
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 502, Body: "<html>502 Bad Gateway</html>"})
	h.send(private(ada), ada, "/lib pandas")
	h.srv.WaitCall(t, "sendMessage", 1)
	first := h.clock.WaitForWaiters(t, 1)
	h.clock.Advance(first.Sub(h.clock.Now()))
	h.srv.WaitCall(t, "sendMessage", 2)
	second := h.clock.WaitForWaiters(t, 1)
	if d1, d2 := first.Sub(start), second.Sub(first); d1 <= 0 || d2 != 2*d1 {
		t.Errorf("backoff waits %v then %v, want exponential", d1, d2)
	}
	h.clock.Advance(second.Sub(h.clock.Now()))
	if c := h.srv.WaitCall(t, "sendMessage", 3); c.Fault != nil {
		t.Errorf("third try = %s", c)
	}
}

func TestForbiddenMarksChatUnreachable(t *testing.T) {
	h := newHarness(t)
	h.srv.Fail("sendMessage", telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"})
	h.send(private(ada), ada, "/lib pandas")
	h.logs.wait(t, "chat marked unreachable")
	if got, want := h.setting("telegram:1001", "unreachable"), "bot was blocked by the user"; got != want {
		t.Errorf("unreachable = %q, want %q", got, want)
	}
	if n := len(h.srv.Calls("sendMessage")); n != 1 {
		t.Errorf("%d sends, want 1: a 403 is not retried", n)
	}
	// The user comes back: the mark goes.
	h.settle(private(ada), ada)
	if got := h.setting("telegram:1001", "unreachable"); got != "" {
		t.Errorf("unreachable = %q after a new message, want it cleared", got)
	}
}

func TestKickedFromGroupMarksUnreachable(t *testing.T) {
	h := newHarness(t)
	h.srv.PushUpdate(map[string]any{"my_chat_member": map[string]any{
		"chat": group.JSON(), "from": bob, "date": 1,
		"old_chat_member": map[string]any{"status": "member", "user": telegramtest.Bot},
		"new_chat_member": map[string]any{"status": "kicked", "user": telegramtest.Bot},
	}})
	h.logs.wait(t, "chat marked unreachable")
	if got := h.setting(fmt.Sprintf("telegram:%d", group.ID), "unreachable"); got == "" {
		t.Error("kicked from a group, but the chat is not marked unreachable")
	}
}

func TestJunkCallbackGetsNoticeOnly(t *testing.T) {
	h := newHarness(t)
	before := h.srv.LastSeq()
	h.press(private(ada), ada, 4242, "junk")
	end := h.settle(private(ada), ada)
	sent := h.sentBetween(before, end)
	if len(sent) != 1 || sent[0].Method != "answerCallbackQuery" {
		t.Fatalf("junk data caused %v, want one answerCallbackQuery", sent)
	}
	if sent[0].Get("text") == "" {
		t.Error("junk data was answered without a notice")
	}
}

func TestMalformedUpdatesDoNotStopTheAdapter(t *testing.T) {
	h := newHarness(t)
	id := h.srv.NextUpdateID()
	for i, raw := range []string{
		`{"update_id": %d, "message": "not an object"}`,
		`{"update_id": %d, "edited_channel_post": {"message_id": 1, "date": 1, "chat": {"id": -5, "type": "channel"}}}`,
		`{"update_id": %d, "message": {"message_id": 9, "date": 1, "chat": {"id": 1001, "type": "private"}, "from": {"id": 1001, "first_name": "Ada"}, "text": "/lib@", "entities": [{"type": "bot_command", "offset": 0, "length": 99}]}}`,
		`{"update_id": %d, "message": {"message_id": 10, "date": 1, "chat": {"id": 1001, "type": "private"}, "from": {"id": 1001, "first_name": "Ada"}, "text": "x @pybrarian_bot", "entities": [{"type": "mention", "offset": 50, "length": 14}]}}`,
		`{"update_id": %d, "callback_query": {"id": "cq-x", "from": {"id": 1001, "first_name": "Ada"}, "chat_instance": "1", "data": "junk"}}`,
		`{"update_id": %d, "poll_answer": {"poll_id": "nope", "user": {"id": 1001, "first_name": "Ada"}, "option_ids": [0]}}`,
		`{"update_id": %d, "inline_query": {"id": "iq-x", "query": "flask", "offset": ""}}`,
		`{"update_id": %d, "something_new": {"id": 1}}`,
		`[1, 2, 3]`,
	} {
		if strings.Contains(raw, "%d") {
			raw = fmt.Sprintf(raw, id+i)
		}
		h.srv.PushRaw(id+i, raw)
	}
	h.settle(private(ada), ada)
	// The callback without a message is still answered, so the client's spinner stops.
	if c := h.srv.WaitCall(t, "answerCallbackQuery", 1); c.Get("callback_query_id") != "cq-x" {
		t.Errorf("answered %s", c)
	}
}

func TestLongReplyIsSplit(t *testing.T) {
	// An operator's content directory with a very long entry (BOT_CONTENT_DIR).
	dir := t.TempDir()
	orig, err := fs.ReadFile(content.Embedded().FS, "entries/pandas.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var extra strings.Builder
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&extra, "    Paragraph %d: pandas <rocks> & rolls; 熊猫 🐼 counts as two UTF-16 units, so this line is measured the way Telegram measures it.\n\n", i)
	}
	long := strings.Replace(string(orig), "details:\n  en: |\n", "details:\n  en: |\n"+extra.String(), 1)
	if err := os.MkdirAll(filepath.Join(dir, "entries"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "entries", "pandas.yaml"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := content.Load(content.Embedded(), content.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, withContent(k))
	asked := h.send(group, bob, "/lib@pybrarian_bot pandas")
	end := h.settle(group, bob)
	var parts []*telegramtest.Call
	for _, c := range h.sentBetween(0, end) {
		if c.Method == "sendMessage" {
			parts = append(parts, c)
		}
	}
	if len(parts) < 2 {
		t.Fatalf("%d messages, want the reply split", len(parts))
	}
	var all strings.Builder
	for i, p := range parts {
		text := p.Get("text")
		if n := len(utf16.Encode([]rune(visible(text)))); n > 4096 {
			t.Errorf("part %d is %d UTF-16 units, over 4096", i, n)
		}
		if strings.Count(text, "<b>") != strings.Count(text, "</b>") || strings.Count(text, "<code>") != strings.Count(text, "</code>") {
			t.Errorf("part %d cuts through a tag:\n%s", i, text)
		}
		hasKB := p.Get("reply_markup") != ""
		if last := i == len(parts)-1; hasKB != last {
			t.Errorf("part %d of %d has keyboard %v; only the last should", i+1, len(parts), hasKB)
		}
		if quoted := p.Get("reply_to_message_id") == fmt.Sprint(asked["message_id"]); quoted != (i == 0) {
			t.Errorf("part %d quoted=%v; only the first quotes the asker", i+1, quoted)
		}
		all.WriteString(visible(text) + "\n")
	}
	if !strings.Contains(all.String(), "pandas <rocks> & rolls") {
		t.Error("escaped content did not survive the split")
	}
	prev := -1
	for i := 1; i <= 60; i++ {
		at := strings.Index(all.String(), fmt.Sprintf("Paragraph %d:", i))
		if at <= prev {
			t.Fatalf("paragraph %d missing or out of order", i)
		}
		prev = at
	}
}

func TestShutdownMidPoll(t *testing.T) {
	h := newHarness(t)
	h.srv.WaitLongPolling(t)
	began := time.Now()
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run = %v, want nil on cancel", err)
		}
		h.done <- err // for the harness's cleanup
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return within 2s of cancel during a long poll")
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("Run took %v to stop", d)
	}
}

func TestConflictIsReportedAndPollingGoesOn(t *testing.T) {
	h := newHarness(t, manualClock())
	h.srv.Fail("getUpdates", telegramtest.Fault{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
	h.send(private(ada), ada, "/help") // ends the parked poll; the next one gets the 409
	h.logs.wait(t, "another instance is polling this token")
	due := h.clock.WaitForWaiters(t, 1)
	h.clock.Advance(due.Sub(h.clock.Now()))
	h.srv.WaitLongPolling(t)
	h.send(private(ada), ada, "/lib flask")
	h.srv.WaitCall(t, "sendMessage", 2)
}

// runOnce builds an adapter against endpoint and runs it until it returns.
func runOnce(t *testing.T, token, endpoint string) error {
	t.Helper()
	k, _ := embedded(t)
	core, err := bot.New(bot.Config{Content: k})
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := telegram.New(telegram.Config{Token: token, Endpoint: endpoint}, core, st)
	if err != nil {
		t.Fatalf("New does no I/O and should accept the config: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), telegramtest.WaitTimeout)
	defer cancel()
	return a.Run(ctx)
}

func TestRunRejectsBadToken(t *testing.T) {
	srv := telegramtest.NewServer(t)
	err := runOnce(t, "999:wrong", srv.Endpoint())
	if !errors.Is(err, telegram.ErrTokenRejected) || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") {
		t.Errorf("Run with a bad token = %v, want ErrTokenRejected naming TELEGRAM_TOKEN", err)
	}
	if strings.Contains(fmt.Sprint(err), "999:wrong") {
		t.Error("the error shows the token")
	}
	if n := len(srv.Calls("getUpdates")); n != 0 {
		t.Errorf("polled %d times with a rejected token", n)
	}
}

func TestRunReportsAnUnreachableAPIWithoutTheToken(t *testing.T) {
	srv := telegramtest.NewServer(t)
	endpoint := srv.Endpoint()
	srv.Close() // nothing listens there any more
	err := runOnce(t, telegramtest.Token, endpoint)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_API_ENDPOINT") {
		t.Errorf("Run against a closed endpoint = %v, want an error naming TELEGRAM_API_ENDPOINT", err)
	}
	if strings.Contains(fmt.Sprint(err), telegramtest.Token) {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestRevokedTokenStopsRun(t *testing.T) {
	h := newHarness(t)
	h.srv.Fail("getUpdates", telegramtest.Fault{Code: 401, Description: "Unauthorized"})
	h.send(private(ada), ada, "/help") // ends the parked poll; the next one is refused
	select {
	case err := <-h.done:
		if !errors.Is(err, telegram.ErrTokenRejected) {
			t.Errorf("Run = %v, want ErrTokenRejected", err)
		}
		h.done <- nil // for the harness's cleanup
	case <-time.After(telegramtest.WaitTimeout):
		t.Fatal("Run went on polling with a revoked token")
	}
}

func TestConfigValidate(t *testing.T) {
	ok := telegram.Config{Token: "1:x"}
	tests := []struct {
		name string
		cfg  telegram.Config
		want []string // substrings of the error; none means valid
	}{
		{"minimal", ok, nil},
		{"empty token", telegram.Config{}, []string{"TELEGRAM_TOKEN"}},
		{"endpoint", telegram.Config{Token: "1:x", Endpoint: "http://127.0.0.1:8081/bot%s"}, []string{"TELEGRAM_API_ENDPOINT"}},
		{"good endpoint", telegram.Config{Token: "1:x", Endpoint: "http://127.0.0.1:8081/bot%s/%s"}, nil},
		{"webhook without secret", telegram.Config{Token: "1:x", WebhookURL: "https://bot.example.com/hook"}, []string{"TELEGRAM_WEBHOOK_SECRET"}},
		{"bad secret", telegram.Config{Token: "1:x", WebhookURL: "https://bot.example.com/hook", WebhookSecret: "no spaces!"}, []string{"TELEGRAM_WEBHOOK_SECRET"}},
		{"long secret", telegram.Config{Token: "1:x", WebhookURL: "https://bot.example.com/hook", WebhookSecret: strings.Repeat("a", 257)}, []string{"TELEGRAM_WEBHOOK_SECRET"}},
		{"relative url", telegram.Config{Token: "1:x", WebhookURL: "/hook", WebhookSecret: "s"}, []string{"TELEGRAM_WEBHOOK_URL"}},
		{"webhook", telegram.Config{Token: "1:x", WebhookURL: "https://bot.example.com/hook", WebhookSecret: "abc_DEF-123"}, nil},
		{"everything wrong at once", telegram.Config{Endpoint: "x", WebhookURL: "https://h/"}, []string{"TELEGRAM_TOKEN", "TELEGRAM_API_ENDPOINT", "TELEGRAM_WEBHOOK_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to mention %s", err, w)
				}
			}
		})
	}
}

// TestGroupAdminsSetTheGroupLanguage: in a group, Telegram's getChatMember decides who
// administers it: the creator's /lang sets the group's language, a member's only their own.
// The answer is asked when such a command comes, and trusted for a minute.
func TestGroupAdminsSetTheGroupLanguage(t *testing.T) {
	h := newHarness(t, manualClock())
	h.srv.SetChatMember(group.ID, ada.ID, "creator")
	groupKey := fmt.Sprintf("telegram:%d", group.ID)
	say := func(from user, text string) string {
		t.Helper()
		before := h.srv.LastSeq()
		h.send(group, from, text)
		return visible(h.srv.WaitCallAfter(t, "sendMessage", before).Get("text"))
	}
	calls := func() int { return len(h.srv.Calls("getChatMember")) }
	if got := say(bob, "/lang zh"); !strings.Contains(got, "中文") || h.setting(groupKey, "lang") != "" {
		t.Errorf("member: %q, group language %q", got, h.setting(groupKey, "lang"))
	}
	if c := h.srv.Calls("getChatMember"); len(c) != 1 || c[0].Get("chat_id") != fmt.Sprint(group.ID) || c[0].Get("user_id") != fmt.Sprint(bob.ID) {
		t.Fatalf("getChatMember calls: %v", c)
	}
	if got := say(ada, "/lang zh"); !strings.Contains(got, "全群") || h.setting(groupKey, "lang") != "zh" {
		t.Errorf("creator: %q, group language %q", got, h.setting(groupKey, "lang"))
	}
	// Bob is made an administrator: within the minute the old answer stands, then the new one.
	h.srv.SetChatMember(group.ID, bob.ID, "administrator")
	say(bob, "/lang en")
	if h.setting(groupKey, "lang") != "zh" || calls() != 2 {
		t.Errorf("within the minute: group language %q after %d calls, want the cached answer", h.setting(groupKey, "lang"), calls())
	}
	h.clock.Advance(time.Minute)
	say(bob, "/lang en")
	if h.setting(groupKey, "lang") != "en" || calls() != 3 {
		t.Errorf("administrator: group language %q after %d calls", h.setting(groupKey, "lang"), calls())
	}
	// In a private chat the user is the administrator: nothing to ask Telegram.
	before := calls()
	h.send(private(li), li, "/lang zh")
	h.settle(private(li), li)
	if calls() != before {
		t.Errorf("a private /lang asked getChatMember %d times", calls()-before)
	}
}
