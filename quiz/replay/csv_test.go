package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

func TestReadCSV(t *testing.T) {
	// Columns reordered, an extra column, a space separator, a Z offset, a
	// non-UTC offset and an empty duration are all accepted.
	in := "review_time,extra,card_id,review_duration,review_rating\n" +
		"2024-03-29T20:32:32.250000+00:00,x,1711684180217,25060,1\n" +
		"2024-03-30 08:00:00+00:00,y,1711684180217,,3\n" +
		"2024-03-31T09:15:00Z,z,42,900,4\n" +
		"2024-04-01T10:00:00.5+02:00,w,42,1,2\n"
	got, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	want := []Review{
		{CardID: 1711684180217, Rating: fsrs.Again, Time: time.Date(2024, 3, 29, 20, 32, 32, 250_000_000, time.UTC), Duration: 25060 * time.Millisecond},
		{CardID: 1711684180217, Rating: fsrs.Good, Time: time.Date(2024, 3, 30, 8, 0, 0, 0, time.UTC)},
		{CardID: 42, Rating: fsrs.Easy, Time: time.Date(2024, 3, 31, 9, 15, 0, 0, time.UTC), Duration: 900 * time.Millisecond},
		{CardID: 42, Rating: fsrs.Hard, Time: time.Date(2024, 4, 1, 8, 0, 0, 500_000_000, time.UTC), Duration: time.Millisecond},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadCSV mismatch (-want +got):\n%s", diff)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const header = "card_id,review_rating,review_time,review_duration\n"
	const good = "1,3,2024-03-29T20:32:32.250000+00:00,100\n"
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{"empty input", "", []string{"empty review log"}},
		{"missing column", "card_id,review_rating,review_duration\n" + good, []string{"line 1", `missing column "review_time"`}},
		{"missing columns", "card_id,rating,time\n", []string{"line 1", `"review_rating", "review_time", "review_duration"`}},
		{"bad rating", header + good + "1,5,2024-03-29T20:32:32+00:00,100\n", []string{"line 3", `review_rating "5"`}},
		{"non-numeric rating", header + "1,Good,2024-03-29T20:32:32+00:00,100\n", []string{"line 2", `review_rating "Good"`}},
		{"bad time", header + good + good + "1,3,29/03/2024 20:32,100\n", []string{"line 4", `review_time "29/03/2024 20:32"`}},
		{"time without offset", header + "1,3,2024-03-29T20:32:32,100\n", []string{"line 2", "review_time"}},
		{"bad card id", header + "abc,3,2024-03-29T20:32:32+00:00,100\n", []string{"line 2", `card_id "abc"`}},
		{"negative duration", header + "1,3,2024-03-29T20:32:32+00:00,-5\n", []string{"line 2", `review_duration "-5"`}},
		{"short row", header + good + "1,3\n", []string{"line 3", "wrong number of fields"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ReadCSV(%q) = %d reviews, nil error; want an error", tt.in, len(got))
			}
			if got != nil {
				t.Errorf("ReadCSV(%q) returned %d reviews with its error, want none", tt.in, len(got))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ReadCSV(%q) error = %q, want it to contain %q", tt.in, err, w)
				}
			}
		})
	}
}
