package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
)

// settingChatZone is, as a chat setting, the zone last given to /subscribe there: the zone a
// later /subscribe without one uses.
const settingChatZone = settingZone

func (b *Bot) tipCommands() []Command {
	cmds := []Command{{Name: "tip", Help: catalog[msgHelpTip], Handler: b.cmdTip}}
	if b.tips == nil {
		return cmds
	}
	argTime := Arg{Name: "time", Label: content.Text{EN: "HH:MM", ZH: "时:分"},
		Help: content.Text{EN: "when, on a 24-hour clock (default 09:00)", ZH: "时间，24 小时制（默认 09:00）"}}
	argZone := Arg{Name: "zone", Label: content.Text{EN: "ZONE", ZH: "时区"},
		Help: content.Text{EN: "an IANA time zone such as Asia/Shanghai", ZH: "IANA 时区，例如 Asia/Shanghai"}}
	cmds = append(cmds,
		Command{Name: "subscribe", Args: []Arg{argTime, argZone}, Help: catalog[msgHelpSubscribe], Handler: b.cmdSubscribe},
		Command{Name: "unsubscribe", Help: catalog[msgHelpUnsubscribe], Handler: b.cmdUnsubscribe},
		Command{Name: "subscription", Help: catalog[msgHelpSubscription], Handler: b.cmdSubscription},
	)
	if b.quiz != nil {
		cmds = append(cmds, b.remindCommand())
	}
	return cmds
}

// parseSubscribe reads /subscribe's arguments: a time, a zone, both (in either order) or neither.
// Zone is "" when none was given; a zone may contain spaces ("America/New York").
func parseSubscribe(args string) (at tip.TimeOfDay, zone string, timeGiven bool, err error) {
	fields := strings.Fields(ClipRunes(args, 200))
	at = tip.DefaultTime
	if len(fields) == 0 {
		return at, "", false, nil
	}
	// No zone name starts with a digit or has a colon: anything that does was meant as a time.
	looksLikeTime := func(s string) bool {
		r, _ := utf8.DecodeRuneInString(s)
		return strings.ContainsAny(s, ":：") || unicode.IsDigit(r)
	}
	switch {
	case looksLikeTime(fields[0]):
		at, err = tip.ParseTimeOfDay(fields[0])
		if err != nil {
			return 0, "", true, invalid(msgSubscribeBadTime, clip(fields[0], 20))
		}
		return at, strings.Join(fields[1:], " "), true, nil
	case len(fields) > 1 && looksLikeTime(fields[len(fields)-1]):
		last := fields[len(fields)-1]
		at, err = tip.ParseTimeOfDay(last)
		if err != nil {
			return 0, "", true, invalid(msgSubscribeBadTime, clip(last, 20))
		}
		return at, strings.Join(fields[:len(fields)-1], " "), true, nil
	}
	return at, strings.Join(fields, " "), false, nil
}

// loadZone is tip.LoadZone with its error turned into a reply: what was typed and, when there
// are close spellings, the best of them in an example.
func loadZone(name string) (*time.Location, error) {
	return loadZoneAs(name, msgZoneUnknown, msgZoneSuggest)
}

// loadZoneAs is loadZone with the replies of another command: unknown takes the name typed,
// suggest the name, the suggestions and the best of them for an example.
func loadZoneAs(name string, unknown, suggest msgID) (*time.Location, error) {
	loc, err := tip.LoadZone(name)
	var ze *tip.ZoneError
	switch {
	case err == nil:
		return loc, nil
	case errors.As(err, &ze) && len(ze.Suggestions) > 0:
		return nil, invalid(suggest, clip(ze.Name, 40), strings.Join(ze.Suggestions, ", "), ze.Suggestions[0])
	case errors.As(err, &ze):
		return nil, invalid(unknown, clip(ze.Name, 40))
	}
	return nil, err
}

// chatZone is the zone a chat's tips are read in when /subscribe names none: the zone last given
// there, in a private chat the learner's /timezone, else UTC.
func (b *Bot) chatZone(ctx context.Context, req *Request) *time.Location {
	names := []string{b.settings.chat(ctx, req.ChatKey(), settingChatZone)}
	if req.Chat == Private {
		names = append(names, b.settings.user(ctx, req.UserKey(), settingZone))
	}
	for _, n := range names {
		if n == "" {
			continue
		}
		if loc, err := tip.LoadZone(n); err == nil {
			return loc
		}
	}
	return time.UTC
}

// mayChangeTips refuses, with the reply to give, a request that may not change the chat's
// subscription: anyone may in a private chat, only an administrator in a group.
func (b *Bot) mayChangeTips(ctx context.Context, req *Request) error {
	admin, err := req.admin(ctx)
	if err != nil {
		return unavailable(fmt.Errorf("asking whether a user administers a group: %w", err))
	}
	if !admin {
		return invalid(msgTipsAdminOnly)
	}
	return nil
}

func (b *Bot) cmdSubscribe(ctx context.Context, req *Request) ([]Reply, error) {
	at, zoneName, _, err := parseSubscribe(req.Args)
	if err != nil {
		return nil, err
	}
	loc := b.chatZone(ctx, req)
	if zoneName != "" {
		if loc, err = loadZone(zoneName); err != nil {
			return nil, err
		}
	}
	if err := b.mayChangeTips(ctx, req); err != nil {
		return nil, err
	}
	lang := req.Lang
	if req.Chat == Group {
		if l := b.settings.chat(ctx, req.ChatKey(), settingLang); l != "" {
			lang = content.Lang(l)
		}
	}
	now := b.now()
	next, _ := tip.Next(now, at, loc)
	s := tip.Subscription{Chat: req.ChatKey(), Platform: req.Platform, ChatID: req.ChatID, Group: req.Chat == Group,
		At: at, Zone: loc.String(), Lang: string(lang), Next: next}
	if req.Chat == Private {
		s.User = req.UserKey()
	}
	if err := b.tips.PutSubscription(ctx, s); err != nil {
		return nil, unavailable(err)
	}
	if zoneName != "" && b.settings != nil {
		if err := b.settings.setChat(ctx, req.ChatKey(), settingChatZone, loc.String()); err != nil {
			b.log.Warn("remembering a chat's zone", "chat", req.ChatKey(), "err", err)
		}
	}
	return []Reply{{Text: Text(deliveryText(req.Lang, msgSubscribed, s, now))}}, nil
}

func (b *Bot) cmdUnsubscribe(ctx context.Context, req *Request) ([]Reply, error) {
	if err := b.mayChangeTips(ctx, req); err != nil {
		return nil, err
	}
	if _, err := b.tips.Subscription(ctx, req.ChatKey()); errors.Is(err, tip.ErrNotSubscribed) {
		return []Reply{{Text: Text(T(req.Lang, msgUnsubscribedNone))}}, nil
	} else if err != nil {
		return nil, unavailable(err)
	}
	if err := b.tips.DeleteSubscription(ctx, req.ChatKey()); err != nil {
		return nil, unavailable(err)
	}
	return []Reply{{Text: Text(T(req.Lang, msgUnsubscribed))}}, nil
}

func (b *Bot) cmdSubscription(ctx context.Context, req *Request) ([]Reply, error) {
	s, err := b.tips.Subscription(ctx, req.ChatKey())
	if errors.Is(err, tip.ErrNotSubscribed) {
		return []Reply{{Text: Text(T(req.Lang, msgNotSubscribed))}}, nil
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return []Reply{{Text: Text(deliveryText(req.Lang, msgSubscriptionIs, s, b.now()))}}, nil
}

// deliveryText words a subscription (a tip or a reminder) with message id: its time and zone, and
// its next delivery as a day and time and as a wait. One already due (being delivered now, or
// overdue while the bot was down) reads as now.
func deliveryText(lang content.Lang, id msgID, s tip.Subscription, now time.Time) string {
	loc, err := tip.LoadZone(s.Zone)
	if err != nil {
		loc = time.UTC
	}
	next := s.Next
	if !next.After(now) {
		next = now
	}
	return T(lang, id, s.At, loc, whenText(lang, next, now, loc), inText(lang, next.Sub(now)))
}

// cmdTip shows today's tip at once, today being the chat's date: in its subscription's zone, or
// the zone /subscribe would use.
func (b *Bot) cmdTip(ctx context.Context, req *Request) ([]Reply, error) {
	loc := time.UTC
	if b.settings != nil {
		loc = b.chatZone(ctx, req)
	}
	if b.tips != nil {
		if s, err := b.tips.Subscription(ctx, req.ChatKey()); err == nil {
			if l, err := tip.LoadZone(s.Zone); err == nil {
				loc = l
			}
		}
	}
	t, ok := b.deck.On(tip.DateOf(b.now(), loc))
	if !ok {
		return nil, invalid(msgNoTips)
	}
	return []Reply{b.tipReply(req.Lang, t, 0)}, nil
}

// tipReply is one tip as a message: the library's name, the tip with its code spans, where to
// read more, the learner's due cards when there are any, and a link to the library's docs.
func (b *Bot) tipReply(lang content.Lang, t tip.Tip, due int) Reply {
	var m Markup
	m.Bold(T(lang, msgTipTitle, t.Entry.DisplayName(lang))).Line()
	m.Content(t.Text.In(lang)).Para()
	m.Plain(T(lang, msgTipMore, "/lib "+t.Entry.ID))
	if due > 0 {
		m.Line().Plain(cardsDueLine(lang, due))
	}
	return Reply{Text: m, Buttons: []Button{{Label: T(lang, msgDocs), URL: t.Entry.Links.Docs}}}
}

// cardsDueLine is "You have N cards due: /review", the line tips (and reminders) add when the
// learner has cards to review.
func cardsDueLine(lang content.Lang, n int) string {
	if n == 1 {
		return T(lang, msgCardDue)
	}
	return T(lang, msgCardsDue, n)
}

// whenText words a delivery time in the chat's zone: "today 08:30", "tomorrow 08:30", or with
// its date.
func whenText(lang content.Lang, t, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	hm := lt.Format("15:04")
	y, m, d := ln.Date()
	switch lt.Format(time.DateOnly) {
	case ln.Format(time.DateOnly):
		return T(lang, msgToday, hm)
	case time.Date(y, m, d+1, 12, 0, 0, 0, loc).Format(time.DateOnly):
		return T(lang, msgTomorrow, hm)
	}
	return T(lang, msgOnDate, lt.Format(time.DateOnly), hm)
}

// inText words how long until a delivery: "in 5 h", "in 2 h 30 min", "in 12 min".
func inText(lang content.Lang, d time.Duration) string {
	mins := int((d + time.Minute - 1) / time.Minute) // rounded up: "in 0 min" never shows
	if mins < 1 {
		return T(lang, msgInNow)
	}
	h, m := mins/60, mins%60
	switch {
	case h == 0:
		return T(lang, msgInMinutes, m)
	case m == 0:
		return T(lang, msgInHours, h)
	}
	return T(lang, msgInHoursMinutes, h, m)
}

// forgetTips ends a learner's private-chat subscription and reminder, for /forget.
func (b *Bot) forgetTips(ctx context.Context, req *Request) error {
	if b.tips == nil {
		return nil
	}
	chats := []string{req.Platform + ":" + req.UserID}
	if req.Chat == Private && req.ChatKey() != chats[0] {
		chats = append(chats, req.ChatKey())
	}
	for _, c := range chats {
		if err := b.tips.DeleteSubscription(ctx, tip.Key(tip.KindRemind, c)); err != nil {
			return err
		}
		s, err := b.tips.Subscription(ctx, c)
		if errors.Is(err, tip.ErrNotSubscribed) {
			continue
		}
		if err != nil {
			return err
		}
		if s.Group || s.User != req.UserKey() {
			continue
		}
		if err := b.tips.DeleteSubscription(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
