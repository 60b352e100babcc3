package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

func (b *Bot) quizCommands() []Command {
	return []Command{
		{Name: "quiz", Args: content.Text{EN: "[TOPIC] [N]", ZH: "[主题] [题数]"}, Help: catalog[msgHelpQuiz], Handler: b.cmdQuiz},
		{Name: "review", Args: content.Text{EN: "[N]", ZH: "[题数]"}, Help: catalog[msgHelpReview], Handler: b.cmdReview},
		{Name: "stop", Help: catalog[msgHelpStop], Handler: b.cmdStop},
		{Name: "stats", Help: catalog[msgHelpStats], Handler: b.cmdStats},
		{Name: "leaderboard", Help: catalog[msgHelpLeaderboard], Handler: b.cmdLeaderboard},
		{Name: "report", Args: content.Text{EN: "[WHAT IS WRONG]", ZH: "[问题描述]"}, Help: catalog[msgHelpReport], Handler: b.cmdReport},
		{Name: "lang", Args: content.Text{EN: "en|zh|auto", ZH: "en|zh|auto"}, Help: catalog[msgHelpLang], Handler: b.cmdLang},
		{Name: "forget", Help: catalog[msgHelpForget], Handler: b.cmdForget},
	}
}

func quizUser(ev Event) quiz.User {
	return quiz.User{Key: ev.UserKey(), Name: ev.UserName, Chat: ev.ChatKey(), Group: ev.Chat == Group}
}

// cmdQuiz lists topics with the learner's progress, or starts a round: /quiz TOPIC [N].
func (b *Bot) cmdQuiz(ctx context.Context, req *Request) ([]Reply, error) {
	if req.Args == "" {
		return b.quizTopics(ctx, req)
	}
	name, n, err := splitCount(req.Args)
	if err != nil {
		return nil, err
	}
	scope := quiz.Scope{Topic: quiz.TopicAll}
	if name != "" {
		var ok bool
		if scope, ok = b.quiz.Bank().ResolveScope(name); !ok {
			return nil, invalid(msgQuizUnknownTopic, name)
		}
	}
	step, err := b.quiz.Start(ctx, quizUser(req.Event), scope, n, b.now())
	if err != nil {
		return nil, err
	}
	return b.stepReplies(req, step, false), nil
}

// splitCount separates an optional trailing question count from a topic name.
func splitCount(args string) (string, int, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return "", 0, nil
	}
	last := fields[len(fields)-1]
	n, err := strconv.Atoi(last)
	if err != nil {
		return args, 0, nil
	}
	if n < 1 || n > quiz.MaxRoundSize {
		return "", 0, invalid(msgQuizCount, quiz.MaxRoundSize)
	}
	return strings.Join(fields[:len(fields)-1], " "), n, nil
}

func (b *Bot) cmdReview(ctx context.Context, req *Request) ([]Reply, error) {
	_, n, err := splitCount(req.Args)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		n = 10
	}
	step, err := b.quiz.Review(ctx, quizUser(req.Event), n, b.now())
	if err != nil {
		return nil, err
	}
	return b.stepReplies(req, step, false), nil
}

func (b *Bot) cmdStop(ctx context.Context, req *Request) ([]Reply, error) {
	sum, err := b.quiz.Stop(ctx, quizUser(req.Event), b.now())
	if err != nil {
		return nil, err
	}
	return []Reply{b.summaryReply(req.Lang, sum)}, nil
}

// answerChoice grades a pressed button.
func (b *Bot) answerChoice(ctx context.Context, req *Request) ([]Reply, error) {
	step, err := b.quiz.Answer(ctx, quizUser(req.Event), req.Choice, b.now())
	if err != nil {
		return nil, err
	}
	return b.stepReplies(req, step, true), nil
}

// stepReplies renders a step: feedback (replacing the question message when the answer was a button
// press), then the next question or the summary.
func (b *Bot) stepReplies(req *Request, step quiz.Step, pressed bool) []Reply {
	var out []Reply
	if f := step.Feedback; f != nil {
		r := b.feedbackReply(req.Lang, f)
		r.Edit = pressed
		out = append(out, r)
	}
	if q := step.Question; q != nil {
		out = append(out, b.questionReply(req.Lang, q))
	}
	if s := step.Summary; s != nil {
		out = append(out, b.summaryReply(req.Lang, *s))
	}
	return out
}

func (b *Bot) questionReply(lang content.Lang, q *quiz.Question) Reply {
	var t Markup
	if q.Repeat {
		t.Bold(T(lang, msgQuizOnceMore))
	} else {
		t.Bold(T(lang, msgQuizQuestion, q.Number, q.Total))
	}
	t.Plain(" · " + b.quiz.Bank().ScopeName(q.Scope, lang))
	t.Line().Content(q.Card.Prompt.In(lang))
	r := Reply{Text: t, Question: &QuestionInfo{Token: q.Token, Correct: q.Correct, Explanation: q.Card.Explain.In(lang)}}
	for i, c := range q.Choices {
		r.Choices = append(r.Choices, Choice{Label: c.In(lang), Data: quiz.ChoiceData(q, i)})
	}
	return r
}

func (b *Bot) feedbackReply(lang content.Lang, f *quiz.Feedback) Reply {
	var t Markup
	t.Content(f.Card.Prompt.In(lang)).Line()
	answer := f.Choices[f.Correct].In(lang)
	switch f.Result {
	case quiz.Right:
		t.Plain("✅ ").Bold(T(lang, msgQuizRight)).Plain(" " + answer)
	case quiz.Skipped:
		t.Plain("💡 ").Plain(T(lang, msgQuizAnswerIs)).Bold(answer)
	default:
		t.Plain("❌ ").Plain(T(lang, msgQuizWrong, f.Choices[f.Chosen].In(lang))).Bold(answer)
	}
	t.Line().Content(f.Card.Explain.In(lang))
	if f.Result != quiz.Right && !f.Repeat {
		t.Line().Italic(T(lang, msgQuizAgainSoon))
	} else {
		t.Line().Italic(T(lang, msgQuizComesBack, until(lang, f.Due.Sub(b.now()))))
	}
	t.Line().Code("/lib " + f.Card.Entry).Plain(T(lang, msgQuizReadMore)).Code("/report").Plain(T(lang, msgQuizReportHint))
	return Reply{Text: t, Entry: ""}
}

func (b *Bot) summaryReply(lang content.Lang, s quiz.Summary) Reply {
	var t Markup
	head := msgQuizDone
	if s.Stopped {
		head = msgQuizStopped
	}
	total := s.Right + s.Wrong
	t.Bold(T(lang, head)).Line()
	t.Plain(T(lang, msgQuizScore, s.Right, total)).Plain(" " + bar(s.Right, total, 10))
	if s.Streak > 0 {
		t.Line().Plain(T(lang, msgQuizStreak, s.Streak))
	}
	t.Line().Plain(T(lang, msgQuizNewCards, s.New))
	if !s.NextDue.IsZero() {
		t.Line().Plain(T(lang, msgQuizNextDue, until(lang, s.NextDue.Sub(b.now()))))
	}
	again := "/quiz " + s.Scope.Topic
	if s.Scope.Entry != "" {
		again = "/quiz " + s.Scope.Entry
	}
	t.Line().Code(again).Plain(" · ").Code("/review").Plain(" · ").Code("/stats")
	return Reply{Text: t}
}

// quizTopics answers /quiz alone: every topic with its card count and the learner's progress.
func (b *Bot) quizTopics(ctx context.Context, req *Request) ([]Reply, error) {
	st, err := b.quiz.Stats(ctx, req.UserKey(), b.now())
	if err != nil {
		return nil, err
	}
	bank := b.quiz.Bank()
	var t Markup
	t.Bold(T(req.Lang, msgQuizTopics))
	all := 0
	for _, ts := range st.Topics {
		t.Item().Code(ts.Topic).Plain(" " + bank.ScopeName(quiz.Scope{Topic: ts.Topic}, req.Lang) + " — ")
		t.Plain(T(req.Lang, msgQuizTopicLine, ts.Total, ts.Seen, ts.Mature))
	}
	all = len(bank.Cards())
	t.Item().Code(quiz.TopicAll).Plain(" " + bank.ScopeName(quiz.Scope{Topic: quiz.TopicAll}, req.Lang) + " — ")
	t.Plain(T(req.Lang, msgQuizTopicAll, all))
	t.Para().Plain(T(req.Lang, msgQuizTopicsHint))
	return []Reply{{Text: t}}, nil
}

func (b *Bot) cmdStats(ctx context.Context, req *Request) ([]Reply, error) {
	st, err := b.quiz.Stats(ctx, req.UserKey(), b.now())
	if err != nil {
		return nil, err
	}
	lang := req.Lang
	var t Markup
	t.Bold(T(lang, msgStatsHeader)).Line()
	acc := 0
	if st.Answered > 0 {
		acc = st.Correct * 100 / st.Answered
	}
	t.Plain(T(lang, msgStatsAnswered, st.Answered, acc)).Line()
	t.Plain(T(lang, msgStatsStreak, st.Streak, st.BestStreak)).Line()
	t.Plain(T(lang, msgStatsDue, st.DueNow, st.DueToday, st.DueWeek))
	if !st.NextDue.IsZero() && st.DueNow == 0 {
		t.Line().Plain(T(lang, msgQuizNextDue, until(lang, st.NextDue.Sub(b.now()))))
	}
	t.Para().Bold(T(lang, msgStatsTopics))
	for _, ts := range st.Topics {
		if ts.Total == 0 {
			continue
		}
		t.Item().Plain(b.quiz.Bank().ScopeName(quiz.Scope{Topic: ts.Topic}, lang) + " ")
		t.Code(bar(ts.Seen, ts.Total, 10))
		t.Plain(" " + T(lang, msgStatsTopicLine, ts.Seen, ts.Total, ts.Learning, ts.Mature))
	}
	if st.Answered == 0 {
		t.Para().Plain(T(lang, msgStatsEmpty))
	}
	return []Reply{{Text: t}}, nil
}

func (b *Bot) cmdLeaderboard(ctx context.Context, req *Request) ([]Reply, error) {
	lang := req.Lang
	if req.Chat != Group {
		return []Reply{{Text: Text(T(lang, msgBoardPrivate))}}, nil
	}
	top, me, ok, err := b.quiz.Leaderboard(ctx, req.ChatKey(), req.UserKey(), 10, b.now())
	if err != nil {
		return nil, err
	}
	var t Markup
	t.Bold(T(lang, msgBoardHeader))
	if len(top) == 0 {
		t.Line().Plain(T(lang, msgBoardEmpty))
	}
	for _, s := range top {
		t.Line().Plain(fmt.Sprintf("%d. ", s.Rank)).Bold(s.Name).Plain(" — " + T(lang, msgBoardPoints, s.Points))
	}
	if ok {
		t.Para().Plain(T(lang, msgBoardYou, me.Rank, me.Points))
	} else {
		t.Para().Plain(T(lang, msgBoardYouNone))
	}
	return []Reply{{Text: t}}, nil
}

func (b *Bot) cmdReport(ctx context.Context, req *Request) ([]Reply, error) {
	card, err := b.quiz.Report(ctx, quizUser(req.Event), req.Platform, req.Lang, req.Args, b.now())
	if errors.Is(err, quiz.ErrNoCardToFlag) {
		return nil, invalid(msgReportNone)
	}
	if err != nil {
		return nil, err
	}
	name := card.Entry
	if e, ok := b.kb.Entry(card.Entry); ok {
		name = e.DisplayName(req.Lang)
	}
	return []Reply{{Text: Text(T(req.Lang, msgReportThanks, name)), Private: true}}, nil
}

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
	if err := b.quiz.SetLang(ctx, req.UserKey(), lang, b.now()); err != nil {
		return nil, err
	}
	shown := lang
	if shown == "" {
		shown = content.ParseLocale(req.Locale)
	}
	return []Reply{{Text: Text(T(shown, msgLangSet))}}, nil
}

// cmdForget asks for confirmation, then deletes everything stored about the learner.
func (b *Bot) cmdForget(ctx context.Context, req *Request) ([]Reply, error) {
	switch strings.ToLower(req.Args) {
	case "yes", "confirm", "确认", "是":
		if err := b.quiz.Forget(ctx, req.UserKey(), b.now()); err != nil {
			return nil, err
		}
		return []Reply{{Text: Text(T(req.Lang, msgForgetDone)), Private: true}}, nil
	case "":
		return []Reply{{
			Text:    Text(T(req.Lang, msgForgetAsk)),
			Buttons: []Button{{Label: T(req.Lang, msgForgetButton), Command: "/forget yes"}},
			Private: true,
		}}, nil
	}
	return nil, invalid(msgForgetUsage)
}

// quizError turns the engine's refusals into notices; it reports false for other errors.
func quizError(lang content.Lang, err error) (Reply, bool) {
	var oor *quiz.OutOfRangeError
	var nd *quiz.NothingDueError
	var key msgID
	var args []any
	switch {
	case errors.Is(err, quiz.ErrNoRound):
		key = msgQuizNoRound
	case errors.Is(err, quiz.ErrStale):
		key = msgQuizStale
	case errors.Is(err, quiz.ErrAnswered):
		key = msgQuizAnswered
	case errors.Is(err, quiz.ErrNotYours):
		key = msgQuizNotYours
	case errors.Is(err, quiz.ErrBadChoice):
		key = msgQuizBadChoice
	case errors.As(err, &oor):
		key, args = msgQuizOutOfRange, []any{oor.Max}
	case errors.As(err, &nd):
		if nd.Next.IsZero() {
			key = msgQuizNothingAtAll
		} else {
			key, args = msgQuizNothingDue, []any{nd.Next.UTC().Format("2006-01-02 15:04 UTC")}
		}
		return Reply{Text: Text(T(lang, key, args...))}, true
	default:
		return Reply{}, false
	}
	return Reply{Text: Text(T(lang, key, args...)), Private: true}, true
}

// until words a wait: "in 10 minutes", "in 3 days", "now".
func until(lang content.Lang, d time.Duration) string {
	switch {
	case d < 30*time.Second:
		return T(lang, msgWhenNow)
	case d < time.Hour:
		return T(lang, msgWhenMinutes, int(d.Round(time.Minute)/time.Minute))
	case d < 36*time.Hour:
		return T(lang, msgWhenHours, int(d.Round(time.Hour)/time.Hour))
	default:
		return T(lang, msgWhenDays, int((d+12*time.Hour)/(24*time.Hour)))
	}
}

// bar draws n of total as a ten-segment text bar: ▰▰▰▱▱▱▱▱▱▱.
func bar(n, total, width int) string {
	if total <= 0 {
		return strings.Repeat("▱", width)
	}
	full := (n*width + total/2) / total
	full = min(max(full, 0), width)
	return strings.Repeat("▰", full) + strings.Repeat("▱", width-full)
}
