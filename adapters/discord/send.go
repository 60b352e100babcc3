package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	channel, err := a.channelOf(ctx, to)
	if err != nil {
		return err
	}
	return a.sendAll(ctx, channel, "", replies)
}

var _ bot.Poster = (*Adapter)(nil)

// Post implements bot.Poster: the reply is posted as Send would post it, and the reference names
// the channel and the message carrying the buttons ("<channel>/<message>"), so an edit needs no
// look-up.
func (a *Adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) (bot.MessageRef, error) {
	channel, err := a.channelOf(ctx, to)
	if err != nil {
		return "", err
	}
	var last *discordgo.Message
	for _, m := range render(r) {
		send := &discordgo.MessageSend{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none()}
		err = a.rest(ctx, func(opts ...discordgo.RequestOption) (err error) {
			last, err = a.sess.ChannelMessageSendComplex(channel, send, opts...)
			return err
		})
		if err != nil {
			return "", classify(err)
		}
	}
	if last == nil {
		return "", nil
	}
	return bot.MessageRef(channel + "/" + last.ID), nil
}

// Edit implements bot.Poster: the message is replaced whole (text, embeds, buttons), so a reply
// without choices removes the buttons. A message Discord no longer knows wraps bot.ErrNotEditable.
func (a *Adapter) Edit(ctx context.Context, to bot.Destination, ref bot.MessageRef, r bot.Reply) error {
	channel, id, ok := strings.Cut(string(ref), "/")
	if !ok || !snowflake.MatchString(channel) || !snowflake.MatchString(id) {
		return fmt.Errorf("discord: message reference %q: %w", ref, bot.ErrNotEditable)
	}
	select {
	case <-a.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	msgs := render(r)
	if len(msgs) == 0 {
		msgs = []message{{content: "…"}}
	}
	d := responseData(msgs[0], true)
	edit := &discordgo.MessageEdit{ID: id, Channel: channel, Content: &d.Content, Embeds: &d.Embeds, Components: &d.Components, AllowedMentions: d.AllowedMentions}
	err := a.rest(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.sess.ChannelMessageEditComplex(edit, opts...)
		return err
	})
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownMessage {
			return fmt.Errorf("discord: %w: %s", bot.ErrNotEditable, describe(err))
		}
		return classify(err)
	}
	for _, m := range msgs[1:] {
		if err := a.post(ctx, channel, &discordgo.MessageSend{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none()}); err != nil {
			return classify(err)
		}
	}
	return nil
}

// channelOf is the channel a destination names: a guild channel by its id, a user's DMs opened
// by the user's id.
func (a *Adapter) channelOf(ctx context.Context, to bot.Destination) (string, error) {
	select {
	case <-a.ready:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if to.Chat != bot.Private {
		return to.ChatID, nil
	}
	channel, err := a.dmChannel(ctx, to.ChatID)
	if err != nil {
		return "", classify(err)
	}
	return channel, nil
}

// dmChannel returns the id of the DM channel with the user, opening it on first use.
func (a *Adapter) dmChannel(ctx context.Context, userID string) (string, error) {
	a.mu.Lock()
	id, ok := a.dms[userID]
	a.mu.Unlock()
	if ok {
		return id, nil
	}
	var ch *discordgo.Channel
	err := a.rest(ctx, func(opts ...discordgo.RequestOption) (err error) {
		ch, err = a.sess.UserChannelCreate(userID, opts...)
		return err
	})
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
// or arrive out of order. The global cap and discordgo's per-route limiter pace these calls.
func (a *Adapter) sendAll(ctx context.Context, channel, replyTo string, replies []bot.Reply) error {
	for _, r := range replies {
		for _, m := range render(r) {
			send := &discordgo.MessageSend{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none(), Files: m.files}
			if replyTo != "" {
				no := false
				send.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channel, FailIfNotExists: &no}
				replyTo = ""
			}
			if err := a.post(ctx, channel, send); err != nil {
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

// post creates one message in the channel under the adapter's REST policy (rest). Each try
// reads its files from the start: a retry after a 429 or a 5xx must upload them whole again.
func (a *Adapter) post(ctx context.Context, channel string, send *discordgo.MessageSend) error {
	return a.rest(ctx, func(opts ...discordgo.RequestOption) error {
		for _, f := range send.Files {
			if s, ok := f.Reader.(io.Seeker); ok {
				if _, err := s.Seek(0, io.SeekStart); err != nil {
					return err
				}
			}
		}
		_, err := a.sess.ChannelMessageSendComplex(channel, send, opts...)
		return err
	})
}
