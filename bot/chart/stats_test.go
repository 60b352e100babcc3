package chart

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// today is a Wednesday, late in the evening east of UTC: only its calendar date may matter.
var today = time.Date(2026, time.March, 18, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))

// sampleStats is a learner a few months in, with topic names in lang.
func sampleStats(lang string) Stats {
	s := Stats{Lang: lang, Today: today}
	for i := range dueDays {
		s.Due = append(s.Due, (i*13+5)%9*(i%4+1)/2)
	}
	s.Due[0] = 17
	for d := range 100 {
		if d%6 == 4 || d > 70 && d%2 == 0 {
			continue
		}
		s.Reviews = append(s.Reviews, DayCount{Day: today.AddDate(0, 0, -d), Count: (d*7)%23 + 1})
	}
	names := map[string][]string{
		"en": {"Everyday essentials", "Web frameworks and concepts", "Data and visualisation", "Packaging and developer tools", "Testing and code quality"},
		"zh": {"常用库", "Web 框架与概念", "数据与可视化", "打包与开发工具", "测试与代码质量"},
	}[lang]
	s.Topics = []Topic{
		{Name: names[0], Answered: 40, Correct: 31, Retention: 0.86},
		{Name: names[1], Answered: 12, Correct: 7, Retention: 0.64},
		{Name: names[2], Answered: 5, Correct: 5, Retention: math.NaN()},
		{Name: names[3], Answered: 1, Correct: 0, Retention: 0.35},
		{Name: names[4], Retention: math.NaN()}, // nothing to show: left out
	}
	return s
}

// manyTopics is every topic of the knowledge base, answered.
func manyTopics(s Stats) Stats {
	for i := range 13 {
		s.Topics = append(s.Topics, Topic{Name: fmt.Sprintf("Topic number %d with a rather long name", i), Answered: i + 1, Correct: i, Retention: 0.5})
	}
	return s
}

func TestStatsGolden(t *testing.T) {
	checkGoldens(t, []golden{
		{"stats-en", false, func(r *Renderer) ([]byte, error) { return r.Stats(sampleStats("en")) }},
		{"stats-zh", true, func(r *Renderer) ([]byte, error) { return r.Stats(sampleStats("zh")) }},
		{"empty-en", false, func(r *Renderer) ([]byte, error) { return r.Stats(Stats{Lang: "en", Today: today}) }},
		{"empty-zh", true, func(r *Renderer) ([]byte, error) { return r.Stats(Stats{Lang: "zh", Today: today}) }},
	})
}

func TestStatsInside(t *testing.T) {
	r := latinRenderer(t)
	checkInside(t, r, "stats", r.statsPicture(sampleStats("en")))
	checkInside(t, r, "stats with every topic", r.statsPicture(manyTopics(sampleStats("en"))))
	checkInside(t, r, "empty stats", r.statsPicture(Stats{Lang: "en", Today: today}))
	busy := sampleStats("en")
	busy.Due[0] = 12345
	busy.Reviews = append(busy.Reviews, DayCount{Day: today, Count: 4321})
	checkInside(t, r, "busy stats", r.statsPicture(busy))
}

func TestStatsSays(t *testing.T) {
	r := latinRenderer(t)
	s := sampleStats("en")
	got := strs(record(t, r, r.statsPicture(s)))
	due := 0
	for _, n := range s.Due {
		due += n
	}
	reviews := 0 // the sample's last 12 weeks run from Monday 29 December to Wednesday 18 March: 80 days
	for _, d := range s.Reviews {
		if today.Sub(d.Day) < 80*24*time.Hour {
			reviews += d.Count
		}
	}
	says(t, "stats picture", got,
		"Your progress", fmt.Sprintf("Due in the next 30 days: %d", due), "Today", "Mar 25", "Apr 15",
		fmt.Sprintf("Reviews in the last 12 weeks: %d", reviews), "Mon", "Sun", "Jan", "Feb", "Mar", "per day", "0",
		"By topic", "Accuracy", "Predicted recall",
		"Everyday essentials", "40 answers", "78%", "86%",
		"Web frameworks and concepts", "12 answers", "58%", "64%",
		"Data and visualisation", "100%", "not enough reviews yet",
		"Packaging and developer tools", "1 answer", "0%", "35%",
		"25%", "50%",
	)
	if slices.Contains(got, "Testing and code quality") {
		t.Errorf("stats picture shows a topic with nothing to show")
	}
}

func TestStatsTopicsCapped(t *testing.T) {
	r := latinRenderer(t)
	got := strs(record(t, r, r.statsPicture(manyTopics(sampleStats("en")))))
	says(t, "stats picture with 17 topics", got, fmt.Sprintf("and %d more topics", 4+13-MaxTopics))
}

func TestStatsChinese(t *testing.T) {
	r := cjkRenderer(t)
	texts := record(t, r, r.statsPicture(sampleStats("zh")))
	says(t, "Chinese stats picture", strs(texts), "你的学习进度", "未来 30 天到期：157 张", "今天", "3月25日",
		"最近 12 周复习：761 次", "周一", "周日", "1月", "每天", "各主题", "正确率", "预计记忆保持率",
		"常用库", "已答 40 题", "78%", "复习次数还太少")
	for _, s := range texts {
		if s.typeface != cjkTypeface {
			t.Errorf("Chinese stats picture draws %q in %s, want the CJK font", s.s, s.typeface)
		}
	}
	en, err := r.Stats(sampleStats("en"))
	if err != nil {
		t.Fatal(err)
	}
	zh, err := r.Stats(sampleStats("zh"))
	if err != nil {
		t.Fatal(err)
	}
	if comparePNG(t, en, zh) == "" {
		t.Errorf("Chinese and English stats pictures look alike")
	}
}

func TestStatsEmpty(t *testing.T) {
	for _, tc := range []struct {
		lang, says string
		cjk        bool
	}{
		{"en", "Answer a few questions with /quiz to see your progress here.", false},
		{"zh", "用 /quiz 答几道题，你的学习进度就会显示在这里。", true},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := latinRenderer(t)
			if tc.cjk {
				r = cjkRenderer(t)
			}
			// Nothing at all, and nothing that counts: reviews long ago, a topic with neither.
			for _, s := range []Stats{
				{Lang: tc.lang, Today: today},
				{Lang: tc.lang, Today: today, Due: make([]int, 30), Reviews: []DayCount{{Day: today.AddDate(-1, 0, 0), Count: 3}, {Day: today, Count: 0}}, Topics: []Topic{{Name: "x", Retention: math.NaN()}}},
			} {
				p := r.statsPicture(s)
				got := strs(record(t, r, p))
				sep := " "
				if tc.cjk {
					sep = ""
				}
				if !strings.Contains(strings.Join(got, sep), tc.says) {
					t.Errorf("empty stats picture says %q, want %q", got, tc.says)
				}
				for _, axis := range []string{"0", "Today", "今天", "Mon", "周一", "0%"} {
					if slices.Contains(got, axis) {
						t.Errorf("empty stats picture draws axis label %q: %q", axis, got)
					}
				}
				if p.height > 500 {
					t.Errorf("empty stats picture is %v px tall", p.height)
				}
			}
		})
	}
}

// A learner with something to show gets the charts, even if part of it is empty.
func TestStatsPartlyEmpty(t *testing.T) {
	r := latinRenderer(t)
	for _, tc := range []struct {
		name string
		s    Stats
		says []string
	}{
		{"reviews only", Stats{Lang: "en", Today: today, Reviews: []DayCount{{Day: today, Count: 2}}},
			[]string{"Due in the next 30 days: 0", "Nothing is due in the next 30 days.", "Reviews in the last 12 weeks: 2"}},
		{"due only", Stats{Lang: "en", Today: today, Due: []int{0, 0, 4}},
			[]string{"Due in the next 30 days: 4", "Reviews in the last 12 weeks: 0"}},
		{"topics only", Stats{Lang: "en", Today: today, Topics: []Topic{{Name: "Web", Answered: 2, Correct: 1, Retention: math.NaN()}}},
			[]string{"Web", "50%"}},
	} {
		got := strs(record(t, r, r.statsPicture(tc.s)))
		says(t, tc.name, got, tc.says...)
		if slices.Contains(got, dictionary[english].empty) {
			t.Errorf("%s: picture shows the empty state", tc.name)
		}
	}
}

func TestStatsNeedsDate(t *testing.T) {
	if _, err := latinRenderer(t).Stats(Stats{Lang: "en"}); err == nil {
		t.Errorf("Stats without a date: no error")
	}
}

// Without a CJK font, the Chinese progress picture is the English one.
func TestStatsWithoutCJKFont(t *testing.T) {
	r := latinRenderer(t)
	en := sampleStats("en")
	zh := en
	zh.Lang = "zh"
	a, err := r.Stats(en)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Stats(zh)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("without a CJK font, the Chinese stats picture differs from the English one")
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestNewHeat(t *testing.T) {
	east := time.FixedZone("CST", 8*3600)
	west := time.FixedZone("PDT", -7*3600)
	for _, tc := range []struct {
		name      string
		today     time.Time
		reviews   []DayCount
		wantFirst time.Time // Monday of the first column
		wantToday int
		wantTotal int
		wantCells map[int]int
	}{
		{
			name: "Monday", today: date(2026, time.March, 16),
			wantFirst: date(2025, time.December, 29), wantToday: 77,
		},
		{
			name: "Sunday", today: date(2026, time.March, 22),
			wantFirst: date(2025, time.December, 29), wantToday: 83,
		},
		{
			name: "Wednesday, days added up, outside the window left out", today: date(2026, time.March, 18),
			reviews: []DayCount{
				{date(2026, time.March, 18), 2}, {date(2026, time.March, 18), 3}, // today, twice
				{date(2026, time.March, 19), 9},    // tomorrow
				{date(2025, time.December, 28), 9}, // the day before the first Monday
				{date(2025, time.December, 29), 4}, // the first Monday
				{date(2026, time.January, 1), -5},  // nonsense
			},
			wantFirst: date(2025, time.December, 29), wantToday: 79, wantTotal: 9,
			wantCells: map[int]int{79: 5, 0: 4},
		},
		{
			// Only the calendar dates count: late evening in the east and early morning in the west are
			// the same day as UTC noon.
			name: "locations", today: time.Date(2026, time.March, 18, 23, 59, 0, 0, east),
			reviews: []DayCount{
				{time.Date(2026, time.March, 18, 0, 1, 0, 0, west), 1},
				{time.Date(2026, time.March, 17, 23, 59, 0, 0, east), 1},
			},
			wantFirst: date(2025, time.December, 29), wantToday: 79, wantTotal: 2,
			wantCells: map[int]int{79: 1, 78: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHeat(tc.today, tc.reviews)
			if y, m, d := h.first.Date(); date(y, m, d) != tc.wantFirst {
				t.Errorf("first Monday = %v, want %v", h.first, tc.wantFirst)
			}
			if h.today != tc.wantToday || h.total != tc.wantTotal {
				t.Errorf("today, total = %d, %d, want %d, %d", h.today, h.total, tc.wantToday, tc.wantTotal)
			}
			for i, c := range h.counts {
				if c != tc.wantCells[i] {
					t.Errorf("cell %d = %d, want %d", i, c, tc.wantCells[i])
				}
			}
		})
	}
}

func TestHeatLevels(t *testing.T) {
	for _, tc := range []struct {
		highest int
		levels  map[int]int // count -> level
	}{
		{1, map[int]int{0: 0, 1: 1}},
		{2, map[int]int{1: 1, 2: 3}},
		{4, map[int]int{1: 1, 2: 2, 3: 3, 4: 4}},
		{20, map[int]int{1: 1, 5: 1, 6: 2, 10: 2, 11: 3, 16: 4, 20: 4}},
		{23, map[int]int{6: 1, 7: 2, 12: 2, 13: 3, 18: 3, 19: 4}},
	} {
		h := newHeat(today, []DayCount{{today, tc.highest}})
		for c, want := range tc.levels {
			if got := h.level(c); got != want {
				t.Errorf("highest %d: level(%d) = %d, want %d", tc.highest, c, got, want)
			}
		}
	}
}

func TestNewMonth(t *testing.T) {
	h := newHeat(date(2026, time.March, 18), nil) // columns start on Monday 29 December 2025
	var got []string
	for col := range weeks {
		if m, ok := h.newMonth(col); ok {
			got = append(got, m.String())
		} else {
			got = append(got, "")
		}
	}
	// 1 January 2026 is a Thursday, 1 February and 1 March are Sundays.
	want := []string{"January", "", "", "", "February", "", "", "", "March", "", "", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("month labels (-want +got):\n%s", diff)
	}
}

func TestPickTopics(t *testing.T) {
	nan := math.NaN()
	var many []Topic
	for i := range MaxTopics + 3 {
		many = append(many, Topic{Name: string(rune('a' + i)), Answered: (i * 5) % 7, Retention: nan})
	}
	// Answered: a0 b5 c3 d1 e6 f4 g2 h0 i5; a and h have nothing to show.
	for _, tc := range []struct {
		name       string
		in         []Topic
		want       string
		wantHidden int
	}{
		{"none", nil, "", 0},
		{"nothing to show", []Topic{{Name: "a", Retention: nan}}, "", 0},
		{"retention only", []Topic{{Name: "a", Retention: 0.5}, {Name: "b", Answered: 1, Retention: nan}}, "ab", 0},
		{"most answered, in order", many, "bcefgi", 1},
	} {
		got, hidden := pickTopics(tc.in)
		var names strings.Builder
		for _, t := range got {
			names.WriteString(t.Name)
		}
		if names.String() != tc.want || hidden != tc.wantHidden {
			t.Errorf("%s: pickTopics = %q, %d hidden; want %q, %d", tc.name, names.String(), hidden, tc.want, tc.wantHidden)
		}
	}
}

// One Renderer serves concurrent requests and draws the same bytes for the same input.
func TestConcurrent(t *testing.T) {
	r := latinRenderer(t)
	want, err := r.Stats(sampleStats("en"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Go(func() {
			var got []byte
			var err error
			if i%2 == 0 {
				got, err = r.Stats(sampleStats("en"))
			} else {
				_, err = r.Leaderboard(sampleBoard("en"))
				got = want
			}
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("goroutine %d drew different bytes", i)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
