package optimize

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fsrs-rs keeps weights in float32; its test inputs and outputs are
// float32 values, so comparisons allow float32 rounding.
const f32tol = 2e-7

func relNear(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*max(1, math.Abs(want))
}

// Source: fsrs-rs src/parameter_initialization.rs (FSRS-6),
// test_power_forgetting_curve.
func TestDefaultCurve(t *testing.T) {
	want := []float64{1.0, 0.9, 0.8458846447796301, 0.8093881028681906}
	for days, w := range want {
		if got := defaultCurve(float64(days), 1); !relNear(got, w, 1e-8) {
			t.Errorf("defaultCurve(%d, 1) = %.16f, want %v", days, got, w)
		}
	}
}

// Source: fsrs-rs src/parameter_initialization.rs test_loss and
// test_search_parameters.
func TestSearchStability(t *testing.T) {
	groups := []recallGroup{
		{1, 0.86666667, 435}, {2, 0.90721649, 97}, {3, 0.73015873, 63}, {4, 0.76315789, 38}, {5, 0.67857143, 28},
	}
	defaultS := float64(float32(0.212)) // fsrs-rs's DEFAULT_PARAMETERS[0] widened from float32
	if got := stabilityLoss(groups, 0.7840586, defaultS); !relNear(got, 279.9206961069712, 1e-9) {
		t.Errorf("stabilityLoss(S=0.7840586) = %.13f, want 279.9206961069712", got)
	}
	if got := stabilityLoss(groups, 0.7840590622451964, defaultS); !relNear(got, 279.9206977311556, 1e-9) {
		t.Errorf("stabilityLoss(S=0.78405906) = %.13f, want 279.9206977311556", got)
	}
	if got := searchStability(groups, 0.94302857, 0.212); !relNear(got, 0.7355089, 1e-6) {
		t.Errorf("searchStability = %.8f, want 0.7355089", got)
	}
}

// Source: fsrs-rs src/parameter_initialization.rs test_smooth_and_fill,
// plus the other cases worked by hand from its interpolation rules.
func TestSmoothAndFill(t *testing.T) {
	tests := []struct {
		name   string
		s      [4]float64
		counts [4]int
		want   [4]float64
	}{
		{"Hard missing", [4]float64{0.4, 0, 2.3, 10.9}, [4]int{1, 0, 1, 1}, [4]float64{0.4, 1.1227008, 2.3, 10.9}},
		{"Hard only", [4]float64{0, 0.35, 0, 0}, [4]int{0, 1, 0, 0}, [4]float64{0.05738148, 0.35, 0.6242943, 2.2453482}},
		{
			"Again and Good",
			[4]float64{0.1, 0, 2, 0}, [4]int{5, 0, 5, 0},
			[4]float64{0.1, math.Pow(0.1, 0.41) * math.Pow(2, 0.59), 2, math.Pow(math.Pow(0.1, 0.41)*math.Pow(2, 0.59), 1-1/0.54) * math.Pow(2, 1/0.54)},
		},
		{"all four", [4]float64{0.5, 1, 3, 9}, [4]int{1, 1, 1, 1}, [4]float64{0.5, 1, 3, 9}},
		// Out of order: the rating backed by more cards wins, pair by pair
		// in fsrs-rs's order (1-2, 2-3, 3-4, 1-3, 2-4, 1-4), once: Hard
		// rises to 3, falls back to Good's 2 (a tie in counts), then Good
		// rises to Again's 3. One pass does not sort.
		{"Again above Good", [4]float64{3, 1, 2, 9}, [4]int{10, 1, 1, 1}, [4]float64{3, 2, 3, 9}},
		{"clamped", [4]float64{0.0001, 1, 3, 900}, [4]int{1, 1, 1, 1}, [4]float64{0.001, 1, 3, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := smoothAndFill(tt.s, tt.counts)
			if !ok {
				t.Fatal("smoothAndFill reported no data")
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(f32tol, 0)); diff != "" {
				t.Errorf("smoothAndFill mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := smoothAndFill([4]float64{1, 2, 3, 4}, [4]int{}); ok {
		t.Error("smoothAndFill with no counts reported data")
	}
}

func TestDropOutliers(t *testing.T) {
	// 130 cards first rated Again: 5% is 6, but at least 20 are dropped
	// from the smallest groups first (shortest delta first on a tie)
	// until dropping the next would reach 20; of the rest a group needs 6
	// cards and a delta of at most 100 days.
	again := []recallGroup{
		{1, 0.7, 40}, {2, 0.6, 20}, {3, 0.5, 10}, {4, 0.5, 10}, {5, 0.5, 9}, {150, 0.2, 8}, {9, 0.5, 3}, {120, 0.3, 30},
	}
	// After Easy deltas up to 365 days are allowed.
	easy := []recallGroup{{200, 0.9, 30}, {400, 0.9, 30}, {2, 1, 5}, {7, 1, 5}, {8, 1, 5}, {9, 1, 5}}
	got := dropOutliers([4][]recallGroup{again, nil, nil, easy})
	want := [4][]recallGroup{
		// Dropped as small: 9 (3 cards), 150 (8); 5 (9 cards) would make
		// 20, so it is judged on its own and kept. Dropped as too long: 120.
		{{1, 0.7, 40}, {2, 0.6, 20}, {3, 0.5, 10}, {4, 0.5, 10}, {5, 0.5, 9}},
		nil, nil,
		// 80 cards: 2, 7 and 8 are dropped as small (15 cards); 9 would make
		// 20 but has under 6 cards; 400 is longer than a year.
		{{200, 0.9, 30}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(recallGroup{})); diff != "" {
		t.Errorf("dropOutliers mismatch (-want +got):\n%s", diff)
	}
}
