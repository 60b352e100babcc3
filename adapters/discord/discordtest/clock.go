package discordtest

import (
	"sync"
	"testing"
	"time"
)

// Clock is a manual clock. The fake reads it to judge Discord's deadlines (3 s for an initial
// interaction response, 15 min for the interaction token) and to run scripted delays, so tests
// cross those deadlines by calling Advance instead of sleeping. Hand the same clock to the code
// under test and its own timers move in step.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{} // closed and replaced whenever the time or the waiters change
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a clock reading start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, changed: make(chan struct{})}
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
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	c.notifyLocked()
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
	c.notifyLocked()
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// changes returns a channel closed at the next change of time or waiters.
func (c *Clock) changes() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// Waiters returns how many waits are pending.
func (c *Clock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// WaitForWaiters blocks until at least n waits are pending and returns the earliest due time
// among them, so a test can advance exactly as far as the code under test is waiting.
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
			tb.Fatalf("discordtest: timed out waiting for %d clock waiters", n)
		}
	}
}
