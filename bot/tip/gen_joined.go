//go:build ignore

// gen_joined brings joined.txt, the deck's ledger, up to date with the built-in knowledge base:
// every tip it does not list yet is added, joining the deck two days from today (UTC), so that
// no day already shown anywhere changes. Lines already there are never changed or removed.
// Run it with `go generate ./bot/tip` after adding tips; TestLedgerListsEveryTip says when.
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

func main() {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		log.Fatal(err)
	}
	known := map[string]bool{}
	f, err := os.Open("joined.txt")
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "#") {
			continue
		} else if _, id, ok := strings.Cut(line, " "); ok {
			known[id] = true
		}
	}
	f.Close()
	day := time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)
	var added []string
	for _, e := range kb.Entries() {
		for i, t := range e.Tips {
			if id := e.ID + "/" + strconv.Itoa(i); !t.IsZero() && !known[id] {
				added = append(added, day+" "+id)
			}
		}
	}
	if len(added) == 0 {
		return
	}
	out, err := os.OpenFile("joined.txt", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	for _, l := range added {
		fmt.Fprintln(out, l)
	}
	log.Printf("joined.txt: %d tips join on %s", len(added), day)
}
