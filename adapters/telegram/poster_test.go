package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
	"github.com/pybrarian/pybrarian/bot"
)

// TestPostAndEdit: a posted message's reference is its message id; an edit changes that message
// in place and, without choices, removes its keyboard; a message Telegram no longer lets the bot
// edit is reported as bot.ErrNotEditable.
func TestPostAndEdit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	to := bot.Destination{Platform: telegram.Platform, ChatID: fmt.Sprint(group.ID), Chat: bot.Group}
	q := bot.Reply{Text: bot.Text("Which is a web framework?"), Choices: []bot.Choice{{Label: "Flask", Data: "c:AAAAAA.0.0"}, {Label: "NumPy", Data: "c:AAAAAA.0.1"}}}
	ref, err := h.a.Post(ctx, to, q)
	if err != nil {
		t.Fatal(err)
	}
	sent := h.srv.Calls("sendMessage")
	if len(sent) != 1 || ref != bot.MessageRef(fmt.Sprint(sent[0].MessageID)) || len(choices(t, sent[0])) != 2 {
		t.Fatalf("Post = %q after %v", ref, sent)
	}
	if err := h.a.Edit(ctx, to, ref, bot.Reply{Text: bot.Text("Which is a web framework? · 3 answered"), Choices: q.Choices}); err != nil {
		t.Fatal(err)
	}
	if err := h.a.Edit(ctx, to, ref, bot.Reply{Text: bot.Text("Flask it is.")}); err != nil {
		t.Fatal(err)
	}
	edits := h.srv.Calls("editMessageText")
	if len(edits) != 2 || edits[0].Get("message_id") != string(ref) || len(choices(t, edits[0])) != 2 ||
		edits[1].Get("text") != "Flask it is." || len(markup(t, edits[1]).InlineKeyboard) != 0 {
		t.Errorf("edits = %v", edits)
	}
	h.srv.Fail("editMessageText", telegramtest.Fault{Code: 400, Description: "Bad Request: message to edit not found"})
	if err := h.a.Edit(ctx, to, ref, bot.Reply{Text: bot.Text("again")}); !errors.Is(err, bot.ErrNotEditable) {
		t.Errorf("Edit of a deleted message = %v, want ErrNotEditable", err)
	}
	if err := h.a.Edit(ctx, to, "junk", bot.Reply{Text: bot.Text("again")}); !errors.Is(err, bot.ErrNotEditable) {
		t.Errorf("Edit of a malformed reference = %v, want ErrNotEditable", err)
	}
}
