package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
)

// maxDMChannels bounds the cache of DM channel ids; past it the cache starts over.
const maxDMChannels = 10_000

// Send implements bot.Sender: replies to a chat no interaction or message came from (a daily tip,
// a challenge's next question), to a guild channel by its id or to a user's DMs by the user's id.
// Private and Edit hints are ignored: outside an interaction a message is seen by all and edits
// nothing. An error wrapping bot.ErrUnreachable means Discord refuses the chat.
func (a *Adapter) Send(ctx context.Context, to bot.Destination, replies []bot.Reply) error {
	select {
	case <-a.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	channel := to.ChatID
	if to.Chat == bot.Private {
		var err error
		if channel, err = a.dmChannel(ctx, to.ChatID); err != nil {
			return classify(err)
		}
	}
	return a.sendAll(ctx, channel, "", replies)
}

// dmChannel returns the id of the DM channel with the user, opening it on first use.
func (a *Adapter) dmChannel(ctx context.Context, userID string) (string, error) {
	a.mu.Lock()
	id, ok := a.dms[userID]
	a.mu.Unlock()
	if ok {
		return id, nil
	}
	ch, err := a.sess.UserChannelCreate(userID, discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("opening the DM channel: %w", err)
	}
	a.mu.Lock()
	if len(a.dms) >= maxDMChannels {
		clear(a.dms)
	}
	a.dms[userID] = ch.ID
	a.mu.Unlock()
	return ch.ID, nil
}

// sendAll posts the replies to a channel in order, the first as a reply to replyTo when set, and
// returns the first error (classified); the rest are not sent, since they would fail the same way
// or arrive out of order. discordgo's rate limiter paces these calls.
func (a *Adapter) sendAll(ctx context.Context, channel, replyTo string, replies []bot.Reply) error {
	for _, r := range replies {
		for _, m := range render(r) {
			send := &discordgo.MessageSend{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none(), Files: m.files}
			if replyTo != "" {
				no := false
				send.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channel, FailIfNotExists: &no}
				replyTo = ""
			}
			if _, err := a.sess.ChannelMessageSendComplex(channel, send, discordgo.WithContext(ctx)); err != nil {
				return classify(err)
			}
		}
	}
	return nil
}

// sendFailed reports a failed delivery to a chat: unreachable chats are marked in the core, other
// failures logged.
func (a *Adapter) sendFailed(ctx context.Context, chatID, what string, err error) {
	switch {
	case err == nil:
	case errors.Is(err, bot.ErrUnreachable):
		a.h.MarkUnreachable(ctx, Platform, chatID, strings.TrimPrefix(err.Error(), bot.ErrUnreachable.Error()+": "))
	default:
		a.logFailure(what, err)
	}
}

// unreachableCodes are Discord's refusals that mean the bot cannot write to the chat at all
// until something changes there: the user closed their DMs (50007), the channel is gone (10003),
// the bot may no longer see or post in it (50001, 50013).
var unreachableCodes = map[int]bool{
	discordgo.ErrCodeCannotSendMessagesToThisUser: true,
	discordgo.ErrCodeUnknownChannel:               true,
	discordgo.ErrCodeMissingAccess:                true,
	discordgo.ErrCodeMissingPermissions:           true,
}

// classify wraps bot.ErrUnreachable around Discord's refusals of a chat, with the reason after
// ": ", and shortens other REST errors.
func classify(err error) error {
	var re *discordgo.RESTError
	if err == nil || !errors.As(err, &re) || re.Message == nil {
		return err
	}
	if unreachableCodes[re.Message.Code] {
		return fmt.Errorf("%w: discord %d %s", bot.ErrUnreachable, re.Message.Code, re.Message.Message)
	}
	return err
}
