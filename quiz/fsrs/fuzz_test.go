package fsrs

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// constRand always returns the same draw.
type constRand float64

func (r constRand) Float64() float64 { return float64(r) }

// Source: py-fsrs v6.3.1 fsrs/scheduler.py _get_fuzz_range (FUZZ_RANGES);
// the bounds below are worked out by hand from that formula.
func TestFuzzRange(t *testing.T) {
	tests := []struct {
		days, maxInterval int
		lo, hi            int
	}{
		{3, 36500, 2, 4},             // delta 1.075
		{7, 36500, 5, 9},             // delta 1.675
		{10, 36500, 8, 12},           // delta 1.975
		{20, 36500, 17, 23},          // delta 2.975
		{100, 36500, 93, 107},        // delta 6.975
		{36500, 36500, 34673, 36500}, // delta 1826.975, capped above
		{50, 45, 45, 45},             // the cap pulls lo down to hi
	}
	for _, tt := range tests {
		lo, hi := fuzzRange(tt.days, tt.maxInterval)
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("fuzzRange(%d, %d) = %d, %d; want %d, %d", tt.days, tt.maxInterval, lo, hi, tt.lo, tt.hi)
		}
	}
}

// The py-fsrs fuzz range property (py-fsrs v6.3.1 fsrs/scheduler.py
// _get_fuzzed_interval): for many seeds the fuzzed interval stays in the
// fuzz range, and a fixed seed gives a fixed result. py-fsrs rounds
// u·(hi−lo+1)+lo instead of truncating it, so the draw can land on hi+1
// (unless MaxInterval caps it); the bound checked is therefore [lo, hi+1].
func TestFuzzIntervalRange(t *testing.T) {
	const maxInterval = 36500
	for _, days := range []int{3, 4, 7, 12, 20, 45, 365, 36000, 36500} {
		lo, hi := fuzzRange(days, maxInterval)
		top := min(hi+1, maxInterval)
		seen := map[int]bool{}
		for seed := range uint64(2000) {
			got := fuzzInterval(days, maxInterval, rand.New(rand.NewPCG(seed, 1)))
			if got < lo || got > top {
				t.Fatalf("fuzzInterval(%d) with seed %d = %d, want within [%d, %d]", days, seed, got, lo, top)
			}
			seen[got] = true
			if again := fuzzInterval(days, maxInterval, rand.New(rand.NewPCG(seed, 1))); again != got {
				t.Fatalf("fuzzInterval(%d) with seed %d = %d then %d, want the same", days, seed, got, again)
			}
		}
		if top-lo < 50 && len(seen) != top-lo+1 {
			t.Errorf("fuzzInterval(%d) reached %d distinct values in 2000 seeds, want all %d in [%d, %d]", days, len(seen), top-lo+1, lo, top)
		}
	}
	for _, days := range []int{1, 2} {
		if got := fuzzInterval(days, maxInterval, constRand(0.99)); got != days {
			t.Errorf("fuzzInterval(%d) = %d, want it unfuzzed", days, got)
		}
	}
}

func TestFuzzIntervalEnds(t *testing.T) {
	// 10 days: lo 8, hi 12, so the draw is round(5u + 8).
	tests := []struct {
		u    float64
		want int
	}{
		{0, 8},
		{0.1, 8},     // 8.5 rounds half to even
		{0.1001, 9},  // just above the tie
		{0.9, 12},    // 12.5 rounds half to even
		{0.9999, 13}, // py-fsrs's hi+1
	}
	for _, tt := range tests {
		if got := fuzzInterval(10, 36500, constRand(tt.u)); got != tt.want {
			t.Errorf("fuzzInterval(10) with u=%v = %d, want %d", tt.u, got, tt.want)
		}
	}
	if got := fuzzInterval(36500, 36500, constRand(0.9999)); got != 36500 {
		t.Errorf("fuzzInterval(36500) with u=0.9999 = %d, want the 36500 cap", got)
	}
}

func TestReviewFuzz(t *testing.T) {
	p := DefaultParameters()
	p.Fuzz = true
	s := newScheduler(t, p)
	ratings := []Rating{Good, Good, Good, Good, Good, Again, Good, Good, Good}

	run := func(rnd Rand) []time.Time {
		var c Card
		var dues []time.Time
		now := t0()
		for _, g := range ratings {
			c = s.Review(c, g, now, rnd)
			if c.State == Review {
				days := ElapsedDays(now, c.Due)
				lo, hi := fuzzRange(s.Interval(c.Stability), p.MaxInterval)
				if want := s.Interval(c.Stability); want >= 3 && (days < lo || days > hi+1) {
					t.Errorf("fuzzed interval %d days, want within [%d, %d]", days, lo, hi+1)
				}
			}
			dues = append(dues, c.Due)
			now = c.Due
		}
		return dues
	}

	for seed := range uint64(200) {
		a := run(rand.New(rand.NewPCG(seed, 7)))
		b := run(rand.New(rand.NewPCG(seed, 7)))
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("seed %d gave different schedules (-first +second):\n%s", seed, diff)
		}
	}

	// A nil source turns fuzz off even when the parameters ask for it.
	plain := newScheduler(t, DefaultParameters())
	var c, d Card
	now := t0()
	for _, g := range ratings {
		c = s.Review(c, g, now, nil)
		d = plain.Review(d, g, now, nil)
		if !c.Due.Equal(d.Due) {
			t.Fatalf("with a nil Rand, due %v differs from the unfuzzed %v", c.Due, d.Due)
		}
		now = c.Due
	}
}
