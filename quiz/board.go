package quiz

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Points is what a right answer earns on a chat's leaderboard: the card's difficulty after the
// review, rounded, from 1 to 10, so hard cards are worth more.
func Points(s CardState) int { return max(1, int(math.Round(s.Difficulty))) }

// Week is the ISO week leaderboards count in ("2026-W48", UTC).
func Week(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func boardKey(b Board) string { return b.Chat + "|" + b.Week }

func parseBoard(s string) Board {
	i := strings.LastIndexByte(s, '|')
	if i < 0 {
		return Board{Chat: s}
	}
	return Board{Chat: s[:i], Week: s[i+1:]}
}

// addBoard remembers a leaderboard the learner has points on (for /forget), keeping only recent
// weeks: boards expire from the store after a few weeks anyway.
func addBoard(boards []string, b Board, now time.Time) []string {
	k := boardKey(b)
	if slices.Contains(boards, k) {
		return boards
	}
	boards = append(boards, k)
	if len(boards) > 16 {
		boards = boards[len(boards)-16:]
	}
	return boards
}
