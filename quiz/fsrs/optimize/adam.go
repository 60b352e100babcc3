package optimize

import (
	"math"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// adam is the Adam optimiser (Kingma and Ba, 2015) with torch.optim.Adam's
// defaults (β1 0.9, β2 0.999, ε 1e-8, no weight decay), arithmetic in the
// same order as torch's single-tensor implementation, and its learning rate
// following torch's CosineAnnealingLR down to zero over total steps, as
// py-fsrs 6.3.1 configures them. After every step the weights are clamped
// to their bounds.
type adam struct {
	lr, baseLR float64
	total      int // T_max of the cosine schedule
	steps      int
	m, v       tangent // first and second moment estimates
}

func newAdam(lr float64, total int) *adam {
	return &adam{lr: lr, baseLR: lr, total: total}
}

// step moves w against the gradient g and returns the clamped weights.
func (a *adam) step(w fsrs.Weights, g *tangent) fsrs.Weights {
	// Variables, not constants: 1 − β must round as it does in Python
	// (0.09999999999999998, not 0.1).
	beta1, beta2, eps := 0.9, 0.999, 1e-8
	a.steps++
	t := float64(a.steps)
	stepSize := a.lr / (1 - math.Pow(beta1, t))
	bc2 := math.Sqrt(1 - math.Pow(beta2, t))
	for i := range w {
		a.m[i] += (g[i] - a.m[i]) * (1 - beta1) // torch lerp_
		a.v[i] = a.v[i]*beta2 + (1-beta2)*g[i]*g[i]
		denom := math.Sqrt(a.v[i])/bc2 + eps
		w[i] += -stepSize * (a.m[i] / denom)
	}
	a.lr = a.nextLR()
	return w.Clamp()
}

// nextLR is the learning rate after one more step of torch's recursive
// CosineAnnealingLR (eta_min 0): lr·(1 + cos(π·k/T))/(1 + cos(π·(k−1)/T)),
// which equals baseLR·(1 + cos(π·k/T))/2 up to rounding.
func (a *adam) nextLR() float64 {
	k, T := float64(a.steps), float64(a.total)
	if a.steps > a.total {
		// Past T the closed form keeps following the cosine back up; py-fsrs
		// never gets there, since T is its exact number of steps.
		return a.baseLR * (1 + math.Cos(math.Pi*k/T)) / 2
	}
	return (1 + math.Cos(math.Pi*k/T)) / (1 + math.Cos(math.Pi*(k-1)/T)) * a.lr
}
