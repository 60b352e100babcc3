package replay

import (
	"math"
	"testing"
)

// benchmarkLabel is the bin label srs-benchmark's rmse_matrix gives x:
// round(scale·base^floor(log x / log base), digits).
func benchmarkLabel(x, scale, base float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.RoundToEven(scale*math.Pow(base, math.Floor(math.Log(x)/math.Log(base)))*p) / p
}

// Grouping by the exponent must give the same partition as grouping by the
// benchmark's rounded labels (open-spaced-repetition/srs-benchmark utils.py
// rmse_matrix: delta_t 2.48·3.62^k to 2 places, i 1.99·1.89^k and lapses
// 1.65·1.73^k to 0 places).
func TestBinsMatchBenchmarkLabels(t *testing.T) {
	scales := []struct {
		name        string
		scale, base float64
		digits      int
		bin         func(x int) int
	}{
		{"delta_t", 2.48, 3.62, 2, func(x int) int { return newBinKey(x, 2, 0).deltaT }},
		{"i", 1.99, 1.89, 0, func(x int) int { return newBinKey(1, x, 0).i }},
		{"lapses", 1.65, 1.73, 0, func(x int) int { return newBinKey(1, 2, x).lapses }},
	}
	for _, sc := range scales {
		labelOf := map[int]float64{}
		binOf := map[float64]int{}
		for x := 1; x <= 40000; x++ {
			k, l := sc.bin(x), benchmarkLabel(float64(x), sc.scale, sc.base, sc.digits)
			if prev, ok := labelOf[k]; ok && prev != l {
				t.Fatalf("%s: bin %d holds labels %v and %v", sc.name, k, prev, l)
			}
			if prev, ok := binOf[l]; ok && prev != k {
				t.Fatalf("%s: label %v spans bins %d and %d", sc.name, l, prev, k)
			}
			labelOf[k], binOf[l] = l, k
		}
	}
	if got := newBinKey(1, 2, 0).lapses; got != -1 {
		t.Errorf("lapse bin for no lapses = %d, want its own bin -1", got)
	}
}

func TestRMSEBins(t *testing.T) {
	a, b := newBinKey(1, 2, 0), newBinKey(30, 2, 0)
	// Bin a: mean y 0.5, mean p 0.6, two reviews; bin b: 1 vs 0.9, one.
	// sqrt((2·0.01 + 1·0.01) / 3) = 0.1.
	got := rmseBins([]binKey{a, b, a}, []float64{1, 1, 0}, []float64{0.5, 0.9, 0.7})
	if !near(got, 0.1, 1e-12) {
		t.Errorf("rmseBins = %v, want 0.1", got)
	}
}

func TestLogLossClampsLikeBCELoss(t *testing.T) {
	if got := logLoss([]float64{1, 0}, []float64{0, 1}); got != 100 {
		t.Errorf("logLoss of two certain misses = %v, want 100 (logs clamped at -100)", got)
	}
	if got := logLoss([]float64{1, 0}, []float64{0.5, 0.5}); !near(got, math.Ln2, 1e-15) {
		t.Errorf("logLoss at p=0.5 = %v, want ln 2", got)
	}
}
