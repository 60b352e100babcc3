package ops

import (
	"context"
	"errors"
	"time"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/quiz"
)

// Store is everything the bot keeps in its progress store. Both stores implement it.
type Store interface {
	quiz.Store
	quiz.Leaderboards
	quiz.Reports
	quiz.ChallengeStore
	quiz.RefitStore
	tip.Store
	bot.Settings
	bot.Codes
	PutQuizPoll(ctx context.Context, id string, ref []byte) error
	QuizPoll(ctx context.Context, id string) ([]byte, error)
}

// InstrumentStore returns s with every operation timed and counted under the store's name
// ("bolt", "redis"): the latency histogram and error counts operators watch for a slow or
// refusing store.
func InstrumentStore(name string, s Store, m *Metrics) Store { return &instrumented{s, name, m} }

type instrumented struct {
	Store
	name string
	m    *Metrics
}

// done records an operation that started at start and ended with err.
func (s *instrumented) done(op string, start time.Time, err error) {
	kind := ""
	switch {
	case err == nil:
	case errors.Is(err, quiz.ErrUnavailable):
		kind = "unavailable"
	case errors.Is(err, quiz.ErrConflict):
		kind = "conflict"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		kind = "canceled"
	default:
		kind = "other"
	}
	s.m.storeOp(s.name, op, time.Since(start), kind)
}

func (s *instrumented) Load(ctx context.Context, user string, withCards bool) (quiz.Record, error) {
	start := time.Now()
	rec, err := s.Store.Load(ctx, user, withCards)
	op := "load"
	if withCards {
		op = "load_cards"
	}
	s.done(op, start, err)
	return rec, err
}

func (s *instrumented) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	start := time.Now()
	v, err := s.Store.Commit(ctx, user, w)
	s.done("commit", start, err)
	return v, err
}

func (s *instrumented) Replace(ctx context.Context, user string, expect uint64, rec quiz.Record, history []byte) (uint64, error) {
	start := time.Now()
	v, err := s.Store.Replace(ctx, user, expect, rec, history)
	s.done("replace", start, err)
	return v, err
}

func (s *instrumented) Forget(ctx context.Context, user string, boards []quiz.Board) error {
	start := time.Now()
	err := s.Store.Forget(ctx, user, boards)
	s.done("forget", start, err)
	return err
}

func (s *instrumented) Top(ctx context.Context, b quiz.Board, n int, user string) ([]quiz.Standing, quiz.Standing, bool, error) {
	start := time.Now()
	top, me, ok, err := s.Store.Top(ctx, b, n, user)
	s.done("leaderboard", start, err)
	return top, me, ok, err
}

func (s *instrumented) AddReport(ctx context.Context, r quiz.Report) error {
	start := time.Now()
	err := s.Store.AddReport(ctx, r)
	s.done("add_report", start, err)
	return err
}

func (s *instrumented) ChatSetting(ctx context.Context, chat, key string) (string, error) {
	start := time.Now()
	v, err := s.Store.ChatSetting(ctx, chat, key)
	s.done("chat_setting", start, err)
	return v, err
}

func (s *instrumented) SetChatSetting(ctx context.Context, chat, key, value string) error {
	start := time.Now()
	err := s.Store.SetChatSetting(ctx, chat, key, value)
	s.done("set_chat_setting", start, err)
	return err
}

func (s *instrumented) UserSetting(ctx context.Context, user, key string) (string, error) {
	start := time.Now()
	v, err := s.Store.UserSetting(ctx, user, key)
	s.done("user_setting", start, err)
	return v, err
}

func (s *instrumented) SetUserSetting(ctx context.Context, user, key, value string) error {
	start := time.Now()
	err := s.Store.SetUserSetting(ctx, user, key, value)
	s.done("set_user_setting", start, err)
	return err
}

func (s *instrumented) Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	start := time.Now()
	ok, err := s.Store.Claim(ctx, key, owner, ttl)
	s.done("claim", start, err)
	return ok, err
}

func (s *instrumented) Take(ctx context.Context, key string) (string, bool, error) {
	start := time.Now()
	owner, ok, err := s.Store.Take(ctx, key)
	s.done("take", start, err)
	return owner, ok, err
}

func (s *instrumented) Release(ctx context.Context, key, owner string) error {
	start := time.Now()
	err := s.Store.Release(ctx, key, owner)
	s.done("release", start, err)
	return err
}

func (s *instrumented) Press(ctx context.Context, chat string, p quiz.Press) (quiz.PressResult, error) {
	start := time.Now()
	r, err := s.Store.Press(ctx, chat, p)
	s.done("press", start, err)
	return r, err
}

func (s *instrumented) ClosePresses(ctx context.Context, chat, id string, pos int) ([]quiz.Press, error) {
	start := time.Now()
	ps, err := s.Store.ClosePresses(ctx, chat, id, pos)
	s.done("close_presses", start, err)
	return ps, err
}

func (s *instrumented) SaveChallenge(ctx context.Context, chat string, w quiz.ChallengeWrite) (uint64, error) {
	start := time.Now()
	v, err := s.Store.SaveChallenge(ctx, chat, w)
	s.done("save_challenge", start, err)
	return v, err
}

// InstrumentLimiter returns l with every reservation timed and counted under the store's name
// as the operation "reserve", next to the store's other operations: a shared limiter that slows
// down slows every message the bot sends.
func InstrumentLimiter(name string, l bot.Limiter, m *Metrics) bot.Limiter {
	return &instrumentedLimiter{l, name, m}
}

type instrumentedLimiter struct {
	bot.Limiter
	name string
	m    *Metrics
}

func (l *instrumentedLimiter) Reserve(ctx context.Context, rates []bot.Rate) (time.Duration, error) {
	start := time.Now()
	d, err := l.Limiter.Reserve(ctx, rates)
	(&instrumented{name: l.name, m: l.m}).done("reserve", start, err)
	return d, err
}

func (s *instrumented) PutSubscription(ctx context.Context, sub tip.Subscription) error {
	start := time.Now()
	err := s.Store.PutSubscription(ctx, sub)
	s.done("put_subscription", start, err)
	return err
}

func (s *instrumented) Subscription(ctx context.Context, chat string) (tip.Subscription, error) {
	start := time.Now()
	sub, err := s.Store.Subscription(ctx, chat)
	if errors.Is(err, tip.ErrNotSubscribed) {
		s.done("subscription", start, nil) // an answer, not a failure
		return sub, err
	}
	s.done("subscription", start, err)
	return sub, err
}

func (s *instrumented) DeleteSubscription(ctx context.Context, chat string) error {
	start := time.Now()
	err := s.Store.DeleteSubscription(ctx, chat)
	s.done("delete_subscription", start, err)
	return err
}

func (s *instrumented) ClaimDue(ctx context.Context, now, lease time.Time, limit int) ([]tip.Claimed, error) {
	start := time.Now()
	cs, err := s.Store.ClaimDue(ctx, now, lease, limit)
	s.done("claim_tips", start, err)
	return cs, err
}

func (s *instrumented) Reschedule(ctx context.Context, rs []tip.Resched) error {
	start := time.Now()
	err := s.Store.Reschedule(ctx, rs)
	s.done("reschedule_tips", start, err)
	return err
}
