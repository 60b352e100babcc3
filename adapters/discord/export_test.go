package discord_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
)

// TestExportAttachesTheLog answers a question, then /export: the reply is ephemeral and carries
// the review log as a file.
func TestExportAttachesTheLog(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("quiz", discordtest.StringOption("topic", "flask"), discordtest.IntegerOption("count", 1)))
	inv.Await(t)
	question, _ := inv.Original()
	h.srv.Interact(t, discordtest.Button(customIDs(question.Components, "q:")[0]).OnMessage(question.ID)).Await(t)
	r := h.srv.Interact(t, discordtest.SlashCommand("export")).Await(t)
	if !r.Ephemeral() || !strings.Contains(r.Content, "1 reviews") || !slices.Contains(r.Files, "pybrarian-reviews.csv") {
		t.Errorf("/export = ephemeral %v %q files %v; want an ephemeral reply with pybrarian-reviews.csv", r.Ephemeral(), r.Content, r.Files)
	}
}

// TestStatsShowsAPicture: /stats after an answer carries its chart as an attachment the embed
// shows, under the text that says the same.
func TestStatsShowsAPicture(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.srv.Interact(t, discordtest.SlashCommand("quiz", discordtest.StringOption("topic", "flask"), discordtest.IntegerOption("count", 1)))
	inv.Await(t)
	question, _ := inv.Original()
	h.srv.Interact(t, discordtest.Button(customIDs(question.Components, "q:")[0]).OnMessage(question.ID)).Await(t)
	r := h.srv.Interact(t, discordtest.SlashCommand("stats")).Await(t)
	if !r.Ephemeral() || !strings.Contains(r.Content, "Answers: 1") || !slices.Contains(r.Files, "stats.png") {
		t.Fatalf("/stats = ephemeral %v %q files %v; want an ephemeral reply with stats.png", r.Ephemeral(), r.Content, r.Files)
	}
	shown := slices.ContainsFunc(r.Embeds, func(e discordtest.Embed) bool {
		return e.Image != nil && e.Image.URL == "attachment://stats.png"
	})
	if !shown {
		t.Errorf("no embed shows the attached picture: %+v", r.Embeds)
	}
}
