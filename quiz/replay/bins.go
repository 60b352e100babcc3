package replay

import "math"

// binKey groups a scored review the way srs-benchmark's rmse_matrix does
// (open-spaced-repetition/srs-benchmark, utils.py rmse_matrix): by the
// elapsed days on a 3.62-based log scale, by the review number i on a
// 1.89-based log scale, and by the number of earlier lapses on a 1.73-based
// log scale with its own bin for no lapses. The benchmark labels each bin by
// a rounded value such as round(2.48·3.62^k, 2); those labels are distinct
// for distinct exponents k, so grouping by k is the same partition.
type binKey struct {
	deltaT, i, lapses int
}

// newBinKey returns the bin of a review made elapsedDays (≥ 1) after the
// previous one, where i is the benchmark's review number (1 plus the number
// of this card's reviews so far, this one included, that came at least a
// day after their predecessor) and lapses counts the earlier such reviews
// rated Again.
func newBinKey(elapsedDays, i, lapses int) binKey {
	k := binKey{
		deltaT: logBin(float64(elapsedDays), 3.62),
		i:      logBin(float64(i), 1.89),
		lapses: -1,
	}
	if lapses != 0 {
		k.lapses = logBin(float64(lapses), 1.73)
	}
	return k
}

func logBin(x, base float64) int {
	return int(math.Floor(math.Log(x) / math.Log(base)))
}

// binStats accumulates the reviews in one bin.
type binStats struct {
	n          int
	sumY, sumP float64
}

// rmseBins returns the RMSE between the mean outcome and the mean
// prediction of each bin, weighted by the number of reviews in the bin
// (sklearn root_mean_squared_error with sample_weight, as rmse_matrix uses).
// keys, ys and ps are parallel.
func rmseBins(keys []binKey, ys, ps []float64) float64 {
	// Bins are kept in order of first appearance so the sum below is
	// computed in the same order on every run.
	index := map[binKey]int{}
	var bins []binStats
	for j, k := range keys {
		at, ok := index[k]
		if !ok {
			at = len(bins)
			index[k] = at
			bins = append(bins, binStats{})
		}
		b := &bins[at]
		b.n++
		b.sumY += ys[j]
		b.sumP += ps[j]
	}
	var sum float64
	var total int
	for _, b := range bins {
		n := float64(b.n)
		d := b.sumY/n - b.sumP/n
		sum += n * d * d
		total += b.n
	}
	if total == 0 {
		return math.NaN()
	}
	return math.Sqrt(sum / float64(total))
}
