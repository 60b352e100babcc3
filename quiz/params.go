package quiz

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Where a learner's FSRS weights come from, as /stats says.
const (
	ParamsDefault   = "default"   // FSRS-6's published defaults
	ParamsCommunity = "community" // fitted to every learner of this deployment
	ParamsPersonal  = "personal"  // fitted to the learner's own reviews
)

// Params are FSRS weights fitted to reviews, with the figures that justified keeping them.
type Params struct {
	Source  string       `json:"source"`
	Weights fsrs.Weights `json:"w"`
	Fitted  time.Time    `json:"fitted"`
	// Reviews counts the scored reviews the fit saw.
	Reviews int `json:"reviews"`
	// LogLoss is the fit's log loss on the held-out fifth of the cards, Baseline that of the
	// weights it replaced there.
	LogLoss  float64 `json:"log_loss"`
	Baseline float64 `json:"baseline"`
}

// EncodeParams serialises p for the store.
func EncodeParams(p Params) []byte {
	b, _ := json.Marshal(p) // a struct of numbers and a string always encodes
	return b
}

// DecodeParams reads EncodeParams output, refusing weights outside FSRS-6's bounds.
func DecodeParams(b []byte) (Params, error) {
	var p Params
	if err := json.Unmarshal(b, &p); err != nil {
		return Params{}, fmt.Errorf("quiz: decoding FSRS weights: %w", err)
	}
	if err := p.Weights.Validate(); err != nil {
		return Params{}, fmt.Errorf("quiz: stored FSRS weights: %w", err)
	}
	return p, nil
}

// ParamStore keeps the deployment's community weights, fitted to every learner and used for those
// with too few reviews of their own. Both stores implement it.
type ParamStore interface {
	// CommunityParams returns EncodeParams output, or nil when none were fitted yet.
	CommunityParams(ctx context.Context) ([]byte, error)
	SetCommunityParams(ctx context.Context, params []byte) error
}

// communityTTL is how long the engine uses the community weights it read before reading them
// again: they change once a week.
const communityTTL = 10 * time.Minute

// schedulers builds and keeps one FSRS scheduler per set of weights in use, so grading with a
// learner's own weights costs no more than with the defaults.
type schedulers struct {
	base fsrs.Parameters // the engine's parameters, whose weights a learner's replace

	mu        sync.Mutex
	byWeights map[fsrs.Weights]*fsrs.Scheduler
	community *Params
	fetched   time.Time
}

// maxSchedulers bounds the schedulers kept; personal weights are refitted weekly, so a bounded map
// that starts afresh when full holds every one in use.
const maxSchedulers = 4096

func (s *schedulers) get(w fsrs.Weights) *fsrs.Scheduler {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.byWeights[w]; ok {
		return sch
	}
	p := s.base
	p.W = w
	sch, err := fsrs.NewScheduler(p)
	if err != nil {
		return nil // weights outside the bounds: DecodeParams refuses them first
	}
	if s.byWeights == nil || len(s.byWeights) >= maxSchedulers {
		s.byWeights = map[fsrs.Weights]*fsrs.Scheduler{}
	}
	s.byWeights[w] = sch
	return sch
}

// scheduler returns the scheduler for a learner with the given stored weights, and where its
// weights come from: their own, else the community's, else the defaults.
func (e *Engine) scheduler(ctx context.Context, params []byte, now time.Time) (*fsrs.Scheduler, string) {
	if len(params) > 0 {
		if p, err := DecodeParams(params); err == nil {
			if sch := e.scheds.get(p.Weights); sch != nil {
				return sch, ParamsPersonal
			}
		}
	}
	if c := e.communityParams(ctx, now); c != nil {
		if sch := e.scheds.get(c.Weights); sch != nil {
			return sch, ParamsCommunity
		}
	}
	return e.sched, ParamsDefault
}

// communityParams returns the community weights, reading them from the store at most once every
// communityTTL; a store that fails keeps the last ones read.
func (e *Engine) communityParams(ctx context.Context, now time.Time) *Params {
	if e.params == nil {
		return nil
	}
	s := e.scheds
	s.mu.Lock()
	c, stale := s.community, now.Sub(s.fetched) >= communityTTL || s.fetched.IsZero()
	if stale {
		s.fetched = now // one reader refreshes; the others use what there is
	}
	s.mu.Unlock()
	if !stale {
		return c
	}
	raw, err := e.params.CommunityParams(ctx)
	if err != nil {
		return c
	}
	var fresh *Params
	if raw != nil {
		if p, err := DecodeParams(raw); err == nil {
			fresh = &p
		}
	}
	s.mu.Lock()
	s.community = fresh
	s.mu.Unlock()
	return fresh
}
