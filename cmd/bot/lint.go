package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/audit"
)

// runLint checks the embedded knowledge base, or DIR laid over it, and prints each problem as
// file:line: problem; then it checks the quiz bank generated from it against the card rules
// (quiz/audit) and prints how often each is broken. It exits 1 when there is any problem or broken
// rule, so it can gate CI and editors. Warnings (cards left out on purpose) do not fail it.
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
	kb, err := content.Load(sources...)
	var problems content.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		fmt.Fprintf(stderr, "%d problem(s)\n", len(problems))
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "bot lint:", err)
		return 1
	}
	// The content is valid; now check that its facts make sound quiz cards.
	bank, cardProblems, err := quiz.NewBank(kb)
	n := 0
	for _, p := range cardProblems {
		fmt.Fprintln(stdout, p)
		if !p.Warning {
			n++
		}
	}
	if err != nil {
		fmt.Fprintln(stdout, err)
		n++
	} else {
		// The bank's rules (content/FORMAT.md, "Content quality"): one line each on stderr, and
		// every offence on stdout.
		rules := audit.Check(kb, bank.Export(), bank)
		audit.Write(stderr, rules, false)
		for _, r := range rules {
			if r.Count > 0 {
				for _, x := range r.Examples {
					fmt.Fprintf(stdout, "rule %d: %s\n", r.N, x)
				}
				if more := r.Count - len(r.Examples); more > 0 {
					fmt.Fprintf(stdout, "rule %d: … and %d more\n", r.N, more)
				}
				n += r.Count
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(stderr, "%d quiz problem(s)\n", n)
		return 1
	}
	fmt.Fprintln(stderr, "content OK")
	return 0
}
