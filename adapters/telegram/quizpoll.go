package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// Telegram's quiz poll limits (Bot API sendPoll).
const (
	maxPollQuestion    = 300
	maxPollOption      = 100
	maxPollOptions     = 10
	maxPollExplanation = 200
)

// errNoPoll means a question does not fit a quiz poll; the caller shows it with buttons.
var errNoPoll = errors.New("telegram: question does not fit a quiz poll")

// pollRef is what the store keeps per quiz poll, because a poll_answer update carries only the
// poll id and the voter: where to reply, and the choice data each option stands for.
type pollRef struct {
	Chat    string   `json:"chat"`
	User    string   `json:"user"`
	Locale  string   `json:"locale,omitempty"`
	Choices []string `json:"choices"`
}

// plain strips the backticks content uses to mark code, for fields Telegram shows without
// formatting (poll question, options, explanation).
func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// sendPoll sends a question as a native, non-anonymous quiz poll, so the answer comes back as a
// poll_answer, and remembers what each option means.
func (a *Adapter) sendPoll(ctx context.Context, o *origin, r bot.Reply) error {
	q := r.Question
	if len(r.Choices) < 2 || len(r.Choices) > maxPollOptions || q.Correct < 0 || q.Correct >= len(r.Choices) {
		return errNoPoll
	}
	opts := make([]string, len(r.Choices))
	data := make([]string, len(r.Choices))
	for i, c := range r.Choices {
		opts[i] = truncate(plain(c.Label), maxPollOption)
		data[i] = c.Data
	}
	p := tgbotapi.Params{
		"chat_id":           strconv.FormatInt(o.to.id, 10),
		"question":          truncate(r.Text.PlainText(), maxPollQuestion),
		"type":              "quiz",
		"is_anonymous":      "false",
		"correct_option_id": strconv.Itoa(q.Correct),
	}
	if err := p.AddInterface("options", opts); err != nil {
		return err
	}
	if e := strings.Join(strings.Fields(plain(q.Explanation)), " "); e != "" {
		p["explanation"] = truncate(e, maxPollExplanation)
	}
	a.addThread(p, o)
	kb, err := keyboard(bot.Reply{Buttons: r.Buttons})
	if err != nil {
		return err
	}
	if err := p.AddInterface("reply_markup", kb); err != nil {
		return err
	}
	resp, err := a.request(ctx, &o.to, "sendPoll", p)
	if err != nil {
		return err
	}
	msg, err := decodeMessage(resp)
	if err != nil || msg.Poll == nil || msg.Poll.ID == "" {
		return fmt.Errorf("telegram: sendPoll returned no poll: %v", err)
	}
	ref, err := json.Marshal(pollRef{Chat: o.ev.ChatID, User: o.ev.UserID, Locale: o.ev.Locale, Choices: data})
	if err != nil {
		return err
	}
	if err := a.store.PutQuizPoll(ctx, msg.Poll.ID, ref); err != nil {
		return fmt.Errorf("telegram: remembering poll %s (its answer cannot be graded): %w", msg.Poll.ID, err)
	}
	return nil
}

// onPollAnswer grades a vote on one of our quiz polls as if the matching button had been pressed.
func (a *Adapter) onPollAnswer(ctx context.Context, pa *tgbotapi.PollAnswer) {
	if len(pa.OptionIDs) == 0 {
		return // a retracted vote; quiz votes cannot be changed anyway
	}
	raw, err := a.store.QuizPoll(ctx, pa.PollID)
	if err != nil {
		a.log.Error("looking up a quiz poll", "poll", pa.PollID, "err", err)
		return
	}
	if raw == nil {
		a.log.Debug("answer to an unknown poll", "poll", pa.PollID)
		return
	}
	var ref pollRef
	if err := json.Unmarshal(raw, &ref); err != nil {
		a.log.Error("decoding a stored quiz poll", "poll", pa.PollID, "err", err)
		return
	}
	user := strconv.FormatInt(pa.User.ID, 10)
	opt := pa.OptionIDs[0]
	chatID, err := strconv.ParseInt(ref.Chat, 10, 64)
	if err != nil || user != ref.User || opt < 0 || opt >= len(ref.Choices) {
		// A forwarded copy answered by someone else, or a reference we cannot use.
		a.log.Debug("ignoring a poll answer", "poll", pa.PollID, "user", user)
		return
	}
	locale := pa.User.LanguageCode
	if locale == "" {
		locale = ref.Locale
	}
	ev := bot.Event{
		Platform: Platform, ChatID: ref.Chat, UserID: user, UserName: pa.User.FirstName, Locale: locale,
		Chat: bot.Private, Addressed: true, Choice: ref.Choices[opt],
	}
	to := target{id: chatID, key: chatKey(chatID)}
	a.deliver(ctx, &origin{to: to, ev: ev}, a.h.Handle(ctx, ev))
}
