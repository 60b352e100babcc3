package fsrs

import (
	"errors"
	"fmt"
	"time"
)

// maxIntervalLimit keeps now + MaxInterval days well inside what
// time.Duration can represent (about 106,000 days).
const maxIntervalLimit = 100_000

// Parameters configures a Scheduler. Start from DefaultParameters and change
// what you need; NewScheduler rejects anything Validate rejects.
type Parameters struct {
	// W holds the 21 FSRS-6 model weights w0..w20.
	W Weights
	// DesiredRetention is the recall probability at which a review falls
	// due; it must lie strictly between 0 and 1.
	DesiredRetention float64
	// MaxInterval caps Review intervals, in days.
	MaxInterval int
	// LearningSteps are the delays between reviews of a new card before it
	// graduates to Review. Empty means new cards graduate at once.
	LearningSteps []time.Duration
	// RelearningSteps are the delays after a lapse before the card returns
	// to Review. Empty means a lapse is rescheduled in days straight away.
	RelearningSteps []time.Duration
	// Fuzz spreads Review intervals of three days or more over a small
	// range so cards learnt together do not stay bunched. It takes effect
	// only when Review is given a random source.
	Fuzz bool
}

// DefaultParameters returns the FSRS-6 default weights with 90% desired
// retention, a 36,500-day maximum interval, learning steps of 1 and 10
// minutes, one 10-minute relearning step and fuzz off. Each call returns
// fresh slices, so callers may modify the result freely.
func DefaultParameters() Parameters {
	return Parameters{
		W:                DefaultWeights(),
		DesiredRetention: 0.9,
		MaxInterval:      36500,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		Fuzz:             false,
	}
}

// Validate reports every problem with p at once, joined with errors.Join,
// or nil when p is usable. Weights must lie within the py-fsrs bounds
// (Weights.Validate), DesiredRetention in (0, 1), MaxInterval in [1, 100000]
// days and every step must be positive.
func (p Parameters) Validate() error {
	var errs []error
	if err := p.W.Validate(); err != nil {
		errs = append(errs, err)
	}
	if !(p.DesiredRetention > 0 && p.DesiredRetention < 1) {
		errs = append(errs, fmt.Errorf("fsrs: desired retention %v is not strictly between 0 and 1", p.DesiredRetention))
	}
	if p.MaxInterval < 1 || p.MaxInterval > maxIntervalLimit {
		errs = append(errs, fmt.Errorf("fsrs: maximum interval %d days is outside [1, %d]", p.MaxInterval, maxIntervalLimit))
	}
	for i, d := range p.LearningSteps {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("fsrs: learning step %d is %v, want a positive duration", i, d))
		}
	}
	for i, d := range p.RelearningSteps {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("fsrs: relearning step %d is %v, want a positive duration", i, d))
		}
	}
	return errors.Join(errs...)
}
