package telegramtest

import (
	"sync"
	"testing"
	"time"
)

// Clock is a manual clock for the adapter's limiter and retry waits: time moves only when the test
// calls Advance, and WaitForWaiters tells the test when the adapter has started waiting, so tests
// synchronise on events instead of sleeping.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{}
	auto    bool
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a clock reading start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, changed: make(chan struct{})}
}

// SetAuto switches to virtual time: every wait completes at once and moves the clock forward by
// its duration. Tests that do not examine timing use it, so the flood limiter's waits cost them
// nothing.
func (c *Clock) SetAuto(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.auto = on
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the time once the clock has been advanced by d. A d of
// zero or less fires at once.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	if c.auto {
		c.now = c.now.Add(d)
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	close(c.changed)
	c.changed = make(chan struct{})
	return ch
}

// Advance moves the clock forward and fires every wait that has come due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
	close(c.changed)
	c.changed = make(chan struct{})
}

// Waiters returns how many waits are pending.
func (c *Clock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// WaitForWaiters blocks until at least n waits are pending and returns the earliest due time
// among them.
func (c *Clock) WaitForWaiters(tb testing.TB, n int) time.Time {
	tb.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		if len(c.waiters) >= n {
			first := c.waiters[0].at
			for _, w := range c.waiters {
				if w.at.Before(first) {
					first = w.at
				}
			}
			c.mu.Unlock()
			return first
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("telegramtest: timed out waiting for %d clock waiters", n)
		}
	}
}
