package replay

import (
	"strings"
	"testing"
)

// FuzzReadCSV parses arbitrary review logs: either an error, or reviews with a valid rating and a
// time, and never a panic.
func FuzzReadCSV(f *testing.F) {
	f.Add("card_id,review_rating,review_time,review_duration\n1,3,2024-03-29T20:32:32.250000+00:00,4000\n")
	f.Add("review_duration,card_id,review_time,review_rating\n,7,2024-03-29T20:32:32+00:00,1\n")
	f.Add("card_id,review_rating\n")
	f.Add("card_id,review_rating,review_time,review_duration\n\"1,3,x,\n")
	f.Fuzz(func(t *testing.T, log string) {
		reviews, err := ReadCSV(strings.NewReader(log))
		if err != nil {
			return
		}
		for i, r := range reviews {
			if !r.Rating.Valid() || r.Time.IsZero() || r.Duration < 0 {
				t.Fatalf("review %d = %+v: accepted but invalid", i, r)
			}
		}
	})
}
