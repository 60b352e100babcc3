package tip

import (
	"context"
	"errors"
	"time"
)

// Kind is what a subscription delivers.
type Kind string

// Kinds of subscription.
const (
	// KindTip is the daily library tip.
	KindTip Kind = ""
	// KindRemind is a learner's reminder of their due cards (/remind), sent only when some are.
	KindRemind Kind = "remind"
)

// Key is the store key of a chat's subscription of kind k: the chat's key for its tip,
// "remind:" and the chat's key for its reminder.
func Key(k Kind, chat string) string {
	if k == KindTip {
		return chat
	}
	return string(k) + ":" + chat
}

// Subscription is one chat's daily tip, or one learner's daily reminder: where it goes, when,
// and in which language.
type Subscription struct {
	// Chat is the subscription's key, Key(Kind, "platform:chat id"): a chat has at most one
	// subscription of each kind.
	Chat     string
	Kind     Kind
	Platform string
	ChatID   string
	// Group is set for group chats. In a private chat User is the learner, whose due cards the
	// tip mentions; it is "" in a group.
	Group bool
	User  string
	At    TimeOfDay
	// Zone is the IANA zone name At is read in.
	Zone string
	// Lang is the language the tip is written in ("en", "zh"), chosen when subscribing.
	Lang string
	// Next is when the next tip is due. Stores keep it to the millisecond.
	Next time.Time
}

// Claimed is a subscription a scheduler took from the schedule: nobody else gets it until Lease,
// when a scheduler that died with it is assumed gone and the subscription is due again.
type Claimed struct {
	Subscription
	// Lease is when the claim lapses; it also identifies the claim, so that only its holder
	// can put the subscription back (Reschedule).
	Lease time.Time
}

// Resched puts a claimed subscription back on the schedule, due at Next.
type Resched struct {
	Chat  string
	Lease time.Time
	Next  time.Time
}

// ErrNotSubscribed is what Store.Subscription returns for a chat without a subscription.
var ErrNotSubscribed = errors.New("tip: the chat has no subscription")

// Store keeps subscriptions and the schedule of their next deliveries, which several schedulers
// (replicas) claim from at once. Every method is atomic; the embedded and Redis stores implement it.
type Store interface {
	// PutSubscription creates or replaces the chat's subscription, due at s.Next. A claim a
	// scheduler holds on the old one is void: its Reschedule changes nothing.
	PutSubscription(ctx context.Context, s Subscription) error
	// Subscription returns the chat's subscription, or ErrNotSubscribed. While claimed, its
	// Next is the delivery being made.
	Subscription(ctx context.Context, chat string) (Subscription, error)
	// DeleteSubscription ends the chat's subscription, claimed or not; no subscription is not
	// an error.
	DeleteSubscription(ctx context.Context, chat string) error
	// ClaimDue claims up to limit subscriptions due at or before now, and those whose claim
	// lapsed by now, earliest first, each until lease. It returns them with the Next they were
	// due at; none are due, no error.
	ClaimDue(ctx context.Context, now, lease time.Time, limit int) ([]Claimed, error)
	// Reschedule puts claimed subscriptions back on the schedule, each due at its Next, if the
	// claim named by its Lease is still the one on it: a subscription replaced, ended or claimed
	// again since is left as it is.
	Reschedule(ctx context.Context, rs []Resched) error
}
