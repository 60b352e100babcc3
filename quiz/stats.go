package quiz

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// TopicStats is a learner's progress in one topic.
type TopicStats struct {
	Topic    string
	Total    int // cards in the topic
	Seen     int // answered at least once
	Learning int // seen but not yet mature
	Mature   int // stability of MatureDays or more
	// Answered and Correct count the answers in the learner's history (the newest MaxHistory).
	Answered, Correct int
	// Retention is the mean predicted recall of the topic's seen cards now; NaN with none seen.
	Retention float64
}

// ForecastDays is how many days ahead Stats.Due counts cards due.
const ForecastDays = 30

// HistoryDays is how many days back Stats.Reviews counts reviews: twelve weeks.
const HistoryDays = 84

// DayCount is a number of reviews on one of the learner's local days.
type DayCount struct {
	Day   time.Time // midnight of the local date, in the learner's zone
	Count int
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
	// Today is the learner's local date (midnight in their zone).
	Today time.Time
	// Due counts the cards due on each of the next ForecastDays local days; Due[0] is today and
	// includes those overdue.
	Due [ForecastDays]int
	// Reviews counts reviews per local day over the last HistoryDays, oldest first, days without
	// reviews left out.
	Reviews []DayCount
	// Version is the record version the figures come from: they change only when it does.
	Version uint64
}

// Day is the number of the local date of t in loc (nil: UTC), counted in days from 1970-01-01:
// what streaks and "due today" count in, so a learner's day ends at their own midnight.
func Day(t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// midnight is the start of local day n in loc.
func midnight(n int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Stats computes the learner's progress from their card states and review history, counting
// days in loc (the learner's zone; nil: UTC).
func (e *Engine) Stats(ctx context.Context, user string, now time.Time, loc *time.Location) (Stats, error) {
	key, rec, p, err := e.load(ctx, user, true, now)
	if err != nil {
		return Stats{}, err
	}
	history, err := e.store.History(ctx, key)
	if err != nil {
		return Stats{}, err
	}
	states := decodeStates(rec.Cards)
	sched, source := e.scheduler(ctx, rec.Params, now)
	today := Day(now, loc)
	st := Stats{
		Answered: p.Answered, Correct: p.Correct, BestStreak: p.BestStreak, InRound: p.Round != nil,
		Params: source, Today: midnight(today, loc), Version: rec.Version,
	}
	if p.LastDay >= today-1 {
		st.Streak = p.Streak
	}
	endOfDay := midnight(today+1, loc)
	week := now.Add(7 * 24 * time.Hour)
	seen := 0
	recall := map[string]float64{}
	for id, s := range states {
		if e.bank.Card(id) == nil || !s.Seen() {
			continue // retired cards no longer count
		}
		seen++
		recall[id] = sched.Retrievability(s.Card, now)
		st.Retention += recall[id]
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
		if d := max(Day(s.Due, loc)-today, 0); d < ForecastDays {
			st.Due[d]++
		}
		if st.NextDue.IsZero() || s.Due.Before(st.NextDue) {
			st.NextDue = s.Due
		}
	}
	if seen > 0 {
		st.Retention /= float64(seen)
	}
	answered, correct := map[string]int{}, map[string]int{}
	perDay := map[int]int{}
	for _, r := range UnpackHistory(history) {
		answered[r.Card]++
		if r.Rating != fsrs.Again {
			correct[r.Card]++
		}
		if d := Day(r.Time, loc); d > today-HistoryDays && d <= today {
			perDay[d]++
		}
	}
	for d := today - HistoryDays + 1; d <= today; d++ {
		if n := perDay[d]; n > 0 {
			st.Reviews = append(st.Reviews, DayCount{Day: midnight(d, loc), Count: n})
		}
	}
	for _, t := range e.bank.Topics() {
		ts := TopicStats{Topic: t}
		sum, n := 0.0, 0
		for _, c := range e.bank.In(Scope{Topic: t}) {
			ts.Total++
			ts.Answered += answered[c.ID]
			ts.Correct += correct[c.ID]
			if s, ok := states[c.ID]; ok && s.Seen() {
				ts.Seen++
				sum, n = sum+recall[c.ID], n+1
				if s.Mature() {
					ts.Mature++
				} else {
					ts.Learning++
				}
			}
		}
		ts.Retention = math.NaN()
		if n > 0 {
			ts.Retention = sum / float64(n)
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
