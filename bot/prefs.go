package bot

import (
	"context"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
)

// Quiz modes of a chat (/quizmode).
const (
	quizModePoll    = "poll"
	quizModeButtons = "buttons"
)

func (b *Bot) settingsCommands() []Command {
	return []Command{
		{Name: "lang", Args: []Arg{{Name: "language", Label: content.Text{EN: "LANGUAGE", ZH: "语言"}, Required: true,
			Choices: []string{"en", "zh", "auto"}, Help: content.Text{EN: "en, zh, or auto to follow your app", ZH: "en、zh，或 auto 跟随应用"}}},
			Help: catalog[msgHelpLang], Handler: b.cmdLang},
		{Name: "quizmode", Args: []Arg{{Name: "mode", Label: content.Text{EN: "MODE", ZH: "方式"},
			Choices: []string{quizModePoll, quizModeButtons}, Help: content.Text{EN: "poll or buttons", ZH: "poll 或 buttons"}}},
			Help: catalog[msgHelpQuizMode], Native: true, Handler: b.cmdQuizMode},
		{Name: "timezone", Args: []Arg{{Name: "zone", Label: content.Text{EN: "AREA/CITY", ZH: "地区/城市"},
			Help: content.Text{EN: "an IANA time zone such as Asia/Shanghai, or off for UTC", ZH: "IANA 时区，例如 Asia/Shanghai；off 表示使用 UTC"}}},
			Help: catalog[msgHelpTimezone], Private: true, Handler: b.cmdTimezone},
	}
}

// zone is the learner's time zone for counting days (streaks, "due today", charts): their
// /timezone, or UTC. A zone name the running binary cannot load also falls back to UTC.
func (b *Bot) zone(ctx context.Context, req *Request) *time.Location {
	name := b.settings.user(ctx, req.UserKey(), settingZone)
	if name == "" {
		return time.UTC
	}
	loc, err := tip.LoadZone(name) // cached once loaded
	if err != nil {
		return time.UTC
	}
	return loc
}

// cmdTimezone shows or sets the learner's time zone: the platforms never say which it is, and
// streaks, "due today", charts and reminders count the learner's own days in it.
func (b *Bot) cmdTimezone(ctx context.Context, req *Request) ([]Reply, error) {
	now := b.now()
	switch arg := strings.TrimSpace(req.Args); strings.ToLower(arg) {
	case "":
		if name := b.settings.user(ctx, req.UserKey(), settingZone); name != "" {
			loc := b.zone(ctx, req)
			return []Reply{{Text: Text(T(req.Lang, msgTimezoneIs, loc.String(), now.In(loc).Format("15:04")))}}, nil
		}
		return []Reply{{Text: Text(T(req.Lang, msgTimezoneUnset, now.UTC().Format("15:04")))}}, nil
	case "off", "reset", "关闭", "重置":
		if err := b.settings.setUser(ctx, req.UserKey(), settingZone, ""); err != nil {
			return nil, unavailable(err)
		}
		return []Reply{{Text: Text(T(req.Lang, msgTimezoneCleared, now.UTC().Format("15:04")))}}, nil
	default:
		loc, err := loadZoneAs(arg, msgTimezoneUnknown, msgTimezoneSuggest)
		if err != nil {
			return nil, err
		}
		if err := b.settings.setUser(ctx, req.UserKey(), settingZone, loc.String()); err != nil {
			return nil, unavailable(err)
		}
		text := T(req.Lang, msgTimezoneSet, loc.String(), now.In(loc).Format("15:04"))
		if moved := b.moveReminder(ctx, req, loc); moved != "" {
			text += "\n" + moved
		}
		return []Reply{{Text: Text(text)}}, nil
	}
}

// cmdLang sets the learner's reply language; an administrator's /lang in a group sets the
// group's, in which the bot speaks to the whole group (a challenge).
func (b *Bot) cmdLang(ctx context.Context, req *Request) ([]Reply, error) {
	var lang content.Lang
	switch strings.ToLower(req.Args) {
	case "en", "english", "英文", "英语":
		lang = content.English
	case "zh", "cn", "chinese", "中文", "汉语":
		lang = content.Chinese
	case "auto", "自动":
		lang = ""
	default:
		return nil, invalid(msgLangUsage)
	}
	if req.Chat == Group {
		admin, err := req.admin(ctx)
		if err != nil {
			b.log.Warn("asking whether a user administers a group", "chat", req.ChatKey(), "err", err)
		}
		if admin {
			if err := b.settings.setChat(ctx, req.ChatKey(), settingLang, string(lang)); err != nil {
				return nil, unavailable(err)
			}
			if lang == "" {
				return []Reply{{Text: Text(T(req.Lang, msgLangGroupAuto))}}, nil
			}
			return []Reply{{Text: Text(T(lang, msgLangGroupSet))}}, nil
		}
	}
	if err := b.settings.setUser(ctx, req.UserKey(), settingLang, string(lang)); err != nil {
		return nil, unavailable(err)
	}
	shown := lang
	if shown == "" {
		shown = content.ParseLocale(req.Locale)
	}
	return []Reply{{Text: Text(T(shown, msgLangSet))}}, nil
}

// cmdQuizMode shows or sets how quiz questions appear in a chat where the platform has a quiz
// form of its own. Groups always use buttons: a native quiz there could not tell whose round an
// answer belongs to.
func (b *Bot) cmdQuizMode(ctx context.Context, req *Request) ([]Reply, error) {
	if !b.nativeQuizzes(req.Platform) {
		return nil, invalid(msgQuizModeUnsupported)
	}
	arg := strings.ToLower(strings.TrimSpace(req.Args))
	if req.Chat == Group {
		switch arg {
		case "", quizModePoll:
			return []Reply{{Text: Text(T(req.Lang, msgQuizModeGroup))}}, nil
		case quizModeButtons:
			return []Reply{{Text: Text(T(req.Lang, msgQuizModeSetButtons))}}, nil
		}
		return nil, invalid(msgQuizModeUsage)
	}
	switch arg {
	case "":
		if b.settings.chat(ctx, req.ChatKey(), settingQuizMode) == quizModePoll {
			return []Reply{{Text: Text(T(req.Lang, msgQuizModePoll))}}, nil
		}
		return []Reply{{Text: Text(T(req.Lang, msgQuizModeButtons))}}, nil
	case quizModePoll, quizModeButtons:
		value, msg := quizModePoll, msgQuizModeSetPoll
		if arg == quizModeButtons {
			value, msg = "", msgQuizModeSetButtons
		}
		if err := b.settings.setChat(ctx, req.ChatKey(), settingQuizMode, value); err != nil {
			return nil, unavailable(err)
		}
		return []Reply{{Text: Text(T(req.Lang, msg))}}, nil
	}
	return nil, invalid(msgQuizModeUsage)
}

// chatLang is the language a group chose with an administrator's /lang, or "" when it chose none.
func (b *Bot) chatLang(ctx context.Context, chat string) content.Lang {
	if b.settings == nil {
		return ""
	}
	switch l := content.Lang(b.settings.chat(ctx, chat, settingLang)); l {
	case content.English, content.Chinese:
		return l
	}
	return ""
}
