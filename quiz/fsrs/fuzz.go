package fsrs

import "math"

// fuzzRange returns the bounds py-fsrs 6.3.1 (_get_fuzz_range) spreads an
// interval of days over: ±1 day plus 15% of the part of the interval between
// 2.5 and 7 days, 10% of the part between 7 and 20, and 5% beyond 20; the
// lower bound is at least 2 and the upper at most maxInterval.
func fuzzRange(days, maxInterval int) (lo, hi int) {
	bands := [...]struct{ start, end, factor float64 }{
		{2.5, 7, 0.15},
		{7, 20, 0.10},
		{20, math.Inf(1), 0.05},
	}
	delta := 1.0
	for _, b := range bands {
		delta += b.factor * max(min(float64(days), b.end)-b.start, 0)
	}
	lo = int(math.RoundToEven(float64(days) - delta))
	hi = int(math.RoundToEven(float64(days) + delta))
	lo = max(2, lo)
	hi = min(hi, maxInterval)
	lo = min(lo, hi)
	return lo, hi
}

// fuzzInterval draws a fuzzed interval exactly as py-fsrs 6.3.1
// (_get_fuzzed_interval): round_half_even(u·(hi−lo+1) + lo), capped at
// maxInterval, with u = rnd.Float64() in place of Python's random().
// Intervals under 2.5 days are returned unchanged.
//
// Because the draw is rounded rather than truncated, the result can be
// hi+1 (when u·(hi−lo+1) ≥ hi−lo+0.5) unless maxInterval caps it, and lo and
// hi+1 are each half as likely as the values between. This is py-fsrs's
// behaviour and is kept for parity.
func fuzzInterval(days, maxInterval int, rnd Rand) int {
	if float64(days) < 2.5 {
		return days
	}
	lo, hi := fuzzRange(days, maxInterval)
	x := rnd.Float64()*float64(hi-lo+1) + float64(lo)
	return min(int(math.RoundToEven(x)), maxInterval)
}
