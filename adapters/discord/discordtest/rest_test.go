package discordtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

func TestMessageLimits(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)

	embed := func(e discordgo.MessageEmbed) []*discordgo.MessageEmbed { return []*discordgo.MessageEmbed{&e} }
	fields := func(n, nameLen, valueLen int) []*discordgo.MessageEmbedField {
		var fs []*discordgo.MessageEmbedField
		for k := 0; k < n; k++ {
			fs = append(fs, &discordgo.MessageEmbedField{Name: strings.Repeat("n", nameLen), Value: strings.Repeat("v", valueLen)})
		}
		return fs
	}
	button := func(label, id string) discordgo.MessageComponent {
		return discordgo.Button{Label: label, Style: discordgo.PrimaryButton, CustomID: id}
	}
	row := func(n int) discordgo.MessageComponent {
		var bs []discordgo.MessageComponent
		for k := 0; k < n; k++ {
			bs = append(bs, button("b", "id"+string(rune('a'+k))))
		}
		return discordgo.ActionsRow{Components: bs}
	}
	rows := func(n int) []discordgo.MessageComponent {
		var rs []discordgo.MessageComponent
		for k := 0; k < n; k++ {
			rs = append(rs, discordgo.ActionsRow{Components: []discordgo.MessageComponent{button("b", "r"+string(rune('a'+k)))}})
		}
		return rs
	}
	tests := []struct {
		name  string
		msg   *discordgo.MessageSend
		paths []string // nil: accepted
	}{
		{"content 2000", &discordgo.MessageSend{Content: strings.Repeat("é", 2000)}, nil},
		{"content 2001", &discordgo.MessageSend{Content: strings.Repeat("é", 2001)}, []string{"content"}},
		{"10 embeds", &discordgo.MessageSend{Embeds: make10(10)}, nil},
		{"11 embeds", &discordgo.MessageSend{Embeds: make10(11)}, []string{"embeds"}},
		{"title 257", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Title: strings.Repeat("t", 257)})}, []string{"embeds.0.title"}},
		{"description 4096", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Description: strings.Repeat("d", 4096)})}, nil},
		{"description 4097", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Description: strings.Repeat("d", 4097)})}, []string{"embeds.0.description"}},
		{"25 fields", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Fields: fields(25, 1, 1)})}, nil},
		{"26 fields", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Fields: fields(26, 1, 1)})}, []string{"embeds.0.fields"}},
		{"field name 257", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Fields: fields(1, 257, 1)})}, []string{"embeds.0.fields.0.name"}},
		{"field value 1025", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Fields: fields(1, 1, 1025)})}, []string{"embeds.0.fields.0.value"}},
		{"empty field value", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Fields: fields(1, 1, 0)})}, []string{"embeds.0.fields.0.value"}},
		{"footer 2049", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Footer: &discordgo.MessageEmbedFooter{Text: strings.Repeat("f", 2049)}})}, []string{"embeds.0.footer.text"}},
		{"author 257", &discordgo.MessageSend{Embeds: embed(discordgo.MessageEmbed{Author: &discordgo.MessageEmbedAuthor{Name: strings.Repeat("a", 257)}})}, []string{"embeds.0.author.name"}},
		{"embeds total 6000", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: strings.Repeat("d", 3000)}, {Description: strings.Repeat("d", 3000)}}}, nil},
		{"embeds total 6001", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: strings.Repeat("d", 3000)}, {Title: "x", Description: strings.Repeat("d", 3000)}}}, []string{"embeds"}},
		{"5 rows of 5 buttons", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{row(5)}}, nil},
		{"6 buttons in a row", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{row(6)}}, []string{"components.0.components"}},
		{"6 rows", &discordgo.MessageSend{Content: "q", Components: rows(6)}, []string{"components"}},
		{"label 81", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{button(strings.Repeat("l", 81), "x")}}}}, []string{"components.0.components.0.label"}},
		{"custom_id 101", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{button("b", strings.Repeat("i", 101))}}}}, []string{"components.0.components.0.custom_id"}},
		{"duplicate custom_id", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{button("a", "x"), button("b", "x")}}}}, []string{"components.0.components.1.custom_id"}},
		{"link button without url", &discordgo.MessageSend{Content: "q", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "docs", Style: discordgo.LinkButton}}}}}, []string{"components.0.components.0.url"}},
		{"ephemeral outside an interaction", &discordgo.MessageSend{Content: "q", Flags: discordgo.MessageFlagsEphemeral}, []string{"flags"}},
		{"allowed_mentions parse and users", &discordgo.MessageSend{Content: "q", AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}, Users: []string{discordtest.Bob.ID}}}, []string{"allowed_mentions"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.sess.ChannelMessageSendComplex(discordtest.ChannelID, tt.msg)
			if tt.paths == nil {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
				return
			}
			if status, code := apiCode(t, err); status != 400 || code != discordtest.CodeInvalidFormBody {
				t.Fatalf("status %d code %d, want 400 50035", status, code)
			}
			calls := srv.Calls("POST /channels/{id}/messages")
			if got := calls[len(calls)-1].Error.Paths(); !cmp.Equal(got, tt.paths) {
				t.Errorf("error paths = %v, want %v", got, tt.paths)
			}
		})
	}
	_, err := b.sess.ChannelMessageSendComplex(discordtest.ChannelID, &discordgo.MessageSend{})
	if status, code := apiCode(t, err); status != 400 || code != discordtest.CodeCannotSendEmptyMessage {
		t.Errorf("empty message: status %d code %d, want 400 50006", status, code)
	}
}

func make10(n int) []*discordgo.MessageEmbed {
	var es []*discordgo.MessageEmbed
	for k := 0; k < n; k++ {
		es = append(es, &discordgo.MessageEmbed{Title: "t"})
	}
	return es
}

func TestChannelMessagesAndDMs(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)

	m, err := b.sess.ChannelMessageSend(discordtest.ChannelID, "hello <@"+discordtest.Bob.ID+"> @everyone")
	if err != nil {
		t.Fatal(err)
	}
	if m.Author.ID != discordtest.AppID || m.ChannelID != discordtest.ChannelID || len(m.Mentions) != 1 || !m.MentionEveryone {
		t.Errorf("sent message = %+v, want the bot's, pinging Bob and everyone by default", m)
	}
	edited, err := b.sess.ChannelMessageEdit(discordtest.ChannelID, m.ID, "hello again")
	if err != nil {
		t.Fatal(err)
	}
	if edited.Content != "hello again" || edited.EditedTimestamp == nil {
		t.Errorf("edited = %+v", edited)
	}
	if got := srv.Messages(discordtest.ChannelID); len(got) != 1 || got[0].Content != "hello again" || got[0].Edits != 1 {
		t.Errorf("channel = %+v, want the edited message", got)
	}
	user := srv.PostUserMessage(t, discordtest.ChannelID, discordtest.Alice, "mine")
	_, err = b.sess.ChannelMessageEdit(discordtest.ChannelID, user.ID, "hijacked")
	if status, code := apiCode(t, err); status != 403 || code != discordtest.CodeCannotEditOthersMessage {
		t.Errorf("editing a user's message: status %d code %d, want 403 50005", status, code)
	}
	_, err = b.sess.ChannelMessageSend("1399999999999999999", "x")
	if status, code := apiCode(t, err); status != 404 || code != discordgo.ErrCodeUnknownChannel {
		t.Errorf("unknown channel: status %d code %d, want 404 10003", status, code)
	}

	// DMs: the same user always gets the same channel.
	ch, err := b.sess.UserChannelCreate(discordtest.Alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.sess.UserChannelCreate(discordtest.Alice.ID)
	if ch.Type != discordgo.ChannelTypeDM || ch.Recipients[0].ID != discordtest.Alice.ID || again.ID != ch.ID {
		t.Errorf("DM channel = %+v then %s, want one type-1 channel with Alice", ch, again.ID)
	}
	if _, err := b.sess.ChannelMessageSendEmbed(ch.ID, &discordgo.MessageEmbed{Title: "Tip of the day"}); err != nil {
		t.Fatal(err)
	}
	if dms := srv.DMs(discordtest.Alice.ID); len(dms) != 1 || dms[0].Embeds[0].Title != "Tip of the day" || dms[0].Embeds[0].Type != "rich" {
		t.Errorf("Alice's DMs = %+v, want the tip", dms)
	}
	srv.CloseDMs(discordtest.Bob.ID)
	bobDM, err := b.sess.UserChannelCreate(discordtest.Bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.sess.ChannelMessageSend(bobDM.ID, "tip")
	if status, code := apiCode(t, err); status != 403 || code != discordgo.ErrCodeCannotSendMessagesToThisUser {
		t.Errorf("DM to a closed inbox: status %d code %d, want 403 50007", status, code)
	}
}

func TestScriptedFaults(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)

	srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.Refused(403, discordtest.CodeMissingPermissions))
	_, err := b.sess.ChannelMessageSend(discordtest.ChannelID, "x")
	if status, code := apiCode(t, err); status != 403 || code != discordgo.ErrCodeMissingPermissions {
		t.Errorf("scripted 403: status %d code %d, want 403 50013", status, code)
	}
	// discordgo retries a 502 by itself (MaxRestRetries), so two of them go unnoticed…
	srv.FailNext("POST /channels/*/messages", 2, discordtest.Unavailable(502))
	if _, err := b.sess.ChannelMessageSend(discordtest.ChannelID, "x"); err != nil {
		t.Errorf("send after two 502s: %v", err)
	}
	// …but not a 500.
	srv.FailNext("* /channels/...", 1, discordtest.Unavailable(500))
	_, err = b.sess.ChannelMessageSend(discordtest.ChannelID, "x")
	if status, _ := apiCode(t, err); status != 500 {
		t.Errorf("scripted 500: status %d", status)
	}
	if n := len(srv.Messages(discordtest.ChannelID)); n != 1 {
		t.Errorf("%d messages stored, want only the one that got through", n)
	}
}

func TestRateLimitWireFormat(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	get := func() *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL()+"/api/v9/users/@me", nil)
		req.Header.Set("Authorization", "Bot "+discordtest.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	body := func(resp *http.Response) map[string]any {
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("body %q: %v", raw, err)
		}
		return m
	}

	srv.FailNext("GET /users/@me", 1, discordtest.RateLimited(64.57))
	resp := get()
	h := resp.Header
	if resp.StatusCode != 429 || h.Get("Retry-After") != "65" || h.Get("X-RateLimit-Remaining") != "0" ||
		h.Get("X-RateLimit-Reset-After") != "64.570" || h.Get("X-RateLimit-Scope") != "user" || h.Get("X-RateLimit-Bucket") == "" || h.Get("X-RateLimit-Global") != "" {
		t.Errorf("per-route 429: status %d headers %v", resp.StatusCode, h)
	}
	if got, want := body(resp), map[string]any{"message": "You are being rate limited.", "retry_after": 64.57, "global": false}; !cmp.Equal(got, want) {
		t.Errorf("per-route 429 body = %v, want %v", got, want)
	}

	srv.FailNext("GET /users/@me", 1, discordtest.GloballyRateLimited(1.5))
	resp = get()
	h = resp.Header
	if h.Get("X-RateLimit-Global") != "true" || h.Get("X-RateLimit-Scope") != "global" || h.Get("Retry-After") != "2" || h.Get("X-RateLimit-Bucket") != "" {
		t.Errorf("global 429 headers %v", h)
	}
	if got := body(resp); got["global"] != true {
		t.Errorf("global 429 body = %v", got)
	}

	srv.FailNext("GET /users/@me", 1, discordtest.Unavailable(503))
	resp = get()
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(raw), "cloudflare") {
		t.Errorf("503: status %d body %q, want Cloudflare's page", resp.StatusCode, raw)
	}

	// The fault was used up: the next call succeeds. Calls without the token get 401.
	if resp := get(); resp.StatusCode != 200 {
		t.Errorf("after the faults: status %d", resp.StatusCode)
	}
	resp, err := http.Get(srv.URL() + "/api/v9/users/@me")
	if err != nil {
		t.Fatal(err)
	}
	if got := body(resp); resp.StatusCode != 401 || got["message"] != "401: Unauthorized" {
		t.Errorf("without a token: %d %v", resp.StatusCode, got)
	}
}

func TestSlowAnswerWaitsForTheFakeClock(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	b := connect(t, srv)

	srv.FailNext("POST /channels/{channel}/messages", 1, discordtest.Slow(2*time.Second))
	done := make(chan error, 1)
	go func() {
		_, err := b.sess.ChannelMessageSend(discordtest.ChannelID, "slow")
		done <- err
	}()
	due := srv.Clock().WaitForWaiters(t, 1)
	select {
	case err := <-done:
		t.Fatalf("send finished (%v) before the fake clock moved", err)
	default:
	}
	srv.Clock().Advance(due.Sub(srv.Clock().Now()))
	if err := recv(t, done, "the slow send"); err != nil {
		t.Fatal(err)
	}
	if c := srv.WaitCall(t, "POST /channels/{channel}/messages", 1); c.Status != 200 {
		t.Errorf("slow call answered %d", c.Status)
	}
}
