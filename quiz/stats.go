package quiz

import (
	"context"
	"slices"
	"strings"
	"time"
)

// TopicStats is a learner's progress in one topic.
type TopicStats struct {
	Topic    string
	Total    int // cards in the topic
	Seen     int // answered at least once
	Learning int // seen but not yet mature
	Mature   int // stability of MatureDays or more
}

// Stats is a learner's progress overall.
type Stats struct {
	Topics     []TopicStats
	Answered   int
	Correct    int
	Streak     int // current daily streak: 0 once a UTC day has passed without an answer
	BestStreak int
	DueNow     int
	DueToday   int // due before the end of the UTC day, including DueNow
	DueWeek    int // due within seven days, including DueToday
	NextDue    time.Time
	InRound    bool
	// Params says whose FSRS weights schedule the learner: ParamsDefault, ParamsCommunity or
	// ParamsPersonal.
	Params string
	// Retention is the mean predicted recall of the learner's seen cards now, by those weights
	// (0 with no cards seen).
	Retention float64
}

// Stats computes the learner's progress from their card states.
func (e *Engine) Stats(ctx context.Context, user string, now time.Time) (Stats, error) {
	rec, p, err := e.load(ctx, user, true, now)
	if err != nil {
		return Stats{}, err
	}
	states := decodeStates(rec.Cards)
	sched, source := e.scheduler(ctx, rec.Params, now)
	st := Stats{
		Answered: p.Answered, Correct: p.Correct, BestStreak: p.BestStreak, InRound: p.Round != nil,
		Params: source,
	}
	seen := 0
	if today := int(now.Unix() / 86400); p.LastDay >= today-1 {
		st.Streak = p.Streak
	}
	endOfDay := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	week := now.Add(7 * 24 * time.Hour)
	for id, s := range states {
		if e.bank.Card(id) == nil || !s.Seen() {
			continue // retired cards no longer count
		}
		seen++
		st.Retention += sched.Retrievability(s.Card, now)
		switch {
		case !s.Due.After(now):
			st.DueNow++
			st.DueToday++
			st.DueWeek++
		case s.Due.Before(endOfDay):
			st.DueToday++
			st.DueWeek++
		case s.Due.Before(week):
			st.DueWeek++
		}
		if st.NextDue.IsZero() || s.Due.Before(st.NextDue) {
			st.NextDue = s.Due
		}
	}
	if seen > 0 {
		st.Retention /= float64(seen)
	}
	for _, t := range e.bank.Topics() {
		ts := TopicStats{Topic: t}
		for _, c := range e.bank.In(Scope{Topic: t}) {
			ts.Total++
			if s, ok := states[c.ID]; ok && s.Seen() {
				ts.Seen++
				if s.Mature() {
					ts.Mature++
				} else {
					ts.Learning++
				}
			}
		}
		st.Topics = append(st.Topics, ts)
	}
	return st, nil
}

// Leaderboard returns this week's top learners of the chat and the user's own standing.
func (e *Engine) Leaderboard(ctx context.Context, chat, user string, n int, now time.Time) ([]Standing, Standing, bool, error) {
	if e.boards == nil {
		return nil, Standing{}, false, ErrUnavailable
	}
	return e.boards.Top(ctx, Board{Chat: chat, Week: Week(now)}, n, user)
}

// Rank orders standings by points (ties by user key, so the order is stable), numbers them, and
// returns the first n and the standing of user. Stores share it so every backend ranks alike.
func Rank(all []Standing, n int, user string) ([]Standing, Standing, bool) {
	slices.SortFunc(all, func(a, b Standing) int {
		if a.Points != b.Points {
			return b.Points - a.Points
		}
		return strings.Compare(a.User, b.User)
	})
	var me Standing
	found := false
	for i := range all {
		all[i].Rank = i + 1
		if all[i].User == user {
			me, found = all[i], true
		}
	}
	if len(all) > n {
		all = all[:n]
	}
	return all, me, found
}
