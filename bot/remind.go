package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
)

// remindCommand is /remind: a learner's daily reminder of their due cards, delivered by the tip
// scheduler in their private chat.
func (b *Bot) remindCommand() Command {
	return Command{Name: "remind", Args: []Arg{{Name: "time", Label: content.Text{EN: "HH:MM|off", ZH: "时:分|off"},
		Help: content.Text{EN: "when, on a 24-hour clock, or off", ZH: "时间（24 小时制），或 off 关闭"}}},
		Help: catalog[msgHelpRemind], Handler: b.cmdRemind}
}

func (b *Bot) cmdRemind(ctx context.Context, req *Request) ([]Reply, error) {
	if req.Chat != Private {
		return nil, invalid(msgRemindPrivate)
	}
	key := tip.Key(tip.KindRemind, req.ChatKey())
	now := b.now()
	switch strings.ToLower(strings.TrimSpace(req.Args)) {
	case "":
		s, err := b.tips.Subscription(ctx, key)
		if errors.Is(err, tip.ErrNotSubscribed) {
			return []Reply{{Text: Text(T(req.Lang, msgRemindNone))}}, nil
		}
		if err != nil {
			return nil, unavailable(err)
		}
		return []Reply{{Text: Text(deliveryText(req.Lang, msgRemindIs, s, now))}}, nil
	case "off", "stop", "关", "关闭":
		if err := b.tips.DeleteSubscription(ctx, key); err != nil {
			return nil, unavailable(err)
		}
		return []Reply{{Text: Text(T(req.Lang, msgRemindOff))}}, nil
	}
	at, zoneName, timeGiven, err := parseSubscribe(req.Args)
	if err != nil || !timeGiven {
		return nil, invalid(msgRemindBadTime, clip(strings.TrimSpace(req.Args), 20))
	}
	// A reminder is the learner's own: their /timezone first, then the zone the chat last gave.
	loc := b.chatZone(ctx, req)
	if b.settings.user(ctx, req.UserKey(), settingZone) != "" {
		loc = b.zone(ctx, req)
	}
	if zoneName != "" {
		if loc, err = loadZone(zoneName); err != nil {
			return nil, err
		}
	}
	next, _ := tip.Next(now, at, loc)
	s := tip.Subscription{Chat: key, Kind: tip.KindRemind, Platform: req.Platform, ChatID: req.ChatID, User: req.UserKey(),
		At: at, Zone: loc.String(), Lang: string(req.Lang), Next: next}
	if err := b.tips.PutSubscription(ctx, s); err != nil {
		return nil, unavailable(err)
	}
	return []Reply{{Text: Text(deliveryText(req.Lang, msgRemindSet, s, now))}}, nil
}

// moveReminder puts the learner's reminder in this private chat, if any, at the same local time in
// loc, after a /timezone change: "07:00" means 07:00 where they are now. It returns the reminder's
// new line for the reply, or "" when there is none.
func (b *Bot) moveReminder(ctx context.Context, req *Request, loc *time.Location) string {
	if b.tips == nil || req.Chat != Private {
		return ""
	}
	s, err := b.tips.Subscription(ctx, tip.Key(tip.KindRemind, req.ChatKey()))
	if err != nil || s.Zone == loc.String() {
		return ""
	}
	now := b.now()
	s.Zone = loc.String()
	s.Next, _ = tip.Next(now, s.At, loc)
	if err := b.tips.PutSubscription(ctx, s); err != nil {
		b.log.Warn("moving a reminder to the learner's new zone", "err", err)
		return ""
	}
	return T(req.Lang, msgRemindMoved, s.At, loc)
}
