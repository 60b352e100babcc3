package discord_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/discord/discordtest"
	"github.com/pybrarian/pybrarian/bot"
)

// TestPostAndEdit: a posted message's reference names its channel and id; an edit replaces the
// message whole, so a reply without choices leaves it without buttons; a message Discord no
// longer knows is reported as bot.ErrNotEditable.
func TestPostAndEdit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	to := bot.Destination{Platform: discord.Platform, ChatID: discordtest.ChannelID, Chat: bot.Group}
	q := bot.Reply{Text: bot.Text("Which is a web framework?"), Choices: []bot.Choice{{Label: "Flask", Data: "c:AAAAAA.0.0"}, {Label: "NumPy", Data: "c:AAAAAA.0.1"}}}
	ref, err := h.a.Post(ctx, to, q)
	if err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(discordtest.ChannelID)
	if len(msgs) != 1 || ref != bot.MessageRef(discordtest.ChannelID+"/"+msgs[0].ID) || len(customIDs(msgs[0].Components, "c:")) != 2 {
		t.Fatalf("Post = %q; channel has %+v", ref, msgs)
	}
	if err := h.a.Edit(ctx, to, ref, bot.Reply{Text: bot.Text("Flask it is.")}); err != nil {
		t.Fatal(err)
	}
	m, _ := h.srv.Message(msgs[0].ID)
	if m.Edits != 1 || !strings.Contains(m.Content, "Flask it is.") || len(customIDs(m.Components, "")) != 0 {
		t.Errorf("edited message = %+v, want the new text and no buttons", m)
	}
	if err := h.a.Edit(ctx, to, bot.MessageRef(discordtest.ChannelID+"/1999999999999999999"), q); !errors.Is(err, bot.ErrNotEditable) {
		t.Errorf("Edit of an unknown message = %v, want ErrNotEditable", err)
	}
	if err := h.a.Edit(ctx, to, "junk", q); !errors.Is(err, bot.ErrNotEditable) {
		t.Errorf("Edit of a malformed reference = %v, want ErrNotEditable", err)
	}
}
