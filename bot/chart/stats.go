package chart

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Stats is what the progress picture shows. All dates are the learner's local calendar dates: only
// their year, month and day are used, never their clock time or location.
type Stats struct {
	// Lang is "zh" (or any "zh-…") for Chinese, anything else for English.
	Lang string
	// Today is the learner's local date: the first day of Due and the last day of the heatmap.
	Today time.Time
	// Due holds the number of cards due on each of the next 30 days; Due[0] is today and includes
	// overdue cards. Missing days count as zero; days after the thirtieth are ignored.
	Due []int
	// Reviews counts reviews per local day, in any order; several entries for one day add up. Only the
	// twelve weeks ending with Today (Monday to Sunday, like a calendar) are drawn.
	Reviews []DayCount
	// Topics are drawn in the order given. Topics with no answers and no retention estimate are left
	// out; beyond MaxTopics, the most answered are kept and a note says how many were left out.
	// Topic names are drawn as given: pass them in the language Renderer.Lang reports.
	Topics []Topic
}

// DayCount is a number of reviews on one local day.
type DayCount struct {
	Day   time.Time
	Count int
}

// Topic is a learner's progress in one topic.
type Topic struct {
	Name     string
	Answered int // answers given in the topic
	Correct  int // of which correct
	// Retention is the predicted probability of recalling the topic's cards now, 0 to 1; NaN when
	// unknown (too few reviews).
	Retention float64
}

// MaxTopics is how many topics the progress picture shows at most, so that it stays short enough for
// a phone screen.
const MaxTopics = 6

// Stats draws the learner's progress: cards due in the next 30 days, reviews in the last twelve weeks
// as a calendar heatmap, and accuracy with predicted recall per topic. When there is nothing to show
// yet, the picture says how to start instead. It fails only when s.Today is zero.
func (r *Renderer) Stats(s Stats) ([]byte, error) {
	if s.Today.IsZero() {
		return nil, errors.New("chart: stats without a date")
	}
	return r.encode(r.statsPicture(s))
}

const (
	dueDays = 30
	weeks   = 12
)

func (r *Renderer) statsPicture(s Stats) picture {
	p := r.page(s.Lang)
	var due [dueDays]int
	dueTotal := 0
	for i := range min(len(s.Due), dueDays) {
		due[i] = max(s.Due[i], 0)
		dueTotal += due[i]
	}
	h := newHeat(s.Today, s.Reviews)
	topics, hidden := pickTopics(s.Topics)
	if dueTotal == 0 && h.total == 0 && len(topics) == 0 {
		return p.message(p.w.statsTitle, p.w.empty, p.w.emptyHint)
	}

	blocks := []block{p.title(p.w.statsTitle), p.heading(fmt.Sprintf(p.w.dueTitle, dueTotal))}
	if dueTotal == 0 {
		blocks = append(blocks, p.note(p.w.dueNone, 0))
	} else {
		blocks = append(blocks, p.dueChart(s.Today, due))
	}
	blocks = append(blocks, space(44), p.heading(fmt.Sprintf(p.w.reviewsTitle, h.total)), p.heatmap(h))
	if len(topics) > 0 {
		blocks = append(blocks, space(44), p.heading(p.w.topicsTitle), p.topicLegend(), p.topicChart(topics))
		if hidden > 0 {
			blocks = append(blocks, space(12), p.note(count(p.w.more, hidden), 0))
		}
	}
	return stack(blocks...)
}

// dueChart draws one bar a day, today's (which includes overdue cards) in a colour of its own.
func (p *page) dueChart(today time.Time, due [dueDays]int) block {
	return block{h: 330, draw: func(area draw.Canvas) {
		pl := p.plot()
		vals := make([]float64, dueDays)
		highest := 0
		for i, n := range due {
			vals[i] = float64(n)
			highest = max(highest, n)
		}
		grid := plotter.NewGrid()
		grid.Vertical.Color = nil
		grid.Horizontal = draw.LineStyle{Color: rule, Width: 1}
		pl.Add(grid, columns{vals: vals, width: 0.72, color: func(i int) color.Color {
			if i == 0 {
				return vermilion
			}
			return blue
		}})
		ticks, top := countTicks(highest)
		pl.Y.Tick.Marker = ticks
		pl.Y.Min, pl.Y.Max = 0, top
		var xt plot.ConstantTicks
		for i := range dueDays {
			t := plot.Tick{Value: float64(i)}
			switch {
			case i == 0:
				t.Label = p.w.today
			case i%7 == 0:
				t.Label = p.lang.day(today.AddDate(0, 0, i))
			}
			xt = append(xt, t)
		}
		pl.X.Tick.Marker = xt
		pl.X.Min, pl.X.Max = -0.6, dueDays-0.4
		pl.Y.LineStyle.Width = 0
		pl.Draw(draw.Crop(area, margin, -margin-smallSize, 0, 0))
	}}
}

// columns is a vertical bar chart with one bar per whole x value from 0.
type columns struct {
	vals  []float64
	width float64 // of a bar, in x units
	color func(i int) color.Color
}

func (b columns) Plot(c draw.Canvas, pl *plot.Plot) {
	x, y := pl.Transforms(&c)
	for i, v := range b.vals {
		if v > 0 {
			at := float64(i)
			c.FillPolygon(b.color(i), rect(x(at-b.width/2), y(0), x(at+b.width/2), y(v)))
		}
	}
}

// heat is the review calendar: twelve columns of weeks, Monday to Sunday, the last holding today.
type heat struct {
	first  time.Time // the Monday of the first column
	today  int       // cell of today; later cells are not drawn
	counts [weeks * 7]int
	total  int
	edges  [5]int // a count c > 0 has level k when edges[k-1] < c <= edges[k]
}

// day returns a date's day number, counting calendar days whatever the location and clock time.
func day(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func newHeat(today time.Time, reviews []DayCount) *heat {
	y, m, d := today.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	weekday := (int(t.Weekday()) + 6) % 7 // Monday is 0
	h := &heat{first: t.AddDate(0, 0, -weekday-7*(weeks-1)), today: 7*(weeks-1) + weekday}
	start := day(h.first)
	for _, r := range reviews {
		if i := day(r.Day) - start; i >= 0 && i <= int64(h.today) && r.Count > 0 {
			h.counts[i] += r.Count
			h.total += r.Count
		}
	}
	highest := slices.Max(h.counts[:])
	for k := 1; k <= 4; k++ {
		h.edges[k] = (k*highest + 3) / 4
	}
	return h
}

func (h *heat) level(c int) int {
	for k := 1; k <= 4; k++ {
		if c <= h.edges[k] && c > 0 {
			return k
		}
	}
	return 0
}

// heatColors are viridis, reversed so that more reviews are darker, after an empty grey.
var heatColors = [5]color.RGBA{
	{0xeb, 0xed, 0xf0, 0xff},
	{0xb5, 0xde, 0x2b, 0xff},
	{0x35, 0xb7, 0x79, 0xff},
	{0x31, 0x68, 0x8e, 0xff},
	{0x44, 0x01, 0x54, 0xff},
}

// heatmap draws the review calendar with month names above, weekday names to the left and a legend
// of counts to the right.
func (p *page) heatmap(h *heat) block {
	const pitch, gap, monthRow = 62, 6, 44
	label := p.style(smallSize, false, ink)
	return block{h: monthRow + 7*pitch, draw: func(area draw.Canvas) {
		labelW := vg.Length(0)
		for _, w := range p.w.weekdays {
			labelW = max(labelW, label.Width(w))
		}
		left := area.Min.X + margin + labelW + 14
		top := area.Max.Y - monthRow
		for row, w := range p.w.weekdays {
			sty := label
			sty.XAlign, sty.YAlign = text.XRight, text.YCenter
			area.FillText(sty, vg.Point{X: left - 14, Y: top - pitch*vg.Length(row) - pitch/2}, w)
		}
		for col := range weeks {
			monday := h.first.AddDate(0, 0, 7*col)
			if m, ok := h.newMonth(col); ok {
				area.FillText(label, vg.Point{X: left + pitch*vg.Length(col), Y: area.Max.Y}, p.lang.month(m))
			} else if col == 0 {
				if _, next := h.newMonth(1); !next {
					area.FillText(label, vg.Point{X: left, Y: area.Max.Y}, p.lang.month(monday.Month()))
				}
			}
		}
		cell := func(i int) (x0, y0, x1, y1 vg.Length) {
			col, row := i/7, i%7
			x0 = left + pitch*vg.Length(col)
			y1 = top - pitch*vg.Length(row)
			return x0, y1 - pitch + gap, x0 + pitch - gap, y1
		}
		for i := 0; i <= h.today; i++ {
			x0, y0, x1, y1 := cell(i)
			area.FillPolygon(heatColors[h.level(h.counts[i])], rect(x0, y0, x1, y1))
		}
		x0, y0, x1, y1 := cell(h.today)
		area.StrokeLines(draw.LineStyle{Color: ink, Width: 3}, append(rect(x0, y0, x1, y1), vg.Point{X: x0, Y: y0}))

		// The legend: the heading, then one swatch per level in use, with the counts it stands for.
		x := left + pitch*weeks + 30
		area.FillText(p.style(smallSize, false, muted), vg.Point{X: x, Y: top}, p.w.perDay)
		y := top - label.Height(p.w.perDay) - 16
		const swatch = 34
		for k := 0; k <= 4; k++ {
			lo, hi := h.edges[max(k-1, 0)]+1, h.edges[k]
			if k > 0 && lo > hi {
				continue
			}
			s := strconv.Itoa(hi)
			switch {
			case k == 0:
				s = "0"
			case lo < hi:
				s = strconv.Itoa(lo) + "–" + s
			}
			area.FillPolygon(heatColors[k], rect(x, y-swatch, x+swatch, y))
			sty := label
			sty.YAlign = text.YCenter
			area.FillText(sty, vg.Point{X: x + swatch + 12, Y: y - swatch/2}, s)
			y -= swatch + 14
		}
	}}
}

// newMonth reports whether column col holds the first day of a month, and which.
func (h *heat) newMonth(col int) (time.Month, bool) {
	for d := range 7 {
		if t := h.first.AddDate(0, 0, 7*col+d); t.Day() == 1 {
			return t.Month(), true
		}
	}
	return 0, false
}

// pickTopics keeps the topics with something to show, at most MaxTopics of them (the most answered),
// in their original order, and says how many it dropped for lack of room.
func pickTopics(all []Topic) ([]Topic, int) {
	var ts []Topic
	for _, t := range all {
		if t.Answered > 0 || !math.IsNaN(t.Retention) {
			ts = append(ts, t)
		}
	}
	if len(ts) <= MaxTopics {
		return ts, 0
	}
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ts[b].Answered, ts[a].Answered) })
	idx = idx[:MaxTopics]
	slices.Sort(idx)
	kept := make([]Topic, len(idx))
	for i, j := range idx {
		kept[i] = ts[j]
	}
	return kept, len(ts) - MaxTopics
}

// topicLegend names the two bars of each topic.
func (p *page) topicLegend() block {
	sty := p.style(labelSize, false, ink)
	sty.YAlign = text.YCenter
	const swatch = 28
	return block{h: 56, draw: func(area draw.Canvas) {
		x, y := area.Min.X+margin, area.Max.Y-swatch/2
		for _, e := range []struct {
			c color.Color
			s string
		}{{blue, p.w.accuracy}, {orange, p.w.recall}} {
			area.FillPolygon(e.c, rect(x, y-swatch/2, x+swatch, y+swatch/2))
			area.FillText(sty, vg.Point{X: x + swatch + 12, Y: y}, e.s)
			x += swatch + 12 + sty.Width(e.s) + 40
		}
	}}
}

// topicRowHeight is the height of one topic: its name, then its two bars.
const topicRowHeight = 128

// topicChart draws, per topic, its name and answer count, then accuracy and predicted recall as
// bars on a shared percent axis.
func (p *page) topicChart(ts []Topic) block {
	const gutter = 96 // right of 100%, room for a value label
	return block{h: topicRowHeight*vg.Length(len(ts)) + 48, draw: func(area draw.Canvas) {
		pl := p.plot()
		grid := plotter.NewGrid()
		grid.Horizontal.Color = nil
		grid.Vertical = draw.LineStyle{Color: rule, Width: 1}
		pl.Add(grid, topicRows{p: p, topics: ts, gutter: gutter})
		var xt plot.ConstantTicks
		for v := 0; v <= 100; v += 25 {
			xt = append(xt, plot.Tick{Value: float64(v), Label: strconv.Itoa(v) + "%"})
		}
		pl.X.Tick.Marker = xt
		pl.X.Min, pl.X.Max = 0, 100
		pl.HideY()
		pl.Y.Min, pl.Y.Max = 0, float64(len(ts))
		pl.Draw(draw.Crop(area, margin, -margin-gutter, 0, 0))
	}}
}

// topicRows draws the topics inside the plot's data area, top down.
type topicRows struct {
	p      *page
	topics []Topic
	gutter vg.Length
}

func (t topicRows) Plot(c draw.Canvas, pl *plot.Plot) {
	x, _ := pl.Transforms(&c)
	name := t.p.style(labelSize, false, ink)
	side := t.p.style(smallSize, false, muted)
	side.XAlign = text.XRight
	value := t.p.style(smallSize, false, ink)
	value.YAlign = text.YCenter
	row := (c.Max.Y - c.Min.Y) / vg.Length(len(t.topics))
	const barH, barGap = 24, 6
	for i, tp := range t.topics {
		top := c.Max.Y - row*vg.Length(i) - 6
		answers := count(t.p.w.answers, tp.Answered)
		nameW := c.Max.X + t.gutter - c.Min.X - side.Width(answers) - 24
		c.FillText(name, vg.Point{X: c.Min.X, Y: top}, fit(name, tp.Name, nameW))
		c.FillText(side, vg.Point{X: c.Max.X + t.gutter, Y: top}, answers)
		y := top - name.Height("Ag") - 10
		acc, accText := math.NaN(), t.p.w.noAnswers
		if tp.Answered > 0 {
			acc = min(max(float64(tp.Correct)/float64(tp.Answered), 0), 1)
			accText = ""
		}
		rec, recText := tp.Retention, ""
		if math.IsNaN(rec) {
			recText = t.p.w.noRecall
		} else {
			rec = min(max(rec, 0), 1)
		}
		for _, b := range []struct {
			v    float64
			none string
			c    color.Color
		}{{acc, accText, blue}, {rec, recText, orange}} {
			mid := y - barH/2
			if b.none != "" {
				sty := value
				sty.Color = muted
				c.FillText(sty, vg.Point{X: c.Min.X + 4, Y: mid}, b.none)
			} else {
				end := x(100 * b.v)
				if end > c.Min.X {
					c.FillPolygon(b.c, rect(c.Min.X, y-barH, end, y))
				}
				c.FillText(value, vg.Point{X: end + 10, Y: mid}, strconv.Itoa(int(math.Round(100*b.v)))+"%")
			}
			y -= barH + barGap
		}
	}
}
