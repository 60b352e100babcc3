package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/content"
)

// maxCommandDescription is Telegram's limit on a command menu description.
const maxCommandDescription = 256

// registerCommands fills the command menu: English for everyone, Chinese for clients set to
// Chinese. A failure is logged, not fatal: commands still work when typed.
func (a *Adapter) registerCommands(ctx context.Context) {
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		cfg := tgbotapi.NewSetMyCommands(a.menu(lang)...)
		if lang != content.English {
			cfg.LanguageCode = string(lang)
		}
		if _, err := a.do(ctx, cfg); err != nil && ctx.Err() == nil {
			a.log.Warn("setting the command menu", "lang", lang, "err", err)
		}
	}
}

// menu lists the core's commands described in lang. Telegram has quiz polls, so the commands
// that matter only where quizzes render natively are listed too.
func (a *Adapter) menu(lang content.Lang) []tgbotapi.BotCommand {
	var out []tgbotapi.BotCommand
	for _, c := range a.h.Commands() {
		desc := c.Help.In(lang)
		if desc == "" {
			desc = c.Name
		}
		out = append(out, tgbotapi.BotCommand{Command: c.Name, Description: truncate(desc, maxCommandDescription)})
	}
	return out
}
