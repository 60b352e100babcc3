package telegram

import (
	"context"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

// Inline-mode answers: at most 50 results (Telegram's cap), the same for everyone, cached by
// Telegram for five minutes since the knowledge base changes only with a release.
const (
	maxInlineResults = 50
	inlineCacheTime  = 300
)

var docsLabel = content.Text{EN: "Docs", ZH: "文档"}

// onInlineQuery answers "@bot pandas" typed in any chat: the entry the name means first, then what
// a search finds; each result posts the entry's summary with a docs link.
func (a *Adapter) onInlineQuery(ctx context.Context, q *tgbotapi.InlineQuery) {
	query := strings.TrimSpace(q.Query)
	lang := content.English
	if q.From != nil {
		lang = content.ParseLocale(q.From.LanguageCode)
	}
	if strings.ContainsFunc(query, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		lang = content.Chinese
	}
	var results []interface{}
	for _, e := range a.inlineEntries(query, lang) {
		results = append(results, article(e, lang))
	}
	if results == nil {
		results = []interface{}{} // "results": [] tells the client there is nothing
	}
	cfg := tgbotapi.InlineConfig{InlineQueryID: q.ID, Results: results, CacheTime: inlineCacheTime, IsPersonal: false}
	if _, err := a.do(ctx, cfg); err != nil && ctx.Err() == nil {
		a.log.Warn("answering an inline query", "err", err)
	}
}

// inlineEntries asks the core which entries a query means (the same suggestions every platform
// gets), capped at Telegram's result limit.
func (a *Adapter) inlineEntries(query string, lang content.Lang) []*content.Entry {
	kb := a.h.Content()
	var out []*content.Entry
	for _, s := range a.h.Suggest(query, lang, bot.SuggestEntries, maxInlineResults) {
		if e, ok := kb.Entry(s.Value); ok {
			out = append(out, e)
		}
	}
	return out
}

// article renders an entry as an inline result: its name and summary, and a link to its docs.
func article(e *content.Entry, lang content.Lang) tgbotapi.InlineQueryResultArticle {
	var m bot.Markup
	m.Bold(e.DisplayName(lang)).Line().Content(e.Summary.In(lang)).Para().Link(docsLabel.In(lang), e.Links.Docs)
	text := renderHTML(m, maxMessageLen)
	res := tgbotapi.NewInlineQueryResultArticleHTML(e.ID, e.DisplayName(lang), text[0])
	res.Description = truncate(plain(e.Summary.In(lang)), 200)
	if c, ok := res.InputMessageContent.(tgbotapi.InputTextMessageContent); ok {
		c.DisableWebPagePreview = true
		res.InputMessageContent = c
	}
	return res
}
