package optimize

import (
	"math"
	"testing"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

// The optimiser's model must predict exactly what the scheduler predicts:
// its log loss on a log equals quiz/replay's, which replays the log through
// fsrs.Scheduler.
func TestModelMatchesScheduler(t *testing.T) {
	shared := fromReplay(readShared(t))
	other := fsrs.DefaultWeights()
	other[15], other[16], other[19] = 0.3, 2.5, 0.4 // make Hard, Easy and same-day reviews matter
	tests := []struct {
		name    string
		reviews []Review
		w       fsrs.Weights
	}{
		{"shared log, default weights", shared, fsrs.DefaultWeights()},
		{"shared log, py-fsrs weights", shared, pyFSRSWeights},
		{"synthetic log, default weights", syntheticLog(300, 30, 1), fsrs.DefaultWeights()},
		{"synthetic log, other weights", syntheticLog(300, 30, 2), other},
		{"synthetic log, py-fsrs weights", syntheticLog(300, 30, 3), pyFSRSWeights},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := LogLoss(tt.reviews, tt.w)
			if err != nil {
				t.Fatal(err)
			}
			p := fsrs.DefaultParameters()
			p.W = tt.w
			r := replay.Evaluate(toReplay(tt.reviews), p)
			if n != r.Scored || math.Abs(got-r.Models[0].LogLoss) > 1e-12 {
				t.Errorf("LogLoss = %.15f over %d reviews; replay through the scheduler gives %.15f over %d", got, n, r.Models[0].LogLoss, r.Scored)
			}
		})
	}
}

// The hand-derived gradient agrees with central finite differences of the
// loss, weight by weight, on logs that exercise every formula.
func TestGradient(t *testing.T) {
	shared := fromReplay(readShared(t))
	var mid fsrs.Weights
	lo, hi := fsrs.WeightBounds()
	for i := range mid {
		// Inside the bounds, away from the defaults; w0..w3 stay small
		// enough for clamps on S not to bind.
		mid[i] = lo[i] + (hi[i]-lo[i])*0.3
	}
	mid[0], mid[1], mid[2], mid[3] = 0.4, 1.1, 3.2, 9
	tests := []struct {
		name    string
		reviews []Review
		w       fsrs.Weights
	}{
		{"synthetic, defaults", syntheticLog(200, 25, 11), fsrs.DefaultWeights()},
		{"synthetic, mid-range", syntheticLog(200, 25, 12), mid},
		{"synthetic, py-fsrs", syntheticLog(200, 25, 13), pyFSRSWeights},
		{"shared log, defaults", shared, fsrs.DefaultWeights()},
		{"shared log, py-fsrs", shared, pyFSRSWeights},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, _, err := histories(tt.reviews)
			if err != nil {
				t.Fatal(err)
			}
			_, grad, _ := evaluate(hs, tt.w, true)
			for i := range tt.w {
				h := 1e-6 * max(1, math.Abs(tt.w[i]))
				up, down := tt.w, tt.w
				up[i] += h
				down[i] -= h
				lUp, _, _ := evaluate(hs, up, false)
				lDown, _, _ := evaluate(hs, down, false)
				numeric := (lUp - lDown) / (2 * h)
				if math.Abs(grad[i]-numeric) > 1e-6*max(1e-2, math.Abs(numeric)) {
					t.Errorf("∂loss/∂w%d = %.10g, finite differences give %.10g", i, grad[i], numeric)
				}
			}
		})
	}
}

// Clamps pass the gradient on their bounds, as torch.clamp does, and stop it
// beyond them.
func TestClampGrad(t *testing.T) {
	tests := []struct {
		x, want float64
		moved   bool
	}{
		{0.5, 1, true}, {1, 1, false}, {5, 5, false}, {10, 10, false}, {10.5, 10, true},
	}
	for _, tt := range tests {
		if got, moved := clampGrad(tt.x, 1, 10); got != tt.want || moved != tt.moved {
			t.Errorf("clampGrad(%v, 1, 10) = %v, %v; want %v, %v", tt.x, got, moved, tt.want, tt.moved)
		}
	}
}
