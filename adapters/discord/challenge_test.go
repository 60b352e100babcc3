package discord_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/quiz"
)

// TestChallengeInAChannel: /challenge in a guild channel with its typed options (the seconds
// given, the count left out); the question is a channel message with buttons; presses by several
// members at once are each answered with an ephemeral notice, in the presser's language, a
// second press and a late one too; the runner replaces the question with its results (buttons
// gone) and posts the final results.
func TestChallengeInAChannel(t *testing.T) {
	t.Parallel()
	h := newChallengeHarness(t)
	ctx := context.Background()
	cmd := h.srv.Commands("")
	var found bool
	for _, c := range cmd {
		if c.Name == "challenge" {
			found = len(c.Options) == 3 && c.Options[2].Name == "seconds"
		}
	}
	if !found {
		t.Fatalf("/challenge is not registered with topic, questions and seconds: %+v", cmd)
	}
	r := h.srv.Interact(t, discordtest.SlashCommand("challenge", discordtest.StringOption("topic", "frameworks"),
		discordtest.IntegerOption("seconds", 15)).By(discordtest.Bob)).Await(t)
	if r.Flags&discordtest.FlagEphemeral != 0 || !strings.Contains(r.Content, "Challenge from Bob: 5 questions on Web frameworks and concepts, 15 seconds each.") {
		t.Fatalf("announcement = %+v", r)
	}
	h.clock.Advance(quiz.ChallengeLead)
	h.core.TickChallenges(ctx)
	msgs := h.srv.Messages(discordtest.ChannelID)
	q := msgs[len(msgs)-1]
	ids := customIDs(q.Components, quiz.ChallengePrefix)
	if !strings.Contains(q.Content, "Question 1 of 5") || len(ids) < 3 {
		t.Fatalf("question = %+v", q)
	}

	// Eight members press at once, one of them in Chinese, Alice twice.
	var members []discordtest.User
	for i := range 8 {
		members = append(members, discordtest.User{ID: fmt.Sprintf("14000000000000001%02d", i), Username: fmt.Sprintf("m%d", i), GlobalName: fmt.Sprintf("M%d", i)})
	}
	var invs []*discordtest.Invocation
	for i, u := range members {
		press := discordtest.Button(ids[i%len(ids)]).OnMessage(q.ID).By(u)
		if i == 3 {
			press = press.WithLocale("zh-CN")
		}
		invs = append(invs, h.srv.Interact(t, press))
	}
	invs = append(invs, h.srv.Interact(t, discordtest.Button(ids[0]).OnMessage(q.ID).By(discordtest.Alice)))
	invs = append(invs, h.srv.Interact(t, discordtest.Button(ids[1]).OnMessage(q.ID).By(discordtest.Alice)))
	counts := map[string]int{}
	for _, inv := range invs {
		r := inv.Await(t)
		if r.Type != discordtest.CallbackMessage || r.Flags&discordtest.FlagEphemeral == 0 {
			t.Errorf("a press was answered with %+v, want an ephemeral message", r)
		}
		counts[r.Content]++
	}
	for text, want := range map[string]int{
		"Got your answer. Results when time is up.":                             8,
		"已收到你的答案，时间到后公布结果。":                                                     1,
		"You've answered this question already: only your first answer counts.": 1,
	} {
		if counts[text] != want {
			t.Errorf("%d notices %q, want %d; all: %v", counts[text], text, want, counts)
		}
	}

	h.clock.Advance(16 * time.Second)
	late := h.srv.Interact(t, discordtest.Button(ids[0]).OnMessage(q.ID).By(discordtest.Bob)).Await(t)
	if late.Content != "Too late: time was up for this question." || late.Flags&discordtest.FlagEphemeral == 0 {
		t.Errorf("a late press = %+v", late)
	}
	h.core.TickChallenges(ctx)
	got, _ := h.srv.Message(q.ID)
	if got.Edits == 0 || len(customIDs(got.Components, "")) != 0 || !strings.Contains(got.Content, "9 answered") || !strings.Contains(got.Content, "Scoreboard") {
		t.Errorf("the question after its deadline = %+v, want its results without buttons", got)
	}
	h.clock.Advance(quiz.ChallengeGap)
	h.core.TickChallenges(ctx)
	if msgs := h.srv.Messages(discordtest.ChannelID); !strings.Contains(msgs[len(msgs)-1].Content, "Question 2 of 5") {
		t.Errorf("the next question = %+v", msgs[len(msgs)-1])
	}
	// Bob started it: his /stop ends it with the final results.
	stop := h.srv.Interact(t, discordtest.SlashCommand("stop").By(discordtest.Bob)).Await(t)
	if stop.Flags&discordtest.FlagEphemeral == 0 {
		t.Errorf("/stop was answered with %+v, want an ephemeral acknowledgement", stop)
	}
	var final string
	for _, m := range h.srv.Messages(discordtest.ChannelID) {
		if strings.Contains(m.Content, "Final results") && !m.Ephemeral() {
			final = m.Content
		}
	}
	if !strings.Contains(final, "Stopped by Bob after 2 of 5 questions.") {
		t.Errorf("final results after /stop = %q", final)
	}
}
