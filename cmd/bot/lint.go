package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pybrarian/pybrarian/content"
)

// runLint checks the embedded knowledge base, or DIR laid over it, and prints each problem as
// file:line: problem. It exits 1 when there is any problem, so it can gate CI and editors.
func runLint(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: bot lint [DIR]")
		return 2
	}
	sources := []content.Source{content.Embedded()}
	if len(args) == 1 {
		if _, err := os.Stat(args[0]); err != nil {
			fmt.Fprintln(stderr, "bot lint:", err)
			return 2
		}
		sources = append(sources, content.Dir(args[0]))
	}
	problems := content.Lint(sources...)
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "%d problem(s)\n", len(problems))
		return 1
	}
	fmt.Fprintln(stderr, "content OK")
	return 0
}
