package replay

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Expected values follow srs-benchmark models/sm2.py by hand: EF changes by
// +0.10, 0, −0.14, −0.32 for Easy, Good, Hard, Again (q = 5, 4, 3, 2).
func TestSM2(t *testing.T) {
	tests := []struct {
		name      string
		ratings   []fsrs.Rating
		intervals []float64
		efs       []float64
	}{
		{"goods", []fsrs.Rating{fsrs.Good, fsrs.Good, fsrs.Good, fsrs.Good}, []float64{1, 6, 15, 38}, []float64{2.5, 2.5, 2.5, 2.5}},
		{"easies", []fsrs.Rating{fsrs.Easy, fsrs.Easy, fsrs.Easy}, []float64{1, 6, 16}, []float64{2.6, 2.7, 2.8}},
		{"hard", []fsrs.Rating{fsrs.Good, fsrs.Good, fsrs.Hard}, []float64{1, 6, 15}, []float64{2.5, 2.5, 2.36}},
		{"lapse restarts", []fsrs.Rating{fsrs.Good, fsrs.Good, fsrs.Again, fsrs.Good, fsrs.Good}, []float64{1, 6, 1, 1, 6}, []float64{2.5, 2.5, 2.18, 2.18, 2.18}},
		{"ef floor", []fsrs.Rating{fsrs.Again, fsrs.Again, fsrs.Again, fsrs.Again, fsrs.Again}, []float64{1, 1, 1, 1, 1}, []float64{2.18, 1.86, 1.54, 1.3, 1.3}},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return near(a, b, 1e-9) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSM2Card()
			var intervals, efs []float64
			for _, g := range tt.ratings {
				c.review(g)
				intervals = append(intervals, c.interval)
				efs = append(efs, c.ef)
			}
			if diff := cmp.Diff(tt.intervals, intervals, approx); diff != "" {
				t.Errorf("intervals mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.efs, efs, approx); diff != "" {
				t.Errorf("easiness factors mismatch (-want +got):\n%s", diff)
			}
		})
	}

	c := newSM2Card()
	c.review(fsrs.Good)
	c.review(fsrs.Good)
	if got := c.recall(6); !near(got, 0.9, 1e-12) {
		t.Errorf("recall at the scheduled interval = %v, want 0.9", got)
	}
}
