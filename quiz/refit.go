package quiz

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"math"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/fsrs/optimize"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

// RefitStore is what the weekly refit of FSRS weights reads and writes. Both stores implement it.
type RefitStore interface {
	// Learners calls fn with every learner that has a review history. It may take a while: it is
	// for background jobs, never a request.
	Learners(ctx context.Context, fn func(user string) error) error
	History(ctx context.Context, user string) ([]byte, error)
	Load(ctx context.Context, user string, withCards bool) (Record, error)
	SetParams(ctx context.Context, user string, params []byte) error
	ParamStore
}

// MinPersonalReviews is how many scored reviews a learner needs before weights are fitted to
// them alone: fewer make a noisy fit, and those learners are served by the community's weights.
const MinPersonalReviews = 400

// minBatch is the smallest optimiser batch a fit may use: a learner's own four fifths of
// MinPersonalReviews, with room.
const minBatch = 256

// maxCommunityReviews bounds the reviews pooled for the community fit, so the weekly job's time
// and memory stay bounded however large the deployment grows.
const maxCommunityReviews = 500_000

// Refit fits FSRS weights to learners' review histories: personal weights for every learner with
// at least MinPersonalReviews scored reviews, and community weights from everyone's, each kept only
// when it predicts the held-out fifth of the cards better than the weights it would replace. It
// is meant to run weekly, exactly once across replicas (the caller holds a claim).
type Refit struct {
	Store RefitStore
	Log   *slog.Logger
}

// RefitReport says what a refit did.
type RefitReport struct {
	Learners int // learners with a history
	Fitted   int // learners with enough reviews for weights of their own
	Kept     int // personal fits that beat the learner's current weights and were stored
	// Community is set when community weights were fitted and stored.
	Community bool
}

// Run refits every learner's weights and the community's.
func (r *Refit) Run(ctx context.Context, now time.Time) (RefitReport, error) {
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	var rep RefitReport
	var pool []optimize.Review
	community := r.current(ctx, nil)
	err := r.Store.Learners(ctx, func(user string) error {
		raw, err := r.Store.History(ctx, user)
		if err != nil {
			return err
		}
		reviews := historyReviews(raw, 0)
		if len(reviews) == 0 {
			return nil
		}
		rep.Learners++
		if len(pool) < maxCommunityReviews {
			pool = append(pool, historyReviews(raw, learnerTag(user))...)
		}
		kept, fitted, err := r.personal(ctx, user, reviews, community, now)
		if err != nil {
			log.Warn("refitting a learner's FSRS weights", "err", err)
			return nil
		}
		if fitted {
			rep.Fitted++
		}
		if kept {
			rep.Kept++
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if p, ok := fitBetter(ctx, pool, community.Weights, ParamsCommunity, now); ok {
		if err := r.Store.SetCommunityParams(ctx, EncodeParams(p)); err != nil {
			return rep, err
		}
		rep.Community = true
	}
	log.Info("refitted FSRS weights", "learners", rep.Learners, "fitted", rep.Fitted, "kept", rep.Kept, "community", rep.Community)
	return rep, nil
}

// current returns the weights a learner is scheduled with now: their own, else the community's,
// else the defaults.
func (r *Refit) current(ctx context.Context, rec *Record) Params {
	if rec != nil && len(rec.Params) > 0 {
		if p, err := DecodeParams(rec.Params); err == nil {
			return p
		}
	}
	if raw, err := r.Store.CommunityParams(ctx); err == nil && raw != nil {
		if p, err := DecodeParams(raw); err == nil {
			return p
		}
	}
	return Params{Source: ParamsDefault, Weights: fsrs.DefaultWeights()}
}

// personal fits one learner's weights; fitted reports whether they had enough reviews, kept whether
// the fit beat their current weights and was stored.
func (r *Refit) personal(ctx context.Context, user string, reviews []optimize.Review, community Params, now time.Time) (kept, fitted bool, err error) {
	if _, scored, err := optimize.LogLoss(reviews, fsrs.DefaultWeights()); err != nil || scored < MinPersonalReviews {
		return false, false, err
	}
	rec, err := r.Store.Load(ctx, user, true)
	if err != nil {
		return false, true, err
	}
	reviews = completeHistories(reviews, rec.Cards)
	cur := community
	if len(rec.Params) > 0 {
		cur = r.current(ctx, &rec)
	}
	p, ok := fitBetter(ctx, reviews, cur.Weights, ParamsPersonal, now)
	if !ok {
		return false, true, nil
	}
	return true, true, r.Store.SetParams(ctx, user, EncodeParams(p))
}

// fitBetter fits weights to the reviews of four fifths of the cards and keeps them when they
// predict the other fifth (replay.HeldOutCard) better than current does.
func fitBetter(ctx context.Context, reviews []optimize.Review, current fsrs.Weights, source string, now time.Time) (Params, bool) {
	var train, test []optimize.Review
	for _, rv := range reviews {
		if replay.HeldOutCard(rv.CardID) {
			test = append(test, rv)
		} else {
			train = append(train, rv)
		}
	}
	_, trainScored, _ := optimize.LogLoss(train, fsrs.DefaultWeights())
	w, st, err := optimize.Optimize(ctx, train, optimize.Options{BatchSize: min(512, max(trainScored, minBatch))})
	if errors.Is(err, optimize.ErrTooFewReviews) || err != nil {
		return Params{}, false
	}
	fitLoss, n, err1 := optimize.LogLoss(test, w)
	baseLoss, _, err2 := optimize.LogLoss(test, current)
	if err1 != nil || err2 != nil || n == 0 || math.IsNaN(fitLoss) || !(fitLoss < baseLoss) {
		return Params{}, false
	}
	return Params{Source: source, Weights: w, Fitted: now, Reviews: st.Scored, LogLoss: fitLoss, Baseline: baseLoss}, true
}

// historyReviews turns a packed history into the optimiser's reviews. tag, when not 0, is put in
// the card ids' high bits, so histories of several learners pooled together stay apart.
func historyReviews(raw []byte, tag int64) []optimize.Review {
	var out []optimize.Review
	for _, rv := range UnpackHistory(raw) {
		n, err := CardNumber(rv.Card)
		if err != nil {
			continue
		}
		out = append(out, optimize.Review{CardID: tag<<36 | n, Rating: rv.Rating, Time: rv.Time})
	}
	return out
}

// learnerTag is a 26-bit number for a learner, for pooling histories (card ids take 36 bits).
func learnerTag(user string) int64 {
	h := fnv.New32a()
	h.Write([]byte(user))
	return int64(h.Sum32()>>6) + 1
}

// completeHistories keeps the reviews of cards whose whole history is there: a card reviewed more
// often than its kept reviews show lost its first ones to the history's limit, and a replay that
// starts in the middle would teach the fit wrong stabilities. Cards without a stored state (none
// are known) are kept.
func completeHistories(reviews []optimize.Review, states map[string][]byte) []optimize.Review {
	if len(states) == 0 {
		return reviews
	}
	reps := map[int64]int{}
	for id, b := range states {
		if s, err := UnpackState(b); err == nil {
			if n, err := CardNumber(id); err == nil {
				reps[n] = s.Reps
			}
		}
	}
	count := map[int64]int{}
	for _, rv := range reviews {
		count[rv.CardID]++
	}
	out := reviews[:0:0]
	for _, rv := range reviews {
		if n, ok := reps[rv.CardID]; !ok || n <= count[rv.CardID] {
			out = append(out, rv)
		}
	}
	return out
}
