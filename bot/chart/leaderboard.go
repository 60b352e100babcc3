package chart

import (
	"fmt"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Board is a group's weekly leaderboard.
type Board struct {
	// Lang is "zh" (or any "zh-…") for Chinese, anything else for English.
	Lang string
	// Title, when set, is drawn under the heading, for example the group's name.
	Title string
	// Rows are the standings, best first; only the first ten are drawn.
	Rows []BoardRow
}

// BoardRow is one learner's standing on a Board.
type BoardRow struct {
	Name   string
	Points int
}

// Leaderboard draws a group's top ten of the week as horizontal bars with names and points, or says
// how to score when nobody has yet.
func (r *Renderer) Leaderboard(b Board) ([]byte, error) {
	return r.encode(r.boardPicture(b))
}

// boardSize is how many standings the leaderboard shows.
const boardSize = 10

func (r *Renderer) boardPicture(b Board) picture {
	p := r.page(b.Lang)
	var rows []BoardRow
	for _, row := range b.Rows[:min(len(b.Rows), boardSize)] {
		rows = append(rows, BoardRow{Name: row.Name, Points: max(row.Points, 0)})
	}
	blocks := []block{p.title(p.w.boardTitle)}
	if b.Title != "" {
		blocks[0] = p.line(p.w.boardTitle, titleSize, true, ink, 10)
		blocks = append(blocks, p.note(fit(p.style(labelSize, false, muted), b.Title, Width-2*margin), 28))
	}
	if len(rows) == 0 {
		return stack(append(blocks, space(12), p.paragraph(p.w.boardEmpty, headSize, ink), space(20), p.paragraph(p.w.boardHint, labelSize, muted), space(12))...)
	}
	return stack(append(blocks, p.boardChart(rows))...)
}

const (
	boardRowHeight = 76 // of one standing
	valueGap       = 12 // between a bar and its points
)

// boardChart draws one bar per learner, first at the top, with "rank. name" to the left and the
// points at the end of the bar.
func (p *page) boardChart(rows []BoardRow) block {
	value := p.style(labelSize, true, ink)
	gutter := vg.Length(0) // right of the longest bar, room for its points
	for _, r := range rows {
		gutter = max(gutter, value.Width(fmt.Sprintf(p.w.points, r.Points))+valueGap)
	}
	return block{h: boardRowHeight * vg.Length(len(rows)), draw: func(area draw.Canvas) {
		pl := p.plot()
		pl.HideX()
		pl.Y.LineStyle.Width = 0
		pl.Y.Tick.Length = 0
		pl.Y.Tick.Label.Font.Size = labelSize
		name := pl.Y.Tick.Label
		var yt plot.ConstantTicks
		top := 0
		for i, r := range rows {
			label := fit(name, strconv.Itoa(i+1)+". "+r.Name, 380)
			yt = append(yt, plot.Tick{Value: float64(len(rows) - 1 - i), Label: label})
			top = max(top, r.Points)
		}
		pl.Y.Tick.Marker = yt
		pl.Y.Min, pl.Y.Max = -0.5, float64(len(rows))-0.5
		pl.X.Min, pl.X.Max = 0, float64(max(top, 1))
		pl.Add(boardBars{p: p, rows: rows})
		pl.Draw(draw.Crop(area, margin, -margin-gutter, 0, 0))
	}}
}

// boardBars draws the bars and their points inside the plot's data area.
type boardBars struct {
	p    *page
	rows []BoardRow
}

func (b boardBars) Plot(c draw.Canvas, pl *plot.Plot) {
	x, y := pl.Transforms(&c)
	value := b.p.style(labelSize, true, ink)
	value.YAlign = text.YCenter
	const half = 0.31 // of a row
	for i, r := range b.rows {
		at := float64(len(b.rows) - 1 - i)
		end := x(float64(r.Points))
		if r.Points > 0 {
			end = max(end, c.Min.X+4) // a sliver even for one point against hundreds
			c.FillPolygon(blue, rect(c.Min.X, y(at-half), end, y(at+half)))
		}
		c.FillText(value, vg.Point{X: end + valueGap, Y: y(at)}, fmt.Sprintf(b.p.w.points, r.Points))
	}
}
