package chart

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/font"
)

// sampleBoard has eleven learners (one is not drawn) with names of every length and script.
func sampleBoard(lang string) Board {
	names := []string{"Alice", "Bob", "Chen Wei", "Dmitri", "Maximilian Alexander von Humboldt-Fernández", "Eve", "Farah", "Gus", "Hana", "Ivan", "Jun"}
	title := "Python learners"
	if lang == "zh" {
		names = []string{"小明", "李华", "Alice", "王小二", "Maximilian Alexander von Humboldt-Fernández", "张伟", "Farah", "陈静", "Hana", "刘洋", "Jun"}
		title = "Python 学习小组"
	}
	b := Board{Lang: lang, Title: title}
	for i, n := range names {
		b.Rows = append(b.Rows, BoardRow{Name: n, Points: 240 - 21*i - i*i})
	}
	return b
}

func TestLeaderboardGolden(t *testing.T) {
	checkGoldens(t, []golden{
		{"board-en", false, func(r *Renderer) ([]byte, error) { return r.Leaderboard(sampleBoard("en")) }},
		{"board-zh", true, func(r *Renderer) ([]byte, error) { return r.Leaderboard(sampleBoard("zh")) }},
		{"board-empty-en", false, func(r *Renderer) ([]byte, error) { return r.Leaderboard(Board{Lang: "en"}) }},
	})
}

func TestLeaderboardSays(t *testing.T) {
	r := latinRenderer(t)
	got := strs(record(t, r, r.boardPicture(sampleBoard("en"))))
	says(t, "leaderboard", got, "This week's top learners", "Python learners", "1. Alice", "240 pts", "10. Ivan", "5. Maximilian Alexander v…", "0 pts")
	if slices.Contains(got, "11. Jun") {
		t.Errorf("leaderboard shows an eleventh learner")
	}
	says(t, "empty leaderboard", strs(record(t, r, r.boardPicture(Board{Lang: "en"}))), "This week's top learners", "No points yet this week. Be the first: /quiz")

	zh := cjkRenderer(t)
	says(t, "Chinese leaderboard", strs(record(t, zh, zh.boardPicture(sampleBoard("zh")))), "本周学习排行榜", "Python 学习小组", "1. 小明", "240 分", "3. Alice")
	says(t, "empty Chinese leaderboard", strs(record(t, zh, zh.boardPicture(Board{Lang: "zh"}))), "本周还没有人得分。来当第一名：/quiz")
}

func TestLeaderboardInside(t *testing.T) {
	r := latinRenderer(t)
	long := sampleBoard("en")
	long.Title = strings.Repeat("A very long group name ", 10)
	long.Rows[0].Name = strings.Repeat("W", 80)
	long.Rows[1].Points = 1_000_000
	checkInside(t, r, "long names and points", r.boardPicture(long))
	checkInside(t, r, "no points", r.boardPicture(Board{Lang: "en", Rows: []BoardRow{{Name: "Zed"}, {Name: "Neg", Points: -4}}}))
	checkInside(t, r, "empty", r.boardPicture(Board{Lang: "en"}))
}

// A Chinese name on an English leaderboard is drawn in the CJK font, the rest in Liberation.
func TestLeaderboardNameFallback(t *testing.T) {
	r := cjkRenderer(t)
	b := Board{Lang: "en", Rows: []BoardRow{{Name: "小明", Points: 3}, {Name: "Bob", Points: 2}}}
	want := map[string]font.Typeface{"1. 小明": cjkTypeface, "2. Bob": latinTypeface, "3 pts": latinTypeface, "This week's top learners": latinTypeface}
	for _, s := range record(t, r, r.boardPicture(b)) {
		if tf, ok := want[s.s]; ok && tf != s.typeface {
			t.Errorf("%q drawn in %s, want %s", s.s, s.typeface, tf)
		}
		delete(want, s.s)
	}
	if len(want) > 0 {
		t.Errorf("leaderboard does not say %v", want)
	}
}
