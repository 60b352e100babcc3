package optimize

import (
	"math"
	"slices"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Pre-training estimates the initial stabilities w0..w3 before gradient
// descent, as fsrs-rs does (src/parameter_initialization.rs and the outlier
// filter in src/dataset.rs, open-spaced-repetition/fsrs-rs, FSRS-6): each
// card's first long-term review (the first one at least a day after its
// predecessor) says whether a memory of the card's first rating survived
// that many days. For every first rating with data, the stability whose
// forgetting curve best explains those outcomes is found by ternary search;
// ratings without data are filled in from the others.

// firstOutcome is one card's first long-term review.
type firstOutcome struct {
	rating fsrs.Rating // the card's first rating
	days   int32       // whole days before the first long-term review
	label  float64     // 1 if that review was recalled
}

// recallGroup is the outcomes after the same number of days.
type recallGroup struct {
	days          int32
	recall, count float64
}

// pretrain returns w0..w3 estimated from the cards' first long-term
// reviews, and the number of cards behind each first rating (index 0 for
// Again). ok is false when no rating has usable data; the caller then keeps
// the default initial stabilities.
func pretrain(hs []history) (s0 [4]float64, counts [4]int, ok bool) {
	var outcomes []firstOutcome
	var recalled, scored float64
	for _, h := range hs {
		found := false
		for _, s := range h.steps {
			if !s.scored() {
				continue
			}
			scored++
			recalled += s.label()
			if !found {
				outcomes = append(outcomes, firstOutcome{h.steps[0].rating, s.days, s.label()})
				found = true
			}
		}
	}
	if scored == 0 {
		return s0, counts, false
	}
	groups := dropOutliers(groupOutcomes(outcomes))
	var fitted [4]float64
	for g := range 4 {
		if len(groups[g]) == 0 {
			continue
		}
		for _, gr := range groups[g] {
			counts[g] += int(gr.count)
		}
		fitted[g] = searchStability(groups[g], recalled/scored, fsrs.DefaultWeights()[g])
	}
	s0, ok = smoothAndFill(fitted, counts)
	return s0, counts, ok
}

// groupOutcomes groups the outcomes by first rating, then by days, sorted
// by days.
func groupOutcomes(outcomes []firstOutcome) [4][]recallGroup {
	var groups [4][]recallGroup
	for _, o := range outcomes {
		g := &groups[o.rating-1]
		i, found := slices.BinarySearchFunc(*g, o.days, func(gr recallGroup, d int32) int { return int(gr.days - d) })
		if !found {
			*g = slices.Insert(*g, i, recallGroup{days: o.days})
		}
		(*g)[i].recall += o.label // a sum until divided below
		(*g)[i].count++
	}
	for r := range groups {
		for i := range groups[r] {
			groups[r][i].recall /= groups[r][i].count
		}
	}
	return groups
}

// dropOutliers applies fsrs-rs's filter_outlier to each first rating: the
// smallest groups (ties: shortest delta first) are dropped until dropping
// the next would reach 5% of the cards (at least 20); of the rest, a group
// is kept only if it has at least 6 cards and a delta of at most 100 days
// (365 after Easy).
func dropOutliers(groups [4][]recallGroup) [4][]recallGroup {
	var kept [4][]recallGroup
	for r, gs := range groups {
		order := slices.Clone(gs)
		slices.SortStableFunc(order, func(a, b recallGroup) int {
			if a.count != b.count {
				return int(a.count - b.count)
			}
			return int(a.days - b.days)
		})
		total := 0
		for _, gr := range order {
			total += int(gr.count)
		}
		maxDays := int32(100)
		if r == int(fsrs.Easy-1) {
			maxDays = 365
		}
		removed := 0
		for _, gr := range order {
			if removed+int(gr.count) < max(20, total/20) {
				removed += int(gr.count)
				continue
			}
			if gr.count >= 6 && gr.days <= maxDays {
				kept[r] = append(kept[r], gr)
			}
		}
		slices.SortFunc(kept[r], func(a, b recallGroup) int { return int(a.days - b.days) })
	}
	return kept
}

// searchStability finds the initial stability that minimises
// stabilityLoss by ternary search over [0.001, 100]. Each group's recall is
// first smoothed with one pseudo-review at the average recall (Laplace
// smoothing, as fsrs-rs does).
func searchStability(groups []recallGroup, averageRecall, defaultS float64) float64 {
	smoothed := make([]recallGroup, len(groups))
	for i, gr := range groups {
		smoothed[i] = gr
		smoothed[i].recall = (gr.recall*gr.count + averageRecall) / (gr.count + 1)
	}
	lo, hi := minStability, float64(initialStabilityMax)
	best := defaultS
	for i := 0; hi-lo > 0x1p-52 && i < 1000; i++ {
		m1, m2 := lo+(hi-lo)/3, hi-(hi-lo)/3
		if stabilityLoss(smoothed, m1, defaultS) < stabilityLoss(smoothed, m2, defaultS) {
			hi = m2
		} else {
			lo = m1
		}
		best = (lo + hi) / 2
	}
	return best
}

// stabilityLoss is the count-weighted log loss of the default forgetting
// curve with stability s on the groups, plus |s − default|/16, which keeps
// a rating with little data near its default.
func stabilityLoss(groups []recallGroup, s, defaultS float64) float64 {
	var sum float64
	for _, gr := range groups {
		p := defaultCurve(float64(gr.days), s)
		sum -= (gr.recall*math.Log(p) + (1-gr.recall)*math.Log(1-p)) * gr.count
	}
	return sum + math.Abs(s-defaultS)/16
}

// initialStabilityMax is the upper bound of w0..w3.
const initialStabilityMax = 100

// defaultCurve is the forgetting curve with the default decay, which
// pre-training uses whatever w20 later becomes.
func defaultCurve(days, s float64) float64 {
	decay := -fsrs.DefaultWeights()[20]
	factor := math.Pow(0.9, 1/decay) - 1
	return math.Pow(1+factor*days/s, decay)
}

// smoothAndFill makes the initial stabilities of the ratings that have data
// non-decreasing from Again to Easy (when two disagree, the one backed by
// more cards wins) and fills the others by fsrs-rs's geometric
// interpolation rules, then clamps them to [0.001, 100]. It is used after
// pre-training and again after gradient descent, which cannot move the
// stability of a first rating nobody gave.
func smoothAndFill(s [4]float64, counts [4]int) (out [4]float64, ok bool) {
	var have [4]bool
	for g, c := range counts {
		have[g] = c > 0
	}
	for _, p := range [...][2]int{{0, 1}, {1, 2}, {2, 3}, {0, 2}, {1, 3}, {0, 3}} {
		small, big := p[0], p[1]
		if have[small] && have[big] && s[small] > s[big] {
			if counts[small] > counts[big] {
				s[big] = s[small]
			} else {
				s[small] = s[big]
			}
		}
	}
	const w1, w2 = 0.41, 0.54
	pow := math.Pow
	n := 0
	for _, h := range have {
		if h {
			n++
		}
	}
	r1, r2, r3, r4 := s[0], s[1], s[2], s[3]
	h1, h2, h3, h4 := have[0], have[1], have[2], have[3]
	switch n {
	case 0:
		return out, false
	case 1:
		// Scale the defaults by the one rating's ratio to its default.
		d := fsrs.DefaultWeights()
		for g := range 4 {
			if have[g] {
				f := s[g] / d[g]
				for i := range out {
					out[i] = d[i] * f
				}
			}
		}
		slices.Sort(out[:])
	case 2:
		switch {
		case !h1 && !h2 && h3 && h4:
			r2 = pow(r3, 1/(1-w2)) * pow(r4, 1-1/(1-w2))
			r1 = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case !h1 && h2 && !h3 && h4:
			r3 = pow(r2, 1-w2) * pow(r4, w2)
			r1 = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case !h1 && h2 && h3 && !h4:
			r4 = pow(r2, 1-1/w2) * pow(r3, 1/w2)
			r1 = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case h1 && !h2 && !h3 && h4:
			k := w1 + w2 - w1*w2
			r2 = pow(r1, w1/k) * pow(r4, 1-w1/k)
			r3 = pow(r1, 1-w2/k) * pow(r4, w2/k)
		case h1 && !h2 && h3 && !h4:
			r2 = pow(r1, w1) * pow(r3, 1-w1)
			r4 = pow(r2, 1-1/w2) * pow(r3, 1/w2)
		case h1 && h2 && !h3 && !h4:
			r3 = pow(r1, 1-1/(1-w1)) * pow(r2, 1/(1-w1))
			r4 = pow(r2, 1-1/w2) * pow(r3, 1/w2)
		}
		out = [4]float64{r1, r2, r3, r4}
	case 3:
		switch {
		case !h1:
			r1 = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case !h2:
			r2 = pow(r1, w1) * pow(r3, 1-w1)
		case !h3:
			r3 = pow(r2, 1-w2) * pow(r4, w2)
		case !h4:
			r4 = pow(r2, 1-1/w2) * pow(r3, 1/w2)
		}
		out = [4]float64{r1, r2, r3, r4}
	case 4:
		out = s
	}
	for i := range out {
		out[i] = min(max(out[i], minStability), initialStabilityMax)
	}
	return out, true
}
