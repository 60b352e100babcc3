package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
)

// onMessage answers DMs, and messages in guild channels that @mention the bot, as plain
// questions; other channel messages are not for the bot (and, without the privileged message
// content intent, Discord sends their text empty anyway).
func (a *Adapter) onMessage(_ *discordgo.Session, mc *discordgo.MessageCreate) {
	if !a.begin() {
		return
	}
	defer a.end()
	defer a.recoverPanic("a message")
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.ID == a.self || m.WebhookID != "" {
		return // the bot's own messages, other bots, webhooks
	}
	dm := m.GuildID == ""
	mentioned := false
	for _, u := range m.Mentions {
		if u != nil && u.ID == a.self {
			mentioned = true
		}
	}
	if !dm && !mentioned {
		return
	}
	text := m.Content
	for _, mention := range []string{"<@" + a.self + ">", "<@!" + a.self + ">"} {
		text = strings.ReplaceAll(text, mention, " ")
	}
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		if !mentioned {
			return // a DM with only an attachment or a sticker
		}
		text = "/help" // a bare "@bot" asks what the bot can do
	}
	ev := bot.Event{Platform: Platform, UserID: m.Author.ID, Addressed: true, Text: text, Chat: bot.Private, ChatID: m.Author.ID}
	ev.UserName = displayName("", m.Author)
	replyTo := ""
	if !dm {
		ev.Chat, ev.ChatID = bot.Group, m.ChannelID
		if m.Member != nil {
			ev.UserName = displayName(m.Member.Nick, m.Author)
		}
		replyTo = m.ID // in a channel, make clear whom the bot answers
	}
	ctx := a.base
	err := a.sendAll(ctx, m.ChannelID, replyTo, a.h.Handle(ctx, ev))
	a.sendFailed(ctx, ev.ChatID, "answering a message", err)
}
