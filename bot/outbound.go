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
	if errors.Is(err, ErrUnreachable) {
		b.MarkUnreachable(ctx, to.Platform, to.ChatID, strings.TrimPrefix(err.Error(), ErrUnreachable.Error()+": "))
	}
	return err
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
