package bot

import (
	"context"
	"errors"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/content"
)

// TipSchedulerConfig tunes the daily-tip scheduler; the zero value serves.
type TipSchedulerConfig struct {
	// Limiter paces the fan-out at FanoutRate, shared with the replies that spend from the same
	// budget (a Pacer over the store's limiter, which keeps pacing in process while the store is
	// down). Nil paces this process alone, at the same rate.
	Limiter Limiter
	// Lease is how long a claimed subscription stays this scheduler's before another may take
	// it over, assuming this one died (default 2 min). A batch must be sent within it.
	Lease time.Duration
	// Batch is how many subscriptions one claim takes (default 25: a second of fan-out).
	Batch int
}

// TipScheduler delivers daily tips and due-card reminders: each tick it claims the subscriptions
// whose time has come, sends each chat today's tip (or a learner their reminder, when cards are
// due) once (a delivery claim per subscription and local date makes a retry after a crash safe,
// however many replicas tick), and schedules the next one in the subscription's zone.
type TipScheduler struct {
	b       *Bot
	store   tip.Store
	once    Once
	limiter *Pacer
	lease   time.Duration
	batch   int
}

// ErrNoTips means the core was built without a tip store (Config.Tips) or claims (Config.Claims).
var ErrNoTips = errors.New("bot: daily tips need Config.Tips and Config.Claims")

// TipScheduler returns the scheduler of the core's daily tips. The program calls its Tick on a
// schedule (a cron job each minute); several replicas may do so at once.
func (b *Bot) TipScheduler(cfg TipSchedulerConfig) (*TipScheduler, error) {
	if b.tips == nil || b.claims == nil {
		return nil, ErrNoTips
	}
	s := &TipScheduler{b: b, store: b.tips, limiter: NewPacer(cfg.Limiter, nil, b.log), lease: cfg.Lease, batch: cfg.Batch}
	if s.lease <= 0 {
		s.lease = 2 * time.Minute
	}
	if s.batch <= 0 {
		s.batch = 25
	}
	s.once = Once{Claims: b.claims, Owner: b.replica, Lease: s.lease, Keep: deliveryKeep}
	return s, nil
}

// deliveryKeep is how long a delivery's done mark is kept: past the end of its local date (a day
// is at most 25 hours) with room to spare. Only a subscription that still names that date can
// ask for it again (its reschedule was lost in a crash), and once the date is over the scheduler
// skips it without asking, so a longer mark would only cost memory: one per subscription a day.
const deliveryKeep = 26 * time.Hour

// sendTimeout bounds one tip's send, which shutdown does not cut short.
const sendTimeout = 15 * time.Second

// TickReport counts what one Tick did.
type TickReport struct {
	Sent, Failed, Skipped int
	// Released are subscriptions given back unsent: after a shutdown due again at once, for
	// the next start or another replica; when the store could not record the delivery, due a
	// minute later.
	Released int
}

// Tick delivers every tip due at now, batch by batch, and returns when none is left or ctx ends.
// A tip due on an earlier local date than now's (the bot was down that day) is skipped, not
// sent late. When ctx ends mid-batch, the subscriptions not yet sent are released, due again at
// once; the error is then ctx's.
func (s *TipScheduler) Tick(ctx context.Context, now time.Time) (TickReport, error) {
	var rep TickReport
	for ctx.Err() == nil {
		claimed, err := s.store.ClaimDue(ctx, now, s.b.now().Add(s.lease), s.batch)
		if err != nil {
			return rep, err
		}
		if len(claimed) == 0 {
			break
		}
		var back []tip.Resched
		for _, c := range claimed {
			if ctx.Err() != nil {
				back = append(back, tip.Resched{Chat: c.Chat, Lease: c.Lease, Next: c.Next})
				rep.Released++
				continue
			}
			if r, ok := s.deliver(ctx, c, now, &rep); ok {
				back = append(back, r)
			}
		}
		// Put them back even while shutting down: that is what makes a stop lose nothing.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err = s.store.Reschedule(rctx, back)
		cancel()
		if err != nil {
			// The claims lapse by themselves: the subscriptions come back after the lease, and
			// their delivery claims keep anything from going twice.
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// deliver sends one claimed subscription its tip, and says when it is next due; false when the
// subscription has ended.
func (s *TipScheduler) deliver(ctx context.Context, c tip.Claimed, now time.Time, rep *TickReport) (tip.Resched, bool) {
	b := s.b
	back := tip.Resched{Chat: c.Chat, Lease: c.Lease}
	loc, err := tip.LoadZone(c.Zone)
	if err != nil {
		b.log.Warn("a subscription's zone does not load here; using UTC", "chat", c.Chat, "zone", c.Zone)
		loc = time.UTC
	}
	back.Next, _ = tip.Next(now, c.At, loc)
	day, today := tip.DateOf(c.Next, loc), tip.DateOf(now, loc)
	if day < today {
		// The bot was down on that day: that tip is stale. Today's goes out if its time has
		// come, else at its time.
		rep.Skipped++
		if c.Kind == tip.KindTip {
			b.obs.Tip("skipped")
		}
		b.log.Info("a tip due on an earlier day was skipped", "chat", c.Chat, "date", day)
		y, m, d := now.In(loc).Date()
		if due := tip.Delivery(y, m, d, c.At, loc); due.After(now) {
			back.Next = due
			return back, true
		}
		day = today
	}
	to := Destination{Platform: c.Platform, ChatID: c.ChatID, Chat: Private, Locale: c.Lang}
	if c.Group {
		to.Chat = Group
	}
	if c.Kind == tip.KindRemind && s.mergedIntoTip(ctx, c) {
		rep.Skipped++ // the tip at the same minute carries the same line
		return back, true
	}
	quiet := false // a reminder with no cards due says nothing
	res, err := s.once.Do(ctx, "tip:"+c.Chat+":"+string(day), func(ctx context.Context) error {
		lang := content.Lang(c.Lang)
		due := 0
		if !c.Group && c.User != "" && b.quiz != nil {
			st, err := b.quiz.Stats(ctx, c.User, now, loc)
			switch {
			case err != nil && c.Kind == tip.KindRemind:
				return err // a reminder is nothing but the count: try again later
			case err != nil:
				b.log.Warn("counting a learner's due cards for their tip", "chat", c.Chat, "err", err)
			default:
				due = st.DueNow
			}
		}
		var r Reply
		if c.Kind == tip.KindRemind {
			if due == 0 {
				quiet = true
				return nil
			}
			r = Reply{Text: Text(cardsDueLine(lang, due))}
		} else {
			t, ok := b.deck.On(day)
			if !ok {
				return errors.New("the knowledge base has no tips")
			}
			r = b.tipReply(lang, t, due)
		}
		if err := s.pace(ctx); err != nil {
			return err
		}
		// A send under way is let finish when shutdown comes: cut short, the platform may have
		// delivered it all the same, and the next start would send it again.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		return b.Send(sctx, to, []Reply{r})
	})
	observe := func(result string) {
		if c.Kind == tip.KindTip {
			b.obs.Tip(result)
		}
	}
	switch {
	case res == AlreadyDone, res == Ran && err == nil && quiet:
		rep.Skipped++
		observe("skipped")
	case res == Busy && err == nil:
		// Another scheduler is sending it (its claim lapsed here while it worked): look again
		// in a minute, when it will be done.
		back.Next = now.Add(time.Minute)
	case res == Busy:
		// The store could not say whether it went: try again next minute (not at once, which
		// would have this tick claim it over and over while the store fails).
		b.log.Warn("claiming a tip's delivery", "chat", c.Chat, "err", err)
		back.Next = now.Add(time.Minute)
		rep.Released++
	case err == nil:
		rep.Sent++
		observe("sent")
	case errors.Is(err, ErrUnreachable):
		rep.Failed++
		observe("failed")
		if derr := s.store.DeleteSubscription(context.WithoutCancel(ctx), c.Chat); derr != nil {
			b.log.Error("ending the subscription of an unreachable chat", "chat", c.Chat, "err", derr)
			return back, true
		}
		b.log.Info("subscription ended: the chat is unreachable", "chat", c.Chat, "err", err)
		return back, false
	case ctx.Err() != nil:
		back.Next = c.Next // cut short by shutdown: due again at once
		rep.Released++
	default:
		rep.Failed++
		observe("failed")
		b.log.Warn("a tip could not be sent; trying again in five minutes", "chat", c.Chat, "err", err)
		if retry := now.Add(5 * time.Minute); tip.DateOf(retry, loc) == day {
			back.Next = retry
		}
	}
	return back, true
}

// mergedIntoTip reports whether the reminder falls in the same minute as its chat's tip, which
// then carries the due-cards line itself.
func (s *TipScheduler) mergedIntoTip(ctx context.Context, c tip.Claimed) bool {
	t, err := s.store.Subscription(ctx, tip.Key(tip.KindTip, c.Platform+":"+c.ChatID))
	return err == nil && t.At == c.At && t.Zone == c.Zone
}

// pace waits for the fan-out's turn under FanoutRate: the shared limiter's, or when there is
// none or it cannot answer, this process's own.
func (s *TipScheduler) pace(ctx context.Context) error {
	return Wait(ctx, s.limiter, []Rate{FanoutRate()}, Sleep)
}
