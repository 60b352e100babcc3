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
		loc, err := tip.LoadZone(s.Zone)
		if err != nil {
			loc = time.UTC
		}
		next := s.Next
		if !next.After(now) {
			next = now
		}
		return []Reply{{Text: Text(T(req.Lang, msgRemindIs, s.At, loc, whenText(req.Lang, next, now, loc), inText(req.Lang, next.Sub(now))))}}, nil
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
	loc := b.chatZone(ctx, req)
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
	return []Reply{{Text: Text(T(req.Lang, msgRemindSet, at, loc, whenText(req.Lang, next, now, loc), inText(req.Lang, next.Sub(now))))}}, nil
}
