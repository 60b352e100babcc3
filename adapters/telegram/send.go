package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// deliver sends the replies to an event as new messages, in order. Edit hints are ignored here
// (there is no message to edit), and Private replies are sent like the rest, since a Telegram
// chat message cannot be shown to one member only. A chat that refuses the bot is reported to the
// core; other failures are logged.
func (a *Adapter) deliver(ctx context.Context, o *origin, replies []bot.Reply) {
	err := a.sendAll(ctx, o, replies)
	noteCutShort(ctx, err)
	switch {
	case err == nil || ctx.Err() != nil:
	case errors.Is(err, bot.ErrUnreachable):
		a.h.MarkUnreachable(ctx, Platform, strconv.FormatInt(o.to.id, 10), strings.TrimPrefix(err.Error(), bot.ErrUnreachable.Error()+": "))
	default:
		a.log.Error("sending a reply", "chat", o.to.key, "err", err)
	}
}

// sendAll sends replies in order and returns the first error; the rest are not sent, since they
// would fail the same way or arrive out of order.
func (a *Adapter) sendAll(ctx context.Context, o *origin, replies []bot.Reply) error {
	for _, r := range replies {
		if err := a.send(ctx, o, r); err != nil {
			return err
		}
	}
	return nil
}

// Send implements bot.Sender: replies to a chat that no update came from (a daily tip, a
// challenge's next question), within the same flood limits as every other message.
func (a *Adapter) Send(ctx context.Context, to bot.Destination, replies []bot.Reply) error {
	o, err := a.outbound(ctx, to)
	if err != nil {
		return err
	}
	return a.sendAll(ctx, o, replies)
}

// outbound is the origin of a message the core sends unprompted, once the adapter is connected.
func (a *Adapter) outbound(ctx context.Context, to bot.Destination) (*origin, error) {
	id, err := strconv.ParseInt(to.ChatID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("telegram: chat id %q: %w", to.ChatID, err)
	}
	select {
	case <-a.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	t := target{id: id, key: chatKey(id), group: to.Chat == bot.Group}
	ev := bot.Event{Platform: Platform, ChatID: to.ChatID, Chat: to.Chat, Locale: to.Locale}
	return &origin{to: t, ev: ev}, nil
}

var _ bot.Poster = (*Adapter)(nil)

// Post implements bot.Poster: the reply goes out as Send would send it (buttons, never a native
// poll, which cannot be edited into results), and the reference is the message id of the part
// that carries the keyboard.
func (a *Adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) (bot.MessageRef, error) {
	o, err := a.outbound(ctx, to)
	if err != nil {
		return "", err
	}
	kb, err := keyboard(r)
	if err != nil {
		return "", err
	}
	parts := renderHTML(r.Text, maxMessageLen)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	last, err := a.sendParts(ctx, o, parts, kb)
	if err != nil {
		return "", err
	}
	return bot.MessageRef(strconv.Itoa(last.MessageID)), nil
}

// Edit implements bot.Poster with editMessageText: the message keeps its place in the chat and
// costs one message of the group's budget. Without choices the keyboard goes. Telegram's
// refusals to edit a message that is gone or too old wrap bot.ErrNotEditable.
func (a *Adapter) Edit(ctx context.Context, to bot.Destination, ref bot.MessageRef, r bot.Reply) error {
	msgID, err := strconv.Atoi(string(ref))
	if err != nil || msgID <= 0 {
		return fmt.Errorf("telegram: message reference %q: %w", ref, bot.ErrNotEditable)
	}
	o, err := a.outbound(ctx, to)
	if err != nil {
		return err
	}
	kb, err := keyboard(r)
	if err != nil {
		return err
	}
	parts := renderHTML(r.Text, maxMessageLen)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	first := kb
	if len(parts) > 1 {
		first = nil
	}
	if err := a.editMessage(ctx, o, msgID, parts[0], first); err != nil {
		if notEditable(err) {
			return fmt.Errorf("telegram: %w: %w", bot.ErrNotEditable, err)
		}
		return err
	}
	_, err = a.sendParts(ctx, o, parts[1:], kb)
	return err
}

// notEditable reports Telegram's refusals to edit a message at all: it was deleted, or it can no
// longer be edited.
func notEditable(err error) bool {
	var apiErr *tgbotapi.Error
	return errors.As(err, &apiErr) && apiErr.Code == 400 &&
		(strings.Contains(apiErr.Message, "message to edit not found") || strings.Contains(apiErr.Message, "message can't be edited"))
}

// NativeQuizzes implements bot.NativeQuizzer: Telegram has quiz polls.
func (a *Adapter) NativeQuizzes() bool { return true }

// send sends one reply: as a native quiz poll when the chat asked for polls, else as HTML text
// split to Telegram's length limit, with the keyboard on the last part.
func (a *Adapter) send(ctx context.Context, o *origin, r bot.Reply) error {
	if r.Question != nil && r.Question.Native && !o.to.group {
		err := a.sendPoll(ctx, o, r)
		if !errors.Is(err, errNoPoll) {
			return err
		}
		// The question does not fit a poll's limits: buttons always work.
	}
	kb, err := keyboard(r)
	if err != nil {
		return err
	}
	if r.File != nil {
		return a.sendMedia(ctx, o, r.Text, r.File, false, kb)
	}
	if r.Image != nil {
		return a.sendMedia(ctx, o, r.Text, r.Image, true, kb)
	}
	parts := renderHTML(r.Text, maxMessageLen)
	if len(parts) == 0 {
		if kb == nil {
			return nil
		}
		parts = []string{"…"}
	}
	_, err = a.sendParts(ctx, o, parts, kb)
	return err
}

// sendParts sends the parts of a long text as messages in order, the keyboard on the last, and
// returns the last one sent.
func (a *Adapter) sendParts(ctx context.Context, o *origin, parts []string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	var last tgbotapi.Message
	for i, p := range parts {
		var k *tgbotapi.InlineKeyboardMarkup
		if i == len(parts)-1 {
			k = kb
		}
		var err error
		if last, err = a.sendMessage(ctx, o, p, k); err != nil {
			return last, err
		}
	}
	return last, nil
}

// sendMessage sends one HTML message. The first message answering a group member quotes theirs,
// so it is clear whom the bot answers; in a forum it stays in the asker's topic.
func (a *Adapter) sendMessage(ctx context.Context, o *origin, text string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	p := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(o.to.id, 10),
		"text":                     text,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	if o.replyTo != 0 {
		p["reply_to_message_id"] = strconv.Itoa(o.replyTo)
		p["allow_sending_without_reply"] = "true"
	}
	a.addThread(p, o)
	if err := p.AddInterface("reply_markup", kb); err != nil {
		return tgbotapi.Message{}, err
	}
	resp, err := a.request(ctx, &o.to, "sendMessage", p)
	if err != nil {
		return tgbotapi.Message{}, err
	}
	o.replyTo = 0
	return decodeMessage(resp)
}

// addThread keeps a reply in the asker's forum topic; v5.5.1 has no field for it.
func (a *Adapter) addThread(p tgbotapi.Params, o *origin) {
	if o.thread != 0 {
		p["message_thread_id"] = strconv.Itoa(o.thread)
	}
}

func (a *Adapter) editMessage(ctx context.Context, o *origin, msgID int, text string, kb *tgbotapi.InlineKeyboardMarkup) error {
	p := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(o.to.id, 10),
		"message_id":               strconv.Itoa(msgID),
		"text":                     text,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	// Without reply_markup the edit removes the keyboard: an answered question keeps no buttons.
	if err := p.AddInterface("reply_markup", kb); err != nil {
		return err
	}
	_, err := a.request(ctx, &o.to, "editMessageText", p)
	if isNotModified(err) {
		return nil
	}
	return err
}

// editMerged replaces the message a button was on with the replies joined into one text, under
// the keyboard of the last. Text past the length limit follows as new messages; if the message
// cannot be edited (deleted, too old) the replies are sent as new messages instead.
func (a *Adapter) editMerged(ctx context.Context, o *origin, msgID int, rs []bot.Reply) {
	var m bot.Markup
	for i, r := range rs {
		if i > 0 {
			m.Para()
		}
		m.Append(r.Text)
	}
	last := rs[len(rs)-1]
	kb, err := keyboard(bot.Reply{Choices: last.Choices, Buttons: last.Buttons})
	if err != nil {
		a.log.Error("building a keyboard", "chat", o.to.key, "err", err)
		kb = nil
	}
	parts := renderHTML(m, maxMessageLen)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	first := kb
	if len(parts) > 1 {
		first = nil
	}
	if err := a.editMessage(ctx, o, msgID, parts[0], first); err != nil {
		noteCutShort(ctx, err)
		if ctx.Err() != nil || errors.Is(err, bot.ErrUnreachable) {
			return
		}
		a.log.Warn("editing the message failed; sending the replies instead", "chat", o.to.key, "err", err)
		a.deliver(ctx, o, rs)
		return
	}
	if _, err := a.sendParts(ctx, o, parts[1:], kb); err != nil {
		noteCutShort(ctx, err)
		if ctx.Err() == nil && !errors.Is(err, bot.ErrUnreachable) {
			a.log.Error("sending a reply", "chat", o.to.key, "err", err)
		}
	}
}

// maxCaptionLen is Telegram's limit on a document's caption, in UTF-16 units after parsing.
const maxCaptionLen = 1024

// sendMedia sends a reply's file as a document, or its picture as a photo, with its text as the
// caption when the caption limit allows and as messages before it otherwise.
func (a *Adapter) sendMedia(ctx context.Context, o *origin, text bot.Markup, f *bot.File, photo bool, kb *tgbotapi.InlineKeyboardMarkup) error {
	caption := ""
	if parts := renderHTML(text, maxCaptionLen); len(parts) == 1 {
		caption = parts[0]
	} else if _, err := a.sendParts(ctx, o, renderHTML(text, maxMessageLen), nil); err != nil {
		return err
	}
	data := tgbotapi.FileBytes{Name: f.Name, Bytes: f.Data}
	base := tgbotapi.BaseFile{BaseChat: tgbotapi.BaseChat{ChatID: o.to.id}, File: data}
	if kb != nil {
		base.ReplyMarkup = kb
	}
	if o.replyTo != 0 {
		base.ReplyToMessageID, base.AllowSendingWithoutReply = o.replyTo, true
	}
	var c tgbotapi.Chattable
	method := "sendDocument"
	if photo {
		method = "sendPhoto"
		c = tgbotapi.PhotoConfig{BaseFile: base, Caption: caption, ParseMode: tgbotapi.ModeHTML}
	} else {
		c = tgbotapi.DocumentConfig{BaseFile: base, Caption: caption, ParseMode: tgbotapi.ModeHTML}
	}
	_, err := a.call(ctx, &o.to, method, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(c)
	})
	return err
}
