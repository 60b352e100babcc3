package bot

import (
	"regexp"
	"strings"
)

// intentKind is what a plain-text message asks for.
type intentKind int

const (
	intentNone    intentKind = iota
	intentLookup             // "what is X"
	intentCompare            // "X vs Y"
	intentSearch             // "a library for X"
)

// intent is a parsed plain-text question. For lookups a holds the name; for comparisons a and b; for
// searches a holds the need being searched for.
type intent struct {
	kind intentKind
	a, b string
}

// Patterns are tried in order; the first that matches wins. Comparisons come before lookups so that
// "what is the difference between X and Y" is not read as a lookup of "the difference…".
var intentPatterns = []struct {
	kind intentKind
	re   *regexp.Regexp
}{
	// Comparisons.
	{intentCompare, regexp.MustCompile(`^(?:what(?:'s| is) the )?differences? between (.+?) (?:and|&|vs\.?|versus) (.+)$`)},
	{intentCompare, regexp.MustCompile(`^compare (.+?) (?:and|&|with|to|vs\.?|versus) (.+)$`)},
	{intentCompare, regexp.MustCompile(`^(?:should i (?:use|learn|pick)|which is better,?|which should i (?:use|learn|pick),?) (.+?) or (.+)$`)},
	{intentCompare, regexp.MustCompile(`^(.+?) (?:vs\.?|versus|compared (?:to|with)) (.+)$`)},
	{intentCompare, regexp.MustCompile(`^(.+?)\s*(?:vs\.?|对比|比较)\s*(.+)$`)},
	{intentCompare, regexp.MustCompile(`^(.+?)\s*(?:和|与|跟|还是)\s*(.+?)\s*(?:的区别|有什么区别|有什么不同|有啥区别|区别|哪个好|哪个更好|怎么选|选哪个)(?:是什么|呢|吗)?$`)},
	{intentCompare, regexp.MustCompile(`^(.+?)\s*还是\s*(.+)$`)},

	// Searches by purpose.
	{intentSearch, regexp.MustCompile(`^(?:is there|are there|do you know|recommend|suggest|any|find)? ?(?:an?|any|some|the)? ?(?:good |best |nice |popular )?(?:python )?(?:library|libraries|lib|libs|package|packages|module|modules|tool|tools|framework|frameworks) (?:for|to|that|which|i can use for|i can use to) (.+)$`)},
	{intentSearch, regexp.MustCompile(`^(?:what|which) (?:python )?(?:library|package|module|tool|framework) (?:should|can|do|could) i use (?:for|to) (.+)$`)},
	{intentSearch, regexp.MustCompile(`^how (?:do|can|should) i (.+?)(?: in python| with python)?$`)},
	{intentSearch, regexp.MustCompile(`^(?:有没有|有什么|有哪些|哪个|哪些|用什么|推荐)(?:好用的|常用的)?(?:python)?\s*(?:库|包|框架|工具)?(?:可以|能|能够|用来|适合|用于)?(.+?)(?:的库|的包|的框架|的工具)?(?:吗|呢)?$`)},
	{intentSearch, regexp.MustCompile(`^(.+?)(?:用什么库|用哪个库|用什么包|用什么框架|的库有哪些|有什么库|有哪些库)(?:好|比较好)?(?:吗|呢)?$`)},

	// Lookups.
	{intentLookup, regexp.MustCompile(`^(?:what|wat|whats|what's)(?: is| are|s)? (.+)$`)},
	{intentLookup, regexp.MustCompile(`^(?:tell me about|tell me more about|explain|describe|define|info on|information about|info about|have you heard of|do you know) (.+)$`)},
	{intentLookup, regexp.MustCompile(`^(?:什么是|介绍一下|介绍下|介绍|讲讲|讲一下|说说|解释一下|解释)\s*(.+)$`)},
	{intentLookup, regexp.MustCompile(`^(.+?)\s*(?:是什么|是啥|是干什么的|是干啥的|是做什么的|有什么用|是什么东西|是什么库|是什么框架|是什么意思)(?:呀|啊|呢|吗)?$`)},
}

// articles and generic nouns around a name that are not part of it ("the flask library").
var (
	leadingNoise  = regexp.MustCompile(`^(?:the|a|an|python(?:'s)?|这个|那个|python的)\s*`)
	trailingNoise = regexp.MustCompile(`\s*(?:library|lib|package|module|framework|project|in python|for python|python library|python package|这个库|库|框架|模块|包)$`)
)

// parseIntent reads a plain-text message. Matching ignores case, surrounding punctuation (ASCII and
// full-width) and runs of spaces.
func parseIntent(text string) intent {
	s := cleanQuestion(text)
	if s == "" {
		return intent{}
	}
	for _, p := range intentPatterns {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		in := intent{kind: p.kind, a: m[1]}
		if p.kind != intentSearch {
			in.a = cleanName(in.a)
		}
		if len(m) > 2 {
			in.b = cleanName(m[2])
		}
		if in.a == "" || (p.kind == intentCompare && in.b == "") {
			continue
		}
		return in
	}
	return intent{}
}

// cleanQuestion lowercases, folds full-width punctuation and spaces, collapses whitespace and trims
// trailing question marks and the like.
func cleanQuestion(text string) string {
	var b strings.Builder
	for _, r := range text {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E && r != '？' && r != '！':
			r -= 0xFEE0
		case r == '’':
			r = '\''
		}
		b.WriteRune(r)
	}
	s := strings.ToLower(strings.Join(strings.Fields(b.String()), " "))
	return strings.TrimRight(strings.TrimLeft(s, " ,.，。"), " ?!.~,;:？！。～，；：…")
}

// cleanName strips articles, quotes and generic nouns from a name ("the “flask” library" → "flask").
// A few rounds of stripping cover any real name; more would only be work for hostile input.
func cleanName(s string) string {
	s = strings.Trim(s, " \"'`“”‘’「」《》?？!！.。,，")
	for range 4 {
		t := trailingNoise.ReplaceAllString(leadingNoise.ReplaceAllString(s, ""), "")
		t = strings.Trim(t, " \"'`“”‘’「」《》")
		if t == s {
			return s
		}
		s = t
	}
	return s
}
