package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/fsrs/optimize"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

// fitReport is what `bot evaluate -optimize` measures. Its JSON form, one object on the last line
// of stdout with -json, is the contract scripts read: keep the field names and order.
type fitReport struct {
	// Scored counts the reviews scored in-sample (the whole log).
	Scored int `json:"scored"`
	// Seconds is the wall time of the whole-log fit.
	Seconds float64 `json:"seconds"`
	// Weights were fitted on the whole log, CardsWeights on every card but the held-out ones,
	// TimeWeights on the reviews before the time cut.
	Weights      fsrs.Weights `json:"weights"`
	CardsWeights fsrs.Weights `json:"cards_weights"`
	TimeWeights  fsrs.Weights `json:"time_weights"`
	// Default scores the default weights and Optimized the fitted ones, each on the reviews its
	// split scores.
	Default   fitSplits `json:"default"`
	Optimized fitSplits `json:"optimized"`

	reviews, cards, heldOutCards int
	cut                          time.Time
	notes                        []string
}

// fitSplits are the three ways fitted weights are judged.
type fitSplits struct {
	// InSample: fitted on the whole log, scored on the whole log.
	InSample fitScore `json:"in_sample"`
	// HeldOutCards: fitted on every card but those replay.HeldOutCard picks, scored on those.
	HeldOutCards fitScore `json:"held_out_cards"`
	// HeldOutTime: fitted on the reviews before replay.TimeCut, scored on those at or after it.
	HeldOutTime fitScore `json:"held_out_time"`
}

type fitScore struct {
	Scored   int     `json:"-"`
	LogLoss  float64 `json:"log_loss"`
	RMSEBins float64 `json:"rmse_bins"`
}

// MarshalJSON writes a metric that could not be computed (nothing scored) as null, since JSON has
// no NaN.
func (s fitScore) MarshalJSON() ([]byte, error) {
	num := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	return json.Marshal(struct {
		LogLoss  any `json:"log_loss"`
		RMSEBins any `json:"rmse_bins"`
	}{num(s.LogLoss), num(s.RMSEBins)})
}

// runOptimize fits FSRS-6 weights to reviews three ways and prints how they and the defaults
// predict recall.
func runOptimize(ctx context.Context, reviews []replay.Review, asJSON bool, stdout, stderr io.Writer) int {
	start := time.Now()
	r, err := compareFits(ctx, reviews, time.Now)
	if err != nil {
		fmt.Fprintln(stderr, "bot evaluate:", err)
		return 1
	}
	for _, n := range r.notes {
		fmt.Fprintln(stderr, "bot evaluate:", n)
	}
	if asJSON {
		err = json.NewEncoder(stdout).Encode(r)
	} else {
		err = r.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "bot evaluate:", err)
		return 1
	}
	fmt.Fprintf(stderr, "fitted the whole log (%d reviews) in %.3f s; three fits and their scoring took %v\n", r.reviews, r.Seconds, time.Since(start).Round(time.Millisecond))
	return 0
}

// compareFits fits weights on the whole log, on every card but the held-out ones and on the
// reviews before the time cut, and scores each fit and the defaults on the reviews its split
// holds out (the whole log, in-sample). Every split replays each card's whole history; only
// which reviews are fitted on and scored differs. now times the whole-log fit.
//
// Fitting on a subset of the reviews is the same as fitting on all of them with the others left
// out of the loss: a card's reviews before the cut are a prefix of its history, and the held-out
// cards share no state with the rest.
func compareFits(ctx context.Context, reviews []replay.Review, now func() time.Time) (fitReport, error) {
	var r fitReport
	r.reviews = len(reviews)
	before := now()
	w, stats, err := optimize.Optimize(ctx, toOptimize(reviews, nil), optimize.Options{})
	if err != nil {
		return r, fmt.Errorf("fit on the whole log: %w", err)
	}
	r.Seconds = now().Sub(before).Seconds()
	r.Weights, r.Scored, r.cards = w, stats.Scored, stats.Cards

	heldOut := func(rv replay.Review) bool { return replay.HeldOutCard(rv.CardID) }
	r.cut = replay.TimeCut(reviews)
	later := func(rv replay.Review) bool { return !rv.Time.Before(r.cut) }
	r.CardsWeights, err = fitOrDefault(ctx, reviews, func(rv replay.Review) bool { return !heldOut(rv) }, "held-out cards", &r.notes)
	if err != nil {
		return r, err
	}
	r.TimeWeights, err = fitOrDefault(ctx, reviews, func(rv replay.Review) bool { return !later(rv) }, "held-out time", &r.notes)
	if err != nil {
		return r, err
	}
	seen := map[int64]bool{}
	for _, rv := range reviews {
		if !seen[rv.CardID] && heldOut(rv) {
			r.heldOutCards++
		}
		seen[rv.CardID] = true
	}

	score := func(w fsrs.Weights, scored func(replay.Review) bool) fitScore {
		p := fsrs.DefaultParameters()
		p.W = w
		m := replay.ScoreFSRS(reviews, p, scored)
		return fitScore{Scored: m.Scored, LogLoss: m.LogLoss, RMSEBins: m.RMSEBins}
	}
	def := fsrs.DefaultWeights()
	r.Default = fitSplits{score(def, nil), score(def, heldOut), score(def, later)}
	r.Optimized = fitSplits{score(r.Weights, nil), score(r.CardsWeights, heldOut), score(r.TimeWeights, later)}
	return r, nil
}

// fitOrDefault fits weights on the reviews keep selects. When they are too few to fit, it notes so
// and returns the defaults, so the other splits are still reported.
func fitOrDefault(ctx context.Context, reviews []replay.Review, keep func(replay.Review) bool, split string, notes *[]string) (fsrs.Weights, error) {
	w, _, err := optimize.Optimize(ctx, toOptimize(reviews, keep), optimize.Options{})
	if errors.Is(err, optimize.ErrTooFewReviews) {
		*notes = append(*notes, split+": too few reviews to fit on, so its optimised figures are the default weights'")
		return w, nil
	}
	if err != nil {
		return w, fmt.Errorf("fit for %s: %w", split, err)
	}
	return w, nil
}

// toOptimize converts the reviews keep selects (all when keep is nil).
func toOptimize(reviews []replay.Review, keep func(replay.Review) bool) []optimize.Review {
	out := make([]optimize.Review, 0, len(reviews))
	for _, rv := range reviews {
		if keep == nil || keep(rv) {
			out = append(out, optimize.Review{CardID: rv.CardID, Rating: rv.Rating, Time: rv.Time})
		}
	}
	return out
}

// writeText writes the report as two tables: the metrics per split, then the weights.
func (r fitReport) writeText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "reviews %d, cards %d, scored %d; whole-log fit in %.3f s\n\n", r.reviews, r.cards, r.Scored, r.Seconds)

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "split\tscored\tlog loss default\toptimised\tRMSE(bins) default\toptimised")
	rows := []struct {
		name     string
		def, opt fitScore
	}{
		{"in-sample", r.Default.InSample, r.Optimized.InSample},
		{"held-out cards", r.Default.HeldOutCards, r.Optimized.HeldOutCards},
		{"held-out time", r.Default.HeldOutTime, r.Optimized.HeldOutTime},
	}
	for _, row := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\n", row.name, row.def.Scored, row.def.LogLoss, row.opt.LogLoss, row.def.RMSEBins, row.opt.RMSEBins)
	}
	tw.Flush()
	fmt.Fprintf(ew, "\nin-sample: fitted on and scored on the whole log\n")
	fmt.Fprintf(ew, "held-out cards: fitted on all but %d of %d cards (FNV-1a of the id is 0 mod 5), scored on those\n", r.heldOutCards, r.cards)
	fmt.Fprintf(ew, "held-out time: fitted on reviews before %s (the first 80%%), scored on the rest\n\n", r.cut.Format(time.RFC3339))

	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "weight\tdefault\twhole log\theld-out cards fit\theld-out time fit")
	def := fsrs.DefaultWeights()
	for i := range def {
		fmt.Fprintf(tw, "w%d\t%.4f\t%.4f\t%.4f\t%.4f\n", i, def[i], r.Weights[i], r.CardsWeights[i], r.TimeWeights[i])
	}
	tw.Flush()
	return ew.err
}

// errWriter remembers the first write error and drops everything after it, so a run of writes
// needs one check at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
