package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

const evaluateUsage = "usage: bot evaluate [-optimize [-json]] FILE.csv   (columns card_id,review_rating,review_time,review_duration)"

// runEvaluate replays a review log through the scheduler and prints how well it predicts recall,
// next to an SM-2 and a constant baseline; with -optimize it fits FSRS-6 weights to the log instead
// and compares them with the defaults.
func runEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	optimize := fs.Bool("optimize", false, "fit FSRS-6 weights to the log and compare them with the defaults: in-sample, on held-out cards and on the last fifth in time")
	asJSON := fs.Bool("json", false, "with -optimize: print the comparison as one JSON object on the last line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, evaluateUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 || (*asJSON && !*optimize) {
		fmt.Fprintln(stderr, evaluateUsage)
		return 2
	}
	f, err := os.Open(fs.Arg(0))
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
	if *optimize {
		return runOptimize(ctx, reviews, *asJSON, stdout, stderr)
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
