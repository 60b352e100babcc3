package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// longPoll runs the long-polling loop until ctx ends. It is our own rather than the library's
// GetUpdatesChan, which has no context, retries 401s and 409s forever without saying why, cannot
// stop in the middle of a poll, and confirms updates as soon as they arrive. Here an update is
// confirmed (by the offset of the next getUpdates) only once it and every earlier one are settled,
// so a restart never loses one; those handled out of order come again and are recognised by their
// claims.
func (a *Adapter) longPoll(ctx context.Context) error {
	// getUpdates answers 409 while a webhook is set, e.g. after running in webhook mode.
	if _, err := a.do(ctx, tgbotapi.DeleteWebhookConfig{}); err != nil && ctx.Err() == nil {
		a.log.Warn("removing a webhook before polling", "err", err)
	}
	a.log.Info("polling for updates", "bot", "@"+a.self.UserName)
	tr := newTracker()
	failures := 0
	for ctx.Err() == nil {
		if tr.takeRetried() && bot.SleepOn(ctx, a.clock, a.backoffMin) != nil {
			break
		}
		raws, err := a.getUpdates(ctx, tr.offset(), a.pollTimeout)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			a.pollErr.Store(&err)
			if errors.Is(err, ErrTokenRejected) {
				return err
			}
			failures++
			if bot.SleepOn(ctx, a.clock, a.pollFailure(err, failures)) != nil {
				break
			}
			continue
		}
		failures = 0
		a.pollErr.Store(nil)
		fresh := 0
		for _, raw := range raws {
			var head struct {
				UpdateID int `json:"update_id"`
			}
			if json.Unmarshal(raw, &head) != nil {
				continue // cannot be tracked or confirmed by id; the next offset skips past it
			}
			if !tr.receive(head.UpdateID) {
				continue // still being handled since an earlier poll
			}
			fresh++
			id := head.UpdateID
			a.accept(raw, func(settled bool) { tr.finish(id, settled) })
		}
		if fresh == 0 && len(raws) > 0 {
			// Everything Telegram returned is still in hand: wait for some of it to settle
			// rather than asking again at once.
			select {
			case <-tr.changed():
			case <-ctx.Done():
			}
		}
	}
	a.work.wait()
	a.confirm(tr)
	a.log.Info("stopped polling")
	return nil
}

// pollFailure logs a failed getUpdates and returns how long to wait before the next.
func (a *Adapter) pollFailure(err error, failures int) time.Duration {
	wait := min(a.backoffMin<<min(failures-1, 10), a.backoffMax)
	var apiErr *tgbotapi.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict:
		if strings.Contains(apiErr.Message, "webhook") {
			a.log.Error("a webhook is set for this token, so polling gets nothing; unset TELEGRAM_WEBHOOK_URL everywhere or run in webhook mode", "err", apiErr.Message)
		} else {
			a.log.Error("another instance is polling this token (409 Conflict); only one poller per token can run: stop the other one, or use webhook mode (TELEGRAM_WEBHOOK_URL) for several replicas", "err", apiErr.Message, "retry_in", wait)
		}
	case errors.As(err, &apiErr) && apiErr.Code == http.StatusTooManyRequests:
		wait = max(wait, time.Duration(apiErr.RetryAfter)*time.Second)
		a.log.Warn("flood control on getUpdates", "retry_in", wait)
	default:
		a.log.Warn("getting updates failed", "err", err, "retry_in", wait)
	}
	return wait
}

// confirm tells Telegram, at shutdown, which updates are settled, with a getUpdates that asks for
// nothing new; the rest come again on the next start.
func (a *Adapter) confirm(tr *tracker) {
	off := tr.offset()
	if off == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cfg := tgbotapi.UpdateConfig{Offset: off, Limit: 1, Timeout: 0, AllowedUpdates: allowedUpdates}
	if _, err := a.api(ctx).Request(cfg); err != nil {
		a.log.Warn("confirming handled updates at shutdown; they will be recognised when they come again", "err", err)
	}
}

// getUpdates long-polls once. The updates come back raw, so one malformed update is dropped alone
// instead of failing the whole batch.
func (a *Adapter) getUpdates(ctx context.Context, offset int, timeout time.Duration) ([]json.RawMessage, error) {
	cfg := tgbotapi.UpdateConfig{Offset: offset, Timeout: int(timeout / time.Second), AllowedUpdates: allowedUpdates}
	rctx, cancel := context.WithTimeout(ctx, timeout+requestTimeout)
	defer cancel()
	start := time.Now()
	resp, err := a.api(rctx).Request(cfg)
	if ctx.Err() == nil {
		a.observe("getUpdates", start, err)
	}
	if err != nil {
		var apiErr *tgbotapi.Error
		if errors.As(err, &apiErr) && apiErr.Code == http.StatusUnauthorized {
			return nil, ErrTokenRejected
		}
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, err
	}
	return raws, nil
}

// tracker follows the updates received by polling until each is settled, and computes the offset
// that confirms exactly the settled prefix.
type tracker struct {
	mu       sync.Mutex
	inFlight []int // received and not yet settled, ascending
	again    []int // finished unsettled: Telegram must deliver them again, ascending
	next     int   // one past the highest update id received
	retried  bool  // an update finished unsettled since the last poll
	notify   chan struct{}
}

func newTracker() *tracker { return &tracker{notify: make(chan struct{})} }

// receive records id and reports whether it is new (not in hand already).
func (t *tracker) receive(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, found := slices.BinarySearch(t.inFlight, id)
	if found {
		return false
	}
	t.inFlight = slices.Insert(t.inFlight, i, id)
	if j, found := slices.BinarySearch(t.again, id); found {
		t.again = slices.Delete(t.again, j, j+1)
	}
	t.next = max(t.next, id+1)
	return true
}

// finish settles id, or, when it must be delivered again, holds the offset back at it.
func (t *tracker) finish(id int, settled bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i, found := slices.BinarySearch(t.inFlight, id); found {
		t.inFlight = slices.Delete(t.inFlight, i, i+1)
	}
	if !settled {
		if j, found := slices.BinarySearch(t.again, id); !found {
			t.again = slices.Insert(t.again, j, id)
		}
		t.retried = true
	}
	close(t.notify)
	t.notify = make(chan struct{})
}

// offset is the getUpdates offset: the lowest update still in hand or to be delivered again, or
// one past everything received (0 before anything was: Telegram then sends what it has).
func (t *tracker) offset() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	off := t.next
	if len(t.inFlight) > 0 {
		off = min(off, t.inFlight[0])
	}
	if len(t.again) > 0 {
		off = min(off, t.again[0])
	}
	return off
}

// takeRetried reports whether an update finished unsettled since the last call: the poller then
// waits a moment before asking again, so a store that cannot answer is not asked in a tight loop.
func (t *tracker) takeRetried() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.retried
	t.retried = false
	return r
}

// changed is closed when the next update finishes.
func (t *tracker) changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.notify
}
