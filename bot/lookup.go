package bot

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

func (b *Bot) lookupCommands() []Command {
	entry := func(name string, label, help content.Text) Arg {
		return Arg{Name: name, Label: label, Help: help, Type: ArgText, Complete: CompleteEntries}
	}
	return []Command{
		{
			Name: "lib",
			Args: []Arg{
				entry("name", content.Text{EN: "NAME", ZH: "名称"}, content.Text{EN: "a library, framework or concept", ZH: "库、框架或概念的名称"}),
				entry("other", content.Text{EN: "NAME", ZH: "名称"}, content.Text{EN: "a second name, to compare the two", ZH: "第二个名称，用于对比"}),
			},
			Help:    catalog[msgHelpCmdLib],
			Handler: b.cmdLib,
		},
		{
			Name: "find",
			Args: []Arg{{Name: "what", Label: content.Text{EN: "WHAT", ZH: "用途"}, Required: true,
				Help: content.Text{EN: "what you want to do, e.g. scraping", ZH: "你想做的事，例如 爬虫"}}},
			Help:    catalog[msgHelpCmdFind],
			Handler: b.cmdFind,
		},
	}
}

// namesSplit separates several names given to /lib ("flask django", "flask, django", "flask vs django").
var namesSplit = regexp.MustCompile(`\s*(?:,|，|、|\bvs\.?\b|\band\b|和|与|对比)\s*|\s+`)

// maxLibArgs bounds what /lib reads of its argument: a comparison names two entries, and no
// entry's name is longer than this.
const maxLibArgs = 200

// cmdLib answers /lib: no argument lists the topics, one name presents its entry, two names compare
// them. A topic name lists that topic's entries.
func (b *Bot) cmdLib(ctx context.Context, req *Request) ([]Reply, error) {
	args := req.Args
	if args == "" {
		return []Reply{b.topicsReply(req.Lang)}, nil
	}
	m := b.kb.Lookup(args)
	if m.Entry != nil {
		return []Reply{b.entryReply(req.Lang, m, args)}, nil
	}
	if t, ok := b.kb.ResolveTopic(args); ok {
		return []Reply{b.topicReply(req.Lang, t)}, nil
	}
	var parts []string
	for _, p := range namesSplit.Split(ClipRunes(args, maxLibArgs), 3) {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 2 {
		return b.compare(req, parts[0], parts[1]), nil
	}
	return []Reply{b.notFoundReply(req.Lang, args, m)}, nil
}

// cmdFind answers /find WHAT with the entries whose uses and features fit best.
func (b *Bot) cmdFind(ctx context.Context, req *Request) ([]Reply, error) {
	if req.Args == "" {
		return nil, invalid(msgFindUsage)
	}
	return []Reply{b.searchReply(req.Lang, req.Args)}, nil
}

// handleText answers a plain message: a question about a library, a comparison or a search first
// (those never touch the quiz); otherwise an answer to the learner's round, or just a library's
// name. In groups it stays quiet unless it has a real answer or was addressed.
func (b *Bot) handleText(ctx context.Context, req *Request) ([]Reply, error) {
	in := parseIntent(req.Args)
	switch in.kind {
	case intentLookup:
		m := b.kb.Lookup(in.a)
		if m.Entry != nil {
			return []Reply{b.entryReply(req.Lang, m, in.a)}, nil
		}
		if !req.addressed() {
			return nil, nil
		}
		return []Reply{b.notFoundReply(req.Lang, in.a, m)}, nil
	case intentCompare:
		return b.compare(req, in.a, in.b), nil
	case intentSearch:
		return []Reply{b.searchReply(req.Lang, in.a)}, nil
	}
	var quizErr error // progress unavailable: still answer a name, report it only if nothing else fits
	// In a group, only numbers or messages addressed to the bot are checked against a round: other
	// chatter would cost a store read per message.
	if b.quiz != nil && (req.addressed() || quiz.LooksLikeAnswer(req.Args)) {
		replies, ok, err := b.answerText(ctx, req)
		switch {
		case errors.Is(err, quiz.ErrUnavailable):
			quizErr = err
		case err != nil:
			return nil, err
		case ok:
			return replies, nil
		}
	}
	if !req.addressed() {
		return nil, nil // a bare word in a group ("black", "click") is chatter, not a question
	}
	if m := b.kb.Lookup(req.Args); m.Entry != nil {
		return []Reply{b.entryReply(req.Lang, m, req.Args)}, nil
	}
	if quizErr != nil {
		return nil, quizErr
	}
	return []Reply{{Text: Text(T(req.Lang, msgNotUnderstood))}}, nil
}

// entryReply presents one entry: summary, details, features, corrections, status, a tip and links,
// as text and as a structured card for platforms with rich layouts.
func (b *Bot) entryReply(lang content.Lang, m content.Match, typed string) Reply {
	b.obs.Lookup(lookupOutcome(m, typed))
	e := m.Entry
	var t, note Markup
	if m.Kind == content.TypoMatch {
		note.Italic(T(lang, msgTypoNote, clip(strings.TrimSpace(typed), 60), e.DisplayName(lang)))
		t.Append(note).Para()
	}
	t.Bold(e.DisplayName(lang)).Plain(" · " + kindName(lang, e.Kind))
	if e.Status != content.StatusActive {
		t.Plain(" · " + statusName(lang, e.Status))
	}
	card := &EntryCard{ID: e.ID, Title: e.DisplayName(lang), Kind: e.Kind, Subtitle: kindName(lang, e.Kind), Note: note}
	if e.Status != content.StatusActive {
		card.Subtitle += " · " + statusName(lang, e.Status)
	}
	t.Line()
	var desc Markup
	desc.Content(e.Summary.In(lang)).Para()
	for i, p := range strings.Split(strings.TrimSpace(e.Details.In(lang)), "\n\n") {
		if i > 0 {
			desc.Para()
		}
		desc.Content(unwrap(p))
	}
	t.Append(desc)
	card.Description = desc
	field := func(name string, value Markup) {
		t.Para().Bold(name).Append(value)
		card.Fields = append(card.Fields, CardField{Name: strings.TrimSpace(strings.TrimRight(name, ":： ")), Value: value})
	}
	var feats Markup
	for _, f := range e.Features.In(lang) {
		feats.Item().Content(f)
	}
	t.Para().Bold(T(lang, msgKeyFeatures)).Append(feats)
	card.Fields = append(card.Fields, CardField{Name: T(lang, msgKeyFeatures), Value: feats})
	if e.Status != content.StatusActive {
		var st Markup
		st.Plain(statusName(lang, e.Status))
		if note := e.StatusNote.In(lang); note != "" {
			st.Plain(" — ").Content(note)
		}
		if len(e.SupersededBy) > 0 {
			st.Line().Bold(T(lang, msgUseInstead)).Plain(b.names(lang, e.SupersededBy))
		}
		field(T(lang, msgStatus), st)
	}
	if !e.Correction.IsZero() {
		var c Markup
		field(T(lang, msgUpdated), *c.Content(e.Correction.In(lang)))
	}
	if len(e.Tips) > 0 {
		var c Markup
		field(T(lang, msgTip), *c.Content(e.Tips[0].In(lang)))
	}
	if pip := pipName(e); pip != "" {
		var c Markup
		field(T(lang, msgInstall), *c.Code("pip install " + pip))
	}
	if len(e.Related) > 0 {
		t.Line().Bold(T(lang, msgRelated)).Plain(b.names(lang, e.Related))
		card.Fields = append(card.Fields, CardField{Name: strings.TrimRight(T(lang, msgRelated), ":： "), Value: Text(b.names(lang, e.Related))})
	}
	buttons := entryButtons(lang, e)
	if b.quiz != nil && len(b.quiz.Bank().In(quiz.Scope{Entry: e.ID})) > 0 {
		buttons = append(buttons, Button{Label: T(lang, msgQuizMe), Command: "/quiz " + e.ID})
	}
	card.Links = buttons
	return Reply{Text: t, Entry: e.ID, Buttons: buttons, Card: card}
}

// unwrap rejoins the wrapped lines of a paragraph from a YAML block: with a space between words, and
// with nothing next to Chinese characters or punctuation, where a space would read as a typo.
func unwrap(p string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(p), "\n") {
		line = strings.TrimSpace(line)
		if i > 0 && line != "" {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(line)
			if prev < cjkStart && next < cjkStart {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// cjkStart is where the CJK radicals, punctuation and ideographs begin.
const cjkStart = 0x2E80

func entryButtons(lang content.Lang, e *content.Entry) []Button {
	var bs []Button
	bs = append(bs, Button{Label: T(lang, msgDocs), URL: e.Links.Docs})
	if e.Links.PyPI != "" {
		bs = append(bs, Button{Label: T(lang, msgPyPI), URL: e.Links.PyPI})
	}
	return bs
}

// pipName is the name to pip-install, taken from the PyPI link so it keeps the project's own casing.
func pipName(e *content.Entry) string {
	if e.Links.PyPI == "" {
		return ""
	}
	return path.Base(strings.TrimSuffix(e.Links.PyPI, "/"))
}

// names renders entry ids as display names joined for lang.
func (b *Bot) names(lang content.Lang, ids []string) string {
	var out []string
	for _, id := range ids {
		if e, ok := b.kb.Entry(id); ok {
			out = append(out, e.DisplayName(lang))
		}
	}
	return strings.Join(out, T(lang, msgListSep))
}

// notFoundReply says honestly that a name is unknown, offering close names as suggestions only.
func (b *Bot) notFoundReply(lang content.Lang, name string, m content.Match) Reply {
	b.obs.Lookup("not_found")
	var t Markup
	t.Plain(T(lang, msgNotFound, clip(strings.TrimSpace(name), 60)))
	if len(m.Suggestions) > 0 {
		t.Line().Plain(T(lang, msgDidYouMean))
		for i, e := range m.Suggestions {
			if i > 0 {
				t.Plain(T(lang, msgListSep))
			}
			t.Code("/lib " + e.ID)
		}
	}
	t.Line().Plain(T(lang, msgNotFoundHint))
	return Reply{Text: t}
}

// topicsReply lists every topic and its entries, for /lib without arguments.
func (b *Bot) topicsReply(lang content.Lang) Reply {
	var t Markup
	t.Bold(T(lang, msgTopicsHeader))
	for _, tp := range b.kb.Topics() {
		t.Item().Bold(tp.Name.In(lang)).Plain(" (").Code(tp.ID).Plain("): ")
		var names []string
		for _, e := range b.kb.TopicEntries(tp.ID) {
			names = append(names, e.DisplayName(lang))
		}
		t.Plain(strings.Join(names, T(lang, msgListSep)))
	}
	t.Para().Plain(T(lang, msgTopicsFooter))
	return Reply{Text: t}
}

// topicReply lists one topic's entries with their summaries' purposes.
func (b *Bot) topicReply(lang content.Lang, tp *content.Topic) Reply {
	entries := b.kb.TopicEntries(tp.ID)
	var t Markup
	t.Bold(T(lang, msgTopicHeader, tp.Name.In(lang), len(entries)))
	for _, e := range entries {
		t.Item().Bold(e.DisplayName(lang)).Plain(" — ").Content(e.Quiz.Purpose.In(lang))
	}
	t.Para().Plain(T(lang, msgTopicsFooter))
	return Reply{Text: t}
}

// searchReply ranks entries for a described need, each with the phrase that matched.
func (b *Bot) searchReply(lang content.Lang, need string) Reply {
	need = strings.TrimSpace(need)
	hits := b.kb.Search(need, lang, 5)
	shown := clip(need, 60)
	var t Markup
	if len(hits) == 0 {
		t.Plain(T(lang, msgFindNone, shown))
		return Reply{Text: t}
	}
	t.Bold(T(lang, msgFindHeader, shown))
	for _, h := range hits {
		t.Item().Bold(h.Entry.DisplayName(lang)).Plain(" — ")
		switch h.Field {
		case content.FieldUses:
			t.Plain(T(lang, msgFindUsedFor)).Content(h.Reason)
		case content.FieldFeatures:
			t.Plain(T(lang, msgFindFeature)).Content(h.Reason)
		default:
			t.Content(h.Reason)
		}
		t.Plain(" ").Code("/lib " + h.Entry.ID)
	}
	return Reply{Text: t}
}

// compare answers "X vs Y". Either name failing to resolve gets an honest not-found instead.
func (b *Bot) compare(req *Request, x, y string) []Reply {
	lang := req.Lang
	mx, my := b.kb.Lookup(x), b.kb.Lookup(y)
	var out []Reply
	if mx.Entry == nil {
		out = append(out, b.notFoundReply(lang, x, mx))
	}
	if my.Entry == nil {
		out = append(out, b.notFoundReply(lang, y, my))
	}
	if len(out) > 0 {
		if !req.addressed() {
			return nil
		}
		return out
	}
	b.obs.Lookup(lookupOutcome(mx, x))
	b.obs.Lookup(lookupOutcome(my, y))
	if mx.Entry == my.Entry {
		return []Reply{{Text: Text(T(lang, msgCompareSame)), Entry: mx.Entry.ID}}
	}
	return []Reply{compareReply(lang, mx.Entry, my.Entry)}
}

// compareReply puts two entries side by side: what each is for, how they differ (kind, age,
// foundations, status, and the traits one has that the other lacks), and when to pick which.
func compareReply(lang content.Lang, a, c *content.Entry) Reply {
	var t Markup
	t.Bold(T(lang, msgCompareHeader, a.DisplayName(lang), c.DisplayName(lang)))
	t.Para().Bold(T(lang, msgCompareWhat))
	for _, e := range []*content.Entry{a, c} {
		t.Item().Bold(e.DisplayName(lang)).Plain(": ").Content(e.Summary.In(lang))
	}
	t.Para().Bold(T(lang, msgCompareDiff))
	if a.Kind != c.Kind {
		t.Item().Plain(T(lang, msgCompareKind, a.DisplayName(lang), kindName(lang, a.Kind), c.DisplayName(lang), kindName(lang, c.Kind)))
	}
	for _, pair := range [][2]*content.Entry{{a, c}, {c, a}} {
		for _, tr := range pair[0].Quiz.Traits {
			if !hasTrait(pair[1], tr.Key) {
				t.Item().Plain(sentence(lang, pair[0].DisplayName(lang), tr.Text.In(lang)))
			}
		}
	}
	if ya, yc := a.Quiz.Facts.Year, c.Quiz.Facts.Year; ya != 0 && yc != 0 && ya != yc {
		t.Item().Plain(T(lang, msgCompareYear, a.DisplayName(lang), ya, c.DisplayName(lang), yc))
	}
	for _, e := range []*content.Entry{a, c} {
		if on := e.Quiz.Facts.BuiltOn.In(lang); on != "" {
			t.Item().Plain(T(lang, msgCompareBuiltOn, e.DisplayName(lang), on))
		}
	}
	if a.Status != c.Status {
		for _, e := range []*content.Entry{a, c} {
			t.Item().Plain(T(lang, msgCompareStatus, e.DisplayName(lang), statusName(lang, e.Status)))
		}
	}
	t.Para().Bold(T(lang, msgComparePick))
	for _, e := range []*content.Entry{a, c} {
		t.Item().Bold(e.DisplayName(lang)).Plain(": ").Content(e.PickWhen.In(lang))
	}
	return Reply{Text: t}
}

func hasTrait(e *content.Entry, key string) bool {
	for _, t := range e.Quiz.Traits {
		if t.Key == key {
			return true
		}
	}
	return false
}

// sentence makes "<name> <predicate>." in English or "<名称><谓语>。" in Chinese, the form trait
// texts are written for.
func sentence(lang content.Lang, name, predicate string) string {
	if lang == content.Chinese {
		return content.JoinZH(name, predicate) + "。"
	}
	return fmt.Sprintf("%s %s.", name, predicate)
}
