package bot

import (
	"context"
	"errors"
	"time"
)

// Claims hands out exclusive, expiring claims on keys: the store primitive behind work that must
// happen once however many replicas see it. Claim reports true for one owner until the claim
// expires (the holder may claim again to renew it); Release frees it only while owner holds it.
// Both stores implement it.
type Claims interface {
	Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, key, owner string) error
}

// Once runs work at most once per key across replicas and restarts, and again only when the run
// that took it failed or died before finishing: a platform update delivered twice, a daily tip
// claimed by three schedulers. It keeps two claims per key: a run lease, held while the work runs,
// and a done mark, kept long after. A replica that finds the lease held knows the work is under
// way; one that finds the mark knows it is finished.
type Once struct {
	Claims Claims
	// Owner names this process (or, for work only one process does at a time, that role, so a
	// restarted process takes back its own leases at once).
	Owner string
	// Lease bounds how long a run may take before another may take the work over (default 2 min).
	Lease time.Duration
	// Keep is how long a finished key is remembered (default 48 h).
	Keep time.Duration
}

// OnceResult says what Do did.
type OnceResult int

// Do results.
const (
	// Ran: the work ran; Do returns its error.
	Ran OnceResult = iota
	// AlreadyDone: a run finished the work before.
	AlreadyDone
	// Busy: another run holds the work now; try again after its lease.
	Busy
)

// doneOwner holds the done mark. No process uses it as its Owner.
const doneOwner = "\x00done"

// Do runs f unless the key's work is done or under way elsewhere. When f fails, the key is
// released so the work can be retried. An error of the store itself is returned with Busy: nothing
// ran.
func (o *Once) Do(ctx context.Context, key string, f func(context.Context) error) (OnceResult, error) {
	lease, keep := o.Lease, o.Keep
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	if keep <= 0 {
		keep = 48 * time.Hour
	}
	run, done := key+"#run", key+"#done"
	ok, err := o.Claims.Claim(ctx, run, o.Owner, lease)
	if err != nil || !ok {
		return Busy, err
	}
	// Only the holder of the run lease touches the done mark, so nobody can slip in between the
	// steps below. The mark's own lease ends before the run lease: when a dead run's lease
	// expires, its mark has gone too.
	ok, err = o.Claims.Claim(ctx, done, o.Owner, lease-lease/8)
	if err != nil {
		o.release(run)
		return Busy, err
	}
	if !ok {
		o.release(run)
		return AlreadyDone, nil
	}
	if err := f(ctx); err != nil {
		o.release(done)
		o.release(run)
		return Ran, err
	}
	mctx := context.WithoutCancel(ctx) // the work is done: record it even while shutting down
	if err := o.Claims.Release(mctx, done, o.Owner); err == nil {
		_, err = o.Claims.Claim(mctx, done, doneOwner, keep)
	}
	if err == nil {
		o.release(run)
	}
	// If the mark could not be written the run lease stays until it expires: a repeat is then
	// possible only after a store outage that outlasts the lease.
	return Ran, nil
}

func (o *Once) release(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = o.Claims.Release(ctx, key, o.Owner)
}

// errOnceBusy is what callers that must report Busy as an error use.
var errOnceBusy = errors.New("bot: work under way elsewhere")
