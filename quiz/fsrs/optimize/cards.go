package optimize

import (
	"fmt"
	"slices"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// maxReviewsPerCard is py-fsrs's max_seq_len: only the first 64 reviews of
// each card are replayed.
const maxReviewsPerCard = 64

// step is one review as the replay needs it.
type step struct {
	rating fsrs.Rating
	// days is the number of whole 24-hour periods since the card's
	// previous review, or −1 for its first review. A review is scored
	// when days ≥ 1.
	days int32
}

func (s step) scored() bool { return s.days >= 1 }

// label is the observed outcome: 1 when recalled (any rating but Again).
func (s step) label() float64 {
	if s.rating == fsrs.Again {
		return 0
	}
	return 1
}

// history is one card's replay: its first 64 reviews in time order.
type history struct {
	id    int64
	steps []step
}

// histories groups reviews by card, in increasing card id (py-fsrs's
// order before shuffling); each card's reviews are sorted by time (ties keep
// their input order) and cut to the first 64. It also returns the number of
// scored reviews. An invalid rating is an error.
func histories(reviews []Review) ([]history, int, error) {
	byCard := map[int64][]Review{}
	for _, rv := range reviews {
		if !rv.Rating.Valid() {
			return nil, 0, fmt.Errorf("optimize: card %d has invalid rating %d at %v", rv.CardID, int8(rv.Rating), rv.Time)
		}
		byCard[rv.CardID] = append(byCard[rv.CardID], rv)
	}
	ids := make([]int64, 0, len(byCard))
	for id := range byCard {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	// One backing array for every card's steps keeps the replay's memory
	// access sequential.
	all := make([]step, 0, min(len(reviews), len(ids)*maxReviewsPerCard))
	hs := make([]history, 0, len(ids))
	scored := 0
	for _, id := range ids {
		rs := byCard[id]
		slices.SortStableFunc(rs, func(a, b Review) int { return a.Time.Compare(b.Time) })
		rs = rs[:min(len(rs), maxReviewsPerCard)]
		start := len(all)
		for j, rv := range rs {
			s := step{rating: rv.Rating, days: -1}
			if j > 0 {
				s.days = int32(min(fsrs.ElapsedDays(rs[j-1].Time, rv.Time), 1<<30))
				if s.scored() {
					scored++
				}
			}
			all = append(all, s)
		}
		hs = append(hs, history{id: id, steps: all[start:len(all):len(all)]})
	}
	return hs, scored, nil
}
