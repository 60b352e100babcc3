package fsrs

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// FuzzReview replays arbitrary review scripts and checks the invariants every
// result must keep: a finite memory state within bounds, a due time after the
// review that is either a configured step or whole days within MaxInterval,
// and a retrievability in [0, 1].
//
// Each script step is three bytes: the rating (low two bits), the unit of the
// gap before the review (next two bits: second, minute, hour or day) and a
// signed 16-bit gap, so reviews can come early, late or out of order.
func FuzzReview(f *testing.F) {
	f.Add([]byte{2, 0, 0, 2, 0, 0, 2, 0, 0}, 0.9, false, uint64(0))
	f.Add([]byte{0, 0, 0, 14, 0, 1, 14, 0, 3, 12, 0, 8, 14, 0, 21}, 0.9, false, uint64(1))
	f.Add([]byte{3, 0, 0, 15, 0x7f, 0xff, 15, 0x7f, 0xff, 12, 0x7f, 0xff}, 0.7, true, uint64(2))
	f.Add([]byte{1, 0, 0, 9, 0, 30, 5, 0xff, 0xf0, 13, 0, 2}, 0.97, true, uint64(3))
	f.Add([]byte{2, 0, 0, 14, 0x40, 0, 14, 0x40, 0, 14, 0x40, 0}, 1e-9, true, uint64(4))

	units := [4]time.Duration{time.Second, time.Minute, time.Hour, day}
	f.Fuzz(func(t *testing.T, script []byte, retention float64, fuzz bool, seed uint64) {
		p := DefaultParameters()
		p.Fuzz = fuzz
		if retention > 0 && retention < 1 {
			p.DesiredRetention = retention
		}
		s, err := NewScheduler(p)
		if err != nil {
			t.Fatalf("NewScheduler: %v", err)
		}
		rnd := rand.New(rand.NewPCG(seed, seed))

		var c Card
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i+2 < len(script) && i < 3*200; i += 3 {
			g := Rating(script[i]&3) + 1
			gap := time.Duration(int16(uint16(script[i+1])<<8|uint16(script[i+2]))) * units[script[i]>>2&3]
			now = now.Add(gap)
			prev := c
			c = s.Review(c, g, now, rnd)

			if math.IsNaN(c.Stability) || c.Stability < minStability || c.Stability > maxStability {
				t.Fatalf("step %d: %v after %+v gives stability %v", i/3, g, prev, c.Stability)
			}
			if math.IsNaN(c.Difficulty) || c.Difficulty < minDifficulty || c.Difficulty > maxDifficulty {
				t.Fatalf("step %d: %v after %+v gives difficulty %v", i/3, g, prev, c.Difficulty)
			}
			if !c.LastReview.Equal(now) {
				t.Fatalf("step %d: LastReview = %v, want %v", i/3, c.LastReview, now)
			}
			wait := c.Due.Sub(now)
			switch c.State {
			case Review:
				if wait%day != 0 || wait < day || wait > time.Duration(p.MaxInterval)*day {
					t.Fatalf("step %d: %v after %+v waits %v in Review, want 1..%d whole days", i/3, g, prev, wait, p.MaxInterval)
				}
			case Learning, Relearning:
				steps := p.LearningSteps
				if c.State == Relearning {
					steps = p.RelearningSteps
				}
				if c.Step < 0 || c.Step >= len(steps) {
					t.Fatalf("step %d: %v card at step %d of %d", i/3, c.State, c.Step, len(steps))
				}
				allowed := append(slices.Clone(steps), (steps[0]+steps[len(steps)-1])/2, steps[0]*3/2)
				if !slices.Contains(allowed, wait) {
					t.Fatalf("step %d: %v card waits %v, want one of %v", i/3, c.State, wait, allowed)
				}
			default:
				t.Fatalf("step %d: result has state %v", i/3, c.State)
			}
			for _, at := range []time.Time{now, c.Due, now.Add(-day), now.Add(100 * 365 * day)} {
				if r := s.Retrievability(c, at); !(r > 0 && r <= 1) {
					t.Fatalf("step %d: Retrievability(%+v, %v) = %v, want (0, 1]", i/3, c, at, r)
				}
			}
		}
	})
}
