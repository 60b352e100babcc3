package replay

import (
	"hash/fnv"
	"slices"
	"strconv"
	"time"
)

// HeldOutCard reports whether a card belongs to the held-out fifth of a log
// used to judge fitted weights on cards they were not fitted to: those
// whose decimal id hashes (FNV-1a, 32 bits) to 0 modulo 5. Hashing rather
// than taking ids in order keeps the held-out cards from all being the
// newest or the oldest, since Anki ids are creation times.
func HeldOutCard(cardID int64) bool {
	h := fnv.New32a()
	h.Write(strconv.AppendInt(nil, cardID, 10))
	return h.Sum32()%5 == 0
}

// TimeCut returns the moment that splits a log into its first 80% and last
// 20% in time, to judge weights fitted on the past against the future: with
// all N reviews ordered by time, the time of review ⌊0.8·N⌋ (counting from
// 0). Reviews before it are the past; reviews at or after it, the future.
// It returns the zero time for an empty log.
func TimeCut(reviews []Review) time.Time {
	if len(reviews) == 0 {
		return time.Time{}
	}
	times := make([]time.Time, len(reviews))
	for i, rv := range reviews {
		times[i] = rv.Time
	}
	slices.SortFunc(times, time.Time.Compare)
	return times[len(times)*8/10]
}
