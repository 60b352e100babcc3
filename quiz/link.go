package quiz

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// One learner may use the bot as several identities ("telegram:42", "discord:7", "console:ada"):
// /link joins them. The learner's progress is kept under one of them, the learner key, whose
// record lists the others in Progress.Links; each other identity's record is a tombstone whose
// Progress.Moved names the learner key. Every replica caches identity → learner key and checks
// each record it reads (or starts from) against the identity it acts for (belongs), so a replica
// that missed a link or an unlink notices on its next read or conflicting write and follows the
// record: the mapping costs no round trip on the way to an answer.

// MaxLinks bounds how many other identities one learner may link.
const MaxLinks = 8

// maxHops bounds how many records resolving an identity may follow: a learner merged into one
// that was merged on, and so on. Links are kept flat, so two hops are the most a consistent store
// needs; more mean the records contradict each other.
const maxHops = 4

// Errors of linking.
var (
	// ErrSameLearner means the two identities are already one learner.
	ErrSameLearner = errors.New("quiz: already linked")
	// ErrNotLinked means the identity has no other identity to unlink from.
	ErrNotLinked = errors.New("quiz: not linked")
	// ErrTooManyLinks means joining would link more than MaxLinks identities to one learner.
	ErrTooManyLinks = errors.New("quiz: too many linked identities")
)

// movedError says the record read does not hold the identity's progress; to is where to look.
type movedError struct{ to string }

func (e *movedError) Error() string { return "quiz: progress moved to " + e.to }

// belongs reports whether the progress p, read under key, is the identity's; if not, it returns
// the key to read next: where the record moved, or the identity's own once it is no longer linked.
func belongs(identity, key string, p Progress) (string, bool) {
	switch {
	case p.Moved != "":
		return p.Moved, false
	case key == identity || slices.Contains(p.Links, identity):
		return "", true
	default:
		return identity, false
	}
}

// linkCache maps identities to the learner key their progress is under, for identities whose
// key is not their own. A stale entry is harmless (see belongs); it only costs a read.
type linkCache struct {
	mu  sync.Mutex
	max int
	m   map[string]string
}

func newLinkCache(max int) *linkCache { return &linkCache{max: max, m: map[string]string{}} }

// get returns the identity's learner key as last seen: the identity itself unless linked.
func (c *linkCache) get(identity string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.m[identity]; ok {
		return k
	}
	return identity
}

func (c *linkCache) set(identity, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == identity {
		delete(c.m, identity)
		return
	}
	if _, ok := c.m[identity]; !ok && len(c.m) >= c.max {
		for k := range c.m { // map order: an effectively random victim
			delete(c.m, k)
			break
		}
	}
	c.m[identity] = key
}

func (c *linkCache) drop(identity string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, identity)
}

// snapshot is everything stored about one learner: what linking reads from both sides and
// writes back merged, and what unlinking copies.
type snapshot struct {
	Version  uint64
	Progress Progress
	Cards    map[string][]byte // card id -> PackState output
	History  []byte            // PackReview entries, oldest first
	Params   []byte
}

// snapshot reads everything stored under key. The version is read first: a commit between the
// reads makes the history newer than the version says, which the replacement's version check
// then refuses.
func (e *Engine) read(ctx context.Context, key string, now time.Time) (snapshot, error) {
	rec, p, err := e.loadKey(ctx, key, true, now)
	if err != nil {
		return snapshot{}, err
	}
	h, err := e.store.History(ctx, key)
	if err != nil {
		return snapshot{}, err
	}
	return snapshot{Version: rec.Version, Progress: p, Cards: rec.Cards, History: h, Params: rec.Params}, nil
}

// Linked returns the identities that share the learner's progress, the identity itself first;
// just the identity when it is linked to none.
func (e *Engine) Linked(ctx context.Context, identity string, now time.Time) ([]string, error) {
	key, _, p, err := e.load(ctx, identity, false, now)
	if err != nil {
		return nil, err
	}
	out := []string{identity}
	for _, id := range append([]string{key}, p.Links...) {
		if id != identity {
			out = append(out, id)
		}
	}
	return out, nil
}

// Link joins the learner the identity from belongs to into the learner into belongs to: one
// learner from then on, under into's learner key. Progress merges without losing a review: per
// card the state reviewed last wins, histories merge in time order, counters and streaks are
// counted again from the merged history (never below what either side had), and leaderboard
// points stay with the chats and identities that earned them. loc is the zone the merged streak
// days are counted in.
//
// The merged record is written before from's record becomes a tombstone pointing at it, each a
// compare-and-set; if from's record changed in between (an answer on another replica), the
// merge runs again: merging is idempotent, so nothing is counted twice.
func (e *Engine) Link(ctx context.Context, into, from string, loc *time.Location, now time.Time) error {
	for attempt := 0; ; attempt++ {
		err := e.linkOnce(ctx, into, from, loc, now)
		if !errors.Is(err, ErrConflict) || attempt == 4 {
			if errors.Is(err, ErrConflict) {
				e.busy.Add(1)
				return ErrBusy
			}
			return err
		}
	}
}

func (e *Engine) linkOnce(ctx context.Context, into, from string, loc *time.Location, now time.Time) error {
	a, _, pa, err := e.load(ctx, into, false, now)
	if err != nil {
		return err
	}
	b, _, pb, err := e.load(ctx, from, false, now)
	if err != nil {
		return err
	}
	if a == b {
		return ErrSameLearner
	}
	links := mergeLinks(pa.Links, append([]string{b}, pb.Links...))
	if len(links) > MaxLinks {
		return ErrTooManyLinks
	}
	sa, err := e.read(ctx, a, now)
	if err != nil {
		return err
	}
	sb, err := e.read(ctx, b, now)
	if err != nil {
		return err
	}
	if _, mine := belongs(into, a, sa.Progress); !mine {
		return ErrConflict // moved since it was resolved: resolve again
	}
	if _, mine := belongs(from, b, sb.Progress); !mine {
		return ErrConflict
	}
	merged := mergeSnapshots(sa, sb, loc)
	merged.Progress.Links = mergeLinks(sa.Progress.Links, append([]string{b}, sb.Progress.Links...))
	_, err = e.replace(ctx, a, sa.Version, merged)
	e.cache.drop(a)
	if err != nil {
		return err
	}
	// A conflict here means b changed after it was read: the next attempt merges it again into
	// a's new record.
	tomb := snapshot{Progress: Progress{Moved: a, WriteID: newWriteID()}}
	_, err = e.replace(ctx, b, sb.Version, tomb)
	e.cache.drop(b)
	if err != nil {
		return err
	}
	// b's own links were tombstones pointing at b: point them at a, so they resolve in one hop.
	// Should this stop half-way they still resolve, through b.
	for _, id := range sb.Progress.Links {
		if err := e.retarget(ctx, id, a, now); err != nil {
			return err
		}
	}
	for _, id := range merged.Progress.Links {
		e.links.set(id, a)
	}
	return nil
}

// replace writes s over the record under key if its version is still expect.
func (e *Engine) replace(ctx context.Context, key string, expect uint64, s snapshot) (uint64, error) {
	rec := Record{Progress: EncodeProgress(s.Progress), Cards: s.Cards, Params: s.Params}
	return e.store.Replace(ctx, key, expect, rec, s.History)
}

// retarget rewrites the tombstone of id to point at key.
func (e *Engine) retarget(ctx context.Context, id, key string, now time.Time) error {
	for range 3 {
		rec, p, err := e.loadKey(ctx, id, false, now)
		if err != nil {
			return err
		}
		if p.Moved == "" || p.Moved == key {
			return nil
		}
		_, err = e.replace(ctx, id, rec.Version, snapshot{Progress: Progress{Moved: key, WriteID: newWriteID()}})
		e.cache.drop(id)
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return ErrBusy
}

// Unlink separates the identity from the learner it was linked to: each side keeps a copy of the
// progress they shared. An identity whose progress the learner key holds (the one the others
// were linked into) hands the shared progress to the first of the others, and keeps a copy.
func (e *Engine) Unlink(ctx context.Context, identity string, now time.Time) error {
	key, _, p, err := e.load(ctx, identity, false, now)
	if err != nil {
		return err
	}
	if len(p.Links) == 0 {
		return ErrNotLinked
	}
	s, err := e.read(ctx, key, now)
	if err != nil {
		return err
	}
	if _, mine := belongs(identity, key, s.Progress); !mine {
		return ErrBusy
	}
	copyOf := func(links []string) snapshot {
		c := s
		c.Progress = s.Progress.clone()
		c.Progress.Links = links
		c.Progress.WriteID = newWriteID()
		return c
	}
	rest := slices.DeleteFunc(slices.Clone(s.Progress.Links), func(id string) bool { return id == identity })
	if identity != key {
		// The identity gets a copy of its own; the learner key's record lists it no more.
		if err := e.replaceTombstone(ctx, identity, key, copyOf(nil), now); err != nil {
			return err
		}
		_, err := e.replace(ctx, key, s.Version, copyOf(rest))
		e.cache.drop(key)
		e.links.drop(identity)
		return err
	}
	// The learner key itself leaves: the first other identity becomes the learner key of the rest.
	heir, others := rest[0], rest[1:]
	if err := e.replaceTombstone(ctx, heir, key, copyOf(others), now); err != nil {
		return err
	}
	for _, id := range others {
		if err := e.retarget(ctx, id, heir, now); err != nil {
			return err
		}
		e.links.set(id, heir)
	}
	e.links.drop(heir)
	_, err = e.replace(ctx, key, s.Version, copyOf(nil))
	e.cache.drop(key)
	return err
}

// replaceTombstone writes s over id's record, which must still be a tombstone pointing at key.
func (e *Engine) replaceTombstone(ctx context.Context, id, key string, s snapshot, now time.Time) error {
	rec, p, err := e.loadKey(ctx, id, false, now)
	if err != nil {
		return err
	}
	if p.Moved != key {
		return ErrBusy
	}
	_, err = e.replace(ctx, id, rec.Version, s)
	e.cache.drop(id)
	return err
}

// mergeLinks is the union of two lists of identities, in order, without repeats.
func mergeLinks(a, b []string) []string {
	out := slices.Clone(a)
	for _, id := range b {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// mergeSnapshots merges b's progress into a's; a's round, weights and leaderboard list win where
// both have one. It is idempotent: merging a learner with a copy of itself changes nothing that
// counts.
func mergeSnapshots(a, b snapshot, loc *time.Location) snapshot {
	out := snapshot{Version: a.Version, Cards: map[string][]byte{}, Params: a.Params}
	if out.Params == nil {
		out.Params = b.Params
	}
	// Cards: the state reviewed last wins; on a tie, the one reviewed more often.
	for id, st := range a.Cards {
		out.Cards[id] = st
	}
	for id, st := range b.Cards {
		cur, ok := out.Cards[id]
		if !ok || laterState(st, cur) {
			out.Cards[id] = st
		}
	}

	// History: every review once, in time order.
	reviews := mergeHistories(a.History, b.History)
	out.History = TrimHistory(reviews)

	pa, pb := a.Progress, b.Progress
	p := Progress{Boards: mergeLinks(pa.Boards, pb.Boards), Challenges: mergeLinks(pa.Challenges, pb.Challenges)}
	p.Round = pa.Round
	if p.Round == nil {
		p.Round = pb.Round
	}
	// Counters: counted from the merged history, plus what each side counted before the reviews
	// its history still holds (a history keeps the newest MaxHistory). When the histories share
	// reviews, the two sides are copies of one learner (linked again after an unlink), and what
	// they counted before is counted once.
	all := UnpackHistory(reviews)
	answered, correct := len(all), 0
	for _, r := range all {
		if r.Rating != fsrs.Again {
			correct++
		}
	}
	ea, ca := extra(pa, a.History)
	eb, cb := extra(pb, b.History)
	if len(a.History)+len(b.History) > len(reviews) {
		answered += max(ea, eb)
		correct += max(ca, cb)
	} else {
		answered += ea + eb
		correct += ca + cb
	}
	p.Answered, p.Correct = max(answered, pa.Answered, pb.Answered), max(correct, pa.Correct, pb.Correct)

	// Streaks follow the merged days.
	days := map[int]bool{}
	for _, r := range all {
		days[Day(r.Time, loc)] = true
	}
	p.LastDay = max(pa.LastDay, pb.LastDay)
	best, run, last := 0, 0, 0
	for _, d := range slices.Sorted(maps.Keys(days)) {
		if run > 0 && d == last+1 {
			run++
		} else {
			run = 1
		}
		last = d
		best = max(best, run)
	}
	p.BestStreak = max(best, pa.BestStreak, pb.BestStreak)
	p.Streak = 0
	if last == p.LastDay {
		p.Streak = run
	}
	for _, side := range []Progress{pa, pb} {
		if side.LastDay == p.LastDay {
			p.Streak = max(p.Streak, side.Streak)
		}
	}
	p.LastCard = pa.LastCard
	if pb.LastDay > pa.LastDay || pa.LastCard == "" {
		p.LastCard = pb.LastCard
	}
	p.WriteID = newWriteID()
	out.Progress = p
	return out
}

// extra returns how many answers (and right answers) p counted beyond those its history holds.
func extra(p Progress, history []byte) (answered, correct int) {
	rs := UnpackHistory(history)
	right := 0
	for _, r := range rs {
		if r.Rating != fsrs.Again {
			right++
		}
	}
	return max(p.Answered-len(rs), 0), max(p.Correct-right, 0)
}

// laterState reports whether packed state x was reviewed after y (or as late, more often).
func laterState(x, y []byte) bool {
	sx, errX := UnpackState(x)
	sy, errY := UnpackState(y)
	switch {
	case errX != nil:
		return false
	case errY != nil:
		return true
	case !sx.LastReview.Equal(sy.LastReview):
		return sx.LastReview.After(sy.LastReview)
	default:
		return sx.Reps > sy.Reps
	}
}

// mergeHistories merges two histories (PackReview entries, oldest first) into one in time order,
// each review once: a review both hold (byte for byte) is kept once.
func mergeHistories(a, b []byte) []byte {
	type entry struct {
		at  uint32
		raw []byte
	}
	var all []entry
	// A review both sides hold (copies of one learner, linked again) is kept once; a review one
	// side holds twice (the same card answered twice within a second) is two reviews.
	var inA map[string]int
	for _, h := range [][]byte{a, b} {
		counted := map[string]int{}
		for ; len(h) >= ReviewLen; h = h[ReviewLen:] {
			raw := h[:ReviewLen]
			if counted[string(raw)]++; counted[string(raw)] <= inA[string(raw)] {
				continue
			}
			at := uint32(raw[IDLen])<<24 | uint32(raw[IDLen+1])<<16 | uint32(raw[IDLen+2])<<8 | uint32(raw[IDLen+3])
			all = append(all, entry{at, raw})
		}
		inA = counted
	}
	slices.SortStableFunc(all, func(x, y entry) int { return cmp.Compare(x.at, y.at) })
	var out bytes.Buffer
	for _, e := range all {
		out.Write(e.raw)
	}
	return out.Bytes()
}
