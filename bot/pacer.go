package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// pacerRetry is how long a Pacer paces on its own after the shared limiter failed, before it
// asks the shared one again. Asking on every event would cost each event a timeout while the
// store is down.
const pacerRetry = 5 * time.Second

// Pacer is a Limiter that keeps working while its shared limiter cannot answer: it asks the
// shared limiter (Redis, one budget for every replica) and, when that fails, paces with an
// in-process MemoryLimiter over the same rates for a few seconds before trying the shared one
// again. Each replica then keeps within the limits on its own share of the traffic, which may
// add up to more than a platform allows across replicas, but sends go on rather than stall. It
// logs once when it falls back and once when the shared limiter answers again.
type Pacer struct {
	shared Limiter
	local  *MemoryLimiter
	log    *slog.Logger
	now    func() time.Time

	mu    sync.Mutex
	down  bool
	retry time.Time // when to ask the shared limiter again while down
}

var _ Limiter = (*Pacer)(nil)

// NewPacer returns a Pacer over shared, on the clock now (nil means time.Now), logging to log (nil
// means slog.Default()). A nil shared limiter paces in process only. A Pacer given as shared is
// returned as it is, so wrapping twice costs nothing.
func NewPacer(shared Limiter, now func() time.Time, log *slog.Logger) *Pacer {
	if p, ok := shared.(*Pacer); ok {
		return p
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Pacer{shared: shared, local: NewMemoryLimiter(now), log: log, now: now}
}

// Reserve implements Limiter. It fails only when ctx has ended.
func (p *Pacer) Reserve(ctx context.Context, rates []Rate) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if p.shared == nil {
		return p.local.Reserve(ctx, rates)
	}
	p.mu.Lock()
	skip := p.down && p.now().Before(p.retry)
	p.mu.Unlock()
	if !skip {
		// This process's own pace first: a send it could not make at the budgets' full rates the
		// shared limiter would refuse too, so it waits without asking. When many sends wait at
		// once (a fan-out, a bot held at Telegram's 30 a second), only the one the local pace lets
		// through asks the store each interval, rather than every waiter each time the budget
		// frees. A refusal by the shared limiter gives the local share back.
		if d, _ := p.local.Reserve(ctx, rates); d > 0 {
			return d, nil
		}
		d, err := p.shared.Reserve(ctx, rates)
		if err != nil || d > 0 {
			p.local.refund(rates)
		}
		p.mu.Lock()
		wasDown := p.down
		if err == nil {
			p.down = false
		} else if ctx.Err() == nil {
			p.down, p.retry = true, p.now().Add(pacerRetry)
		}
		p.mu.Unlock()
		switch {
		case err == nil:
			if wasDown {
				p.log.Info("the shared rate limiter answers again; budgets are shared across replicas once more")
			}
			return d, nil
		case ctx.Err() != nil:
			return 0, ctx.Err()
		case !wasDown:
			p.log.Warn("the shared rate limiter is not answering; pacing in this process until it does", "err", err)
		}
	}
	return p.local.Reserve(ctx, rates)
}

// Shared reports whether the last decision came from the shared limiter, for health reports and
// tests.
func (p *Pacer) Shared() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shared != nil && !p.down
}
