// Package bot is Pybrarian's platform-neutral core. Adapters (Telegram, Discord, the terminal) turn
// what their platform delivers into an Event, pass it to Bot.Handle, and render the Replies it
// returns; nothing in this package knows which platform it is talking to.
//
// Every event goes through one pipeline: middleware shared by all (recovery, logging, input
// bounds, parsing, the reply language, reachability, settling answers of unknown outcome) around
// one router of commands, pressed choices and plain text. Commands declare their arguments, so
// platform menus are built from the same table. Adapters also attach a Sender, through which the
// core speaks first (Bot.Send) to chats no event came from; a Sender that is also a Poster lets
// the core edit what it posted, by a MessageRef it may store. Once makes such work happen once
// across replicas. Group challenges speak first too: /challenge starts one, and a runner the
// program drives on a ticker (RunChallenges) posts, counts, closes and finishes its questions.
// Daily tips and due-card reminders speak first as well: /subscribe and /remind store when, and
// a TipScheduler the program ticks from a cron job delivers each once per chat and local date.
// Settings (a learner's language, a chat's quiz mode and reachability) are kept
// apart from quiz progress, so a lookup never touches the quiz.
//
// Whatever sends (a reply, a challenge, the daily tip's fan-out) spends from rate budgets through
// a Limiter: the Redis store's, one budget for every replica, or MemoryLimiter in process. A
// Pacer keeps sends going while the shared one is down, and Wait waits for a turn.
package bot

import (
	"context"

	"github.com/pybrarian/pybrarian/content"
)

// ChatKind distinguishes one-to-one chats from groups, which changes how chatty the bot may be: in a
// group it answers only what is clearly meant for it.
type ChatKind int

// Chat kinds.
const (
	Private ChatKind = iota
	Group
)

// String names the kind in logs.
func (k ChatKind) String() string {
	if k == Group {
		return "group"
	}
	return "private"
}

// Event is one thing a user did: sent a message or pressed one of the bot's choices. It is the whole
// inbound contract between an adapter and the core.
type Event struct {
	// Platform is a short stable name ("telegram", "discord", "console"); with UserID and ChatID it
	// forms the keys progress is stored under, so it must never change for a platform.
	Platform string
	ChatID   string
	UserID   string
	UserName string
	// Locale is the user's language tag as the platform reports it ("zh-CN", "en-US", "").
	Locale string
	Chat   ChatKind
	// Addressed is true when the message was clearly meant for the bot in a group (a mention, a
	// reply to the bot, a command addressed to it). Private chats are always addressed.
	Addressed bool
	// Text is the message text. Empty when the event is a pressed choice.
	Text string
	// Choice is the Data of the Choice the user pressed, exactly as the core issued it.
	Choice string
	// IsAdmin tells whether the user administers the group (Telegram: creator or administrator;
	// Discord: Manage Server or Manage Channels), for commands only administrators may use there.
	// The core calls it only when such a command comes, so an adapter may ask its platform then.
	// Nil means the platform cannot tell: the user is an administrator of a private chat only.
	IsAdmin func(ctx context.Context) (bool, error)
}

// admin reports whether the event's user may change the chat's settings.
func (e Event) admin(ctx context.Context) (bool, error) {
	if e.Chat == Private {
		return true, nil
	}
	if e.IsAdmin == nil {
		return false, nil
	}
	return e.IsAdmin(ctx)
}

// addressed reports whether the bot should answer even when it has nothing useful to say.
func (e Event) addressed() bool { return e.Chat == Private || e.Addressed }

// UserKey identifies the user across chats on one platform ("telegram:42").
func (e Event) UserKey() string { return e.Platform + ":" + e.UserID }

// ChatKey identifies the chat on one platform ("telegram:-100123").
func (e Event) ChatKey() string { return e.Platform + ":" + e.ChatID }

// Destination is a chat the core sends to without an event to answer: a daily tip, a reminder,
// the next question of a group challenge.
type Destination struct {
	Platform string
	ChatID   string
	Chat     ChatKind
	// Locale is the language to render in when the chat has no setting of its own ("zh", "en").
	Locale string
}

// ChatKey identifies the destination's chat as Event.ChatKey does.
func (d Destination) ChatKey() string { return d.Platform + ":" + d.ChatID }

// Destination is where replies to the event go.
func (e Event) Destination() Destination {
	return Destination{Platform: e.Platform, ChatID: e.ChatID, Chat: e.Chat, Locale: e.Locale}
}

// Reply is one message the bot sends back. Adapters render Text in their own markup, show Choices as
// buttons (or numbered lines), and honour the hints they can.
type Reply struct {
	Text Markup
	// Choices are the answer options of a quiz question, in order; nothing else goes here.
	Choices []Choice
	// Buttons are links or commands shown under the message ("Docs", "Quiz me on this").
	Buttons []Button
	// Entry is the id of the knowledge-base entry this reply presents as the answer, or "".
	Entry string
	// Edit asks the adapter to replace the message this event answered (a pressed choice's
	// message) instead of sending a new one, where the platform allows it.
	Edit bool
	// Private asks the adapter to show the reply only to the asking user where the platform can
	// (a Discord ephemeral message, a Telegram callback notice); elsewhere it is sent normally.
	Private bool
	// Question carries the quiz question this reply asks, for adapters that render questions
	// natively (Telegram quiz polls). Nil for every other reply.
	Question *QuestionInfo
	// Card is the entry this reply presents, laid out for platforms with rich layouts (Discord
	// embeds); Text says the same for everyone else. Nil for other replies.
	Card *EntryCard
	// File is a document the reply carries (a learner's exported review log): Telegram sends it
	// as a document with the text as its caption, Discord attaches it, the terminal writes it to
	// disk and says where.
	File *File
	// Image is a picture (PNG) showing what the text says (a /stats chart): Telegram sends it as
	// a photo with the text as its caption, Discord shows it in the message, the terminal's JSON
	// output writes it to disk. An adapter that cannot show pictures sends the text alone, which
	// always stands on its own.
	Image *File
}

// File is a document a reply carries.
type File struct {
	Name string // with an extension: "pybrarian-reviews.csv"
	MIME string
	Data []byte
}

// Choice is one answer option. Data is opaque to adapters: they hand it back in Event.Choice when
// the option is pressed. It is at most MaxChoiceData bytes, so it fits Telegram callback data and
// Discord custom ids; the core refuses anything longer or not in the form it issued.
type Choice struct {
	Label string
	Data  string
}

// Button is a link (URL set) or a command the adapter sends on the user's behalf (Command set, e.g.
// "/quiz pandas").
type Button struct {
	Label   string
	URL     string
	Command string
}

// QuestionInfo describes a quiz question for native renderings: which choice is right and the
// explanation to show after answering.
type QuestionInfo struct {
	// Token identifies the question; it is what Choice.Data values encode.
	Token       string
	Correct     int
	Explanation string
	// Native is set when the chat asked for questions in the platform's own quiz form (/quizmode
	// poll). Adapters that have one use it; the rest show the choices as buttons.
	Native bool
}

// EntryCard is an entry laid out for platforms that show structured messages (Discord embeds): the
// same content as the reply's text, in parts an adapter can place.
type EntryCard struct {
	// ID is the entry's id.
	ID    string
	Title string
	// Kind is the entry's kind, for platforms that colour cards by kind.
	Kind content.Kind
	// Subtitle is the kind and, when not active, the status, in the reply's language.
	Subtitle string
	// Note is said before the card, or is empty: that a typo was corrected, say.
	Note        Markup
	Description Markup
	Fields      []CardField
	// Links are the buttons under the card: docs, PyPI, "Quiz me".
	Links []Button
}

// CardField is one named part of an EntryCard.
type CardField struct {
	Name  string
	Value Markup
}
