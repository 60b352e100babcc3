package bot

import (
	"context"

	"github.com/pybrarian/pybrarian/content"
)

func (b *Bot) helpCommands() []Command {
	return []Command{
		{Name: "help", Help: catalog[msgHelpCmdHelp], Handler: b.cmdHelp},
		{Name: "start", Help: catalog[msgHelpCmdStart], Hidden: true, Handler: b.cmdStart},
	}
}

func (b *Bot) cmdHelp(ctx context.Context, req *Request) ([]Reply, error) {
	return []Reply{{Text: b.helpText(req.Lang, req.Platform)}}, nil
}

// cmdStart greets a new user (Telegram sends /start when a chat with the bot opens) and shows help.
func (b *Bot) cmdStart(ctx context.Context, req *Request) ([]Reply, error) {
	name := clip(req.UserName, 64)
	if name == "" {
		name = "there"
		if req.Lang == content.Chinese {
			name = "朋友"
		}
	}
	var t Markup
	t.Plain(T(req.Lang, msgWelcome, name)).Para().Append(b.helpText(req.Lang, req.Platform))
	return []Reply{{Text: t}}, nil
}

// helpText explains every visible command in lang that works on the platform, generated from the
// command table so it never drifts from what is registered.
func (b *Bot) helpText(lang content.Lang, platform string) Markup {
	var t Markup
	t.Bold(T(lang, msgHelpHeader))
	for _, c := range b.router.commands {
		if c.Hidden || (c.Native && !b.nativeQuizzes(platform)) {
			continue
		}
		t.Item().Code(c.usage(lang)).Plain(" — " + c.Help.In(lang))
	}
	t.Para().Plain(T(lang, msgHelpAsk))
	return t
}
