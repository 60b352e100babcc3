package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

// TestTipSubscriptionPermissions: in a server channel only members who may manage the server or
// the channel change its daily tip; anyone may read it; in a DM anyone may subscribe. The tip
// then arrives in the channel with a link button to the docs.
func TestTipSubscriptionPermissions(t *testing.T) {
	h := newTipHarness(t)
	cmd := func(name string, opts ...discordtest.Option) discordtest.Interaction {
		return discordtest.SlashCommand(name, opts...)
	}
	at := discordtest.StringOption("time", "09:00")
	member := h.srv.Interact(t, cmd("subscribe", at).WithMemberPermissions(discordtest.DefaultPermissions)).Await(t)
	if !strings.Contains(member.Content, "Only this group's administrators") {
		t.Errorf("a plain member's /subscribe = %q, want a polite refusal", member.Content)
	}
	for _, tt := range []struct {
		name  string
		perms int64
	}{
		{"Manage Channels", 1 << 4},
		{"Manage Server", 1 << 5},
		{"Administrator", 1 << 3},
	} {
		r := h.srv.Interact(t, cmd("subscribe", at).WithMemberPermissions(discordtest.DefaultPermissions|tt.perms)).Await(t)
		if !strings.Contains(r.Content, "every day at 09:00 UTC") {
			t.Errorf("/subscribe by a member with %s = %q, want it subscribed", tt.name, r.Content)
		}
	}
	if r := h.srv.Interact(t, cmd("subscription").WithMemberPermissions(discordtest.DefaultPermissions)).Await(t); !strings.Contains(r.Content, "every day at 09:00 UTC") {
		t.Errorf("a plain member's /subscription = %q", r.Content)
	}
	if r := h.srv.Interact(t, cmd("subscribe", at, discordtest.StringOption("zone", "Europe/Paris")).InDM()).Await(t); !strings.Contains(r.Content, "09:00 Europe/Paris") {
		t.Errorf("/subscribe in a DM = %q", r.Content)
	}
	before := len(h.srv.Messages(discordtest.ChannelID))
	h.clock.Advance(24 * time.Hour) // past 09:00 whatever the fake's clock began at
	if _, err := h.tips.Tick(context.Background(), h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(discordtest.ChannelID)
	if len(msgs) != before+1 {
		t.Fatalf("the channel got %d messages from the tick, want its tip", len(msgs)-before)
	}
	tip := msgs[len(msgs)-1]
	if !strings.Contains(tip.Content, "Tip of the day") || !strings.Contains(tip.Content, "/lib ") {
		t.Errorf("the tip = %q", tip.Content)
	}
	if l := links(tip.Components); len(l) != 1 || !strings.HasPrefix(l[0], "Docs https://") {
		t.Errorf("the tip's link buttons = %v, want its docs", l)
	}
}
