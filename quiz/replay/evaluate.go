package replay

import (
	"fmt"
	"math"
	"slices"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// maxReviewsPerCard is py-fsrs's Optimizer max_seq_len: only the first 64
// reviews of each card are replayed.
const maxReviewsPerCard = 64

// Names of the models in Report.Models, in the order they appear.
const (
	ModelFSRSDefault = "FSRS-6 (default parameters)"
	ModelFSRSCustom  = "FSRS-6 (custom parameters)"
	ModelSM2         = "SM-2"
	ModelAverage     = "AVG (constant)"
)

// Report is the outcome of Evaluate.
type Report struct {
	// Reviews and Cards count the input reviews and the distinct cards.
	Reviews, Cards int
	// Scored counts the reviews that were scored: those at least one whole
	// 24-hour period after the previous review of the same card, within the
	// card's first 64 reviews.
	Scored int
	// MeanRecall is the share of scored reviews not rated Again.
	MeanRecall float64
	// Models holds one score per model: FSRS-6, SM-2, AVG.
	Models []ModelScore
}

// ModelScore is how well one model predicted recall on the scored reviews.
// Lower is better for both metrics; both are NaN when nothing was scored.
type ModelScore struct {
	Name string
	// LogLoss is the mean binary cross-entropy between the predicted recall
	// probability and the outcome (1 unless rated Again).
	LogLoss float64
	// RMSEBins is srs-benchmark's RMSE(bins): the bin-size-weighted RMSE
	// between mean outcome and mean prediction over bins of elapsed days,
	// review number and lapse count.
	RMSEBins float64
}

// Evaluate replays reviews through three recall models and scores them.
//
// Each card's reviews are sorted by time (ties keep their input order) and
// cut to the first 64. Before each review every model predicts the
// probability of recall; the review is scored only if it comes at least one
// whole 24-hour period after the card's previous review, as in py-fsrs 6.3.1
// Optimizer._compute_batch_loss. The models are:
//
//   - FSRS-6 with p, through fsrs.Scheduler.Review and Retrievability (fuzz
//     has no effect on memory state, so none is drawn). py-fsrs's protocol
//     uses DefaultParameters; the model is named for whether p.W is the
//     default weights.
//   - SM-2 as srs-benchmark runs it, R = 0.9^(t/I); same-day repeats do not
//     advance it.
//   - AVG, which predicts the mean recall of the scored reviews for all of
//     them (an in-sample baseline).
//
// p must be valid and every review's rating Valid (ReadCSV guarantees the
// latter); Evaluate panics otherwise, since both are checked where they are
// read.
func Evaluate(reviews []Review, p fsrs.Parameters) Report {
	s, err := fsrs.NewScheduler(p)
	if err != nil {
		panic(fmt.Sprintf("replay: Evaluate with invalid parameters: %v", err))
	}

	histories := cardHistories(reviews)
	var (
		keys           []binKey
		ys, pFSRS, pSM []float64
	)
	for _, history := range histories {
		var card fsrs.Card
		sm2 := newSM2Card()
		i, lapses := 1, 0 // srs-benchmark's review number and lapse count
		for j, rv := range history {
			scored := false
			if j > 0 {
				days := fsrs.ElapsedDays(history[j-1].Time, rv.Time)
				if days >= 1 {
					scored = true
					i++
					y := 1.0
					if rv.Rating == fsrs.Again {
						y = 0
					}
					keys = append(keys, newBinKey(days, i, lapses))
					ys = append(ys, y)
					pFSRS = append(pFSRS, s.Retrievability(card, rv.Time))
					pSM = append(pSM, sm2.recall(days))
					if rv.Rating == fsrs.Again {
						lapses++
					}
				}
			}
			card = s.Review(card, rv.Rating, rv.Time, nil)
			if j == 0 || scored {
				sm2.review(rv.Rating)
			}
		}
	}

	mean := meanOf(ys)
	pAvg := make([]float64, len(ys))
	for j := range pAvg {
		pAvg[j] = mean
	}
	fsrsName := ModelFSRSCustom
	if p.W == fsrs.DefaultParameters().W {
		fsrsName = ModelFSRSDefault
	}
	score := func(name string, ps []float64) ModelScore {
		return ModelScore{Name: name, LogLoss: logLoss(ys, ps), RMSEBins: rmseBins(keys, ys, ps)}
	}
	return Report{
		Reviews:    len(reviews),
		Cards:      len(histories),
		Scored:     len(ys),
		MeanRecall: mean,
		Models: []ModelScore{
			score(fsrsName, pFSRS),
			score(ModelSM2, pSM),
			score(ModelAverage, pAvg),
		},
	}
}

// Metrics is how well FSRS-6 predicted recall on some of a log's scored
// reviews. Lower is better for both metrics; both are NaN when nothing was
// scored.
type Metrics struct {
	// Scored counts the reviews scored.
	Scored int
	// LogLoss and RMSEBins are as in ModelScore.
	LogLoss, RMSEBins float64
}

// ScoreFSRS replays reviews through FSRS-6 with p exactly as Evaluate does,
// but scores only the scored reviews for which score returns true (every
// one when score is nil). Every card's whole history (its first 64
// reviews) is replayed either way, and the RMSE(bins) bins still count the
// review number and lapses over all of a card's scored reviews, so a
// held-out review is predicted from the same state and binned the same as
// in a full evaluation; only the choice of reviews differs. This is how
// weights fitted on part of a log are judged on the rest.
//
// Like Evaluate, ScoreFSRS panics if p is invalid or a rating is not Valid.
func ScoreFSRS(reviews []Review, p fsrs.Parameters, score func(Review) bool) Metrics {
	s, err := fsrs.NewScheduler(p)
	if err != nil {
		panic(fmt.Sprintf("replay: ScoreFSRS with invalid parameters: %v", err))
	}
	var (
		keys   []binKey
		ys, ps []float64
	)
	for _, history := range cardHistories(reviews) {
		var card fsrs.Card
		i, lapses := 1, 0
		for j, rv := range history {
			if j > 0 {
				if days := fsrs.ElapsedDays(history[j-1].Time, rv.Time); days >= 1 {
					i++
					if score == nil || score(rv) {
						y := 1.0
						if rv.Rating == fsrs.Again {
							y = 0
						}
						keys = append(keys, newBinKey(days, i, lapses))
						ys = append(ys, y)
						ps = append(ps, s.Retrievability(card, rv.Time))
					}
					if rv.Rating == fsrs.Again {
						lapses++
					}
				}
			}
			card = s.Review(card, rv.Rating, rv.Time, nil)
		}
	}
	return Metrics{Scored: len(ys), LogLoss: logLoss(ys, ps), RMSEBins: rmseBins(keys, ys, ps)}
}

// cardHistories groups reviews by card in increasing card id, a fixed order
// that keeps the sums over them reproducible; each card's reviews are
// sorted by time (ties keep their input order) and cut to the first 64. It
// panics on an invalid rating, which ReadCSV never returns.
func cardHistories(reviews []Review) [][]Review {
	byCard := map[int64][]Review{}
	var ids []int64
	for _, rv := range reviews {
		if !rv.Rating.Valid() {
			panic(fmt.Sprintf("replay: invalid rating %d for card %d", int8(rv.Rating), rv.CardID))
		}
		if _, seen := byCard[rv.CardID]; !seen {
			ids = append(ids, rv.CardID)
		}
		byCard[rv.CardID] = append(byCard[rv.CardID], rv)
	}
	slices.Sort(ids)
	histories := make([][]Review, len(ids))
	for k, id := range ids {
		history := byCard[id]
		slices.SortStableFunc(history, func(a, b Review) int { return a.Time.Compare(b.Time) })
		histories[k] = history[:min(len(history), maxReviewsPerCard)]
	}
	return histories
}

// logLoss is the mean binary cross-entropy, with each log clamped at -100
// as torch.nn.BCELoss (used by py-fsrs) does, so a confident miss costs 100
// rather than infinity.
func logLoss(ys, ps []float64) float64 {
	var sum float64
	for j, y := range ys {
		p := ps[j]
		sum -= y*max(math.Log(p), -100) + (1-y)*max(math.Log(1-p), -100)
	}
	return sum / float64(len(ys))
}

func meanOf(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
