package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/bot/tip"
)

// tipTests is the part of the suite for tip.Store.
var tipTests = []struct {
	name string
	fn   func(t *testing.T, open Factory)
}{
	{"TipSubscriptions", testTipSubscriptions},
	{"TipClaimDue", testTipClaimDue},
	{"TipLapsedClaims", testTipLapsed},
	{"TipClaimVoided", testTipClaimVoided},
	{"TipConcurrentClaims", testTipConcurrentClaims},
	{"TipRestart", testTipRestart},
}

// tt0 is the tip tests' clock.
var tt0 = time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)

func sub(chat string, next time.Time) tip.Subscription {
	return tip.Subscription{Chat: "test:" + chat, Platform: "test", ChatID: chat, User: "test:u" + chat,
		At: 9 * 60, Zone: "America/New_York", Lang: "zh", Next: next}
}

func mustPut(t *testing.T, s tip.Store, subs ...tip.Subscription) {
	t.Helper()
	for _, x := range subs {
		if err := s.PutSubscription(ctx, x); err != nil {
			t.Fatalf("PutSubscription(%s): %v", x.Chat, err)
		}
	}
}

func mustClaim(t *testing.T, s tip.Store, now, lease time.Time, limit int) []tip.Claimed {
	t.Helper()
	cs, err := s.ClaimDue(ctx, now, lease, limit)
	if err != nil {
		t.Fatalf("ClaimDue(%v, limit %d): %v", now, limit, err)
	}
	return cs
}

func chats(cs []tip.Claimed) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Chat)
	}
	return out
}

func mustResched(t *testing.T, s tip.Store, rs ...tip.Resched) {
	t.Helper()
	if err := s.Reschedule(ctx, rs); err != nil {
		t.Fatalf("Reschedule: %v", err)
	}
}

func testTipSubscriptions(t *testing.T, open Factory) {
	s := open(t)
	if _, err := s.Subscription(ctx, "test:1"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Fatalf("Subscription of a chat never subscribed: err = %v, want ErrNotSubscribed", err)
	}
	want := sub("1", tt0.Add(1500*time.Millisecond))
	want.Group, want.User = true, ""
	mustPut(t, s, want)
	got, err := s.Subscription(ctx, "test:1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("Subscription after Put (-want +got):\n%s", diff)
	}
	changed := sub("1", tt0.Add(time.Hour))
	changed.At, changed.Zone, changed.Lang = 20*60+5, "Asia/Shanghai", "en"
	mustPut(t, s, changed)
	if got, _ := s.Subscription(ctx, "test:1"); got.At != changed.At || got.Zone != "Asia/Shanghai" || !got.Next.Equal(changed.Next) {
		t.Errorf("Subscription after a second Put = %+v, want %+v", got, changed)
	}
	// The same chat's reminder is a subscription of its own.
	remind := sub("1", tt0.Add(2*time.Hour))
	remind.Chat, remind.Kind = tip.Key(tip.KindRemind, "test:1"), tip.KindRemind
	mustPut(t, s, remind)
	if got, err := s.Subscription(ctx, "remind:test:1"); err != nil || !got.Next.Equal(remind.Next) || got.Kind != tip.KindRemind || got.Chat != "remind:test:1" {
		t.Errorf("the chat's reminder = %+v, %v; want %+v", got, err, remind)
	}
	if err := s.DeleteSubscription(ctx, "test:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscription(ctx, "test:1"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Errorf("Subscription after Delete: err = %v, want ErrNotSubscribed", err)
	}
	if _, err := s.Subscription(ctx, "remind:test:1"); err != nil {
		t.Errorf("deleting the chat's tip took its reminder: %v", err)
	}
	if err := s.DeleteSubscription(ctx, "remind:test:1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSubscription(ctx, "test:1"); err != nil {
		t.Errorf("deleting a subscription twice: %v", err)
	}
	if cs := mustClaim(t, s, tt0.Add(48*time.Hour), tt0.Add(49*time.Hour), 10); len(cs) != 0 {
		t.Errorf("ClaimDue after Delete = %v, want nothing", chats(cs))
	}
}

func testTipClaimDue(t *testing.T, open Factory) {
	s := open(t)
	mustPut(t, s, sub("late", tt0.Add(time.Minute)), sub("b", tt0), sub("a", tt0.Add(-time.Minute)), sub("c", tt0))
	lease := tt0.Add(30 * time.Hour) // beyond every time below
	got := mustClaim(t, s, tt0, lease, 2)
	if diff := cmp.Diff([]string{"test:a", "test:b"}, chats(got)); diff != "" {
		t.Fatalf("first ClaimDue, limit 2 (-want +got):\n%s", diff)
	}
	if !got[0].Next.Equal(tt0.Add(-time.Minute)) || !got[0].Lease.Equal(lease) || got[0].Zone != "America/New_York" || got[0].Lang != "zh" || got[0].User != "test:ua" {
		t.Errorf("claimed %+v, want it due at %v, leased until %v, with its settings", got[0], tt0.Add(-time.Minute), lease)
	}
	if got := mustClaim(t, s, tt0, lease, 10); !slices.Equal(chats(got), []string{"test:c"}) {
		t.Errorf("second ClaimDue = %v, want only test:c (the rest are claimed or not due)", chats(got))
	}
	if got := mustClaim(t, s, tt0.Add(time.Second), lease, 10); len(got) != 0 {
		t.Errorf("ClaimDue with everything due claimed = %v, want nothing", chats(got))
	}
	if sub, _ := s.Subscription(ctx, "test:a"); !sub.Next.Equal(tt0.Add(-time.Minute)) {
		t.Errorf("a claimed subscription's Next = %v, want the delivery being made, %v", sub.Next, tt0.Add(-time.Minute))
	}
	next := tt0.Add(24 * time.Hour)
	mustResched(t, s, tip.Resched{Chat: "test:a", Lease: lease, Next: next}, tip.Resched{Chat: "test:b", Lease: lease.Add(time.Millisecond), Next: next})
	if sub, _ := s.Subscription(ctx, "test:a"); !sub.Next.Equal(next) {
		t.Errorf("after Reschedule, Next = %v, want %v", sub.Next, next)
	}
	if got := mustClaim(t, s, next.Add(-time.Millisecond), lease, 10); !slices.Equal(chats(got), []string{"test:late"}) {
		t.Errorf("ClaimDue just before the rescheduled time = %v, want only test:late", chats(got))
	}
	if got := mustClaim(t, s, next, lease, 10); !slices.Equal(chats(got), []string{"test:a"}) {
		t.Errorf("ClaimDue at the rescheduled time = %v, want test:a (test:b's claim, still held, was not its own to reschedule)", chats(got))
	}
}

func testTipLapsed(t *testing.T, open Factory) {
	s := open(t)
	mustPut(t, s, sub("a", tt0))
	lease := tt0.Add(2 * time.Minute)
	mustClaim(t, s, tt0, lease, 10)
	if got := mustClaim(t, s, lease.Add(-time.Millisecond), lease.Add(time.Minute), 10); len(got) != 0 {
		t.Fatalf("ClaimDue before the lease lapsed = %v, want nothing", chats(got))
	}
	lease2 := lease.Add(2 * time.Minute)
	got := mustClaim(t, s, lease, lease2, 10)
	if len(got) != 1 || got[0].Chat != "test:a" || !got[0].Next.Equal(tt0) || !got[0].Lease.Equal(lease2) {
		t.Fatalf("ClaimDue once the lease lapsed = %+v, want test:a due at %v under the new lease", got, tt0)
	}
	// The scheduler that lost its claim comes back: its Reschedule changes nothing.
	mustResched(t, s, tip.Resched{Chat: "test:a", Lease: lease, Next: tt0.Add(24 * time.Hour)})
	if sub, _ := s.Subscription(ctx, "test:a"); !sub.Next.Equal(tt0) {
		t.Errorf("Reschedule by a lapsed claim moved Next to %v, want %v kept", sub.Next, tt0)
	}
	mustResched(t, s, tip.Resched{Chat: "test:a", Lease: lease2, Next: tt0.Add(24 * time.Hour)})
	if sub, _ := s.Subscription(ctx, "test:a"); !sub.Next.Equal(tt0.Add(24 * time.Hour)) {
		t.Errorf("Reschedule by the claim's holder: Next = %v, want %v", sub.Next, tt0.Add(24*time.Hour))
	}
}

func testTipClaimVoided(t *testing.T, open Factory) {
	s := open(t)
	mustPut(t, s, sub("a", tt0), sub("b", tt0))
	lease := tt0.Add(2 * time.Minute)
	mustClaim(t, s, tt0, lease, 10)
	// While claimed, a is changed and b ended.
	changed := sub("a", tt0.Add(time.Hour))
	changed.At = 10 * 60
	mustPut(t, s, changed)
	if err := s.DeleteSubscription(ctx, "test:b"); err != nil {
		t.Fatal(err)
	}
	later := tt0.Add(24 * time.Hour)
	mustResched(t, s, tip.Resched{Chat: "test:a", Lease: lease, Next: later}, tip.Resched{Chat: "test:b", Lease: lease, Next: later})
	if got, _ := s.Subscription(ctx, "test:a"); !got.Next.Equal(changed.Next) || got.At != 10*60 {
		t.Errorf("a subscription replaced while claimed = %+v, want the replacement kept, due at %v", got, changed.Next)
	}
	if _, err := s.Subscription(ctx, "test:b"); !errors.Is(err, tip.ErrNotSubscribed) {
		t.Errorf("a subscription ended while claimed came back: err = %v", err)
	}
	if got := mustClaim(t, s, later, later.Add(time.Minute), 10); !slices.Equal(chats(got), []string{"test:a"}) {
		t.Errorf("ClaimDue later = %v, want test:a alone, at its new time", chats(got))
	}
}

func testTipConcurrentClaims(t *testing.T, open Factory) {
	s := open(t)
	const n, workers = 200, 8
	for i := range n {
		mustPut(t, s, sub(fmt.Sprint(i), tt0.Add(-time.Duration(i)*time.Second)))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				cs, err := s.ClaimDue(ctx, tt0, tt0.Add(time.Minute), 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cs {
					seen[c.Chat]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d workers claimed %d subscriptions, want all %d", workers, len(seen), n)
	}
	for chat, k := range seen {
		if k != 1 {
			t.Errorf("%s claimed %d times, want once", chat, k)
		}
	}
}

func testTipRestart(t *testing.T, open Factory) {
	h := open(t)
	mustPut(t, h, sub("a", tt0), sub("b", tt0.Add(time.Hour)))
	lease := tt0.Add(2 * time.Minute)
	mustClaim(t, h, tt0, lease, 10)
	s := h.Restart()
	if got, err := s.Subscription(ctx, "test:b"); err != nil || !got.Next.Equal(tt0.Add(time.Hour)) {
		t.Errorf("after a restart, Subscription(test:b) = %+v, %v; want it due at %v", got, err, tt0.Add(time.Hour))
	}
	if got := mustClaim(t, s, tt0, lease, 10); len(got) != 0 {
		t.Errorf("after a restart, a claim still held was claimed again: %v", chats(got))
	}
	if got := mustClaim(t, s, lease, lease.Add(time.Minute), 10); !slices.Equal(chats(got), []string{"test:a"}) {
		t.Errorf("after a restart, the lapsed claim = %v, want test:a", chats(got))
	}
}
