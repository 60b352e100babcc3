package chart

import "testing"

// The budget is 150 ms and 40 MB allocated per picture:
//
//	go test ./bot/chart -run '^$' -bench . -benchmem
//
// On 2 vCPUs of an AMD EPYC (nproc 2), Go 1.26.8, linux/amd64:
//
//	BenchmarkStats/en          52-58 ms/op  11.1 MB/op  (1080×1871 px)
//	BenchmarkStats/zh          52-66 ms/op  11.3 MB/op
//	BenchmarkStats/en-largest  66-75 ms/op  12.7 MB/op  (six topics, the tallest picture: 1080×2173 px)
//	BenchmarkLeaderboard/en    26-30 ms/op   5.6 MB/op  (1080×975 px)
//	BenchmarkLeaderboard/zh    28-29 ms/op   6.1 MB/op
//	BenchmarkNewRenderer/wqy    9-13 ms/op  15.0 MB/op  (once at start-up)
//
// About half the time is PNG encoding, already at png.BestSpeed.

func BenchmarkStats(b *testing.B) {
	for _, tc := range []struct {
		name string
		r    func(testing.TB) *Renderer
		s    Stats
	}{
		{"en", latinRenderer, sampleStats("en")},
		{"zh", cjkRenderer, sampleStats("zh")},
		{"en-largest", latinRenderer, manyTopics(sampleStats("en"))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := tc.r(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Stats(tc.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLeaderboard(b *testing.B) {
	for _, tc := range []struct {
		name string
		r    func(testing.TB) *Renderer
		lang string
	}{{"en", latinRenderer, "en"}, {"zh", cjkRenderer, "zh"}} {
		b.Run(tc.name, func(b *testing.B) {
			r, board := tc.r(b), sampleBoard(tc.lang)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Leaderboard(board); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewRenderer is the start-up cost of reading and parsing the CJK font.
func BenchmarkNewRenderer(b *testing.B) {
	cjkRenderer(b) // skips without the font
	b.Run("wqy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			newRenderer(wqyMicroHei, nil, nil)
		}
	})
}
