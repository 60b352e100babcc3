package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// runReports lists the newest card reports learners filed with /report, for operators, from the
// store the bot is configured with (Redis or the embedded one).
func runReports(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	limit := 50
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: bot reports [N]")
		return 2
	}
	if len(args) == 1 {
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 {
			fmt.Fprintln(stderr, "bot reports: N must be a positive number")
			return 2
		}
		limit = n
	}
	cfg := DefaultConfig()
	cfg.fromEnv(getenv)
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "bot reports:", err)
		return 2
	}
	st, err := openStore(ctx, cfg, newLogger(stderr, cfg.LogLevel, cfg.LogFormat, isTerminal(stderr)))
	if err != nil {
		fmt.Fprintln(stderr, "bot reports:", err)
		return 1
	}
	defer st.Close()
	reports, err := st.ListReports(ctx, limit)
	if err != nil {
		fmt.Fprintln(stderr, "bot reports:", err)
		return 1
	}
	if len(reports) == 0 {
		fmt.Fprintln(stderr, "no reports")
		return 0
	}
	for _, r := range reports {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.UTC().Format("2006-01-02 15:04"), r.Entry, r.Card, r.Lang, r.Platform, r.Text)
	}
	return 0
}
