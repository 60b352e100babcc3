package optimize

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Expected values printed by CPython 3 (random.Random), which py-fsrs's
// Optimizer uses to order cards: Random(42).random() ×3,
// Random(42).getrandbits(32) ×3, and Random(42).shuffle twice in a row.
func TestPyRandom(t *testing.T) {
	r := newPyRandom(42)
	var floats []float64
	for range 3 {
		floats = append(floats, r.float64())
	}
	if diff := cmp.Diff([]float64{0.6394267984578837, 0.025010755222666936, 0.27502931836911926}, floats); diff != "" {
		t.Errorf("Random(42).random() mismatch (-python +got):\n%s", diff)
	}

	r = newPyRandom(42)
	var words []uint32
	for range 3 {
		words = append(words, r.uint32())
	}
	if diff := cmp.Diff([]uint32{2746317213, 478163327, 107420369}, words); diff != "" {
		t.Errorf("Random(42).getrandbits(32) mismatch (-python +got):\n%s", diff)
	}

	r = newPyRandom(42)
	xs := make([]int, 20)
	for i := range xs {
		xs[i] = i
	}
	shuffle(r, xs)
	if diff := cmp.Diff([]int{19, 5, 14, 4, 9, 13, 15, 18, 6, 12, 17, 10, 1, 11, 2, 16, 7, 8, 0, 3}, xs); diff != "" {
		t.Errorf("first shuffle mismatch (-python +got):\n%s", diff)
	}
	shuffle(r, xs)
	if diff := cmp.Diff([]int{2, 6, 4, 10, 17, 7, 5, 1, 13, 0, 14, 19, 9, 12, 16, 18, 11, 3, 15, 8}, xs); diff != "" {
		t.Errorf("second shuffle mismatch (-python +got):\n%s", diff)
	}

	// A longer shuffle, where rejection sampling matters: random.Random(7)
	// over range(1000); the checksum is sum(i*x).
	r = newPyRandom(7)
	ys := make([]int, 1000)
	for i := range ys {
		ys[i] = i
	}
	shuffle(r, ys)
	sum := 0
	for i, y := range ys {
		sum += i * y
	}
	if !slices.Equal(ys[:10], []int{878, 857, 349, 313, 382, 850, 927, 194, 261, 946}) || sum != 245396630 {
		t.Errorf("Random(7).shuffle(range(1000)) starts %v with checksum %d, want [878 857 349 313 382 850 927 194 261 946] and 245396630", ys[:10], sum)
	}
	if got := newPyRandom(1<<31 + 5).float64(); got != 0.888901983139397 {
		t.Errorf("Random(2**31+5).random() = %v, want 0.888901983139397", got)
	}
}
