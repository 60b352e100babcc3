package discord_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/bot"
)

// TestCommandsFromTheCoreTable: one bulk overwrite registers every command of the core's
// table with the option names users see, typed, with autocomplete where the core suggests and
// Chinese names and descriptions for zh-CN and zh-TW.
func TestCommandsFromTheCoreTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if n := len(h.srv.Calls("PUT /applications/{app}/commands")); n != 1 {
		t.Errorf("%d bulk overwrites, want 1", n)
	}
	got := map[string]discordtest.Command{}
	for _, c := range h.srv.Commands("") {
		got[c.Name] = c
	}
	for _, c := range h.core.Commands() {
		if _, ok := got[c.Name]; ok == c.Native {
			t.Errorf("/%s registered = %v, want %v (native-only commands are left out)", c.Name, ok, !c.Native)
		}
	}
	options := func(name string) string {
		var parts []string
		for _, o := range got[name].Options {
			s := o.Name
			switch o.Type {
			case discordtest.OptionInteger:
				s += ":int"
			case discordtest.OptionString:
				s += ":text"
			}
			if o.Required {
				s += "!"
			}
			if o.Autocomplete {
				s += "*"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	for name, want := range map[string]string{
		"lib":   "name:text* other:text*",
		"find":  "what:text!",
		"quiz":  "topic:text* count:int",
		"stats": "",
		"lang":  "language:text!",
	} {
		if got := options(name); got != want {
			t.Errorf("/%s options = %q, want %q", name, got, want)
		}
	}
	count := got["quiz"].Options[1]
	if count.MinValue == nil || *count.MinValue != 1 || count.MaxValue == nil || *count.MaxValue != 20 {
		t.Errorf("/quiz count bounds = %v..%v, want 1..20", count.MinValue, count.MaxValue)
	}
	lib := got["lib"]
	for _, loc := range []string{"zh-CN", "zh-TW"} {
		if lib.DescriptionLocalizations[loc] == "" || lib.Options[0].NameLocalizations[loc] != "名称" ||
			lib.Options[1].NameLocalizations[loc] != "名称2" || lib.Options[0].DescriptionLocalizations[loc] == "" {
			t.Errorf("/lib in %s: description %q, options %v %v", loc, lib.DescriptionLocalizations[loc],
				lib.Options[0].NameLocalizations, lib.Options[1].NameLocalizations)
		}
	}
	var langChoices []string
	for _, c := range got["lang"].Options[0].Choices {
		langChoices = append(langChoices, c.Name)
	}
	if !cmp.Equal(langChoices, []string{"en", "zh", "auto"}) {
		t.Errorf("/lang choices = %v", langChoices)
	}
}

// TestGuildCommands: with DISCORD_GUILD_ID the commands go to that server only.
func TestGuildCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *discord.Config) { c.GuildID = discordtest.GuildID })
	if n := len(h.srv.Commands(discordtest.GuildID)); n == 0 || len(h.srv.Commands("")) != 0 {
		t.Errorf("%d server commands and %d global ones, want them on the server only", n, len(h.srv.Commands("")))
	}
	if r := h.srv.Interact(t, discordtest.SlashCommand("help")).Await(t); !strings.Contains(r.Content, "/quiz") {
		t.Errorf("/help = %q", r.Content)
	}
}

// TestLibWithAutocomplete: typing into /lib's name suggests entries from the core, answered at
// once; the command then shows the entry as an embed with links and a "Quiz me" button.
func TestLibWithAutocomplete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	ac := h.srv.Interact(t, discordtest.Autocomplete("lib", discordtest.StringOption("name", "pand").Focus()))
	r := ac.Await(t)
	if r.Type != discordtest.CallbackAutocomplete || len(r.Choices) == 0 || len(r.Choices) > 25 {
		t.Fatalf("autocomplete response type %d with %d choices, want type 8 with 1-25", r.Type, len(r.Choices))
	}
	if r.Choices[0].Value != "pandas" || !strings.HasPrefix(r.Choices[0].Name, "pandas") {
		t.Errorf("first suggestion = %+v, want pandas", r.Choices[0])
	}
	for _, c := range r.Choices {
		if n := utf8.RuneCountInString(c.Name); n == 0 || n > 100 {
			t.Errorf("suggestion name %q has %d characters", c.Name, n)
		}
	}
	ac = h.srv.Interact(t, discordtest.Autocomplete("quiz", discordtest.StringOption("topic", "frame").Focus()))
	if r := ac.Await(t); len(r.Choices) == 0 || r.Choices[0].Value != "frameworks" {
		t.Errorf("/quiz topic suggestions = %+v, want frameworks first", r.Choices)
	}

	inv := h.srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "pandas")))
	r = inv.Await(t)
	if r.Type != discordtest.CallbackMessage || r.Ephemeral() || len(r.Embeds) != 1 {
		t.Fatalf("/lib pandas response = %+v, want a public message with one embed", r)
	}
	e := r.Embeds[0]
	if e.Title != "pandas" || e.Color != 0x3776AB || !strings.Contains(e.Description, "DataFrame") || e.Footer == nil || e.Footer.Text != "library" {
		t.Errorf("embed = %+v, want pandas in library blue with its summary", e)
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, "|"), "Key features") || !strings.Contains(strings.Join(names, "|"), "Install") {
		t.Errorf("embed fields = %v, want key features and install", names)
	}
	if l := links(r.Components); len(l) != 2 || !strings.HasPrefix(l[0], "Docs https://") || !strings.HasPrefix(l[1], "PyPI https://pypi.org/") {
		t.Errorf("link buttons = %v, want Docs and PyPI", l)
	}
	if got := customIDs(r.Components, "cmd:"); !cmp.Equal(got, []string{"cmd:/quiz pandas"}) {
		t.Errorf("command buttons = %v, want the Quiz me button", got)
	}
	silent(t, "/lib pandas", r.AllowedMentions, discordtest.Pings{})

	// "Quiz me" is typed on the user's behalf: a new message with the first question.
	press := h.srv.Interact(t, discordtest.Button("cmd:/quiz pandas"))
	if r := press.Await(t); r.Type != discordtest.CallbackMessage || !strings.Contains(r.Content, "pandas") || len(customIDs(r.Components, "q:")) == 0 {
		t.Errorf("Quiz me = %+v, want a question about pandas", r)
	}
	if m, _ := h.srv.Message(press.MessageID); m.Edits != 0 {
		t.Error("pressing Quiz me changed the entry's message")
	}
}

// TestLongReplySplit: an answer longer than a message goes out in parts, the first as the
// response and the rest as follow-ups, each within Discord's 2,000 characters.
func TestLongReplySplit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("lib"))
	r := inv.Await(t)
	parts := []string{r.Content}
	for n := 1; !strings.Contains(parts[len(parts)-1], "for details"); n++ {
		if n > 5 {
			t.Fatalf("no part ends the list; parts so far:\n%s", strings.Join(parts, "\n---\n"))
		}
		parts = append(parts[:1], contents(inv.WaitFollowups(t, n))...)
	}
	if len(parts) < 2 {
		t.Errorf("the topic list came in %d part, want it split", len(parts))
	}
	all := strings.Join(parts, "\n")
	for _, want := range []string{"scikit-learn", "Django", "/lib"} {
		if !strings.Contains(strings.ReplaceAll(all, "\\", ""), want) {
			t.Errorf("the topic list lacks %q", want)
		}
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > 2000 {
			t.Errorf("part %d has %d characters", i, n)
		}
	}
}

func contents(msgs []discordtest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Content)
	}
	return out
}

// TestGatewayIdentify: the adapter asks for guild and DM messages only, no privileged intent,
// and runs the shard it is given; shards other than 0 leave command registration to shard 0.
func TestGatewayIdentify(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *discord.Config) { c.ShardID, c.ShardCount = 1, 2 })
	id := h.srv.WaitIdentify(t, 1)
	if id.Intents != discordtest.IntentGuildMessages|discordtest.IntentDirectMessages {
		t.Errorf("intents = %b, want GUILD_MESSAGES and DIRECT_MESSAGES", id.Intents)
	}
	if id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("shard = %v, want [1 2]", id.Shard)
	}
	if n := len(h.srv.Calls("PUT /applications/{app}/commands")); n != 0 {
		t.Errorf("shard 1 registered commands %d times", n)
	}
}

// TestChineseLocale: a zh-CN client gets Chinese answers and suggestions.
func TestChineseLocale(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "flask")).WithLocale("zh-CN"))
	r := inv.Await(t)
	if len(r.Embeds) != 1 || r.Embeds[0].Footer == nil || r.Embeds[0].Footer.Text != "框架" {
		t.Fatalf("/lib flask in zh-CN = %+v, want an embed for a 框架", r)
	}
	if l := links(r.Components); len(l) == 0 || !strings.HasPrefix(l[0], "文档 ") {
		t.Errorf("link buttons = %v, want 文档 first", l)
	}
	ac := h.srv.Interact(t, discordtest.Autocomplete("quiz", discordtest.StringOption("topic", "").Focus()).WithLocale("zh-CN"))
	found := false
	for _, c := range ac.Await(t).Choices {
		found = found || c.Value == "frameworks" && strings.Contains(c.Name, "框架")
	}
	if !found {
		t.Error("zh-CN topic suggestions lack the frameworks topic by its Chinese name")
	}
	inv = h.srv.Interact(t, discordtest.SlashCommand("help").WithLocale("zh-TW"))
	if r := inv.Await(t); !strings.Contains(r.Content, "命令") {
		t.Errorf("/help in zh-TW = %q, want Chinese", r.Content)
	}
}

// TestComparison: /lib with two names compares them as markdown, within a message's limit.
func TestComparison(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "flask"), discordtest.StringOption("other", "django")))
	r := inv.Await(t)
	if r.Type != discordtest.CallbackMessage || len(r.Embeds) != 0 {
		t.Fatalf("comparison response = %+v, want a markdown message", r)
	}
	for _, want := range []string{"**Flask vs Django**", "**What each is for**", "• **Flask**: ", "**When to pick which**"} {
		if !strings.Contains(r.Content, want) {
			t.Errorf("comparison lacks %q:\n%s", want, r.Content)
		}
	}
	if n := utf8.RuneCountInString(r.Content); n > 2000 {
		t.Errorf("comparison has %d characters", n)
	}
	silent(t, "comparison", r.AllowedMentions, discordtest.Pings{})
}

// TestQuizRoundByButtons plays /quiz frameworks to the end by pressing buttons: every press
// replaces the question with its feedback (type 7, buttons gone) and the next question follows;
// the round ends with its summary.
func TestQuizRoundByButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("quiz", discordtest.StringOption("topic", "frameworks"), discordtest.IntegerOption("count", 3)))
	if r := inv.Await(t); r.Type != discordtest.CallbackMessage || !strings.Contains(r.Content, "Question 1 of 3") {
		t.Fatalf("/quiz response = %+v, want the first question", r)
	}
	question, _ := inv.Original()
	for n := 1; ; n++ {
		if n > 10 {
			t.Fatal("the round did not end after 10 answers")
		}
		choices := customIDs(question.Components, "q:")
		if len(choices) < 2 || len(choices) > 5 {
			t.Fatalf("question %d has choices %v", n, choices)
		}
		for _, label := range question.Buttons() {
			if utf8.RuneCountInString(label) > 80 {
				t.Errorf("button label %q is longer than 80 characters", label)
			}
		}
		press := h.srv.Interact(t, discordtest.Button(choices[0]).OnMessage(question.ID))
		r := press.Await(t)
		if r.Type != discordtest.CallbackUpdateMessage || len(r.Components) != 0 {
			t.Fatalf("answer %d: response type %d with %d component rows, want 7 with none", n, r.Type, len(r.Components))
		}
		if m, _ := h.srv.Message(question.ID); m.Edits != 1 || m.Content != r.Content || !strings.Contains(m.Content, "/lib") {
			t.Errorf("answer %d: question message now %+v, want the feedback", n, m)
		}
		next := press.WaitFollowups(t, 1)[0]
		if strings.Contains(next.Content, "Round complete!") {
			if !strings.Contains(next.Content, "Score: ") || len(next.Components) != 0 {
				t.Errorf("summary = %+v", next)
			}
			break
		}
		if len(customIDs(next.Components, "q:")) == 0 {
			t.Fatalf("answer %d: follow-up %+v is neither a question nor the summary", n, next)
		}
		question = next
	}
	for _, c := range h.srv.Calls("POST /interactions/{id}/{token}/callback") {
		if c.Status != 204 {
			t.Errorf("callback %s", c)
		}
	}
}

// TestAnotherUsersPress: Bob pressing Alice's question gets a notice only he sees, answered at
// once (type 4, ephemeral) rather than deferred, and the question stays as it was.
func TestAnotherUsersPress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("quiz", discordtest.StringOption("topic", "frameworks")))
	inv.Await(t)
	question, _ := inv.Original()
	press := h.srv.Interact(t, discordtest.Button(customIDs(question.Components, "q:")[0]).By(discordtest.Bob))
	r := press.Await(t)
	if r.Type != discordtest.CallbackMessage || !r.Ephemeral() || !strings.Contains(r.Content, "belongs to someone else") {
		t.Errorf("Bob's press = type %d ephemeral %v %q, want an ephemeral type 4 notice", r.Type, r.Ephemeral(), r.Content)
	}
	if m, _ := h.srv.Message(question.ID); m.Edits != 0 || len(m.Components) == 0 {
		t.Errorf("Alice's question changed: %+v", m)
	}
	if n := len(press.Followups()); n != 0 {
		t.Errorf("%d follow-ups to a refused press", n)
	}
}

// TestJunkCustomID: buttons the core never issued (left by another version, or forged) get the
// same ephemeral notice and change nothing.
func TestJunkCustomID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	long := "q:" + strings.Repeat("x", 98)
	msg := h.postBotMessage("an old question", "q:zz.junk.1", "nonsense", long)
	for _, id := range []string{"q:zz.junk.1", "nonsense", long} {
		r := h.srv.Interact(t, discordtest.Button(id)).Await(t)
		if r.Type != discordtest.CallbackMessage || !r.Ephemeral() || !strings.Contains(r.Content, "no longer valid") {
			t.Errorf("press of %q = type %d ephemeral %v %q, want the ephemeral notice", id, r.Type, r.Ephemeral(), r.Content)
		}
	}
	if m, _ := h.srv.Message(msg); m.Edits != 0 {
		t.Errorf("the message was edited: %+v", m)
	}
}

// TestEveryoneInQuery: @everyone, a role mention and markdown in what a user types come back as
// plain text that notifies nobody, in slash command answers and in answers to @mentions.
func TestEveryoneInQuery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	query := "@everyone <@&1500000000000000001> **loud** `x` # head"
	inv := h.srv.Interact(t, discordtest.SlashCommand("find", discordtest.StringOption("what", query)))
	r := inv.Await(t)
	orig, _ := inv.Original()
	silent(t, "/find", r.AllowedMentions, orig.Pings())
	for _, want := range []string{"@\u200beveryone", "\\<@\u200b&1500000000000000001\\>", `\*\*loud\*\*`, "\\`x\\`", `\# head`} {
		if !strings.Contains(r.Content, want) {
			t.Errorf("/find reply lacks the escaped %q:\n%s", want, r.Content)
		}
	}

	h.srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "<@"+discordtest.AppID+"> what is @everyone")
	msgs := h.srv.WaitMessages(t, discordtest.ChannelID, 3)
	reply := msgs[2]
	if reply.Author.ID != discordtest.AppID || reply.ReplyTo != msgs[1].ID || !strings.Contains(reply.Content, "@\u200beveryone") {
		t.Fatalf("answer to the mention = %+v, want a reply quoting the question", reply)
	}
	silent(t, "answer to a mention", reply.AllowedMentions, reply.Pings())
	if reply.AllowedMentions.RepliedUser {
		t.Error("the answer pings the person it replies to")
	}
}

// TestRateLimitOnCallback: a 429 on the interaction callback is waited out on the adapter's
// clock and the response sent again, once, within the deadline.
func TestRateLimitOnCallback(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.FailNext("POST /interactions/{id}/{token}/callback", 1, discordtest.RateLimited(0.25))
	inv := h.srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "requests")))
	first := inv.WaitCallback(t, 1)
	if first.Status != 429 {
		t.Fatalf("first callback answered %d, want the scripted 429", first.Status)
	}
	// The adapter waits on two timers now: the deferral it no longer needs, and retry_after.
	if due := h.clock.WaitForWaiters(t, 2); due.Sub(inv.DispatchedAt) != 250*time.Millisecond {
		t.Fatalf("the adapter waits until %v after dispatch, want retry_after (250ms)", due.Sub(inv.DispatchedAt))
	}
	h.clock.Advance(250 * time.Millisecond)
	r := inv.Await(t)
	if r.Type != discordtest.CallbackMessage || len(r.Embeds) != 1 || r.At.Sub(inv.DispatchedAt) != 250*time.Millisecond {
		t.Errorf("response = type %d at %v, want the entry 250ms after dispatch", r.Type, r.At.Sub(inv.DispatchedAt))
	}
	if c := inv.WaitCallback(t, 2); c.Status != 204 {
		t.Errorf("second callback = %v, want it accepted", c)
	}
	if cs := inv.Callbacks(); len(cs) != 2 {
		t.Errorf("callbacks = %v, want the 429 and one accepted response", cs)
	}
	h.logs.wait(t, "rate limited; retrying")
}

// TestLibraryLogsGoThroughSlog: what discordgo itself reports (here a dropped gateway connection)
// reaches the operator's log like every other line, never the standard library's plain log. Not
// parallel: discordgo has one logger per process.
func TestLibraryLogsGoThroughSlog(t *testing.T) {
	h := newHarness(t)
	h.srv.DropConnection(t)
	line := h.logs.wait(t, "source=discordgo")
	if !strings.HasPrefix(line, "WARN ") || !strings.Contains(line, "gateway") {
		t.Errorf("discordgo's line = %q, want a warning about the gateway", line)
	}
	h.srv.WaitResume(t, 1)
}

// TestReconnectAfterOp7: Discord asks the bot to reconnect; discordgo resumes the session, the
// adapter logs it, and interactions keep being answered.
func TestReconnectAfterOp7(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.Reconnect(t)
	if r := h.srv.WaitResume(t, 1); !r.OK {
		t.Fatalf("resume = %+v, want it accepted", r)
	}
	h.logs.wait(t, "gateway connection lost")
	h.logs.wait(t, "gateway session resumed")
	if n := len(h.srv.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1: the session was resumed, not started again", n)
	}
	inv := h.srv.Interact(t, discordtest.SlashCommand("lib", discordtest.StringOption("name", "numpy")))
	if r := inv.Await(t); len(r.Embeds) != 1 || r.Embeds[0].Title != "NumPy" {
		t.Errorf("after the reconnect /lib numpy = %+v", r)
	}
}

// TestSlowStoreDefers: with the progress store stalled, the adapter defers before Discord's
// deadline (type 5 for a command, ephemeral for a private one; type 6 for a press), then edits
// the answer in, and never answers an interaction twice.
func TestSlowStoreDefers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// A question to press, while the store still answers.
	start := h.srv.Interact(t, discordtest.SlashCommand("quiz", discordtest.StringOption("topic", "frameworks"), discordtest.IntegerOption("count", 2)))
	start.Await(t)
	question, _ := start.Original()

	slow := func(t *testing.T, ix discordtest.Interaction) (*discordtest.Invocation, *discordtest.Response) {
		t.Helper()
		open := h.store.shut()
		defer open()
		waiting := h.clock.Waiters()
		inv := h.srv.Interact(t, ix)
		h.clock.WaitForWaiters(t, waiting+1) // the adapter's deferral timer
		h.clock.Advance(inv.DispatchedAt.Add(1500 * time.Millisecond).Sub(h.clock.Now()))
		r := inv.Await(t)
		if got := r.At.Sub(inv.DispatchedAt); got != 1500*time.Millisecond {
			t.Errorf("deferred %v after dispatch, want 1.5s", got)
		}
		open()
		return inv, r
	}

	t.Run("command", func(t *testing.T) {
		inv, r := slow(t, discordtest.SlashCommand("review"))
		if r.Type != discordtest.CallbackDeferredMessage || r.Ephemeral() {
			t.Fatalf("response = type %d ephemeral %v, want a public deferral", r.Type, r.Ephemeral())
		}
		m := inv.WaitOriginal(t, func(m discordtest.Message) bool { return !m.Loading() })
		if m.Content == "" || m.Ephemeral() {
			t.Errorf("original after the deferral = %+v, want the answer", m)
		}
		if inv.WaitCallback(t, 1); len(inv.Callbacks()) != 1 {
			t.Errorf("%d callbacks, want 1", len(inv.Callbacks()))
		}
	})
	t.Run("private command", func(t *testing.T) {
		inv, r := slow(t, discordtest.SlashCommand("stats"))
		if r.Type != discordtest.CallbackDeferredMessage || !r.Ephemeral() {
			t.Fatalf("response = type %d ephemeral %v, want an ephemeral deferral", r.Type, r.Ephemeral())
		}
		m := inv.WaitOriginal(t, func(m discordtest.Message) bool { return !m.Loading() })
		if !strings.Contains(m.Content, "Your progress") || !m.Ephemeral() {
			t.Errorf("original after the deferral = %+v, want the stats, ephemeral", m)
		}
	})
	t.Run("press", func(t *testing.T) {
		inv, r := slow(t, discordtest.Button(customIDs(question.Components, "q:")[0]))
		if r.Type != discordtest.CallbackDeferredUpdate {
			t.Fatalf("response = type %d, want a deferred update", r.Type)
		}
		m := inv.WaitOriginal(t, func(m discordtest.Message) bool { return m.Edits > 0 })
		if m.ID != question.ID || len(m.Components) != 0 || !strings.Contains(m.Content, "/lib") {
			t.Errorf("question after the deferred answer = %+v, want the feedback", m)
		}
		if next := inv.WaitFollowups(t, 1); !strings.Contains(next[0].Content, "Question 2 of 2") {
			t.Errorf("follow-up = %q, want the next question", next[0].Content)
		}
		if inv.WaitCallback(t, 1); len(inv.Callbacks()) != 1 {
			t.Errorf("%d callbacks, want 1", len(inv.Callbacks()))
		}
	})
}

// TestDirectMessagesAndSend: a DM is answered as a question; the core's unprompted sends reach a
// user's DMs, and a user who closed them is marked unreachable.
func TestDirectMessagesAndSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dm := h.srv.DMChannel(discordtest.Bob.ID)
	h.srv.PostUserMessage(t, dm, discordtest.Bob, "what is flask?")
	msgs := h.srv.WaitMessages(t, dm, 2)
	if len(msgs[1].Embeds) != 1 || msgs[1].Embeds[0].Title != "Flask" {
		t.Errorf("DM answer = %+v, want Flask's card", msgs[1])
	}
	// Chatter in a channel that does not mention the bot is not answered.
	h.srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "what is flask?")

	ctx := context.Background()
	to := bot.Destination{Platform: discord.Platform, ChatID: discordtest.Alice.ID, Chat: bot.Private}
	if err := h.core.Send(ctx, to, []bot.Reply{{Text: bot.Text("Time for a review: /review")}}); err != nil {
		t.Fatalf("Send to Alice's DMs: %v", err)
	}
	if got := h.srv.DMs(discordtest.Alice.ID); len(got) != 1 || !strings.Contains(got[0].Content, "/review") {
		t.Errorf("Alice's DMs = %+v", got)
	}
	group := bot.Destination{Platform: discord.Platform, ChatID: discordtest.ChannelID, Chat: bot.Group}
	if err := h.core.Send(ctx, group, []bot.Reply{{Text: bot.Text("Tip of the day")}}); err != nil {
		t.Fatalf("Send to the channel: %v", err)
	}
	if got := h.srv.Messages(discordtest.ChannelID); len(got) != 2 || got[1].Content != "Tip of the day" {
		t.Errorf("channel messages = %+v, want the chatter and the tip only", got)
	}

	h.srv.CloseDMs(discordtest.Bob.ID)
	to.ChatID = discordtest.Bob.ID
	err := h.core.Send(ctx, to, []bot.Reply{{Text: bot.Text("tip")}})
	if !errors.Is(err, bot.ErrUnreachable) || !strings.Contains(err.Error(), "50007") {
		t.Fatalf("Send to closed DMs = %v, want ErrUnreachable with 50007", err)
	}
	if v, _ := h.store.ChatSetting(ctx, "discord:"+discordtest.Bob.ID, "unreachable"); v == "" {
		t.Error("Bob's chat was not marked unreachable")
	}
	if err := h.core.Send(ctx, to, []bot.Reply{{Text: bot.Text("tip")}}); !errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("second Send = %v, want it skipped as unreachable", err)
	}
	unknown := bot.Destination{Platform: discord.Platform, ChatID: "1399999999999999999", Chat: bot.Group}
	if err := h.core.Send(ctx, unknown, []bot.Reply{{Text: bot.Text("tip")}}); !errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("Send to an unknown channel = %v, want ErrUnreachable", err)
	}

	// Answering a mention in a channel where the bot may not write marks the channel.
	h.srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.Refused(403, discordtest.CodeMissingPermissions))
	h.srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "<@"+discordtest.AppID+"> what is flask?")
	h.logs.wait(t, "chat=discord:"+discordtest.ChannelID+" reason=")
	if v, _ := h.store.ChatSetting(ctx, "discord:"+discordtest.ChannelID, "unreachable"); !strings.Contains(v, "50013") {
		t.Errorf("the channel's unreachable mark = %q, want the 50013 refusal", v)
	}
}
