package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Sender delivers replies to a chat when no event asked for them (a daily tip, a reminder, a
// group challenge's next question). Each adapter implements it for its platform, within that
// platform's rate limits; the terminal chat prints.
type Sender interface {
	Send(ctx context.Context, to Destination, replies []Reply) error
}

// MessageRef names a message a Poster posted, in the platform's own terms (a Telegram message
// id, a Discord channel and message id, the terminal's running number). The core keeps it with
// what the message shows (a challenge's question) so that any replica, even after a restart, can
// edit the message later. It is opaque to the core; "" names no message.
type MessageRef string

// Poster is implemented by senders that can change what they posted: a message the core keeps
// up to date, such as a challenge question that counts its answers and then shows its results.
// The core posts such a message with Post and changes it with Edit. A Sender that is not a Poster
// still gets everything through Send: each change then arrives as a new message.
type Poster interface {
	// Post sends one reply to the chat, as Send would, and returns the message that carries the
	// reply's Choices: the last one when the platform splits a long text.
	Post(ctx context.Context, to Destination, r Reply) (MessageRef, error)
	// Edit replaces the text and choices of the message ref names with r's; a reply without
	// Choices leaves the message without buttons. Text too long for one message continues in
	// new ones. An error wrapping ErrNotEditable means the message can no longer be changed
	// (deleted, too old); ErrUnreachable means the chat refuses the bot, as for Send.
	Edit(ctx context.Context, to Destination, ref MessageRef, r Reply) error
}

// ErrNotEditable is what a Poster's Edit error wraps when the message cannot be changed any more.
// The core then posts the reply as a new message.
var ErrNotEditable = errors.New("message cannot be edited")

// NativeQuizzer is implemented by senders whose platform has a quiz form of its own (Telegram quiz
// polls): the core then offers /quizmode there.
type NativeQuizzer interface {
	NativeQuizzes() bool
}

// ErrUnreachable is what a Sender's error wraps when the platform refuses to deliver to the chat
// at all (the user blocked the bot, the bot was removed, DMs are closed); the wrapping error says
// why. The core marks the chat so no sender tries again until the chat speaks to the bot.
var ErrUnreachable = errors.New("chat unreachable")

// ErrNoSender means no adapter for the destination's platform is attached.
var ErrNoSender = errors.New("bot: no sender for the platform")

// Attach registers the Sender of a platform. Main calls it once per adapter before the adapters
// run; attaching a platform twice replaces its sender.
func (b *Bot) Attach(platform string, s Sender) {
	b.sendersMu.Lock()
	defer b.sendersMu.Unlock()
	if b.senders == nil {
		b.senders = map[string]Sender{}
	}
	b.senders[platform] = s
}

func (b *Bot) sender(platform string) Sender {
	b.sendersMu.RLock()
	defer b.sendersMu.RUnlock()
	return b.senders[platform]
}

// nativeQuizzes reports whether the platform renders quizzes natively.
func (b *Bot) nativeQuizzes(platform string) bool {
	nq, ok := b.sender(platform).(NativeQuizzer)
	return ok && nq.NativeQuizzes()
}

// Send delivers replies to a chat no event came from. A chat marked unreachable is skipped with
// an error wrapping ErrUnreachable; a sender's ErrUnreachable marks the chat.
func (b *Bot) Send(ctx context.Context, to Destination, replies []Reply) error {
	s := b.sender(to.Platform)
	if s == nil {
		return fmt.Errorf("%w %q", ErrNoSender, to.Platform)
	}
	if why := b.unreachable(ctx, to.ChatKey()); why != "" {
		return fmt.Errorf("%w: %s", ErrUnreachable, why)
	}
	err := s.Send(ctx, to, replies)
	b.noteUnreachable(ctx, to, err)
	return err
}

// post sends r to a chat no event came from, as Send does, and returns a reference for editing
// it later: "" when the platform's sender cannot edit (it is not a Poster).
func (b *Bot) post(ctx context.Context, to Destination, r Reply) (MessageRef, error) {
	s := b.sender(to.Platform)
	p, ok := s.(Poster)
	if !ok {
		return "", b.Send(ctx, to, []Reply{r})
	}
	if why := b.unreachable(ctx, to.ChatKey()); why != "" {
		return "", fmt.Errorf("%w: %s", ErrUnreachable, why)
	}
	ref, err := p.Post(ctx, to, r)
	b.noteUnreachable(ctx, to, err)
	return ref, err
}

// edit changes the message post sent, and returns the reference of the message that now shows
// r: ref itself, or a new message's when the sender cannot edit, ref is "", or the platform says
// the message can no longer be changed.
func (b *Bot) edit(ctx context.Context, to Destination, ref MessageRef, r Reply) (MessageRef, error) {
	p, ok := b.sender(to.Platform).(Poster)
	if !ok || ref == "" {
		return b.post(ctx, to, r)
	}
	if why := b.unreachable(ctx, to.ChatKey()); why != "" {
		return "", fmt.Errorf("%w: %s", ErrUnreachable, why)
	}
	err := p.Edit(ctx, to, ref, r)
	if errors.Is(err, ErrNotEditable) {
		b.log.Info("a message could not be edited; posting it anew", "chat", to.ChatKey(), "err", err)
		return b.post(ctx, to, r)
	}
	b.noteUnreachable(ctx, to, err)
	return ref, err
}

// noteUnreachable marks the chat when a sender's error says it refuses the bot.
func (b *Bot) noteUnreachable(ctx context.Context, to Destination, err error) {
	if errors.Is(err, ErrUnreachable) {
		b.MarkUnreachable(ctx, to.Platform, to.ChatID, strings.TrimPrefix(err.Error(), ErrUnreachable.Error()+": "))
	}
}

// unreachable returns why the chat cannot be written to, or "".
func (b *Bot) unreachable(ctx context.Context, chat string) string {
	if b.settings == nil {
		return ""
	}
	return b.settings.chat(ctx, chat, settingUnreachable)
}

// MarkUnreachable records that the bot cannot write to a chat, so nothing sends to it unprompted
// until the chat shows it can hear the bot again. Adapters call it when the platform says so
// (Telegram 403, a my_chat_member update; Discord 50007); senders reached through Send are marked
// by the core itself.
func (b *Bot) MarkUnreachable(ctx context.Context, platform, chatID, reason string) {
	if b.settings == nil {
		return
	}
	key := platform + ":" + chatID
	if reason == "" {
		reason = "unreachable"
	}
	if err := b.settings.setChat(ctx, key, settingUnreachable, clip(reason, 200)); err != nil {
		b.log.Error("recording an unreachable chat", "chat", key, "err", err)
		return
	}
	b.log.Info("chat marked unreachable", "chat", key, "reason", reason)
}

// MarkReachable lifts the unreachable mark; the core does it itself on any event from the chat,
// and adapters call it when the platform says the bot was let back in.
func (b *Bot) MarkReachable(ctx context.Context, platform, chatID string) {
	b.clearUnreachable(ctx, platform+":"+chatID)
}

func (b *Bot) clearUnreachable(ctx context.Context, chat string) {
	if b.unreachable(ctx, chat) == "" {
		return
	}
	if err := b.settings.setChat(ctx, chat, settingUnreachable, ""); err != nil {
		b.log.Warn("clearing the unreachable mark", "chat", chat, "err", err)
		return
	}
	b.log.Info("chat reachable again", "chat", chat)
}
