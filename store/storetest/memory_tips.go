package storetest

import (
	"context"
	"slices"
	"time"

	"github.com/pybrarian/pybrarian/bot/tip"
)

// memTip is a subscription with its place in the schedule: due at next, or claimed until lease
// (non-zero) with next the delivery being made. Times are kept in whole milliseconds, as the
// other stores keep them.
type memTip struct {
	sub   tip.Subscription
	lease int64
}

var _ tip.Store = (*Memory)(nil)

// PutSubscription implements tip.Store.
func (m *Memory) PutSubscription(ctx context.Context, s tip.Subscription) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if m.tips == nil {
		m.tips = map[string]*memTip{}
	}
	s.Next = time.UnixMilli(s.Next.UnixMilli())
	m.tips[s.Chat] = &memTip{sub: s}
	return nil
}

// Subscription implements tip.Store.
func (m *Memory) Subscription(ctx context.Context, chat string) (tip.Subscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return tip.Subscription{}, m.Fail
	}
	t, ok := m.tips[chat]
	if !ok {
		return tip.Subscription{}, tip.ErrNotSubscribed
	}
	return t.sub, nil
}

// DeleteSubscription implements tip.Store.
func (m *Memory) DeleteSubscription(ctx context.Context, chat string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	delete(m.tips, chat)
	return nil
}

// ClaimDue implements tip.Store.
func (m *Memory) ClaimDue(ctx context.Context, now, lease time.Time, limit int) ([]tip.Claimed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	n, l := now.UnixMilli(), lease.UnixMilli()
	// Lapsed claims first, then due subscriptions, each earliest first, as Redis takes them.
	var lapsed, due []*memTip
	for _, t := range m.tips {
		switch {
		case t.lease != 0 && t.lease <= n:
			lapsed = append(lapsed, t)
		case t.lease == 0 && t.sub.Next.UnixMilli() <= n:
			due = append(due, t)
		}
	}
	slices.SortFunc(lapsed, func(a, b *memTip) int { return cmpTip(a.lease, b.lease, a.sub.Chat, b.sub.Chat) })
	slices.SortFunc(due, func(a, b *memTip) int {
		return cmpTip(a.sub.Next.UnixMilli(), b.sub.Next.UnixMilli(), a.sub.Chat, b.sub.Chat)
	})
	var out []tip.Claimed
	for _, t := range append(lapsed, due...) {
		if len(out) >= limit {
			break
		}
		t.lease = l
		out = append(out, tip.Claimed{Subscription: t.sub, Lease: time.UnixMilli(l)})
	}
	return out, nil
}

func cmpTip(a, b int64, ca, cb string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// Reschedule implements tip.Store.
func (m *Memory) Reschedule(ctx context.Context, rs []tip.Resched) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	for _, r := range rs {
		t, ok := m.tips[r.Chat]
		if !ok || t.lease == 0 || t.lease != r.Lease.UnixMilli() {
			continue
		}
		t.lease = 0
		t.sub.Next = time.UnixMilli(r.Next.UnixMilli())
	}
	return nil
}
