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

// Quiz is what the core needs of the quiz engine (quiz.Engine implements it): declared here, where
// it is used, so the core's tests can run on any implementation.
type Quiz interface {
	Bank() *quiz.Bank
	Start(ctx context.Context, u quiz.User, scope quiz.Scope, n int, now time.Time) (quiz.Step, error)
	Review(ctx context.Context, u quiz.User, n int, now time.Time) (quiz.Step, error)
	Stop(ctx context.Context, u quiz.User, now time.Time) (quiz.Summary, error)
	Answer(ctx context.Context, u quiz.User, data string, now time.Time) (quiz.Step, error)
	AnswerText(ctx context.Context, u quiz.User, text string, now time.Time) (quiz.Step, quiz.TextOutcome, error)
	Unsettled(user string) bool
	Settle(ctx context.Context, user string, now time.Time) (quiz.Settlement, bool, error)
	Stats(ctx context.Context, user string, now time.Time, loc *time.Location) (quiz.Stats, error)
	Leaderboard(ctx context.Context, chat, user string, n int, now time.Time) ([]quiz.Standing, quiz.Standing, bool, error)
	Report(ctx context.Context, u quiz.User, platform string, lang content.Lang, text string, now time.Time) (*quiz.Card, error)
	Forget(ctx context.Context, user string, now time.Time) error
}

var _ Quiz = (*quiz.Engine)(nil)

// Arguments shared by the quiz commands.
var (
	argTopic = Arg{Name: "topic", Label: content.Text{EN: "TOPIC", ZH: "主题"}, Type: ArgText, Complete: CompleteQuizScopes,
		Help: content.Text{EN: "a topic, a library, or all", ZH: "主题、某个库，或 all"}}
	argCount = Arg{Name: "count", Label: content.Text{EN: "N", ZH: "题数"}, Type: ArgInt, Min: 1, Max: quiz.MaxRoundSize,
		Help: content.Text{EN: "how many questions", ZH: "题目数量"}}
)

func (b *Bot) quizCommands() []Command {
	return []Command{
		{Name: "quiz", Args: []Arg{argTopic, argCount}, Help: catalog[msgHelpQuiz], Starts: true, Handler: b.cmdQuiz},
		{Name: "review", Args: []Arg{argCount}, Help: catalog[msgHelpReview], Starts: true, Handler: b.cmdReview},
		{Name: "stop", Help: catalog[msgHelpStop], Handler: b.cmdStop},
		{Name: "stats", Help: catalog[msgHelpStats], Private: true, Handler: b.cmdStats},
		{Name: "leaderboard", Help: catalog[msgHelpLeaderboard], Handler: b.cmdLeaderboard},
		{Name: "report", Args: []Arg{{Name: "text", Label: content.Text{EN: "WHAT IS WRONG", ZH: "问题描述"},
			Help: content.Text{EN: "what is wrong or unclear", ZH: "哪里有错或不清楚"}}}, Help: catalog[msgHelpReport], Private: true, Handler: b.cmdReport},
		{Name: "forget", Help: catalog[msgHelpForget], Private: true, Handler: b.cmdForget},
	}
}

// quizUser is the learner behind a request, as the quiz engine sees them.
func (b *Bot) quizUser(ctx context.Context, req *Request) quiz.User {
	u := player(req)
	u.Zone = b.zone(ctx, req)
	return u
}

// player is the learner behind a request without their time zone, which only counting an answer
// needs: a challenge press, counted when its question closes, reads nothing more.
func player(req *Request) quiz.User {
	return quiz.User{Key: req.UserKey(), Name: req.UserName, Chat: req.ChatKey(), Group: req.Chat == Group}
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
			return nil, invalid(msgQuizUnknownTopic, clip(name, 60))
		}
	}
	step, err := b.quiz.Start(ctx, b.quizUser(ctx, req), scope, n, b.now())
	if err != nil {
		return nil, err
	}
	b.observeRounds(step, true)
	return b.stepReplies(ctx, req, step, false), nil
}

// splitCount separates an optional trailing question count from a topic name. Only the first few
// words are read: no topic or library name is longer.
func splitCount(args string) (string, int, error) {
	fields := strings.Fields(ClipRunes(args, 200))
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
	step, err := b.quiz.Review(ctx, b.quizUser(ctx, req), n, b.now())
	if err != nil {
		return nil, err
	}
	b.observeRounds(step, true)
	return b.stepReplies(ctx, req, step, false), nil
}

// cmdStop ends the learner's round; in a group, the starter's or an administrator's /stop ends
// the group's challenge instead.
func (b *Bot) cmdStop(ctx context.Context, req *Request) ([]Reply, error) {
	var running *quiz.Challenge
	if req.Chat == Group && b.challenges != nil {
		stopped, c, err := b.stopChallenge(ctx, req)
		if err != nil || stopped {
			return nil, err
		}
		running = c
	}
	sum, err := b.quiz.Stop(ctx, b.quizUser(ctx, req), b.now())
	if errors.Is(err, quiz.ErrNoRound) && running != nil {
		return nil, invalid(msgChallengeStopNotAllowed, running.ByName)
	}
	if err != nil {
		return nil, err
	}
	b.obs.Round(false)
	return []Reply{b.summaryReply(req.Lang, sum)}, nil
}

// answerChoice grades a pressed button.
func (b *Bot) answerChoice(ctx context.Context, req *Request) ([]Reply, error) {
	step, err := b.quiz.Answer(ctx, b.quizUser(ctx, req), req.Choice, b.now())
	b.obs.Answer(answerOutcome(step, err))
	if err != nil {
		return nil, err
	}
	b.observeRounds(step, false)
	return b.stepReplies(ctx, req, step, true), nil
}

// observeRounds reports the rounds a step started, replaced or finished.
func (b *Bot) observeRounds(step quiz.Step, started bool) {
	if started {
		b.obs.Round(true)
	}
	if step.Closed != nil {
		b.obs.Round(false)
	}
	if step.Summary != nil {
		b.obs.Round(false)
	}
}

// stepReplies renders a step: the summary of a round it closed, feedback (replacing the question
// message when the answer was a button press), then the next question or the summary.
func (b *Bot) stepReplies(ctx context.Context, req *Request, step quiz.Step, pressed bool) []Reply {
	var out []Reply
	if s := step.Closed; s != nil {
		out = append(out, b.summaryReply(req.Lang, *s))
	}
	if f := step.Feedback; f != nil {
		r := b.feedbackReply(req.Lang, f)
		r.Edit = pressed
		out = append(out, r)
	}
	if q := step.Question; q != nil {
		r := b.questionReply(req.Lang, q)
		r.Question.Native = b.wantsNative(ctx, req)
		out = append(out, r)
	}
	if s := step.Summary; s != nil {
		out = append(out, b.summaryReply(req.Lang, *s))
	}
	return out
}

// wantsNative reports whether the chat asked for questions in the platform's own quiz form: only
// private chats, where a native quiz's answer can be graded for the one learner.
func (b *Bot) wantsNative(ctx context.Context, req *Request) bool {
	if b.settings == nil || req.Chat != Private || !b.nativeQuizzes(req.Platform) {
		return false
	}
	return b.settings.chat(ctx, req.ChatKey(), settingQuizMode) == quizModePoll
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
	st, err := b.quiz.Stats(ctx, req.UserKey(), b.now(), b.zone(ctx, req))
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
	loc := b.zone(ctx, req)
	st, err := b.quiz.Stats(ctx, req.UserKey(), b.now(), loc)
	if err != nil {
		return nil, err
	}
	lang := req.Lang
	var t Markup
	t.Bold(T(lang, msgStatsHeader)).Line()
	acc := 0
	if st.Answered > 0 {
		acc = (st.Correct*200 + st.Answered) / (2 * st.Answered) // rounded, not truncated
	}
	t.Plain(T(lang, msgStatsAnswered, st.Answered, acc)).Line()
	t.Plain(T(lang, msgStatsStreak, st.Streak, st.BestStreak)).Line()
	t.Plain(T(lang, msgStatsDue, st.DueNow, st.DueToday, st.DueWeek))
	if st.Answered > 0 {
		t.Line().Plain(T(lang, msgStatsRetention, int(st.Retention*100+0.5), T(lang, msgID("params-"+st.Params))))
	}
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
		return []Reply{{Text: t}}, nil // nothing to draw: the text says how to start
	}
	return []Reply{{Text: t, Image: b.statsPicture(ctx, req, st, loc)}}, nil
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
	return []Reply{{Text: t, Image: b.boardPicture(ctx, req, top)}}, nil
}

func (b *Bot) cmdReport(ctx context.Context, req *Request) ([]Reply, error) {
	card, err := b.quiz.Report(ctx, b.quizUser(ctx, req), req.Platform, req.Lang, req.Args, b.now())
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

// cmdForget asks for confirmation, then deletes everything stored about the learner.
func (b *Bot) cmdForget(ctx context.Context, req *Request) ([]Reply, error) {
	switch strings.ToLower(req.Args) {
	case "yes", "confirm", "确认", "是":
		ids := b.linked(ctx, req)
		if err := b.quiz.Forget(ctx, req.UserKey(), b.now()); err != nil {
			return nil, err
		}
		if err := b.forgetTips(ctx, req); err != nil {
			return nil, unavailable(err)
		}
		for _, id := range ids {
			b.settings.forgetUser(id)
		}
		return []Reply{{Text: Text(T(req.Lang, msgForgetDone)), Private: true}}, nil
	case "":
		ask := T(req.Lang, msgForgetAsk)
		if ids := b.linked(ctx, req); len(ids) > 1 {
			ask += T(req.Lang, msgForgetLinked, platformList(req.Lang, ids))
		}
		return []Reply{{
			Text:    Text(ask),
			Buttons: []Button{{Label: T(req.Lang, msgForgetButton), Command: "/forget yes"}},
			Private: true,
		}}, nil
	}
	return nil, invalid(msgForgetUsage)
}

// linked lists the identities that share the asking learner's progress, the asker first; just
// the asker when linking is off or the store cannot say.
func (b *Bot) linked(ctx context.Context, req *Request) []string {
	if b.linker != nil {
		if ids, err := b.linker.Linked(ctx, req.UserKey(), b.now()); err == nil {
			return ids
		}
	}
	return []string{req.UserKey()}
}

// quizError turns the engine's refusals into notices; it reports false for other errors.
func quizError(lang content.Lang, err error, now time.Time) (Reply, bool) {
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
	case errors.Is(err, quiz.ErrBadChoice), errors.Is(err, errBadButton):
		key = msgQuizBadChoice
	case errors.Is(err, quiz.ErrBusy):
		key = msgBusy
	case errors.Is(err, quiz.ErrCorrupt):
		key = msgCorrupt
	case errors.As(err, &oor):
		key, args = msgQuizOutOfRange, []any{oor.Max}
	case errors.As(err, &nd):
		if nd.Next.IsZero() {
			key = msgQuizNothingAtAll
		} else {
			key, args = msgQuizNothingDue, []any{until(lang, nd.Next.Sub(now))}
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
		return count(lang, msgWhenMinute, msgWhenMinutes, int(d.Round(time.Minute)/time.Minute))
	case d < 36*time.Hour:
		return count(lang, msgWhenHour, msgWhenHours, int(d.Round(time.Hour)/time.Hour))
	default:
		return count(lang, msgWhenDay, msgWhenDays, int((d+12*time.Hour)/(24*time.Hour)))
	}
}

// count words n with the singular message for 1 and the plural otherwise.
func count(lang content.Lang, one, many msgID, n int) string {
	if n == 1 {
		return T(lang, one)
	}
	return T(lang, many, n)
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

// answerText tries a plain message as an answer to the learner's round. ok is false when it is not
// about the quiz (no round in play), so the caller treats it as an ordinary message.
func (b *Bot) answerText(ctx context.Context, req *Request) (replies []Reply, ok bool, err error) {
	step, outcome, err := b.quiz.AnswerText(ctx, b.quizUser(ctx, req), req.Args, b.now())
	switch {
	case err != nil:
		return nil, false, err
	case outcome == quiz.Graded:
		b.obs.Answer(answerOutcome(step, nil))
		b.observeRounds(step, false)
		return b.stepReplies(ctx, req, step, false), true, nil
	case outcome == quiz.NotAChoice:
		if !req.addressed() {
			return nil, true, nil // group chatter during a round: not for the bot
		}
		var t Markup
		t.Plain(T(req.Lang, msgNotAChoice, len(step.Question.Choices)))
		hint := Reply{Text: t, Private: true}
		return append([]Reply{hint}, b.stepReplies(ctx, req, quiz.Step{Question: step.Question}, false)...), true, nil
	}
	return nil, false, nil
}

// settleFirst tells a learner what became of an answer whose outcome was unknown (the store
// stopped answering after it was sent) before anything else, and shows the question now in play.
// A message that was itself an answer is not graded: the learner answered a question that may no
// longer be the one in play, and now sees which one is.
func (b *Bot) settleFirst(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, req *Request) ([]Reply, error) {
		if b.quiz == nil || !b.quiz.Unsettled(req.UserKey()) {
			return next(ctx, req)
		}
		s, ok, err := b.quiz.Settle(ctx, req.UserKey(), b.now())
		if err != nil || !ok {
			return next(ctx, req)
		}
		out := b.settlementReplies(ctx, req, s)
		if req.Choice != "" || (req.Command == "" && parseIntent(req.Args).kind == intentNone) {
			return out, nil
		}
		rest, err := next(ctx, req)
		if err != nil {
			rest = []Reply{b.replyForError(req, err)}
		}
		return append(out, rest...), nil
	}
}

func (b *Bot) settlementReplies(ctx context.Context, req *Request, s quiz.Settlement) []Reply {
	lang := req.Lang
	var t Markup
	switch {
	case !s.Recorded:
		t.Plain(T(lang, msgSettledLost))
	case s.Card != nil && s.Result == quiz.Right:
		t.Plain(T(lang, msgSettledRight)).Line().Content(s.Card.Prompt.In(lang)).Line().Plain("✅ ").Bold(s.Correct.In(lang))
	case s.Card != nil:
		t.Plain(T(lang, msgSettledWrong)).Line().Content(s.Card.Prompt.In(lang)).Line().Plain("💡 ").Plain(T(lang, msgQuizAnswerIs)).Bold(s.Correct.In(lang))
	default:
		t.Plain(T(lang, msgSettledSaved))
	}
	out := []Reply{{Text: t}}
	if s.Question != nil {
		out = append(out, b.stepReplies(ctx, req, quiz.Step{Question: s.Question}, false)...)
	}
	return out
}
