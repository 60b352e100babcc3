package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostile are messages an attacker of a public bot would send, each at most MaxTextRunes long.
func hostile(n int) map[string]string {
	return map[string]string{
		"lib-letters":  "/lib " + strings.Repeat("q", n-5),
		"question":     "what is " + strings.Repeat("the ", (n-8)/4),
		"find":         "/find " + strings.Repeat("plot data ", (n-6)/10),
		"compare":      strings.Repeat("a", n/2-3) + " vs " + strings.Repeat("b", n/2-3),
		"chinese":      strings.Repeat("画", n-3) + "是什么",
		"quiz-topic":   "/quiz " + strings.Repeat("frameworks ", (n-6)/11),
		"typed-answer": strings.Repeat("2", n),
	}
}

// TestHostileMessagesAreCheap sends each hostile message of the largest size the core reads, and
// /lib with a thousand names: every one is answered, and in well under 50 ms. The timing is a
// guard with a wide margin (the benchmarks below measure it); before the bound, the first took
// seconds.
func TestHostileMessagesAreCheap(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	msgs := hostile(MaxTextRunes)
	msgs["lib-1000-names"] = "/lib " + strings.TrimSpace(strings.Repeat("np ", 1000))
	for name, text := range msgs {
		start := time.Now()
		rs := b.Handle(t.Context(), event("ada", "ada", Private, text))
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("%s: took %v", name, d)
		}
		if len(rs) == 0 {
			t.Errorf("%s: no reply", name)
		}
		for _, r := range rs {
			if n := len([]rune(r.Text.PlainText())); n > 3000 {
				t.Errorf("%s: a %d-rune reply echoes the input", name, n)
			}
		}
	}
}

// BenchmarkHostileMessage measures each hostile message at 4,096 runes through the whole core.
func BenchmarkHostileMessage(b *testing.B) {
	bt, _ := newQuizBot(b, nil)
	for name, text := range hostile(MaxTextRunes) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bt.Handle(b.Context(), event("ada", "ada", Private, text))
			}
		})
	}
}

// BenchmarkLibNames measures /lib with 1 to 1,000 names: a lookup of the whole text, then of the
// first two names at most.
func BenchmarkLibNames(b *testing.B) {
	bt, _ := newQuizBot(b, nil)
	for _, n := range []int{1, 2, 10, 100, 1000} {
		text := "/lib " + strings.TrimSpace(strings.Repeat("np ", n))
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bt.Handle(b.Context(), event("ada", "ada", Private, text))
			}
		})
	}
}

// BenchmarkMessageLength measures a /lib of one unknown word from 16 runes to past the cap.
func BenchmarkMessageLength(b *testing.B) {
	bt, _ := newQuizBot(b, nil)
	for _, n := range []int{16, 256, 1024, 4096, 65536} {
		text := "/lib " + strings.Repeat("q", n-5)
		b.Run(fmt.Sprintf("runes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bt.Handle(b.Context(), event("ada", "ada", Private, text))
			}
		})
	}
}
