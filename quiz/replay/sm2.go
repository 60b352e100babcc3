package replay

import (
	"math"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// sm2Card is one card under the SM-2 baseline of srs-benchmark
// (models/sm2.py, function sm2): Anki ratings 1-4 become SM-2 grades 2-5, the
// easiness factor is updated after every review including failures, and a
// failure restarts the repetition count.
type sm2Card struct {
	interval float64 // days
	ef       float64 // easiness factor
	reps     int     // successful repetitions in a row
}

func newSM2Card() sm2Card { return sm2Card{ef: 2.5} }

// review applies one review. The interval goes 1, 6, then the previous
// interval times EF, rounded to whole days (half to even, as Python's round,
// after adding 0.01) and clamped to [1, 36500].
func (c *sm2Card) review(g fsrs.Rating) {
	q := float64(g) + 1
	if q > 2 {
		switch c.reps {
		case 0:
			c.interval = 1
		case 1:
			c.interval = 6
		default:
			c.interval *= c.ef
		}
		c.reps++
	} else {
		c.interval, c.reps = 1, 0
	}
	c.ef = max(1.3, c.ef+(0.1-(5-q)*(0.08+(5-q)*0.02)))
	c.interval = min(max(1, math.RoundToEven(c.interval+0.01)), 36500)
}

// recall is the benchmark's SM-2 forgetting curve: 90% recall at the
// scheduled interval, R = 0.9^(t/I).
func (c sm2Card) recall(days int) float64 {
	return math.Pow(0.9, float64(days)/c.interval)
}
