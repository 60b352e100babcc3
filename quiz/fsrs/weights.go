package fsrs

import (
	"errors"
	"fmt"
)

// Weights holds the 21 FSRS-6 model weights w0..w20. It is a type of its own
// so that weights fitted to one learner's history (see quiz/fsrs/optimize)
// can be validated, stored and later put into Parameters without carrying
// the scheduling settings around with them.
type Weights [21]float64

// DefaultWeights returns the FSRS-6 default weights: the per-weight medians
// over the srs-benchmark collections, identical in py-fsrs 6.3.1, fsrs-rs and
// go-fsrs.
func DefaultWeights() Weights {
	return Weights{
		0.212, 1.2931, 2.3065, 8.2956, // initial stability for Again, Hard, Good, Easy
		6.4133, 0.8334, 3.0194, 0.001, // initial difficulty, difficulty step, mean reversion
		1.8722, 0.1666, 0.796, // stability growth after a recall
		1.4835, 0.0614, 0.2629, 1.6483, // stability after a lapse
		0.6014, 1.8729, // Hard penalty, Easy bonus
		0.5425, 0.0912, 0.0658, // same-day reviews
		0.1542, // forgetting-curve decay
	}
}

// weightBounds are the closed ranges py-fsrs 6.3.1 accepts for each weight
// (LOWER_BOUNDS_PARAMETERS / UPPER_BOUNDS_PARAMETERS); fsrs-rs clips to the
// same. Outside them the formulas can divide by zero or stop being monotone.
var weightBounds = [21][2]float64{
	{minStability, 100}, {minStability, 100}, {minStability, 100}, {minStability, 100},
	{1, 10}, {0.001, 4}, {0.001, 4}, {0.001, 0.75},
	{0, 4.5}, {0, 0.8}, {0.001, 3.5},
	{0.001, 5}, {0.001, 0.25}, {0.001, 0.9}, {0, 4},
	{0, 1}, {1, 6},
	{0, 2}, {0, 2}, {0, 0.8},
	{0.1, 0.8},
}

// WeightBounds returns the lowest and the highest value Validate accepts for
// each weight. An optimiser clamps into them after every step, as py-fsrs
// and fsrs-rs do.
func WeightBounds() (lo, hi Weights) {
	for i, b := range weightBounds {
		lo[i], hi[i] = b[0], b[1]
	}
	return lo, hi
}

// Clamp returns w with every weight moved into its bounds (WeightBounds).
// A NaN weight stays NaN, so that Validate still rejects it.
func (w Weights) Clamp() Weights {
	for i, b := range weightBounds {
		if w[i] < b[0] {
			w[i] = b[0]
		} else if w[i] > b[1] {
			w[i] = b[1]
		}
	}
	return w
}

// Validate reports every weight outside its bounds (WeightBounds) or NaN,
// joined with errors.Join, or nil when all 21 are usable. Weights read from
// storage or produced by an optimiser are checked with it before use.
func (w Weights) Validate() error {
	var errs []error
	for i, x := range w {
		lo, hi := weightBounds[i][0], weightBounds[i][1]
		if !(x >= lo && x <= hi) { // also rejects NaN
			errs = append(errs, fmt.Errorf("fsrs: weight w%d = %v is outside [%v, %v]", i, x, lo, hi))
		}
	}
	return errors.Join(errs...)
}
