package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pybrarian/pybrarian/quiz"
)

// runCards prints every quiz card generated from the knowledge base (embedded, overlaid with
// BOT_CONTENT_DIR when set) as one JSON object a line, for content writers to review; see
// content/FORMAT.md. Cards the generator had to leave out are `bot lint`'s business, not this one's.
func runCards(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: bot cards")
		return 2
	}
	kb, err := loadContent(getenv("BOT_CONTENT_DIR"))
	if err != nil {
		fmt.Fprintln(stderr, "bot cards:", err)
		return 1
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		fmt.Fprintln(stderr, "bot cards:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, c := range bank.Export() {
		if err := enc.Encode(c); err != nil {
			fmt.Fprintln(stderr, "bot cards:", err)
			return 1
		}
	}
	return 0
}
