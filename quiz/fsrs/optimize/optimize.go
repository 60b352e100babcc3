// Package optimize fits the 21 FSRS-6 weights to one learner's review log,
// so that the scheduler's recall predictions match how that learner
// actually remembers.
//
// The fit follows the reference optimisers:
//
//   - The loss is py-fsrs 6.3.1's (fsrs/optimizer.py, Optimizer): each
//     card's first 64 reviews are replayed in time order through the
//     FSRS-6 memory model, and a review is scored — binary cross-entropy
//     between the predicted retrievability and whether it was recalled —
//     only when at least one whole 24-hour period has passed since the
//     card's previous review. quiz/replay scores logs the same way.
//   - The descent is py-fsrs's too: Adam (learning rate 0.04), cosine
//     annealing over all steps, 5 epochs over the cards in the order of
//     Python's Random(42).shuffle, a step after every 512 scored reviews
//     (a card running across a step continues from its state with the new
//     weights), weights clamped to their bounds after every step, and the
//     epoch with the lowest loss wins. Fewer than 512 scored reviews are not
//     enough to fit.
//   - Before the descent, the initial stabilities w0..w3 are pre-trained
//     from the outcomes of each card's first long-term review, and after
//     it the ones no card could inform are filled in from the others, as
//     fsrs-rs (the optimiser inside Anki) does; py-fsrs starts from the
//     default w0..w3 instead, and Options.SkipPretrain does the same.
//
// Gradients are exact: the replay carries forward-mode derivatives of the
// memory state with respect to every weight, through formulas
// differentiated by hand (model.go). Everything is deterministic.
package optimize

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Review is one answered review: the only input the optimiser needs. Ratings
// must be Valid; reviews may come in any order.
type Review struct {
	// CardID identifies the card; reviews with the same id form one
	// history, and histories are visited in the order of their ids before
	// shuffling.
	CardID int64
	// Rating is the button the learner pressed.
	Rating fsrs.Rating
	// Time is when the review happened.
	Time time.Time
}

// Options adjusts Optimize. The zero Options is the full fit: fsrs-rs's
// pre-training of w0..w3, then py-fsrs's descent.
type Options struct {
	// SkipPretrain starts the descent from the default w0..w3 and leaves
	// them as the descent ends, exactly as py-fsrs 6.3.1's Optimizer does,
	// instead of pre-training them first as fsrs-rs does.
	SkipPretrain bool
	// BatchSize is how many scored reviews make one step: 512 when zero, as
	// in py-fsrs. A log needs at least one batch. One learner's own history
	// can be smaller than py-fsrs's batch; a smaller batch lets it be fitted,
	// with fewer steps and so less far from the starting weights.
	BatchSize int
}

// Stats describes a fit.
type Stats struct {
	// Cards counts the card histories replayed.
	Cards int
	// Scored counts the reviews in the loss.
	Scored int
	// Steps counts the Adam steps taken.
	Steps int
	// BestEpoch is the epoch (1 to 5) whose weights were returned.
	BestEpoch int
	// LogLoss is the mean log loss of the returned weights on the scored
	// reviews.
	LogLoss float64
}

// ErrTooFewReviews is returned, with the default weights, when a log has
// fewer scored reviews than one batch (512 unless Options.BatchSize says
// otherwise): too few to fit 21 weights, so py-fsrs keeps the defaults too.
var ErrTooFewReviews = errors.New("optimize: fewer than 512 scored reviews, too few to fit")

// Hyper-parameters of py-fsrs 6.3.1's Optimizer (and fsrs-rs's defaults).
const (
	epochs       = 5
	batchSize    = 512
	learningRate = 4e-2
	shuffleSeed  = 42
)

// Optimize fits the FSRS-6 weights to reviews by minimising the log loss of
// predicted recall (see the package comment for the protocol). It returns
// the fitted weights, which always pass fsrs.Weights.Validate, and how the
// fit went. An invalid rating is an error; so is a cancelled ctx, which is
// checked after every step. With fewer than 512 scored reviews it returns
// the default weights and ErrTooFewReviews.
func Optimize(ctx context.Context, reviews []Review, opts Options) (fsrs.Weights, Stats, error) {
	hs, scored, err := histories(reviews)
	if err != nil {
		return fsrs.Weights{}, Stats{}, err
	}
	stats := Stats{Cards: len(hs), Scored: scored}
	batch := opts.BatchSize
	if batch <= 0 {
		batch = batchSize
	}
	if scored < batch {
		return fsrs.DefaultWeights(), stats, ErrTooFewReviews
	}

	start := fsrs.DefaultWeights()
	var counts [4]int
	pretrained := false
	if !opts.SkipPretrain {
		var s0 [4]float64
		s0, counts, pretrained = pretrain(hs)
		if pretrained {
			copy(start[:4], s0[:])
		}
	}

	w, bestEpoch, steps, err := descend(ctx, hs, scored, start, batch)
	if err != nil {
		return fsrs.Weights{}, Stats{}, err
	}
	if pretrained {
		s0, _ := smoothAndFill([4]float64(w[:4]), counts)
		copy(w[:4], s0[:])
	}
	w = w.Clamp()
	stats.Steps, stats.BestEpoch = steps, bestEpoch
	stats.LogLoss, _, _ = evaluate(hs, w, false)
	return w, stats, nil
}

// LogLoss replays reviews with weights w and returns the mean log loss over
// the scored reviews and how many were scored, under the same protocol as
// Optimize (and quiz/replay). It is how a caller decides whether fitted
// weights beat the ones in use. The loss is NaN when nothing is scored. An
// invalid rating or weights that fail Validate are an error.
func LogLoss(reviews []Review, w fsrs.Weights) (float64, int, error) {
	if err := w.Validate(); err != nil {
		return 0, 0, err
	}
	hs, _, err := histories(reviews)
	if err != nil {
		return 0, 0, err
	}
	loss, _, n := evaluate(hs, w, false)
	return loss, n, nil
}

// evaluate replays every history with weights w and returns the mean log
// loss over the scored reviews, its gradient when grad is set, and the
// number scored. The loss is NaN when nothing is scored.
func evaluate(hs []history, w fsrs.Weights, grad bool) (float64, tangent, int) {
	m := newModel(w, grad)
	var (
		sum float64
		g   tangent
		n   int
		mem memory
	)
	for _, h := range hs {
		for j, s := range h.steps {
			if j == 0 {
				m.start(&mem, s.rating)
				continue
			}
			var r float64
			var dr tangent
			if s.scored() {
				r, dr = m.recall(&mem, int(s.days))
				loss, perR := bce(r, s.label())
				sum += loss
				n++
				if grad {
					for i := range g {
						g[i] += perR * dr[i]
					}
				}
			}
			m.review(&mem, s.rating, int(s.days), r, &dr)
		}
	}
	for i := range g {
		g[i] /= float64(n)
	}
	return sum / float64(n), g, n
}

// descend runs py-fsrs's gradient descent from start and returns the best
// epoch's weights, that epoch (1-based) and the number of steps taken.
func descend(ctx context.Context, hs []history, scored int, start fsrs.Weights, batchSize int) (fsrs.Weights, int, int, error) {
	order := make([]int, len(hs))
	for i := range order {
		order[i] = i
	}
	rnd := newPyRandom(shuffleSeed)
	opt := newAdam(learningRate, ceilDiv(scored, batchSize)*epochs)

	w := start
	best, bestEpoch, bestLoss := w, 0, math.Inf(1)
	for epoch := 1; epoch <= epochs; epoch++ {
		shuffle(rnd, order)
		m := newModel(w, true)
		var (
			g   tangent
			n   int
			mem memory
		)
		stepNow := func() error {
			w = opt.step(w, &g)
			m = newModel(w, true)
			g, n = tangent{}, 0
			return ctx.Err()
		}
		for _, c := range order {
			h := hs[c]
			for j, s := range h.steps {
				if j == 0 {
					m.start(&mem, s.rating)
				} else {
					var r float64
					var dr tangent
					if s.scored() {
						r, dr = m.recall(&mem, int(s.days))
						_, perR := bce(r, s.label())
						for i := range g {
							g[i] += perR * dr[i]
						}
						n++
					}
					m.review(&mem, s.rating, int(s.days), r, &dr)
				}
				if n == batchSize {
					if err := stepNow(); err != nil {
						return fsrs.Weights{}, 0, 0, err
					}
					// The card goes on from its current state, which no
					// longer depends on the weights (py-fsrs detaches it).
					mem.ds, mem.dd = tangent{}, tangent{}
				}
			}
		}
		if n > 0 {
			if err := stepNow(); err != nil {
				return fsrs.Weights{}, 0, 0, err
			}
		}
		if loss, _, _ := evaluate(hs, w, false); loss < bestLoss {
			best, bestEpoch, bestLoss = w, epoch, loss
		}
	}
	return best, bestEpoch, opt.steps, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
