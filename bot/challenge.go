package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Group challenges: /challenge starts one in a group; presses of its buttons are recorded by
// the quiz package in one store round trip each; everything else (posting each question,
// showing how many have answered, closing it with its results, the final results) is done by
// the runner, which the program drives on a ticker (RunChallenges) and tests drive by hand
// (TickChallenges). The runner acts on a chat only while it holds the chat's claim, so one
// replica at a time moves a challenge on; each step is also a compare-and-set on the
// challenge's state, so a replica that lost its claim while it was slow cannot repeat a step.

// Arguments of /challenge.
var (
	argChallengeCount = Arg{Name: "questions", Label: content.Text{EN: "N", ZH: "题数"}, Type: ArgInt, Min: 1, Max: quiz.MaxChallengeQuestions,
		Help: content.Text{EN: "how many questions (default 5)", ZH: "题目数量（默认 5）"}}
	argChallengeSeconds = Arg{Name: "seconds", Label: content.Text{EN: "SECONDS", ZH: "秒数"}, Type: ArgInt,
		Min: quiz.MinChallengeSeconds, Max: quiz.MaxChallengeSeconds, Suffix: "s",
		Help: content.Text{EN: "seconds to answer each question (default 20)", ZH: "每题作答秒数（默认 20）"}}
)

// Timing of the runner.
const (
	// challengeLease is how long a replica's claim on a chat's challenge lasts; it is renewed
	// before every step, and a step waits at most about a minute for a group's message budget.
	challengeLease = 90 * time.Second
	// challengeBatch bounds how many chats one tick looks at, and challengeWorkers how many this
	// replica moves on at once.
	challengeBatch   = 256
	challengeWorkers = 64
	// maxScoreboard and maxStandings bound the players a question's scoreboard and the final
	// results list: a message must stay readable, and within a platform's length limit.
	maxScoreboard = 15
	maxStandings  = 20
)

func (b *Bot) challengeCommands() []Command {
	return []Command{{
		Name: "challenge", Args: []Arg{argTopic, argChallengeCount, argChallengeSeconds},
		Help: catalog[msgHelpChallenge], Starts: true, Handler: b.cmdChallenge,
	}}
}

// newReplicaName names this process among replicas for its claims.
func newReplicaName() string {
	var r [6]byte
	rand.Read(r[:])
	host, _ := os.Hostname()
	return host + ":" + hex.EncodeToString(r[:])
}

// cmdChallenge starts a group challenge: /challenge [TOPIC] [N] [SECONDS].
func (b *Bot) cmdChallenge(ctx context.Context, req *Request) ([]Reply, error) {
	if req.Chat != Group {
		return nil, invalid(msgChallengeGroupOnly)
	}
	name, n, secs, err := splitChallengeArgs(req.Args)
	if err != nil {
		return nil, err
	}
	cs := b.challenges
	scope := quiz.Scope{Topic: quiz.TopicAll}
	if name != "" {
		var ok bool
		if scope, ok = cs.Bank().ResolveScope(name); !ok {
			return nil, invalid(msgQuizUnknownTopic, clip(name, 60))
		}
	}
	lang := b.chatLang(ctx, req.ChatKey())
	if lang == "" {
		lang = req.Lang
	}
	starter := quiz.User{Key: req.UserKey(), Name: clip(req.UserName, 64)}
	c, err := cs.Start(ctx, quiz.ChallengeSpec{
		Platform: req.Platform, ChatID: req.ChatID, Chat: req.ChatKey(), Starter: starter,
		Scope: scope, Questions: n, Seconds: secs, Lang: lang,
	}, b.now())
	var running *quiz.RunningError
	switch {
	case errors.As(err, &running):
		r := running.Challenge
		return []Reply{{Text: Text(T(req.Lang, msgChallengeRunning, min(r.Pos+1, len(r.Cards)), len(r.Cards), r.ByName))}}, nil
	case errors.Is(err, quiz.ErrChallengeBounds):
		return nil, invalid(msgChallengeUsage, quiz.MaxChallengeQuestions, quiz.MinChallengeSeconds, quiz.MaxChallengeSeconds)
	case err != nil:
		return nil, err
	}
	var t Markup
	t.Bold(T(lang, msgChallengeAnnounce, c.ByName, len(c.Cards), cs.Bank().ScopeName(scope, lang), c.Seconds))
	t.Line().Plain(T(lang, msgChallengeRules))
	return []Reply{{Text: t}}, nil
}

// splitChallengeArgs reads "[TOPIC] [N] [SECONDS]": trailing whole numbers are the count and
// then the seconds; a number ending in "s" or "秒" is the seconds wherever the count is left out
// (Discord passes the seconds option that way). Zero means the default.
func splitChallengeArgs(args string) (topic string, n, secs int, err error) {
	fields := strings.Fields(ClipRunes(args, 200))
	usage := invalid(msgChallengeUsage, quiz.MaxChallengeQuestions, quiz.MinChallengeSeconds, quiz.MaxChallengeSeconds)
	if k := len(fields); k > 0 {
		for _, unit := range []string{"s", "秒"} {
			if v, ok := strings.CutSuffix(fields[k-1], unit); ok {
				if n, err := strconv.Atoi(v); err == nil {
					secs, fields = n, fields[:k-1]
					if secs == 0 {
						return "", 0, 0, usage
					}
				}
				break
			}
		}
	}
	var nums []int
	for len(fields) > 0 && len(nums) < 2 {
		v, err := strconv.Atoi(fields[len(fields)-1])
		if err != nil {
			break
		}
		nums = append([]int{v}, nums...)
		fields = fields[:len(fields)-1]
	}
	switch {
	case len(nums) == 2 && secs != 0:
		return "", 0, 0, usage
	case len(nums) == 2:
		n, secs = nums[0], nums[1]
	case len(nums) == 1:
		n = nums[0]
	}
	if (len(nums) > 0 && (n < 1 || n > quiz.MaxChallengeQuestions)) ||
		(secs != 0 && (secs < quiz.MinChallengeSeconds || secs > quiz.MaxChallengeSeconds)) {
		return "", 0, 0, usage
	}
	return strings.Join(fields, " "), n, secs, nil
}

// pressChallenge records a press of a challenge button: one store round trip, and a notice for
// the player alone.
func (b *Bot) pressChallenge(ctx context.Context, req *Request) ([]Reply, error) {
	res, err := b.challenges.Press(ctx, req.ChatKey(), player(req), req.Choice, b.now())
	if err != nil {
		return nil, err
	}
	key := msgChallengeRecorded
	switch res {
	case quiz.PressRepeated:
		key = msgChallengeRepeated
	case quiz.PressLate:
		key = msgChallengeLate
	case quiz.PressClosed:
		key = msgChallengeClosed
	}
	return []Reply{{Text: Text(T(req.Lang, key)), Private: true}}, nil
}

// stopChallenge ends the chat's challenge early when the request comes from its starter or an
// administrator, and reports true. Otherwise it returns the challenge running, if any, for
// /stop to say who may stop it.
func (b *Bot) stopChallenge(ctx context.Context, req *Request) (bool, *quiz.Challenge, error) {
	c, err := b.challenges.Load(ctx, req.ChatKey())
	if errors.Is(err, quiz.ErrCorrupt) {
		return false, nil, nil // nothing to stop: the runner ends it
	}
	if err != nil || c == nil || c.Stopped != "" || c.Phase == quiz.PhaseOver {
		return false, nil, err
	}
	allowed := c.Starter == req.UserKey()
	if !allowed {
		if allowed, err = req.admin(ctx); err != nil {
			b.log.Warn("asking whether a user administers a group", "chat", req.ChatKey(), "err", err)
		}
	}
	if !allowed {
		return false, c, nil
	}
	if _, err := b.challenges.Stop(ctx, c, clip(req.UserName, 64), b.now()); err != nil {
		return false, nil, err
	}
	// The final results answer the /stop: they go out now, unless another replica is busy with
	// the chat, which then sends them with its next step.
	b.visitChallenge(ctx, quiz.ChallengeDue{Chat: c.Chat, At: b.now()})
	return true, nil, nil
}

// RunChallenges moves every chat's challenge on at each tick until ctx ends: the program
// passes a time.Ticker's channel, a second apart. A tick does not wait for the chats of the one
// before: a chat whose message waits for its group's budget holds up no other chat.
func (b *Bot) RunChallenges(ctx context.Context, ticks <-chan time.Time) error {
	if b.challenges == nil {
		return nil
	}
	defer b.visits.wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
			b.startVisits(ctx)
		}
	}
}

// TickChallenges does what is due now in every chat's challenge, several chats at once, and
// returns when it is done: post a question, show how many have answered, close a question with
// its results, post the final results. Tests drive the runner with it.
func (b *Bot) TickChallenges(ctx context.Context) {
	if b.challenges == nil {
		return
	}
	b.startVisits(ctx)
	b.visits.wg.Wait()
}

// visits are the chats this replica is moving on now: one visit per chat at a time, since a
// replica's claim does not keep out its own other visits. A chat asked for while its visit is
// under way is looked at once more when that visit ends, so no tick is lost on it.
type visits struct {
	mu    sync.Mutex
	busy  map[string]bool
	again map[string]bool
	wg    sync.WaitGroup
}

// startVisits starts a visit of every due chat this replica can post to and is not visiting
// already, up to challengeWorkers at once; the rest wait for a later tick.
func (b *Bot) startVisits(ctx context.Context) {
	due, err := b.challenges.Due(ctx, b.now(), challengeBatch)
	if err != nil {
		if ok, held := b.quiet.allow("challenges"); ok {
			b.log.Warn("listing due challenges", "err", err, "similar_since_last", held)
		}
		return
	}
	for _, d := range due {
		// A replica runs some platforms only (a Discord shard, a Telegram webhook): the chats of
		// the others are left to the replicas that can post there.
		if b.sender(platformOf(d.Chat)) == nil {
			continue
		}
		if b.visits.take(d.Chat) {
			go b.visit(ctx, d)
		}
	}
}

// take marks chat as visited, unless it is already (it is then looked at again when its visit
// ends) or challengeWorkers visits are under way.
func (v *visits) take(chat string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.busy == nil {
		v.busy, v.again = map[string]bool{}, map[string]bool{}
	}
	if v.busy[chat] {
		v.again[chat] = true
		return false
	}
	if len(v.busy) >= challengeWorkers {
		return false
	}
	v.busy[chat] = true
	v.wg.Add(1)
	return true
}

// done ends chat's visit, unless it was asked for again meanwhile: then it reports false and
// the visit goes on.
func (v *visits) done(chat string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.again[chat] {
		delete(v.again, chat)
		return false
	}
	delete(v.busy, chat)
	v.wg.Done()
	return true
}

// visit moves the chat's challenge on, and once more each time it was asked for meanwhile.
func (b *Bot) visit(ctx context.Context, d quiz.ChallengeDue) {
	for {
		b.moveOn(ctx, d)
		if b.visits.done(d.Chat) {
			return
		}
		d.At = time.Time{} // asked for again: where its index entry is now is not known
	}
}

// visitChallenge moves the chat's challenge on now, or has the visit under way look again.
func (b *Bot) visitChallenge(ctx context.Context, d quiz.ChallengeDue) {
	if b.visits.take(d.Chat) {
		b.visit(ctx, d)
	}
}

// moveOn takes the chat's claim and does the steps due in its challenge.
func (b *Bot) moveOn(ctx context.Context, d quiz.ChallengeDue) {
	key := "challenge:" + d.Chat
	ok, err := b.claims.Claim(ctx, key, b.replica, challengeLease)
	if err != nil {
		b.log.Warn("claiming a challenge", "chat", d.Chat, "err", err)
		return
	}
	if !ok {
		return // another replica is on it
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = b.claims.Release(rctx, key, b.replica)
	}()
	if err := b.moveChallenge(ctx, d, key); err != nil && ctx.Err() == nil {
		b.log.Warn("moving a challenge on; trying again at the next tick", "chat", d.Chat, "err", err)
	}
}

// moveChallenge does every step due in the chat's challenge, renewing the claim between steps.
func (b *Bot) moveChallenge(ctx context.Context, d quiz.ChallengeDue, claim string) error {
	cs := b.challenges
	c, err := cs.Load(ctx, d.Chat)
	if errors.Is(err, quiz.ErrCorrupt) {
		b.log.Error("a challenge's stored state cannot be read; ending it", "chat", d.Chat, "err", err)
		return cs.Discard(ctx, d)
	}
	if err != nil {
		return err
	}
	if c == nil {
		return cs.Forget(ctx, d)
	}
	to := Destination{Platform: c.Platform, ChatID: c.ChatID, Chat: Group, Locale: string(c.Lang)}
	for step := range 8 {
		now := b.now()
		act := c.Action(now)
		if act == quiz.ActNothing {
			if step > 0 || d.At.IsZero() || c.Due().Equal(d.At) {
				return nil // the last step's save put the index right, or it was not the cause
			}
			// Visited early (an entry a failed save left behind, a /stop): put the entry back
			// where the state says.
			_, err := cs.Reschedule(ctx, c)
			return err
		}
		if ok, err := b.claims.Claim(ctx, claim, b.replica, challengeLease); err != nil || !ok {
			return err
		}
		switch act {
		case quiz.ActOpen:
			if c, err = cs.Open(ctx, c, now); err == nil && c != nil && c.Phase == quiz.PhaseOpen {
				c, err = b.postQuestion(ctx, to, c, now)
			}
		case quiz.ActPost:
			c, err = b.postQuestion(ctx, to, c, now)
		case quiz.ActCount:
			c, err = b.showCount(ctx, to, c, now)
		case quiz.ActClose:
			c, err = cs.Close(ctx, c, now)
		case quiz.ActAnnounce:
			c, err = b.announce(ctx, to, c, now)
		case quiz.ActFinish:
			return b.finish(ctx, to, c)
		}
		if err != nil || c == nil {
			return err
		}
	}
	return nil
}

// postQuestion posts the open question and records its message. A chat that refuses the bot
// ends the challenge; another failure is tried again at the next tick. Times are the step's
// (now): when to show the count is reckoned from the question's opening, however long the post
// waited for the group's budget.
func (b *Bot) postQuestion(ctx context.Context, to Destination, c *quiz.Challenge, now time.Time) (*quiz.Challenge, error) {
	q := b.challenges.Question(c)
	if q == nil {
		return b.challenges.Posted(ctx, c, "-", now) // a withdrawn card: nothing to show
	}
	ref, err := b.post(ctx, to, b.questionMessage(c, q, -1, now))
	if errors.Is(err, ErrUnreachable) {
		return nil, b.abandon(ctx, c, err)
	}
	if err != nil {
		return c, err
	}
	if ref == "" {
		ref = "-" // posted where messages cannot be edited: later versions come as new messages
	}
	return b.challenges.Posted(ctx, c, string(ref), now)
}

// showCount edits the open question to show how many have answered, when that changed.
func (b *Bot) showCount(ctx context.Context, to Destination, c *quiz.Challenge, now time.Time) (*quiz.Challenge, error) {
	if c.Answers != c.Shown && c.Message != "-" {
		q := b.challenges.Question(c)
		if q != nil {
			_, err := b.edit(ctx, to, MessageRef(c.Message), b.questionMessage(c, q, c.Answers, now))
			if errors.Is(err, ErrUnreachable) {
				return nil, b.abandon(ctx, c, err)
			}
			if err != nil {
				b.log.Warn("showing a challenge question's answers", "chat", c.Chat, "err", err)
			}
		}
	}
	return b.challenges.Counted(ctx, c, c.Answers, now)
}

// announce shows the latest question's results in place of the question (buttons gone). A
// failure other than a chat that refuses the bot is logged and the challenge goes on: a lost
// message must not hold the next question back.
func (b *Bot) announce(ctx context.Context, to Destination, c *quiz.Challenge, now time.Time) (*quiz.Challenge, error) {
	ref := MessageRef(c.Last.Message)
	if ref == "-" {
		ref = ""
	}
	got, err := b.edit(ctx, to, ref, b.resultsMessage(c))
	if errors.Is(err, ErrUnreachable) {
		return nil, b.abandon(ctx, c, err)
	}
	if err != nil {
		b.log.Warn("showing a challenge question's results", "chat", c.Chat, "err", err)
	}
	return b.challenges.Announced(ctx, c, string(got), now)
}

// finish posts the final results and ends the challenge.
func (b *Bot) finish(ctx context.Context, to Destination, c *quiz.Challenge) error {
	if _, err := b.post(ctx, to, b.finalMessage(c)); err != nil && !errors.Is(err, ErrUnreachable) {
		b.log.Warn("posting a challenge's final results", "chat", c.Chat, "err", err)
	}
	return b.challenges.End(ctx, c)
}

// abandon ends a challenge in a chat that no longer lets the bot write.
func (b *Bot) abandon(ctx context.Context, c *quiz.Challenge, why error) error {
	b.log.Info("ending a challenge: the chat refuses the bot", "chat", c.Chat, "err", why)
	return b.challenges.End(ctx, c)
}
