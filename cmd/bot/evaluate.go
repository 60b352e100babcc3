package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

// runEvaluate replays a review log through the scheduler and prints how well it predicts recall,
// next to an SM-2 and a constant baseline.
func runEvaluate(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: bot evaluate FILE.csv   (columns card_id,review_rating,review_time,review_duration)")
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "bot evaluate:", err)
		return 1
	}
	defer f.Close()
	reviews, err := replay.ReadCSV(f)
	if err != nil {
		fmt.Fprintln(stderr, "bot evaluate:", err)
		return 1
	}
	start := time.Now()
	report := replay.Evaluate(reviews, fsrs.DefaultParameters())
	elapsed := time.Since(start)
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "bot evaluate:", err)
		return 1
	}
	fmt.Fprintf(stderr, "replayed %d reviews in %v (%.0f reviews/s)\n", report.Reviews, elapsed.Round(time.Millisecond), float64(report.Reviews)/elapsed.Seconds())
	return 0
}
