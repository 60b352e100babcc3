package optimize

import (
	"math"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// nw is the number of FSRS-6 weights.
const nw = len(fsrs.Weights{})

// Limits on the memory state, as in quiz/fsrs (py-fsrs's lower stability
// bound and difficulty range, fsrs-rs's upper stability bound).
const (
	minStability  = 0.001
	maxStability  = 36500.0
	minDifficulty = 1.0
	maxDifficulty = 10.0
)

// tangent holds the partial derivatives of one quantity with respect to the
// 21 weights. The model runs forward-mode differentiation: every memory
// state carries its tangents, and each formula below updates them with
// its hand-derived partial derivatives.
type tangent [nw]float64

// memory is a card's memory state during replay. The tangents are kept only
// when the model is differentiating; otherwise they stay zero.
type memory struct {
	s, d   float64
	ds, dd tangent
}

// model evaluates the FSRS-6 memory formulas of quiz/fsrs (and so py-fsrs
// 6.3.1) for one set of weights, optionally with their derivatives.
// Quantities that depend only on the weights are computed once here.
type model struct {
	w    fsrs.Weights
	grad bool // keep tangents

	decay, factor float64 // R(t, S) = (1 + factor·t/S)^decay, decay = -w20
	dFactor       float64 // ∂factor/∂w20
	expW8         float64 // e^w8, the recall stability growth scale
	easyD0        float64 // unclamped D0(Easy), the mean-reversion target
	dEasyD0       float64 // ∂easyD0/∂w5 (∂/∂w4 is 1)
	lapseCap      float64 // e^(-w17·w18): post-lapse stability is at most S times this
}

func newModel(w fsrs.Weights, grad bool) *model {
	m := &model{w: w, grad: grad, decay: -w[20]}
	m.factor = math.Pow(0.9, 1/m.decay) - 1
	// factor = 0.9^(-1/w20) - 1, so ∂factor/∂w20 = 0.9^(-1/w20)·ln 0.9 / w20².
	m.dFactor = math.Pow(0.9, 1/m.decay) * math.Log(0.9) / (w[20] * w[20])
	m.expW8 = math.Exp(w[8])
	e := math.Exp(3 * w[5])
	m.easyD0 = w[4] - e + 1
	m.dEasyD0 = -3 * e
	m.lapseCap = math.Exp(-w[17] * w[18])
	return m
}

// clampGrad reports x clamped to [lo, hi] and whether it was moved. Like
// torch.clamp, a value exactly on a bound keeps its gradient.
func clampGrad(x, lo, hi float64) (float64, bool) {
	switch {
	case x < lo:
		return lo, true
	case x > hi:
		return hi, true
	}
	return x, false
}

// start sets the memory state of a card's first review with rating g:
// S = w[g-1] and D = D0(g), each clamped.
func (m *model) start(mem *memory, g fsrs.Rating) {
	*mem = memory{}
	var clamped bool
	mem.s, clamped = clampGrad(m.w[g-1], minStability, maxStability)
	if m.grad && !clamped {
		mem.ds[g-1] = 1
	}
	e := math.Exp(m.w[5] * float64(g-1))
	mem.d, clamped = clampGrad(m.w[4]-e+1, minDifficulty, maxDifficulty)
	if m.grad && !clamped {
		mem.dd[4] = 1
		mem.dd[5] = -float64(g-1) * e
	}
}

// recall returns the retrievability after days whole days, R = (1 +
// factor·t/S)^decay, and its tangent.
func (m *model) recall(mem *memory, days int) (float64, tangent) {
	t := float64(days)
	b := 1 + m.factor*t/mem.s
	r := math.Pow(b, m.decay)
	var dr tangent
	if !m.grad {
		return r, dr
	}
	// ∂R/∂S = decay·R/b · (−factor·t/S²).
	rs := m.decay * r / b * (-m.factor * t / (mem.s * mem.s))
	for i := range dr {
		dr[i] = rs * mem.ds[i]
	}
	// w20 moves both the exponent (decay = −w20) and factor.
	dr[20] += r * (-math.Log(b) + m.decay*(t/mem.s)*m.dFactor/b)
	return r, dr
}

// review applies rating g, given days whole days after the previous review
// and the retrievability r (with tangent dr) at that moment when days ≥ 1.
// The new stability uses the old difficulty, as in every FSRS
// implementation.
func (m *model) review(mem *memory, g fsrs.Rating, days int, r float64, dr *tangent) {
	old := *mem
	switch {
	case days < 1:
		m.shortTerm(mem, &old, g)
	case g == fsrs.Again:
		m.lapse(mem, &old, r, dr)
	default:
		m.success(mem, &old, g, r, dr)
	}
	m.nextDifficulty(mem, &old, g)
}

// success is the stability after a successful recall:
// S' = S·(1 + e^w8·(11−D)·S^(−w9)·(e^((1−R)·w10) − 1)·h·b), h = w15 for Hard,
// b = w16 for Easy.
func (m *model) success(mem, old *memory, g fsrs.Rating, r float64, dr *tangent) {
	w := &m.w
	s, d := old.s, old.d
	hard, easy := 1.0, 1.0
	switch g {
	case fsrs.Hard:
		hard = w[15]
	case fsrs.Easy:
		easy = w[16]
	}
	a, b, c := m.expW8, 11-d, math.Pow(s, -w[9])
	x := math.Exp((1 - r) * w[10])
	e := x - 1
	growth := a * b * c * e * hard * easy
	var clamped bool
	mem.s, clamped = clampGrad(s*(1+growth), minStability, maxStability)
	if !m.grad {
		return
	}
	if clamped {
		mem.ds = tangent{}
		return
	}
	// Partial derivatives of S' = S + S·growth.
	perS := 1 + growth - w[9]*growth // ∂/∂S: growth ∝ S^(−w9)
	perD := -s * a * c * e * hard * easy
	perR := -s * a * b * c * x * w[10] * hard * easy
	for i := range mem.ds {
		mem.ds[i] = perS*old.ds[i] + perD*old.dd[i] + perR*dr[i]
	}
	mem.ds[8] += s * growth
	mem.ds[9] += s * growth * -math.Log(s)
	mem.ds[10] += s * a * b * c * x * (1 - r) * hard * easy
	switch g {
	case fsrs.Hard:
		mem.ds[15] += s * a * b * c * e * easy
	case fsrs.Easy:
		mem.ds[16] += s * a * b * c * e * hard
	}
}

// lapse is the stability after a lapse: the smaller of
// w11·D^(−w12)·((S+1)^w13 − 1)·e^((1−R)·w14) and S·e^(−w17·w18).
func (m *model) lapse(mem, old *memory, r float64, dr *tangent) {
	w := &m.w
	s, d := old.s, old.d
	dp := math.Pow(d, -w[12])
	sp := math.Pow(s+1, w[13])
	p := sp - 1
	x := math.Exp((1 - r) * w[14])
	long := w[11] * dp * p * x
	capped := s * m.lapseCap
	// py-fsrs takes min(long, capped), which keeps long on a tie.
	useCap := capped < long
	next := long
	if useCap {
		next = capped
	}
	var clamped bool
	mem.s, clamped = clampGrad(next, minStability, maxStability)
	if !m.grad {
		return
	}
	if clamped {
		mem.ds = tangent{}
		return
	}
	if useCap {
		for i := range mem.ds {
			mem.ds[i] = m.lapseCap * old.ds[i]
		}
		mem.ds[17] += -w[18] * capped
		mem.ds[18] += -w[17] * capped
		return
	}
	perS := w[11] * dp * w[13] * sp / (s + 1) * x
	perD := -w[12] * long / d
	perR := -w[14] * long
	for i := range mem.ds {
		mem.ds[i] = perS*old.ds[i] + perD*old.dd[i] + perR*dr[i]
	}
	mem.ds[11] += dp * p * x
	mem.ds[12] += long * -math.Log(d)
	mem.ds[13] += w[11] * dp * sp * math.Log(s+1) * x
	mem.ds[14] += long * (1 - r)
}

// shortTerm is the stability after a same-day review:
// S' = S·e^(w17·(G−3+w18))·S^(−w19), the increase floored at 1 for Good and
// Easy only (py-fsrs 6.3.1).
func (m *model) shortTerm(mem, old *memory, g fsrs.Rating) {
	w := &m.w
	s := old.s
	k := float64(g) - 3 + w[18]
	inc := math.Exp(w[17]*k) * math.Pow(s, -w[19])
	floored := false
	if g >= fsrs.Good && inc < 1 {
		inc, floored = 1, true
	}
	var clamped bool
	mem.s, clamped = clampGrad(s*inc, minStability, maxStability)
	if !m.grad {
		return
	}
	if clamped {
		mem.ds = tangent{}
		return
	}
	if floored {
		mem.ds = old.ds // S' = S
		return
	}
	next := s * inc
	perS := inc * (1 - w[19])
	for i := range mem.ds {
		mem.ds[i] = perS * old.ds[i]
	}
	mem.ds[17] += next * k
	mem.ds[18] += next * w[17]
	mem.ds[19] += next * -math.Log(s)
}

// nextDifficulty is D' = D + (10−D)·(−w6·(G−3))/9, reverted towards the
// unclamped D0(Easy) by w7, then clamped to [1, 10].
func (m *model) nextDifficulty(mem, old *memory, g fsrs.Rating) {
	w := &m.w
	d := old.d
	step := -w[6] * float64(g-3)
	damped := d + (10-d)*step/9
	var clamped bool
	mem.d, clamped = clampGrad(w[7]*m.easyD0+(1-w[7])*damped, minDifficulty, maxDifficulty)
	if !m.grad {
		return
	}
	if clamped {
		mem.dd = tangent{}
		return
	}
	perD := (1 - w[7]) * (1 - step/9)
	for i := range mem.dd {
		mem.dd[i] = perD * old.dd[i]
	}
	mem.dd[4] += w[7]
	mem.dd[5] += w[7] * m.dEasyD0
	mem.dd[6] += (1 - w[7]) * (10 - d) * -float64(g-3) / 9
	mem.dd[7] += m.easyD0 - damped
}

// bce is the binary cross-entropy of predicting r for outcome y, each log
// clamped at −100 as torch.nn.BCELoss (used by py-fsrs) does, and its
// derivative with respect to r as torch computes it.
func bce(r, y float64) (loss, perR float64) {
	loss = -(y*max(math.Log(r), -100) + (1-y)*max(math.Log(1-r), -100))
	perR = (r - y) / max(r*(1-r), 1e-12)
	return loss, perR
}
