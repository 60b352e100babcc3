package replay

import (
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Expected values computed independently with a few lines of Python
// implementing FNV-1a (32-bit) over the decimal id.
func TestHeldOutCard(t *testing.T) {
	tests := []struct {
		id   int64
		want bool
	}{
		{0, false}, {1, false}, {5, false}, {6, true}, {8, true}, {12, true}, {-4, true}, {-3, false},
		{1711684180217, false}, {1711686162078, true}, {1711687347990, true},
	}
	for _, tt := range tests {
		if got := HeldOutCard(tt.id); got != tt.want {
			t.Errorf("HeldOutCard(%d) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestTimeCut(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	log := func(hours ...int) []Review {
		var rs []Review
		for _, h := range hours {
			rs = append(rs, Review{CardID: 1, Rating: fsrs.Good, Time: at(h)})
		}
		return rs
	}
	tests := []struct {
		name    string
		reviews []Review
		want    time.Time
	}{
		{"empty", nil, time.Time{}},
		{"one", log(3), at(3)},
		{"five: index 4", log(0, 1, 2, 3, 4), at(4)},
		{"ten: index 8", log(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), at(8)},
		{"twelve: index 9", log(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), at(9)},
	}
	for _, tt := range tests {
		if got := TimeCut(tt.reviews); !got.Equal(tt.want) {
			t.Errorf("%s: TimeCut = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The held-out splits of `bot evaluate --optimize` on the shared log, with
// the default weights.
func TestSplitsReferenceLog(t *testing.T) {
	reviews := readReference(t)
	cards := map[int64]bool{}
	for _, rv := range reviews {
		if HeldOutCard(rv.CardID) {
			cards[rv.CardID] = true
		}
	}
	heldOut := ScoreFSRS(reviews, fsrs.DefaultParameters(), func(rv Review) bool { return HeldOutCard(rv.CardID) })
	if len(cards) != 231 || heldOut.Scored != 1055 || !near(heldOut.LogLoss, 0.445677, 5e-7) {
		t.Errorf("held-out cards: %d cards, %d scored, log loss %.7f; want 231 of 1,205 cards, 1,055 scored, 0.445677", len(cards), heldOut.Scored, heldOut.LogLoss)
	}

	cut := TimeCut(reviews)
	if want := time.Date(2024, 9, 25, 16, 39, 39, 570_000_000, time.UTC); !cut.Equal(want) {
		t.Errorf("TimeCut = %v, want %v (review 10,064 of 12,580 in time order)", cut, want)
	}
	later := ScoreFSRS(reviews, fsrs.DefaultParameters(), func(rv Review) bool { return !rv.Time.Before(cut) })
	if later.Scored != 1337 || !near(later.LogLoss, 0.451457, 5e-7) {
		t.Errorf("held-out time: %d scored, log loss %.7f; want 1,337 scored, 0.451457", later.Scored, later.LogLoss)
	}
}
