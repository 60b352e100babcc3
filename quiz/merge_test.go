package quiz

import (
	"bytes"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// TestMergeKeepsRepeatsWithinASide: a learner who answers one card twice within a second (a
// missed card asked again at once) made two reviews; linking must not fold them into one, while
// a review both sides hold (linked again after an unlink) is counted once.
func TestMergeKeepsRepeatsWithinASide(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	r := PackReview(Review{Card: "abcdef", Time: at, Rating: fsrs.Again})
	s := PackReview(Review{Card: "ghijkl", Time: at.Add(time.Second), Rating: fsrs.Good})
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tt := range []struct {
		name string
		a, b []byte
		want int
	}{
		{"repeat on one side", cat(r, r), cat(s), 3},
		{"shared review", cat(r, s), cat(r), 2},
		{"repeat on both sides", cat(r, r), cat(r, r, s), 3},
	} {
		if got := len(mergeHistories(tt.a, tt.b)) / ReviewLen; got != tt.want {
			t.Errorf("%s: merged %d reviews, want %d", tt.name, got, tt.want)
		}
	}
}
