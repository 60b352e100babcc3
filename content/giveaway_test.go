package content

import (
	"slices"
	"testing"
)

func TestGiveawayNames(t *testing.T) {
	for _, tt := range []struct {
		name, nameZH string
		aliases      []string
		text         string
		want         string
	}{
		{name: "HTTPX", text: "Which of these can talk HTTP/2?", want: "httpx"},
		{name: "CatBoost", text: "Gradient boosting with native categorical features", want: "cat"},
		{name: "CatBoost", text: "Gradient-boosted trees", want: "boost"},
		{name: "PyArrow", text: "The official library of Apache Arrow", want: "arrow"},
		{name: "PyQt6", text: "Bindings for Qt", want: "qt"},
		{name: "FastAPI", text: "Typed web APIs", want: "api"},
		{name: "Scrapy", text: "Web scraping", want: "scra"},
		{name: "Theano", text: "the symbolic maths compiler", want: ""},
		{name: "pandas", aliases: []string{"pd"}, text: "call pd.read_csv", want: "pd"},
		{name: "pandas", aliases: []string{"pd"}, text: "an updated table", want: ""},
		{name: "Flask", text: "A Python web framework library", want: ""},
		{name: "MVC (Model–View–Controller)", nameZH: "MVC（模型-视图-控制器）", text: "The controller", want: "controller"},
		{name: "MVC (Model–View–Controller)", nameZH: "MVC（模型-视图-控制器）", text: "控制器", want: "控制器"},
		{name: "MLflow", text: "a workflow tool", want: ""},
		{name: "MLflow", text: "flows of runs", want: "flow"},
	} {
		e := &Entry{ID: Normalize(tt.name), Name: tt.name, NameZH: tt.nameZH, Aliases: tt.aliases}
		if got := e.GiveawayNames().In(tt.text); got != tt.want {
			t.Errorf("%s names in %q = %q, want %q", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestCamelParts(t *testing.T) {
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"FastAPI", []string{"Fast", "API"}},
		{"LightGBM", []string{"Light", "GBM"}},
		{"XGBoost", []string{"XGB", "oost", "Boost"}},
		{"PyQt6", []string{"Py", "Qt"}},
		{"pandas", []string{"pandas"}},
	} {
		if got := camelParts(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("camelParts(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestSpacing(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"aiohttp 基于 asyncio。", ""},
		{"aiohttp基于 asyncio", "iohttp基于 asy"},
		{"通过 `ClientSession` 发送", ""},
		{"通过`ClientSession` 发送", "通过`Clien"},
		{"2008 年（2026 年 1 月）", ""},
		{"第2版", "第2版"},
		{"用 C++和 Python 编写", "用 C++和 Pyth"},
		{"用 C++ 和 Python 编写", ""},
	} {
		if got := SpacingProblem(tt.text); got != tt.want {
			t.Errorf("SpacingProblem(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	for _, tt := range []struct{ a, b, want string }{
		{"aiohttp", "基于 asyncio", "aiohttp 基于 asyncio"},
		{"MVC（模型-视图-控制器）", "讲的是什么？", "MVC（模型-视图-控制器）讲的是什么？"},
		{"以下哪一个", "`pyplot`", "以下哪一个 `pyplot`"},
		{"判断对错：", "Flask", "判断对错：Flask"},
	} {
		if got := JoinZH(tt.a, tt.b); got != tt.want {
			t.Errorf("JoinZH(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}
