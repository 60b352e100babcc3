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
