package chart

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestCountTicks(t *testing.T) {
	for _, tc := range []struct {
		max  int
		want []float64
	}{
		{0, []float64{0, 1}},
		{1, []float64{0, 1}},
		{3, []float64{0, 1, 2, 3}},
		{7, []float64{0, 2, 4, 6, 8}},
		{17, []float64{0, 5, 10, 15, 20}},
		{20, []float64{0, 5, 10, 15, 20}},
		{21, []float64{0, 10, 20, 30}},
		{150, []float64{0, 50, 100, 150}},
		{1234, []float64{0, 500, 1000, 1500}},
	} {
		ticks, top := countTicks(tc.max)
		var got []float64
		for _, t := range ticks {
			got = append(got, t.Value)
		}
		if !slices.Equal(got, tc.want) || top != tc.want[len(tc.want)-1] {
			t.Errorf("countTicks(%d) = %v, %v; want %v", tc.max, got, top, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	r := cjkRenderer(t)
	for _, tc := range []struct {
		lang, s string
		width   vg.Length
		lines   int
		sep     string // what wrapping took out between lines
	}{
		{"en", "Answer a few questions with /quiz to see your progress here.", 500, 3, " "},
		{"en", "Answer", 10, 1, " "}, // a word longer than the line stays whole
		{"zh", "用 /quiz 答几道题，你的学习进度就会显示在这里。", 360, 3, ""},
		{"zh", "你的学习进度，", 165, 2, ""},
		{"en", "", 100, 0, ""},
	} {
		sty := r.page(tc.lang).style(headSize, false, ink)
		got := wrap(sty, tc.s, tc.width)
		if len(got) != tc.lines || strings.Join(got, tc.sep) != tc.s {
			t.Errorf("wrap(%q, %v) = %q, want %d lines of the same text", tc.s, tc.width, got, tc.lines)
		}
		for _, l := range got {
			if w := sty.Width(l); w > tc.width && len(got) > 1 {
				t.Errorf("wrap(%q, %v): line %q is %v wide", tc.s, tc.width, l, w)
			}
			if strings.HasPrefix(l, "，") || strings.HasPrefix(l, "。") {
				t.Errorf("wrap(%q, %v): line %q starts with punctuation", tc.s, tc.width, l)
			}
		}
	}
}

func TestFit(t *testing.T) {
	sty := latinRenderer(t).page("en").style(labelSize, false, ink)
	for _, tc := range []struct {
		s     string
		width vg.Length
		want  string
	}{
		{"Alice", 200, "Alice"},
		{"Maximilian Alexander", 200, "Maximilian A…"},
		{"Maximilian  Alexander", 180, "Maximilian…"}, // no space before the ellipsis
		{"Maximilian", 5, "…"},
	} {
		got := fit(sty, tc.s, tc.width)
		if got != tc.want {
			t.Errorf("fit(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
		if w := sty.Width(got); got != "…" && w > tc.width {
			t.Errorf("fit(%q, %v) = %q, %v wide", tc.s, tc.width, got, w)
		}
	}
}
