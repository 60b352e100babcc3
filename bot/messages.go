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
	msgUnknownCommand  msgID = "unknown-command"
	msgUnavailable     msgID = "unavailable"
	msgInternal        msgID = "internal"
	msgNotUnderstood   msgID = "not-understood"
	msgNotFound        msgID = "not-found"
	msgNotFoundHint    msgID = "not-found-hint"
	msgDidYouMean      msgID = "did-you-mean"
	msgTypoNote        msgID = "typo-note"
	msgInstall         msgID = "install"
	msgKeyFeatures     msgID = "key-features"
	msgUpdated         msgID = "updated"
	msgStatus          msgID = "status"
	msgUseInstead      msgID = "use-instead"
	msgTip             msgID = "tip"
	msgRelated         msgID = "related"
	msgDocs            msgID = "docs"
	msgPyPI            msgID = "pypi"
	msgQuizMe          msgID = "quiz-me"
	msgTopicsHeader    msgID = "topics-header"
	msgTopicsFooter    msgID = "topics-footer"
	msgTopicHeader     msgID = "topic-header"
	msgCompareHeader   msgID = "compare-header"
	msgCompareWhat     msgID = "compare-what"
	msgCompareDiff     msgID = "compare-diff"
	msgComparePick     msgID = "compare-pick"
	msgCompareYear     msgID = "compare-year"
	msgCompareBuiltOn  msgID = "compare-built-on"
	msgCompareStatus   msgID = "compare-status"
	msgCompareKind     msgID = "compare-kind"
	msgCompareSame     msgID = "compare-same"
	msgFindUsage       msgID = "find-usage"
	msgFindHeader      msgID = "find-header"
	msgFindNone        msgID = "find-none"
	msgFindUsedFor     msgID = "find-used-for"
	msgFindFeature     msgID = "find-feature"
	msgHelpHeader      msgID = "help-header"
	msgHelpAsk         msgID = "help-ask"
	msgWelcome         msgID = "welcome"
	msgHelpCmdLib      msgID = "help-lib"
	msgHelpCmdFind     msgID = "help-find"
	msgHelpCmdHelp     msgID = "help-help"
	msgHelpCmdStart    msgID = "help-start"
	msgStatusActive    msgID = "status-active"
	msgStatusMaint     msgID = "status-maintenance"
	msgStatusUnmaint   msgID = "status-unmaintained"
	msgStatusDiscont   msgID = "status-discontinued"
	msgStatusSupersede msgID = "status-superseded"
	msgKindLibrary     msgID = "kind-library"
	msgKindFramework   msgID = "kind-framework"
	msgKindTool        msgID = "kind-tool"
	msgKindConcept     msgID = "kind-concept"
	msgListSep         msgID = "list-sep"
)

// catalog holds every user-facing sentence of the core in both languages. A test checks that every
// id has both halves.
var catalog = map[msgID]content.Text{
	msgUnknownCommand:  {EN: "I don't know the command %s. Send /help to see what I can do.", ZH: "我不认识命令 %s。发送 /help 查看我能做什么。"},
	msgUnavailable:     {EN: "Progress is unavailable right now, try again in a moment. Lookups still work.", ZH: "学习进度暂时无法读取，请稍后再试。查询功能仍可正常使用。"},
	msgInternal:        {EN: "Sorry, something went wrong on my side. Please try again.", ZH: "抱歉，我这边出了点问题，请再试一次。"},
	msgNotUnderstood:   {EN: "I'm not sure what you mean. Ask “what is pandas?”, search with /find plotting, or send /help.", ZH: "我没太明白。可以问“pandas是什么”，用 /find 画图 按用途搜索，或发送 /help。"},
	msgNotFound:        {EN: "I don't know a library or concept called “%s”.", ZH: "我不知道叫“%s”的库或概念。"},
	msgNotFoundHint:    {EN: "Send /lib to browse all topics, or /find to search by what you want to do.", ZH: "发送 /lib 浏览所有主题，或用 /find 按用途搜索。"},
	msgDidYouMean:      {EN: "Did you mean: ", ZH: "你是不是想找："},
	msgTypoNote:        {EN: "(You typed “%s”; showing %s.)", ZH: "（你输入的是“%s”，为你显示 %s。）"},
	msgInstall:         {EN: "Install: ", ZH: "安装："},
	msgKeyFeatures:     {EN: "Key features", ZH: "主要特点"},
	msgUpdated:         {EN: "Updated: ", ZH: "更正与更新："},
	msgStatus:          {EN: "Status: ", ZH: "状态："},
	msgUseInstead:      {EN: "Use instead: ", ZH: "建议改用："},
	msgTip:             {EN: "Tip: ", ZH: "小技巧："},
	msgRelated:         {EN: "Related: ", ZH: "相关："},
	msgDocs:            {EN: "Docs", ZH: "文档"},
	msgPyPI:            {EN: "PyPI", ZH: "PyPI"},
	msgQuizMe:          {EN: "Quiz me on this", ZH: "考考我"},
	msgTopicsHeader:    {EN: "Topics and what I know in each:", ZH: "各主题及收录的内容："},
	msgTopicsFooter:    {EN: "Send /lib NAME for details, e.g. /lib pandas.", ZH: "发送 /lib 名称 查看详情，例如 /lib pandas。"},
	msgTopicHeader:     {EN: "%s — %d entries:", ZH: "%s——共 %d 个条目："},
	msgCompareHeader:   {EN: "%s vs %s", ZH: "%s 对比 %s"},
	msgCompareWhat:     {EN: "What each is for", ZH: "各自的用途"},
	msgCompareDiff:     {EN: "Key differences", ZH: "主要区别"},
	msgComparePick:     {EN: "When to pick which", ZH: "如何选择"},
	msgCompareYear:     {EN: "First released: %s %d, %s %d", ZH: "首次发布：%s %d 年，%s %d 年"},
	msgCompareBuiltOn:  {EN: "%s is built on %s", ZH: "%s 基于 %s 构建"},
	msgCompareStatus:   {EN: "%s: %s", ZH: "%s：%s"},
	msgCompareKind:     {EN: "%s is a %s; %s is a %s", ZH: "%s 是%s；%s 是%s"},
	msgCompareSame:     {EN: "Both names point to the same entry.", ZH: "这两个名字指的是同一个条目。"},
	msgFindUsage:       {EN: "Tell me what you want to do, e.g. /find scraping or /find plotting charts.", ZH: "告诉我你想做什么，例如 /find 爬虫 或 /find 画图。"},
	msgFindHeader:      {EN: "Libraries for “%s”:", ZH: "适合“%s”的库："},
	msgFindNone:        {EN: "I found nothing for “%s”. Try other words, or send /lib to browse topics.", ZH: "没有找到与“%s”相关的内容。换个说法试试，或发送 /lib 浏览主题。"},
	msgFindUsedFor:     {EN: "used for ", ZH: "用于"},
	msgFindFeature:     {EN: "feature: ", ZH: "特点："},
	msgHelpHeader:      {EN: "Pybrarian teaches you Python's libraries. Commands:", ZH: "Pybrarian 帮你认识 Python 的各种库。命令："},
	msgHelpAsk:         {EN: "You can also just ask: “what is flask?”, “flask vs django”, “a library for plotting”.", ZH: "也可以直接问：“flask是什么”、“flask和django的区别”、“有什么库可以画图”。"},
	msgWelcome:         {EN: "Hi %s! I'm Pybrarian, your guide to Python's libraries.", ZH: "你好，%s！我是 Pybrarian，带你认识 Python 的各种库。"},
	msgHelpCmdLib:      {EN: "what a library is; two names compare them; alone lists topics", ZH: "查看某个库的介绍；给两个名字则对比；不带参数列出所有主题"},
	msgHelpCmdFind:     {EN: "find libraries by what you want to do", ZH: "按用途查找库"},
	msgHelpCmdHelp:     {EN: "show this help", ZH: "显示本帮助"},
	msgHelpCmdStart:    {EN: "welcome and help", ZH: "欢迎与帮助"},
	msgStatusActive:    {EN: "actively maintained", ZH: "积极维护中"},
	msgStatusMaint:     {EN: "maintenance only (bug and security fixes)", ZH: "仅维护（只修复缺陷和安全问题）"},
	msgStatusUnmaint:   {EN: "unmaintained", ZH: "已无人维护"},
	msgStatusDiscont:   {EN: "discontinued", ZH: "已停止开发"},
	msgStatusSupersede: {EN: "superseded", ZH: "已被取代"},
	msgKindLibrary:     {EN: "library", ZH: "库"},
	msgKindFramework:   {EN: "framework", ZH: "框架"},
	msgKindTool:        {EN: "tool", ZH: "工具"},
	msgKindConcept:     {EN: "concept", ZH: "概念"},
	msgListSep:         {EN: ", ", ZH: "、"},
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
