package telegram

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// topicInfo carries the forum-topic fields v5.5.1's Message lacks.
type topicInfo struct {
	ThreadID int  `json:"message_thread_id"`
	IsTopic  bool `json:"is_topic_message"`
}

// thread is the topic to answer in: only messages in a forum topic have one to keep.
func (t *topicInfo) thread() int {
	if t != nil && t.IsTopic {
		return t.ThreadID
	}
	return 0
}

// extras is what the adapter reads from an update beyond the library's types.
type extras struct {
	Message       *topicInfo `json:"message"`
	CallbackQuery *struct {
		Message *topicInfo `json:"message"`
	} `json:"callback_query"`
}

func (x *extras) callbackThread() int {
	if x.CallbackQuery == nil {
		return 0
	}
	return x.CallbackQuery.Message.thread()
}

// cutShort records that shutdown stopped a reply to the update being handled from going out.
type cutShort struct{ atomic.Bool }

type cutShortKey struct{}

// noteCutShort marks the update being handled in ctx as cut short when err is shutdown's.
func noteCutShort(ctx context.Context, err error) {
	if cut, ok := ctx.Value(cutShortKey{}).(*cutShort); ok && err != nil && ctx.Err() != nil {
		cut.Store(true)
	}
}

// maxChatBacklog bounds the updates one chat may have waiting: past it, a flooded chat's further
// updates are dropped (and confirmed), so one chat can neither starve the others nor keep the
// confirmed offset from moving.
const maxChatBacklog = 64

// accept decodes one update and queues its handling behind the earlier updates of its chat. done
// is called once, when the update is settled (handled, or deliberately dropped: malformed, of a
// type the bot ignores, handled before, or past a flooded chat's backlog) with true, or when it
// must be delivered again (another replica is handling it, the store could not say, shutdown came
// first) with false. Nothing in an update can stop the adapter.
func (a *Adapter) accept(raw []byte, done func(settled bool)) {
	var head struct {
		UpdateID int `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		a.log.Warn("ignoring an update that is not a JSON object", "err", err)
		done(true)
		return
	}
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		a.log.Warn("ignoring a malformed update", "update_id", head.UpdateID, "err", err)
		done(true)
		return
	}
	var x extras
	_ = json.Unmarshal(raw, &x) // the library accepted the update; missing extras just mean none
	key, handle := a.route(&u, &x)
	if handle == nil {
		a.log.Debug("ignoring an update of a type the bot does not handle", "update_id", head.UpdateID)
		done(true)
		return
	}
	claim := "tg:" + strconv.FormatInt(a.self.ID, 10) + ":update:" + strconv.Itoa(head.UpdateID)
	queued := a.work.run(key, maxChatBacklog, func() {
		ctx := a.base
		if ctx.Err() != nil {
			done(false) // shutting down: the next start handles it
			return
		}
		res, err := a.once.Do(ctx, claim, func(ctx context.Context) error {
			defer func() {
				// A panic is logged and the update counted as handled: delivering it again
				// would only panic again.
				if p := recover(); p != nil {
					a.log.Error("panic handling an update", "update_id", head.UpdateID, "panic", p, "stack", string(debug.Stack()))
				}
			}()
			var cut cutShort
			handle(context.WithValue(ctx, cutShortKey{}, &cut))
			// Shutdown stopped a reply from going out: let the next start handle the update
			// again rather than count it done.
			if cut.Load() {
				return context.Canceled
			}
			return nil
		})
		switch {
		case err != nil && ctx.Err() != nil:
			done(false) // cut short by shutdown; released for the next start
		case err != nil:
			a.log.Warn("could not claim an update; it will come again", "update_id", head.UpdateID, "err", err)
			done(false)
		case res == bot.Busy:
			a.log.Debug("another replica is handling an update", "update_id", head.UpdateID)
			done(false)
		case res == bot.AlreadyDone:
			a.log.Debug("ignoring an update handled before", "update_id", head.UpdateID)
			done(true)
		default:
			done(true)
		}
	})
	if !queued {
		a.log.Warn("dropping an update: its chat has too many waiting", "update_id", head.UpdateID, "chat", key)
		done(true)
	}
}

// route picks the handler of an update and the key that orders it: its chat, so a chat's
// events are answered in the order they were sent.
func (a *Adapter) route(u *tgbotapi.Update, x *extras) (string, func(context.Context)) {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		m, thread := u.Message, x.Message.thread()
		return chatKey(m.Chat.ID), func(ctx context.Context) { a.onMessage(ctx, m, thread) }
	case u.CallbackQuery != nil:
		q, thread := u.CallbackQuery, x.callbackThread()
		key := "callback:" + q.ID
		if q.Message != nil && q.Message.Chat != nil {
			key = chatKey(q.Message.Chat.ID)
		}
		return key, func(ctx context.Context) { a.onCallback(ctx, q, thread) }
	case u.InlineQuery != nil:
		q := u.InlineQuery
		return "inline:" + q.ID, func(ctx context.Context) { a.onInlineQuery(ctx, q) }
	case u.PollAnswer != nil:
		pa := u.PollAnswer
		// Quiz polls go to private chats only, whose id is the user's.
		return chatKey(pa.User.ID), func(ctx context.Context) { a.onPollAnswer(ctx, pa) }
	case u.MyChatMember != nil:
		m := u.MyChatMember
		return chatKey(m.Chat.ID), func(ctx context.Context) { a.onMyChatMember(ctx, m) }
	}
	return "", nil
}

// origin is where an event came from, which decides how its replies are sent.
type origin struct {
	to      target
	ev      bot.Event
	replyTo int // the message to quote (a group member's message), 0 for none
	thread  int // the forum topic to stay in, 0 for none
}

func (a *Adapter) event(to target, from *tgbotapi.User) bot.Event {
	kind := bot.Private
	if to.group {
		kind = bot.Group
	}
	ev := bot.Event{
		Platform: Platform,
		ChatID:   strconv.FormatInt(to.id, 10),
		UserID:   strconv.FormatInt(from.ID, 10),
		UserName: from.FirstName,
		Locale:   from.LanguageCode,
		Chat:     kind,
	}
	if to.group {
		chat, user := to.id, from.ID
		ev.IsAdmin = func(ctx context.Context) (bool, error) { return a.isAdmin(ctx, chat, user) }
	}
	return ev
}

func (a *Adapter) onMessage(ctx context.Context, m *tgbotapi.Message, thread int) {
	if m.From == nil || m.From.IsBot {
		return
	}
	to := chatTarget(m.Chat)
	if strings.TrimSpace(m.Text) == "" {
		return
	}
	ev := a.event(to, m.From)
	ev.Addressed = !to.group
	text, ok := a.addressing(m, &ev)
	if !ok {
		return
	}
	ev.Text = text
	o := &origin{to: to, ev: ev, thread: thread}
	if to.group {
		o.replyTo = m.MessageID
	}
	a.deliver(ctx, o, a.h.Handle(ctx, ev))
}

// cutWord splits s at its first white space.
func cutWord(s string) (word, rest string) {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// addressing decides whether a message is meant for the bot (a command with our @username, a
// reply to one of our messages, an @mention) and returns its text with our @username removed. ok
// is false for a command addressed to another bot, which is not ours to answer.
func (a *Adapter) addressing(m *tgbotapi.Message, ev *bot.Event) (string, bool) {
	text := strings.TrimSpace(m.Text)
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == a.self.ID {
		ev.Addressed = true
	}
	if strings.HasPrefix(text, "/") {
		head, rest := cutWord(text)
		if name, at, found := strings.Cut(head, "@"); found {
			if !strings.EqualFold(at, a.self.UserName) {
				return "", false
			}
			ev.Addressed = true
			text = name + rest
		}
		return text, true
	}
	// Cut our mentions out, last first so earlier offsets stay valid.
	text = m.Text
	mentioned := false
	for i := len(m.Entities) - 1; i >= 0; i-- {
		e := m.Entities[i]
		if e.Type != "mention" {
			continue
		}
		start, end, ok := utf16Range(text, e.Offset, e.Length)
		if !ok || !strings.EqualFold(text[start:end], "@"+a.self.UserName) {
			continue
		}
		mentioned = true
		text = text[:start] + text[end:]
	}
	if mentioned {
		ev.Addressed = true
		if text = strings.Join(strings.Fields(text), " "); text == "" {
			text = "/help" // a bare "@bot" asks what the bot can do
		}
	}
	return strings.TrimSpace(text), true
}

// utf16Range turns an entity's offset and length, counted in UTF-16 units as Telegram counts,
// into byte offsets of s. ok is false when the entity does not fit in s.
func utf16Range(s string, off, n int) (start, end int, ok bool) {
	if off < 0 || n < 0 {
		return 0, 0, false
	}
	start, end = -1, -1
	u := 0
	for i, r := range s {
		if u == off {
			start = i
		}
		if u == off+n {
			end = i
			break
		}
		u += utf16.RuneLen(r)
	}
	if start < 0 && u == off {
		start = len(s)
	}
	if end < 0 && u == off+n {
		end = len(s)
	}
	return start, end, start >= 0 && end >= start
}

func (a *Adapter) onCallback(ctx context.Context, q *tgbotapi.CallbackQuery, thread int) {
	if q.From == nil || q.Message == nil || q.Message.Chat == nil || q.Data == "" || len(q.Data) > maxCallbackData {
		// A button on an inline-mode message or a game: none of ours carries data to act on.
		a.answerCallback(ctx, q.ID, "")
		return
	}
	to := chatTarget(q.Message.Chat)
	ev := a.event(to, q.From)
	ev.Addressed = true
	if cmd, ok := strings.CutPrefix(q.Data, commandPrefix); ok {
		// A command button: as if the user had typed the command.
		ev.Text = cmd
		notice, rest := takeNotice(a.h.Handle(ctx, ev))
		a.answerCallback(ctx, q.ID, notice)
		a.deliver(ctx, &origin{to: to, ev: ev, thread: thread}, rest)
		return
	}
	ev.Choice = q.Data
	notice, rest := takeNotice(a.h.Handle(ctx, ev))
	a.answerCallback(ctx, q.ID, notice)
	o := &origin{to: to, ev: ev, thread: thread}
	msgID := q.Message.MessageID
	if to.group {
		// Twenty messages a minute per group: a round lives in the one message it started in.
		if len(rest) > 0 {
			a.editMerged(ctx, o, msgID, rest)
		}
		return
	}
	var edits, others []bot.Reply
	for _, r := range rest {
		if r.Edit {
			edits = append(edits, r)
		} else {
			others = append(others, r)
		}
	}
	if len(edits) > 0 {
		a.editMerged(ctx, o, msgID, edits)
	}
	a.deliver(ctx, o, others)
}

// takeNotice removes the first reply meant for the asking user alone and returns its text for the
// callback answer, the one place Telegram shows something to one user only.
func takeNotice(replies []bot.Reply) (string, []bot.Reply) {
	for i, r := range replies {
		if r.Private {
			rest := append(append([]bot.Reply(nil), replies[:i]...), replies[i+1:]...)
			return r.Text.PlainText(), rest
		}
	}
	return "", replies
}

func (a *Adapter) answerCallback(ctx context.Context, id, text string) {
	if _, err := a.do(ctx, tgbotapi.NewCallback(id, truncate(text, 200))); err != nil && ctx.Err() == nil {
		a.log.Warn("answering a button press", "err", err)
	}
}

func (a *Adapter) onMyChatMember(ctx context.Context, u *tgbotapi.ChatMemberUpdated) {
	id := strconv.FormatInt(u.Chat.ID, 10)
	switch st := u.NewChatMember.Status; st {
	case "kicked", "left":
		a.h.MarkUnreachable(ctx, Platform, id, "my_chat_member: "+st)
	default:
		a.h.MarkReachable(ctx, Platform, id)
	}
}
