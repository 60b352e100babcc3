package fsrs

import (
	"math"
	"strings"
	"testing"
)

func TestWeightBounds(t *testing.T) {
	lo, hi := WeightBounds()
	if err := lo.Validate(); err != nil {
		t.Errorf("the lower bounds fail Validate: %v", err)
	}
	if err := hi.Validate(); err != nil {
		t.Errorf("the upper bounds fail Validate: %v", err)
	}
	d := DefaultWeights()
	for i := range d {
		if !(lo[i] <= d[i] && d[i] <= hi[i]) {
			t.Errorf("default w%d = %v is outside [%v, %v]", i, d[i], lo[i], hi[i])
		}
	}
	// Source: py-fsrs v6.3.1 fsrs/scheduler.py LOWER_BOUNDS_PARAMETERS and
	// UPPER_BOUNDS_PARAMETERS, spot-checked.
	if lo[4] != 1 || hi[4] != 10 || lo[20] != 0.1 || hi[20] != 0.8 || hi[0] != 100 || lo[0] != 0.001 {
		t.Errorf("WeightBounds() = %v, %v; want w4 in [1, 10], w20 in [0.1, 0.8], w0 in [0.001, 100]", lo, hi)
	}
}

func TestClamp(t *testing.T) {
	lo, hi := WeightBounds()
	var below, above Weights
	for i := range below {
		below[i], above[i] = lo[i]-1, hi[i]+1
	}
	if got := below.Clamp(); got != lo {
		t.Errorf("Clamp of weights below their bounds = %v, want %v", got, lo)
	}
	if got := above.Clamp(); got != hi {
		t.Errorf("Clamp of weights above their bounds = %v, want %v", got, hi)
	}
	if got := DefaultWeights().Clamp(); got != DefaultWeights() {
		t.Errorf("Clamp moved the default weights to %v", got)
	}
	w := DefaultWeights()
	w[8] = math.NaN()
	if got := w.Clamp(); !math.IsNaN(got[8]) || got.Validate() == nil {
		t.Errorf("Clamp turned a NaN weight into %v, want it kept for Validate to reject", got[8])
	}
}

func TestWeightsValidate(t *testing.T) {
	w := DefaultWeights()
	w[4], w[16] = 0.5, 7
	err := w.Validate()
	if err == nil {
		t.Fatal("Validate() = nil for w4 = 0.5 and w16 = 7")
	}
	for _, want := range []string{"w4 = 0.5", "w16 = 7"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q, want it to mention %q", err, want)
		}
	}
	if DefaultParameters().W != DefaultWeights() {
		t.Errorf("DefaultParameters().W = %v, want DefaultWeights()", DefaultParameters().W)
	}
}
