package bot

import (
	"fmt"

	"github.com/pybrarian/pybrarian/content"
)

// msgID names a message in the catalogue.
type msgID string

// T returns message id in lang, formatted with args like fmt.Sprintf.
func T(lang content.Lang, id msgID, args ...any) string {
	t, ok := catalog[id]
	if !ok {
		return string(id)
	}
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

const (
	msgHelpRemind              msgID = "help-remind"
	msgRemindSet               msgID = "remind-set"
	msgRemindMoved             msgID = "remind-moved"
	msgRemindIs                msgID = "remind-is"
	msgRemindNone              msgID = "remind-none"
	msgRemindOff               msgID = "remind-off"
	msgRemindPrivate           msgID = "remind-private"
	msgRemindBadTime           msgID = "remind-bad-time"
	msgHelpSubscribe           msgID = "help-subscribe"
	msgHelpUnsubscribe         msgID = "help-unsubscribe"
	msgHelpSubscription        msgID = "help-subscription"
	msgHelpTip                 msgID = "help-tip"
	msgSubscribed              msgID = "subscribed"
	msgSubscriptionIs          msgID = "subscription-is"
	msgNotSubscribed           msgID = "not-subscribed"
	msgUnsubscribed            msgID = "unsubscribed"
	msgUnsubscribedNone        msgID = "unsubscribed-none"
	msgSubscribeBadTime        msgID = "subscribe-bad-time"
	msgZoneUnknown             msgID = "zone-unknown"
	msgZoneSuggest             msgID = "zone-suggest"
	msgHelpTimezone            msgID = "help-timezone"
	msgTimezoneIs              msgID = "timezone-is"
	msgTimezoneUnset           msgID = "timezone-unset"
	msgTimezoneSet             msgID = "timezone-set"
	msgTimezoneCleared         msgID = "timezone-cleared"
	msgTimezoneUnknown         msgID = "timezone-unknown"
	msgTimezoneSuggest         msgID = "timezone-suggest"
	msgTipsAdminOnly           msgID = "tips-admin-only"
	msgTipTitle                msgID = "tip-title"
	msgTipMore                 msgID = "tip-more"
	msgCardsDue                msgID = "cards-due"
	msgCardDue                 msgID = "card-due"
	msgNoTips                  msgID = "no-tips"
	msgToday                   msgID = "today-at"
	msgTomorrow                msgID = "tomorrow-at"
	msgOnDate                  msgID = "on-date-at"
	msgInNow                   msgID = "in-now"
	msgInMinutes               msgID = "in-minutes"
	msgInHours                 msgID = "in-hours"
	msgInHoursMinutes          msgID = "in-hours-minutes"
	msgUnknownCommand          msgID = "unknown-command"
	msgUnavailable             msgID = "unavailable"
	msgInternal                msgID = "internal"
	msgNotUnderstood           msgID = "not-understood"
	msgNotFound                msgID = "not-found"
	msgNotFoundHint            msgID = "not-found-hint"
	msgDidYouMean              msgID = "did-you-mean"
	msgTypoNote                msgID = "typo-note"
	msgInstall                 msgID = "install"
	msgKeyFeatures             msgID = "key-features"
	msgUpdated                 msgID = "updated"
	msgStatus                  msgID = "status"
	msgUseInstead              msgID = "use-instead"
	msgTip                     msgID = "tip"
	msgRelated                 msgID = "related"
	msgDocs                    msgID = "docs"
	msgPyPI                    msgID = "pypi"
	msgQuizMe                  msgID = "quiz-me"
	msgTopicsHeader            msgID = "topics-header"
	msgTopicsFooter            msgID = "topics-footer"
	msgTopicHeader             msgID = "topic-header"
	msgCompareHeader           msgID = "compare-header"
	msgCompareWhat             msgID = "compare-what"
	msgCompareDiff             msgID = "compare-diff"
	msgComparePick             msgID = "compare-pick"
	msgCompareYear             msgID = "compare-year"
	msgCompareBuiltOn          msgID = "compare-built-on"
	msgCompareStatus           msgID = "compare-status"
	msgCompareKind             msgID = "compare-kind"
	msgCompareSame             msgID = "compare-same"
	msgFindUsage               msgID = "find-usage"
	msgFindHeader              msgID = "find-header"
	msgFindNone                msgID = "find-none"
	msgFindUsedFor             msgID = "find-used-for"
	msgFindFeature             msgID = "find-feature"
	msgHelpHeader              msgID = "help-header"
	msgHelpAsk                 msgID = "help-ask"
	msgWelcome                 msgID = "welcome"
	msgHelpCmdLib              msgID = "help-lib"
	msgHelpCmdFind             msgID = "help-find"
	msgHelpCmdHelp             msgID = "help-help"
	msgHelpCmdStart            msgID = "help-start"
	msgStatusActive            msgID = "status-active"
	msgStatusMaint             msgID = "status-maintenance"
	msgStatusUnmaint           msgID = "status-unmaintained"
	msgStatusDiscont           msgID = "status-discontinued"
	msgStatusSupersede         msgID = "status-superseded"
	msgKindLibrary             msgID = "kind-library"
	msgKindFramework           msgID = "kind-framework"
	msgKindTool                msgID = "kind-tool"
	msgKindConcept             msgID = "kind-concept"
	msgListSep                 msgID = "list-sep"
	msgHelpQuiz                msgID = "help-quiz"
	msgHelpReview              msgID = "help-review"
	msgHelpStop                msgID = "help-stop"
	msgHelpStats               msgID = "help-stats"
	msgHelpLeaderboard         msgID = "help-leaderboard"
	msgHelpReport              msgID = "help-report"
	msgHelpLang                msgID = "help-lang"
	msgHelpForget              msgID = "help-forget"
	msgHelpLink                msgID = "help-link"
	msgHelpUnlink              msgID = "help-unlink"
	msgLinkPrivate             msgID = "link-private"
	msgLinkCodeIntro           msgID = "link-code-intro"
	msgLinkCodeHow             msgID = "link-code-how"
	msgLinkAlready             msgID = "link-already"
	msgLinkUnknown             msgID = "link-unknown"
	msgLinkBurnt               msgID = "link-burnt"
	msgLinkSelf                msgID = "link-self"
	msgLinkSame                msgID = "link-same"
	msgLinkTooMany             msgID = "link-too-many"
	msgLinked                  msgID = "linked"
	msgUnlinkNone              msgID = "unlink-none"
	msgUnlinked                msgID = "unlinked"
	msgPlatformConsole         msgID = "platform-console"
	msgForgetLinked            msgID = "forget-linked"
	msgQuizUnknownTopic        msgID = "quiz-unknown-topic"
	msgQuizCount               msgID = "quiz-count"
	msgQuizQuestion            msgID = "quiz-question"
	msgQuizOnceMore            msgID = "quiz-once-more"
	msgQuizAgainSoon           msgID = "quiz-again-soon"
	msgQuizRight               msgID = "quiz-right"
	msgQuizAnswerIs            msgID = "quiz-answer-is"
	msgQuizWrong               msgID = "quiz-wrong"
	msgQuizComesBack           msgID = "quiz-comes-back"
	msgQuizReadMore            msgID = "quiz-read-more"
	msgQuizReportHint          msgID = "quiz-report-hint"
	msgQuizDone                msgID = "quiz-done"
	msgQuizStopped             msgID = "quiz-stopped"
	msgQuizScore               msgID = "quiz-score"
	msgQuizStreak              msgID = "quiz-streak"
	msgQuizNewCards            msgID = "quiz-new-cards"
	msgQuizNextDue             msgID = "quiz-next-due"
	msgQuizTopics              msgID = "quiz-topics"
	msgQuizTopicLine           msgID = "quiz-topic-line"
	msgQuizTopicAll            msgID = "quiz-topic-all"
	msgQuizTopicsHint          msgID = "quiz-topics-hint"
	msgQuizNoRound             msgID = "quiz-no-round"
	msgQuizStale               msgID = "quiz-stale"
	msgQuizAnswered            msgID = "quiz-answered"
	msgQuizNotYours            msgID = "quiz-not-yours"
	msgQuizBadChoice           msgID = "quiz-bad-choice"
	msgQuizOutOfRange          msgID = "quiz-out-of-range"
	msgQuizNothingDue          msgID = "quiz-nothing-due"
	msgQuizNothingAtAll        msgID = "quiz-nothing-at-all"
	msgStatsHeader             msgID = "stats-header"
	msgStatsAnswered           msgID = "stats-answered"
	msgStatsStreak             msgID = "stats-streak"
	msgStatsDue                msgID = "stats-due"
	msgStatsTopics             msgID = "stats-topics"
	msgStatsTopicLine          msgID = "stats-topic-line"
	msgStatsEmpty              msgID = "stats-empty"
	msgBoardPrivate            msgID = "board-private"
	msgBoardHeader             msgID = "board-header"
	msgBoardEmpty              msgID = "board-empty"
	msgBoardPoints             msgID = "board-points"
	msgBoardYou                msgID = "board-you"
	msgBoardYouNone            msgID = "board-you-none"
	msgReportNone              msgID = "report-none"
	msgReportThanks            msgID = "report-thanks"
	msgLangUsage               msgID = "lang-usage"
	msgLangSet                 msgID = "lang-set"
	msgLangGroupSet            msgID = "lang-group-set"
	msgLangGroupAuto           msgID = "lang-group-auto"
	msgForgetAsk               msgID = "forget-ask"
	msgForgetButton            msgID = "forget-button"
	msgForgetDone              msgID = "forget-done"
	msgForgetUsage             msgID = "forget-usage"
	msgWhenNow                 msgID = "when-now"
	msgWhenMinutes             msgID = "when-minutes"
	msgWhenHours               msgID = "when-hours"
	msgWhenDays                msgID = "when-days"
	msgWhenMinute              msgID = "when-minute"
	msgWhenHour                msgID = "when-hour"
	msgWhenDay                 msgID = "when-day"
	msgRateLimited             msgID = "rate-limited"
	msgStatsRetention          msgID = "stats-retention"
	msgParamsDefault           msgID = "params-default"
	msgParamsCommunity         msgID = "params-community"
	msgParamsPersonal          msgID = "params-personal"
	msgTooLong                 msgID = "too-long"
	msgBusy                    msgID = "busy"
	msgCorrupt                 msgID = "corrupt"
	msgNotAChoice              msgID = "not-a-choice"
	msgSettledLost             msgID = "settled-lost"
	msgSettledRight            msgID = "settled-right"
	msgSettledWrong            msgID = "settled-wrong"
	msgSettledSaved            msgID = "settled-saved"
	msgHelpQuizMode            msgID = "help-quizmode"
	msgQuizModeUnsupported     msgID = "quizmode-unsupported"
	msgQuizModePoll            msgID = "quizmode-poll"
	msgQuizModeButtons         msgID = "quizmode-buttons"
	msgQuizModeSetPoll         msgID = "quizmode-set-poll"
	msgQuizModeSetButtons      msgID = "quizmode-set-buttons"
	msgQuizModeGroup           msgID = "quizmode-group"
	msgQuizModeUsage           msgID = "quizmode-usage"
	msgHelpChallenge           msgID = "help-challenge"
	msgChallengeGroupOnly      msgID = "challenge-group-only"
	msgChallengeUsage          msgID = "challenge-usage"
	msgChallengeRunning        msgID = "challenge-running"
	msgChallengeAnnounce       msgID = "challenge-announce"
	msgChallengeRules          msgID = "challenge-rules"
	msgChallengeQuestion       msgID = "challenge-question"
	msgChallengeTime           msgID = "challenge-time"
	msgChallengeCount          msgID = "challenge-count"
	msgChallengeTimeUp         msgID = "challenge-time-up"
	msgChallengeTally          msgID = "challenge-tally"
	msgChallengeFastest        msgID = "challenge-fastest"
	msgChallengeHit            msgID = "challenge-hit"
	msgChallengeMoreRight      msgID = "challenge-more-right"
	msgChallengeNobodyRight    msgID = "challenge-nobody-right"
	msgChallengeNobodyAnswered msgID = "challenge-nobody-answered"
	msgChallengeWithdrawn      msgID = "challenge-withdrawn"
	msgChallengeScoreboard     msgID = "challenge-scoreboard"
	msgChallengeMorePlayers    msgID = "challenge-more-players"
	msgChallengeFinal          msgID = "challenge-final"
	msgChallengeFinalLine      msgID = "challenge-final-line"
	msgChallengeFinalHint      msgID = "challenge-final-hint"
	msgChallengeStoppedBy      msgID = "challenge-stopped-by"
	msgChallengeInterrupted    msgID = "challenge-interrupted"
	msgChallengeNoPlayers      msgID = "challenge-no-players"
	msgChallengeRecorded       msgID = "challenge-recorded"
	msgChallengeRepeated       msgID = "challenge-repeated"
	msgChallengeLate           msgID = "challenge-late"
	msgChallengeClosed         msgID = "challenge-closed"
	msgChallengeStopNotAllowed msgID = "challenge-stop-not-allowed"
	msgHelpExport              msgID = "help-export"
	msgExportEmpty             msgID = "export-empty"
	msgExportDone              msgID = "export-done"
)

// catalog holds every user-facing sentence of the core in both languages. A test checks that every
// id has both halves.
var catalog = map[msgID]content.Text{
	msgUnknownCommand:          {EN: "I don't know the command %s. Send /help to see what I can do.", ZH: "我不认识命令 %s。发送 /help 查看我能做什么。"},
	msgUnavailable:             {EN: "Progress is unavailable right now, try again in a moment. Lookups still work.", ZH: "学习进度暂时无法读取，请稍后再试。查询功能仍可正常使用。"},
	msgInternal:                {EN: "Sorry, something went wrong on my side. Please try again.", ZH: "抱歉，我这边出了点问题，请再试一次。"},
	msgNotUnderstood:           {EN: "I'm not sure what you mean. Ask “what is pandas?”, search with /find plotting, or send /help.", ZH: "我没太明白。可以问“pandas是什么”，用 /find 画图 按用途搜索，或发送 /help。"},
	msgNotFound:                {EN: "I don't know a library or concept called “%s”.", ZH: "我不知道叫“%s”的库或概念。"},
	msgNotFoundHint:            {EN: "Send /lib to browse all topics, or /find to search by what you want to do.", ZH: "发送 /lib 浏览所有主题，或用 /find 按用途搜索。"},
	msgDidYouMean:              {EN: "Did you mean: ", ZH: "你是不是想找："},
	msgTypoNote:                {EN: "(You typed “%s”; showing %s.)", ZH: "（你输入的是“%s”，为你显示 %s。）"},
	msgInstall:                 {EN: "Install: ", ZH: "安装："},
	msgKeyFeatures:             {EN: "Key features", ZH: "主要特点"},
	msgUpdated:                 {EN: "Updated: ", ZH: "更正与更新："},
	msgStatus:                  {EN: "Status: ", ZH: "状态："},
	msgUseInstead:              {EN: "Use instead: ", ZH: "建议改用："},
	msgTip:                     {EN: "Tip: ", ZH: "小技巧："},
	msgRelated:                 {EN: "Related: ", ZH: "相关："},
	msgHelpSubscribe:           {EN: "a library tip every day at HH:MM in a time zone (default 09:00)", ZH: "每天在指定时间收到一条库的小技巧（默认 09:00）"},
	msgHelpUnsubscribe:         {EN: "stop this chat's daily tip", ZH: "停止本聊天的每日小技巧"},
	msgHelpSubscription:        {EN: "this chat's daily tip: when, and the next one", ZH: "查看本聊天的每日小技巧：时间和下一条"},
	msgHelpTip:                 {EN: "today's library tip, right now", ZH: "立即查看今天的小技巧"},
	msgSubscribed:              {EN: "Subscribed: a library tip every day at %s %s. The next one comes %s (%s).", ZH: "订阅成功：每天 %s（%s）发一条库的小技巧。下一条在%s 送达（%s）。"},
	msgSubscriptionIs:          {EN: "This chat gets a library tip every day at %s %s. The next one comes %s (%s). /unsubscribe stops it.", ZH: "本聊天每天 %s（%s）收到一条库的小技巧。下一条在%s 送达（%s）。/unsubscribe 可以停止。"},
	msgNotSubscribed:           {EN: "This chat has no daily tip. Start one with /subscribe, for example /subscribe 08:30 Asia/Shanghai.", ZH: "本聊天还没有订阅每日小技巧。用 /subscribe 开始，例如 /subscribe 08:30 Asia/Shanghai。"},
	msgUnsubscribed:            {EN: "Done: no more daily tips in this chat. /subscribe brings them back.", ZH: "好的：本聊天不再收到每日小技巧。/subscribe 可以重新订阅。"},
	msgUnsubscribedNone:        {EN: "This chat had no daily tip, so nothing changed.", ZH: "本聊天没有订阅每日小技巧，所以没有改动。"},
	msgSubscribeBadTime:        {EN: "“%s” is not a time I can read. Write it as HH:MM on a 24-hour clock, optionally followed by a time zone: /subscribe 08:30 Asia/Shanghai", ZH: "我看不懂时间“%s”。请用 24 小时制的 时:分，后面可以加时区：/subscribe 08:30 Asia/Shanghai"},
	msgZoneUnknown:             {EN: "“%s” is not a time zone I know. Use an IANA name such as Europe/Berlin or Asia/Shanghai: /subscribe 08:30 Europe/Berlin", ZH: "我不认识时区“%s”。请用 IANA 时区名，例如 Europe/Berlin 或 Asia/Shanghai：/subscribe 08:30 Europe/Berlin"},
	msgZoneSuggest:             {EN: "“%s” is not a time zone I know. Did you mean %s? For example: /subscribe 08:30 %s", ZH: "我不认识时区“%s”。你是不是想写 %s？例如：/subscribe 08:30 %s"},
	msgHelpTimezone:            {EN: "your time zone, for streaks, due today and reminders", ZH: "你的时区，用于连续天数、今日待复习和提醒"},
	msgTimezoneIs:              {EN: "Your time zone: %s (it is %s there). Change it with /timezone Area/City, or /timezone off for UTC.", ZH: "你的时区：%s（当地时间 %s）。发送 /timezone 地区/城市 可以更改，/timezone off 改回 UTC。"},
	msgTimezoneUnset:           {EN: "Your days are counted in UTC (it is %s UTC now). Chat apps do not tell me your time zone: set it with /timezone Area/City, e.g. /timezone Asia/Shanghai.", ZH: "你的每一天目前按 UTC 计算（现在是 UTC %s）。聊天应用不会告诉我你的时区，请用 /timezone 地区/城市 设置，例如 /timezone Asia/Shanghai。"},
	msgTimezoneSet:             {EN: "Time zone set: %s (it is %s there). Your streak, cards due today, charts and reminders now follow your days there.", ZH: "时区已设为 %s（当地时间 %s）。连续天数、今日待复习、图表和提醒从现在起按这个时区计算。"},
	msgTimezoneCleared:         {EN: "Time zone cleared: your days are counted in UTC again (it is %s UTC now).", ZH: "已清除时区：你的每一天重新按 UTC 计算（现在是 UTC %s）。"},
	msgTimezoneUnknown:         {EN: "“%s” is not a time zone I know. Use an IANA name such as Europe/Berlin or Asia/Shanghai: /timezone Europe/Berlin", ZH: "我不认识时区“%s”。请用 IANA 时区名，例如 Europe/Berlin 或 Asia/Shanghai：/timezone Europe/Berlin"},
	msgTimezoneSuggest:         {EN: "“%s” is not a time zone I know. Did you mean %s? For example: /timezone %s", ZH: "我不认识时区“%s”。你是不是想写 %s？例如：/timezone %s"},
	msgTipsAdminOnly:           {EN: "Only this group's administrators can change its daily tip. /subscription shows the current one.", ZH: "只有群管理员可以更改本群的每日小技巧。/subscription 可以查看当前设置。"},
	msgTipTitle:                {EN: "💡 Tip of the day · %s", ZH: "💡 每日一技 · %s"},
	msgTipMore:                 {EN: "More about it: %s", ZH: "了解更多：%s"},
	msgCardsDue:                {EN: "You have %d cards due: /review", ZH: "你有 %d 张卡片待复习：/review"},
	msgCardDue:                 {EN: "You have 1 card due: /review", ZH: "你有 1 张卡片待复习：/review"},
	msgNoTips:                  {EN: "The knowledge base has no tips yet.", ZH: "知识库里还没有小技巧。"},
	msgToday:                   {EN: "today at %s", ZH: "今天 %s"},
	msgTomorrow:                {EN: "tomorrow at %s", ZH: "明天 %s"},
	msgOnDate:                  {EN: "on %s at %s", ZH: "%s %s"},
	msgInNow:                   {EN: "now", ZH: "马上"},
	msgInMinutes:               {EN: "in %d min", ZH: "%d 分钟后"},
	msgInHours:                 {EN: "in %d h", ZH: "%d 小时后"},
	msgInHoursMinutes:          {EN: "in %d h %d min", ZH: "%d 小时 %d 分钟后"},
	msgHelpRemind:              {EN: "a private message at HH:MM on days you have cards due; off stops it", ZH: "在有卡片待复习的日子，于 时:分 私信提醒你；off 关闭"},
	msgRemindMoved:             {EN: "Your reminder follows you: %s %s from now on.", ZH: "你的提醒也随之调整：今后在 %s（%s）。"},
	msgRemindSet:               {EN: "I'll message you at %s %s on days when you have cards due. Next check: %s (%s).", ZH: "好的：有卡片待复习的日子，我会在 %s（%s）私信提醒你。下次检查在%s（%s）。"},
	msgRemindIs:                {EN: "Your reminder: %s %s, on days when you have cards due. Next check: %s (%s). /remind off stops it.", ZH: "你的提醒：%s（%s），有卡片待复习的日子发送。下次检查在%s（%s）。/remind off 可以关闭。"},
	msgRemindNone:              {EN: "You have no reminder. Set one with /remind 08:00 and I'll message you at that time on days when you have cards due.", ZH: "你还没有设置提醒。用 /remind 08:00 设置，有卡片待复习的日子我会在那个时间私信你。"},
	msgRemindOff:               {EN: "Done: no more reminders.", ZH: "好的：不再提醒。"},
	msgRemindPrivate:           {EN: "Reminders come in a private chat: send /remind to me there.", ZH: "提醒只在私聊中发送：请在和我的私聊里发送 /remind。"},
	msgRemindBadTime:           {EN: "“%s” is not a time I can read. Write it as HH:MM on a 24-hour clock, or off: /remind 08:00", ZH: "我看不懂时间“%s”。请用 24 小时制的 时:分，或 off：/remind 08:00"},
	msgDocs:                    {EN: "Docs", ZH: "文档"},
	msgPyPI:                    {EN: "PyPI", ZH: "PyPI"},
	msgQuizMe:                  {EN: "Quiz me on this", ZH: "考考我"},
	msgTopicsHeader:            {EN: "Topics and what I know in each:", ZH: "各主题及收录的内容："},
	msgTopicsFooter:            {EN: "Send /lib NAME for details, e.g. /lib pandas.", ZH: "发送 /lib 名称 查看详情，例如 /lib pandas。"},
	msgTopicHeader:             {EN: "%s — %d entries:", ZH: "%s——共 %d 个条目："},
	msgCompareHeader:           {EN: "%s vs %s", ZH: "%s 对比 %s"},
	msgCompareWhat:             {EN: "What each is for", ZH: "各自的用途"},
	msgCompareDiff:             {EN: "Key differences", ZH: "主要区别"},
	msgComparePick:             {EN: "When to pick which", ZH: "如何选择"},
	msgCompareYear:             {EN: "First released: %s %d, %s %d", ZH: "首次发布：%s %d 年，%s %d 年"},
	msgCompareBuiltOn:          {EN: "%s is built on %s", ZH: "%s 基于 %s 构建"},
	msgCompareStatus:           {EN: "%s: %s", ZH: "%s：%s"},
	msgCompareKind:             {EN: "%s is a %s; %s is a %s", ZH: "%s 是%s；%s 是%s"},
	msgCompareSame:             {EN: "Both names point to the same entry.", ZH: "这两个名字指的是同一个条目。"},
	msgFindUsage:               {EN: "Tell me what you want to do, e.g. /find scraping or /find plotting charts.", ZH: "告诉我你想做什么，例如 /find 爬虫 或 /find 画图。"},
	msgFindHeader:              {EN: "Libraries for “%s”:", ZH: "适合“%s”的库："},
	msgFindNone:                {EN: "I found nothing for “%s”. Try other words, or send /lib to browse topics.", ZH: "没有找到与“%s”相关的内容。换个说法试试，或发送 /lib 浏览主题。"},
	msgFindUsedFor:             {EN: "used for ", ZH: "用于"},
	msgFindFeature:             {EN: "feature: ", ZH: "特点："},
	msgHelpHeader:              {EN: "Pybrarian teaches you Python's libraries. Commands:", ZH: "Pybrarian 帮你认识 Python 的各种库。命令："},
	msgHelpAsk:                 {EN: "You can also just ask: “what is flask?”, “flask vs django”, “a library for plotting”.", ZH: "也可以直接问：“flask是什么”、“flask和django的区别”、“有什么库可以画图”。"},
	msgWelcome:                 {EN: "Hi %s! I'm Pybrarian, your guide to Python's libraries.", ZH: "你好，%s！我是 Pybrarian，带你认识 Python 的各种库。"},
	msgHelpCmdLib:              {EN: "what a library is; two names compare them; alone lists topics", ZH: "查看某个库的介绍；给两个名字则对比；不带参数列出所有主题"},
	msgHelpCmdFind:             {EN: "find libraries by what you want to do", ZH: "按用途查找库"},
	msgHelpCmdHelp:             {EN: "show this help", ZH: "显示本帮助"},
	msgHelpCmdStart:            {EN: "welcome and help", ZH: "欢迎与帮助"},
	msgStatusActive:            {EN: "actively maintained", ZH: "积极维护中"},
	msgStatusMaint:             {EN: "maintenance only (bug and security fixes)", ZH: "仅维护（只修复缺陷和安全问题）"},
	msgStatusUnmaint:           {EN: "unmaintained", ZH: "已无人维护"},
	msgStatusDiscont:           {EN: "discontinued", ZH: "已停止开发"},
	msgStatusSupersede:         {EN: "superseded", ZH: "已被取代"},
	msgKindLibrary:             {EN: "library", ZH: "库"},
	msgKindFramework:           {EN: "framework", ZH: "框架"},
	msgKindTool:                {EN: "tool", ZH: "工具"},
	msgKindConcept:             {EN: "concept", ZH: "概念"},
	msgHelpQuiz:                {EN: "start a quiz round on a topic or library; alone, list topics", ZH: "开始某个主题或库的测验；不带参数则列出所有主题"},
	msgHelpReview:              {EN: "review the cards that are due", ZH: "复习到期的卡片"},
	msgHelpStop:                {EN: "end the current round", ZH: "结束当前这一轮"},
	msgHelpStats:               {EN: "your progress, streak and due cards", ZH: "查看学习进度、连续天数和到期卡片"},
	msgHelpLeaderboard:         {EN: "this group's top learners this week", ZH: "本群本周学习排行榜"},
	msgHelpReport:              {EN: "flag the last card as wrong or unclear", ZH: "反馈上一张卡片有错误或不清楚"},
	msgHelpLang:                {EN: "reply language: en, zh or auto", ZH: "设置回复语言：en、zh 或 auto"},
	msgHelpForget:              {EN: "delete all your progress", ZH: "删除你的全部学习记录"},
	msgHelpLink:                {EN: "use one progress on several accounts: get a code, or enter one", ZH: "在多个账号间共用学习进度：获取代码，或输入代码"},
	msgHelpUnlink:              {EN: "stop sharing progress with your other accounts", ZH: "停止与其他账号共用学习进度"},
	msgLinkPrivate:             {EN: "Linking works in a private chat with me: send /link there and I will give you a code.", ZH: "关联账号需要在与我的私聊中进行：在私聊里发送 /link，我会给你一个代码。"},
	msgLinkCodeIntro:           {EN: "Your linking code: ", ZH: "你的关联代码："},
	msgLinkCodeHow:             {EN: "\n\nFrom your other account (another platform, or another terminal user), send me /link %s within %d minutes. The code works once; your progress on both accounts is merged and nothing is lost. Do not share it.", ZH: "\n\n请在 %[2]d 分钟内用你的另一个账号（其他平台或另一个终端用户）向我发送 /link %[1]s。代码只能使用一次；两个账号的学习进度会合并，不会丢失任何记录。请勿把代码告诉别人。"},
	msgLinkAlready:             {EN: "Already linked: %s. /unlink splits them again.", ZH: "已关联：%s。发送 /unlink 可以解除关联。"},
	msgLinkUnknown:             {EN: "That code is unknown or expired", ZH: "该代码无效或已过期"},
	msgLinkBurnt:               {EN: "That code was posted where others can read it, so I have cancelled it. Send /link in a private chat with me for a new one, and enter it there.", ZH: "这个代码发在了别人也能看到的地方，我已将其作废。请在与我的私聊中发送 /link 获取新代码，并在私聊中输入。"},
	msgLinkSelf:                {EN: "That code came from this same account, and it is used up now. Send /link again here, then enter the new code from your other account.", ZH: "这个代码就是这个账号生成的，现已失效。请在这里重新发送 /link，然后用你的另一个账号输入新代码。"},
	msgLinkSame:                {EN: "These accounts are already linked: they share one progress.", ZH: "这两个账号已经关联，共用同一份学习进度。"},
	msgLinkTooMany:             {EN: "One progress can be shared by at most %d accounts. Send /unlink from one you no longer use first.", ZH: "一份学习进度最多由 %d 个账号共用。请先在不再使用的账号上发送 /unlink。"},
	msgLinked:                  {EN: "Linked: %s now share one progress. Your cards, history and streak are merged; leaderboard points stay with the chats where you earned them.", ZH: "已关联：%s 现在共用同一份学习进度。你的卡片、复习记录和连续天数已合并；排行榜积分仍留在获得它们的群聊中。"},
	msgUnlinkNone:              {EN: "This account is not linked to any other. /link joins accounts.", ZH: "这个账号没有关联其他账号。发送 /link 可以关联账号。"},
	msgUnlinked:                {EN: "Unlinked: this account and your others each keep a copy of the progress you had together, and go on separately from now.", ZH: "已解除关联：这个账号和你的其他账号各自保留一份共同的学习进度，此后分别记录。"},
	msgPlatformConsole:         {EN: "the terminal", ZH: "终端"},
	msgForgetLinked:            {EN: " This covers every linked account: %s.", ZH: "这包括所有已关联的账号：%s。"},
	msgQuizUnknownTopic:        {EN: "I don't know a quiz topic or library called “%s”. Send /quiz to see the topics.", ZH: "没有叫“%s”的测验主题或库。发送 /quiz 查看所有主题。"},
	msgQuizCount:               {EN: "A round has 1 to %d questions, e.g. /quiz frameworks 10.", ZH: "每轮题数为 1 到 %d，例如 /quiz frameworks 10。"},
	msgQuizQuestion:            {EN: "Question %d of %d", ZH: "第 %d 题，共 %d 题"},
	msgQuizOnceMore:            {EN: "Once more", ZH: "再来一次"},
	msgQuizAgainSoon:           {EN: "You'll see this card again before the round ends.", ZH: "本轮结束前你会再次看到这张卡片。"},
	msgQuizRight:               {EN: "Right!", ZH: "答对了！"},
	msgQuizAnswerIs:            {EN: "The answer: ", ZH: "答案是："},
	msgQuizWrong:               {EN: "Not quite: you chose “%s”. The answer: ", ZH: "不对哦：你选了“%s”。答案是："},
	msgQuizComesBack:           {EN: "This card comes back %s.", ZH: "这张卡片将于%s再次出现。"},
	msgQuizReadMore:            {EN: " to read more · ", ZH: " 了解更多 · "},
	msgQuizReportHint:          {EN: " if this card is wrong or unclear", ZH: " 反馈卡片错误或不清楚"},
	msgQuizDone:                {EN: "Round complete!", ZH: "本轮结束！"},
	msgQuizStopped:             {EN: "Round stopped.", ZH: "本轮已停止。"},
	msgQuizScore:               {EN: "Score: %d/%d", ZH: "得分：%d/%d"},
	msgQuizStreak:              {EN: "Streak: %d day(s) in a row 🔥", ZH: "已连续学习 %d 天 🔥"},
	msgQuizNewCards:            {EN: "New cards seen: %d", ZH: "初次见到的卡片：%d 张"},
	msgQuizNextDue:             {EN: "Next review: %s", ZH: "下次复习：%s"},
	msgQuizTopics:              {EN: "Quiz topics (cards · seen · mature):", ZH: "测验主题（卡片数 · 已学 · 已掌握）："},
	msgQuizTopicLine:           {EN: "%d cards · %d seen · %d mature", ZH: "%d 张 · 已学 %d · 已掌握 %d"},
	msgQuizTopicAll:            {EN: "%d cards", ZH: "%d 张"},
	msgQuizTopicsHint:          {EN: "Start with /quiz TOPIC [N], e.g. /quiz frameworks or /quiz pandas 10. /review runs your due cards.", ZH: "用 /quiz 主题 [题数] 开始，例如 /quiz 框架 或 /quiz pandas 10。/review 复习到期卡片。"},
	msgQuizNoRound:             {EN: "No round in play. Start one with /quiz.", ZH: "当前没有进行中的测验。发送 /quiz 开始。"},
	msgQuizStale:               {EN: "That question is from an earlier round.", ZH: "这道题属于之前的一轮。"},
	msgQuizAnswered:            {EN: "Already answered: only the first answer counts.", ZH: "这道题已经答过了，只算第一次的答案。"},
	msgQuizNotYours:            {EN: "This question belongs to someone else. Start your own round with /quiz.", ZH: "这是别人的题目。发送 /quiz 开始你自己的测验。"},
	msgQuizBadChoice:           {EN: "That button is no longer valid.", ZH: "这个按钮已失效。"},
	msgQuizOutOfRange:          {EN: "Pick a number from 1 to %d.", ZH: "请输入 1 到 %d 之间的数字。"},
	msgQuizNothingDue:          {EN: "Nothing to review right now. Next review: %s. Try /quiz for new cards.", ZH: "现在没有需要复习的卡片。下次复习：%s。可以用 /quiz 学习新卡片。"},
	msgQuizNothingAtAll:        {EN: "You have no cards to review yet. Start learning with /quiz.", ZH: "你还没有需要复习的卡片。先用 /quiz 开始学习吧。"},
	msgStatsHeader:             {EN: "Your progress", ZH: "你的学习进度"},
	msgStatsAnswered:           {EN: "Answers: %d · accuracy %d%%", ZH: "已答题：%d · 正确率 %d%%"},
	msgStatsStreak:             {EN: "Streak: %d day(s) · best %d", ZH: "连续学习：%d 天 · 最长 %d 天"},
	msgStatsDue:                {EN: "Due now %d · today %d · next 7 days %d", ZH: "现在到期 %d · 今天 %d · 7 天内 %d"},
	msgStatsTopics:             {EN: "By topic", ZH: "各主题"},
	msgStatsTopicLine:          {EN: "%d/%d seen · %d learning · %d mature", ZH: "已学 %d/%d · 学习中 %d · 已掌握 %d"},
	msgStatsEmpty:              {EN: "Nothing answered yet: start with /quiz.", ZH: "还没有答过题：发送 /quiz 开始吧。"},
	msgBoardPrivate:            {EN: "Leaderboards belong to group chats: play /quiz in a group to compete.", ZH: "排行榜只在群聊中有效：在群里玩 /quiz 来参与排名。"},
	msgBoardHeader:             {EN: "This week's top learners", ZH: "本周学习排行榜"},
	msgBoardEmpty:              {EN: "No points yet this week. Be the first: /quiz", ZH: "本周还没有人得分。来当第一名：/quiz"},
	msgBoardPoints:             {EN: "%d pts", ZH: "%d 分"},
	msgBoardYou:                {EN: "You are #%d with %d pts.", ZH: "你排第 %d 名，%d 分。"},
	msgBoardYouNone:            {EN: "You have no points here this week yet.", ZH: "你本周在这里还没有得分。"},
	msgReportNone:              {EN: "Answer a question first: /report flags the last card you saw.", ZH: "请先答一道题：/report 用来反馈你看到的上一张卡片。"},
	msgReportThanks:            {EN: "Thanks! Your report on the card about %s is stored for the operators.", ZH: "谢谢！你对 %s 相关卡片的反馈已记录，管理员会查看。"},
	msgLangUsage:               {EN: "Use /lang en, /lang zh, or /lang auto to follow your app's language.", ZH: "用法：/lang en、/lang zh，或 /lang auto 跟随应用语言。"},
	msgLangSet:                 {EN: "OK, I'll reply in English.", ZH: "好的，我会用中文回复。"},
	msgLangGroupSet:            {EN: "Done: I'll speak English to this whole group, in challenges for a start. Everyone's own /lang still decides the notices only they see.", ZH: "已设置：我对全群说话时将使用中文，比如挑战赛。每个人自己的 /lang 仍决定只发给本人的提示用哪种语言。"},
	msgLangGroupAuto:           {EN: "Done: what I say to this whole group follows the language of whoever starts it, such as a challenge's starter.", ZH: "已设置：我对全群说话时，语言跟随发起的人，比如挑战赛的发起者。"},
	msgForgetAsk:               {EN: "This deletes all your progress: cards, streak, stats and leaderboard points. It cannot be undone. Send /forget yes to confirm.", ZH: "这将删除你的全部学习记录：卡片、连续天数、统计和排行榜积分，且无法恢复。发送 /forget yes 确认。"},
	msgForgetButton:            {EN: "Yes, delete everything", ZH: "确认删除全部"},
	msgForgetDone:              {EN: "Done: everything I stored about you is gone.", ZH: "已完成：关于你的所有记录都已删除。"},
	msgForgetUsage:             {EN: "Send /forget to start, then /forget yes to confirm.", ZH: "先发送 /forget，再发送 /forget yes 确认。"},
	msgWhenNow:                 {EN: "now", ZH: "现在"},
	msgWhenMinutes:             {EN: "in %d minutes", ZH: "%d 分钟后"},
	msgWhenHours:               {EN: "in %d hours", ZH: "%d 小时后"},
	msgWhenDays:                {EN: "in %d days", ZH: "%d 天后"},
	msgWhenMinute:              {EN: "in a minute", ZH: "1 分钟后"},
	msgWhenHour:                {EN: "in an hour", ZH: "1 小时后"},
	msgWhenDay:                 {EN: "tomorrow", ZH: "明天"},
	msgListSep:                 {EN: ", ", ZH: "、"},
	msgStatsRetention:          {EN: "Predicted recall now: %d%% · scheduled with %s", ZH: "当前预计记忆保持率：%d%% · 排程依据：%s"},
	msgParamsDefault:           {EN: "FSRS's default weights", ZH: "FSRS 默认参数"},
	msgParamsCommunity:         {EN: "weights fitted to this community's reviews", ZH: "根据本社区复习记录拟合的参数"},
	msgParamsPersonal:          {EN: "weights fitted to your own reviews", ZH: "根据你自己的复习记录拟合的参数"},
	msgRateLimited:             {EN: "Slow down a little: you are sending messages faster than I answer them. Try again in a few seconds.", ZH: "慢一点：你发消息的速度超过了我回复的速度。请过几秒再试。"},
	msgTooLong:                 {EN: "That message is too long for me: I read at most %d characters. Ask about one library at a time.", ZH: "这条消息太长了：我最多读取 %d 个字符。请一次只问一个库。"},
	msgBusy:                    {EN: "I'm busy saving your last answer elsewhere. Please try again.", ZH: "你的上一个答案正在别处保存，请再试一次。"},
	msgCorrupt:                 {EN: "Your saved progress could not be read, and the operators have been told. Send /forget yes to start afresh; the unreadable record is kept aside for them to study.", ZH: "你保存的学习记录无法读取，已通知管理员。发送 /forget yes 可以重新开始；无法读取的记录会另行保存，供管理员排查。"},
	msgNotAChoice:              {EN: "That is not one of the choices. Answer with a number from 1 to %d, the choice's text, or a button; /stop ends the round.", ZH: "这不是选项之一。请回复 1 到 %d 之间的数字、选项文字或点按钮作答；发送 /stop 结束本轮。"},
	msgSettledLost:             {EN: "Your last answer was not saved: progress was unavailable at that moment. Here is the question again.", ZH: "你的上一个答案没有保存：当时学习进度无法写入。请重新回答这道题。"},
	msgSettledRight:            {EN: "Your last answer was saved after all, and it was right:", ZH: "你的上一个答案其实已经保存，而且答对了："},
	msgSettledWrong:            {EN: "Your last answer was saved after all, but it was not right:", ZH: "你的上一个答案其实已经保存，但答错了："},
	msgSettledSaved:            {EN: "Your last answer was saved after all.", ZH: "你的上一个答案其实已经保存。"},
	msgHelpQuizMode:            {EN: "show quiz questions as quiz polls or with answer buttons", ZH: "测验题以测验投票或按钮形式显示"},
	msgQuizModeUnsupported:     {EN: "Quiz questions here always come with answer buttons.", ZH: "这里的测验题始终以按钮形式作答。"},
	msgQuizModePoll:            {EN: "Quiz questions here come as quiz polls. Send /quizmode buttons for answer buttons.", ZH: "这里的测验题以测验投票形式出现。发送 /quizmode buttons 改用按钮作答。"},
	msgQuizModeButtons:         {EN: "Quiz questions here come with answer buttons. Send /quizmode poll for quiz polls.", ZH: "这里的测验题以按钮形式作答。发送 /quizmode poll 改用测验投票。"},
	msgQuizModeSetPoll:         {EN: "Done: quiz questions will come as quiz polls.", ZH: "已设置：测验题将以测验投票形式出现。"},
	msgQuizModeSetButtons:      {EN: "Done: quiz questions will come with answer buttons.", ZH: "已设置：测验题将以按钮形式作答。"},
	msgQuizModeGroup:           {EN: "In groups quizzes always use buttons, so everyone's answers are graded. Quiz polls work in a private chat with me.", ZH: "群组中的测验始终使用按钮，以便为每个人的作答评分。测验投票可在与我的私聊中使用。"},
	msgQuizModeUsage:           {EN: "Send /quizmode poll or /quizmode buttons.", ZH: "请发送 /quizmode poll 或 /quizmode buttons。"},
	msgHelpChallenge:           {EN: "a timed quiz for the whole group: everyone answers the same questions against the clock", ZH: "全群限时竞答：大家一起抢答同样的题目"},
	msgChallengeGroupOnly:      {EN: "Challenges are for groups: add me to one and send /challenge there. On your own, /quiz starts a round.", ZH: "挑战赛只能在群里玩：把我拉进群，在群里发送 /challenge。自己练习请用 /quiz。"},
	msgChallengeUsage:          {EN: "A challenge has 1 to %d questions of %d to %d seconds each, e.g. /challenge frameworks 5 30.", ZH: "挑战赛有 1 到 %d 道题，每题 %d 到 %d 秒，例如 /challenge frameworks 5 30。"},
	msgChallengeRunning:        {EN: "A challenge is already running in this group: question %d of %d, started by %s. It ends with its final results, or earlier when its starter or an administrator sends /stop.", ZH: "本群已有一场挑战赛在进行：第 %d 题，共 %d 题，由 %s 发起。它会在公布最终结果后结束，发起者或管理员也可以发送 /stop 提前结束。"},
	msgChallengeAnnounce:       {EN: "🏆 Challenge from %s: %d questions on %s, %d seconds each.", ZH: "🏆 %[1]s 发起挑战赛：%[3]s，共 %[2]d 题，每题 %[4]d 秒。"},
	msgChallengeRules:          {EN: "Everyone may answer each question once; the sooner you are right, the more points. First question in a moment…", ZH: "每人每题只能答一次，答对得越快，分数越高。第一题马上就来……"},
	msgChallengeQuestion:       {EN: "🏆 Question %d of %d", ZH: "🏆 第 %d 题，共 %d 题"},
	msgChallengeTime:           {EN: "⏱ %d seconds to answer", ZH: "⏱ 限时 %d 秒"},
	msgChallengeCount:          {EN: "👥 %d answered · ⏱ about %d s left", ZH: "👥 已有 %d 人作答 · ⏱ 还剩约 %d 秒"},
	msgChallengeTimeUp:         {EN: "⏱ Time's up", ZH: "⏱ 时间到"},
	msgChallengeTally:          {EN: "%d answered, %d right", ZH: "%d 人作答，%d 人答对"},
	msgChallengeFastest:        {EN: "Right, fastest first: ", ZH: "答对的人（按速度排列）："},
	msgChallengeHit:            {EN: "%s s (+%d)", ZH: "%s 秒（+%d）"},
	msgChallengeMoreRight:      {EN: " and %d more", ZH: "，另有 %d 人"},
	msgChallengeNobodyRight:    {EN: "Nobody got this one.", ZH: "这题没有人答对。"},
	msgChallengeNobodyAnswered: {EN: "Nobody answered.", ZH: "没有人作答。"},
	msgChallengeWithdrawn:      {EN: "This question was withdrawn from the content and counts for nobody.", ZH: "这道题已从内容中撤下，不计分。"},
	msgChallengeScoreboard:     {EN: "Scoreboard", ZH: "积分榜"},
	msgChallengeMorePlayers:    {EN: "… and %d more players", ZH: "……另有 %d 位玩家"},
	msgChallengeFinal:          {EN: "🏁 Final results · %s", ZH: "🏁 最终结果 · %s"},
	msgChallengeFinalLine:      {EN: "%d pts · %d/%d right (%d%%)", ZH: "%d 分 · 答对 %d/%d（%d%%）"},
	msgChallengeFinalHint:      {EN: "Every right answer also counts on this group's weekly /leaderboard, and every answer is in its player's own /review schedule.", ZH: "每道答对的题也计入本群每周的 /leaderboard，每次作答都已加入各自的 /review 复习计划。"},
	msgChallengeStoppedBy:      {EN: "Stopped by %s after %d of %d questions.", ZH: "%s 提前结束了挑战赛：已进行 %d 题，共 %d 题。"},
	msgChallengeInterrupted:    {EN: "The challenge was interrupted while I was away; these are the results so far.", ZH: "我离开了一阵子，挑战赛因此中断；以下是到目前为止的结果。"},
	msgChallengeNoPlayers:      {EN: "Nobody played this time. /challenge starts another one.", ZH: "这次没有人参加。发送 /challenge 再来一场。"},
	msgChallengeRecorded:       {EN: "Got your answer. Results when time is up.", ZH: "已收到你的答案，时间到后公布结果。"},
	msgChallengeRepeated:       {EN: "You've answered this question already: only your first answer counts.", ZH: "你已经答过这道题了，只算第一次的答案。"},
	msgChallengeLate:           {EN: "Too late: time was up for this question.", ZH: "太晚了：这道题已经截止。"},
	msgChallengeClosed:         {EN: "This question is closed.", ZH: "这道题已经结束。"},
	msgChallengeStopNotAllowed: {EN: "Only the challenge's starter (%s) or a group administrator can stop it.", ZH: "只有挑战赛的发起者（%s）或群管理员可以结束它。"},
	msgHelpExport:              {EN: "download your review log as a CSV file", ZH: "下载你的复习记录（CSV 文件）"},
	msgExportEmpty:             {EN: "You have no reviews to export yet: answer a few questions with /quiz first.", ZH: "你还没有可导出的复习记录：先用 /quiz 答几道题吧。"},
	msgExportDone:              {EN: "Your review log: %d reviews, in the format `bot evaluate` reads (card_id, review_rating, review_time, review_duration in ms).", ZH: "你的复习记录：共 %d 条，格式与 `bot evaluate` 读取的相同（card_id、review_rating、review_time、以毫秒计的 review_duration）。"},
}

// kindName and statusName word an entry's kind and status for replies.
func kindName(lang content.Lang, k content.Kind) string {
	switch k {
	case content.KindFramework:
		return T(lang, msgKindFramework)
	case content.KindTool:
		return T(lang, msgKindTool)
	case content.KindConcept:
		return T(lang, msgKindConcept)
	default:
		return T(lang, msgKindLibrary)
	}
}

func statusName(lang content.Lang, s content.Status) string {
	switch s {
	case content.StatusMaintenance:
		return T(lang, msgStatusMaint)
	case content.StatusUnmaintained:
		return T(lang, msgStatusUnmaint)
	case content.StatusDiscontinued:
		return T(lang, msgStatusDiscont)
	case content.StatusSuperseded:
		return T(lang, msgStatusSupersede)
	default:
		return T(lang, msgStatusActive)
	}
}
