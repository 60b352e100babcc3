package bot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/quiz"
)

// FuzzParseCommand checks the command parser on any text: a name is lowercase and never empty,
// the arguments are trimmed with single spaces, and nothing panics.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/lib pandas", "／quiz 框架 5", "/lib@pybrarian_bot  a\u3000b", "/", "/@x", "hello", " /HELP ", "/\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		name, args, ok := parseCommand(text)
		if !ok {
			return
		}
		if name == "" || name != strings.ToLower(name) {
			t.Errorf("parseCommand(%q) name = %q", text, name)
		}
		if args != strings.Join(strings.Fields(args), " ") {
			t.Errorf("parseCommand(%q) args = %q, not trimmed to single spaces", text, args)
		}
	})
}

// FuzzParseIntent checks the question parser: names and needs it returns come from the message,
// and nothing panics or loops, whatever the text.
func FuzzParseIntent(f *testing.F) {
	for _, s := range []string{"what is flask?", "flask vs django", "flask和django的区别", "a library for plotting", "有什么库可以画图", "the the the the flask library library", "？？？", strings.Repeat("what is ", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4*MaxTextRunes {
			return // the core refuses longer messages before parsing them
		}
		in := parseIntent(text)
		if in.kind == intentNone {
			return
		}
		if in.a == "" || (in.kind == intentCompare && in.b == "") {
			t.Errorf("parseIntent(%q) = %+v, with an empty part", text, in)
		}
		if utf8.RuneCountInString(in.a) > utf8.RuneCountInString(text)+1 {
			t.Errorf("parseIntent(%q) made a longer name %q", text, in.a)
		}
	})
}

// FuzzHandle sends any text through the whole core, lookups and quiz included: every event gets
// at most a few replies, none of them empty and none echoing more than a clip of the input.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"/lib pandas", "what is flask?", "/find scraping", "/quiz frameworks 3", "2", "/lib a b c d e", "/report " + strings.Repeat("x", 100), "pandas是什么"} {
		f.Add(s, false)
	}
	b, _ := newQuizBot(f, nil)
	f.Fuzz(func(t *testing.T, text string, group bool) {
		ev := event("ada", "ada", Private, text)
		if group {
			ev = event("ada", "g", Group, text)
		}
		rs := b.Handle(context.Background(), ev)
		if len(rs) > 4 {
			t.Errorf("%d replies to %q", len(rs), text)
		}
		for _, r := range rs {
			out := r.Text.PlainText()
			if out == "" && len(r.Choices) == 0 {
				t.Errorf("an empty reply to %q", text)
			}
			if n := utf8.RuneCountInString(out); n > 6000 {
				t.Errorf("a %d-rune reply to %d runes of input", n, utf8.RuneCountInString(text))
			}
		}
	})
}

// FuzzSplitChallengeArgs checks /challenge's arguments: whatever is accepted is within a
// challenge's bounds (0 for a default).
func FuzzSplitChallengeArgs(f *testing.F) {
	for _, s := range []string{"", "pandas 5 30", "30s", "5 30 40s", "-1", "9999999999999999999", "框架 3 45秒"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, args string) {
		_, n, secs, err := splitChallengeArgs(args)
		if err != nil {
			return
		}
		if n < 0 || n > quiz.MaxChallengeQuestions || (secs != 0 && (secs < quiz.MinChallengeSeconds || secs > quiz.MaxChallengeSeconds)) {
			t.Errorf("splitChallengeArgs(%q) = %d questions of %d s", args, n, secs)
		}
	})
}
