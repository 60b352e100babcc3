package audit_test

import (
	"slices"
	"testing"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/audit"
)

func embedded(t *testing.T) (*content.KB, *quiz.Bank) {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	return kb, b
}

func tx(en, zh string) content.Text { return content.Text{EN: en, ZH: zh} }

// TestEachRuleCatchesItsOffence adds one bad card to the shipped bank and checks that the rule it
// breaks counts it.
func TestEachRuleCatchesItsOffence(t *testing.T) {
	kb, bank := embedded(t)
	base := bank.Export()
	counts := func(cards []quiz.Exported) []int {
		var out []int
		for _, r := range audit.Check(kb, cards, bank) {
			out = append(out, r.Count)
		}
		return out
	}
	before := counts(base)
	tf := []content.Text{tx("True", "对"), tx("False", "错")}
	for _, tt := range []struct {
		rule int
		card quiz.Exported
	}{
		{1, quiz.Exported{ID: "bad001", Kind: quiz.KindIdentify, Entry: "pandas", Fact: "pandas/clue",
			Question: tx("Which library is this? The pandas of tables.", "这是哪个库？表格界的 pandas。"),
			Choices:  []content.Text{tx("pandas", "pandas"), tx("Polars", "Polars")}, Answer: 0,
			Explanation: tx("pandas is the one.", "这说的是 pandas。")}},
		{2, quiz.Exported{ID: "bad002", Kind: quiz.KindFact, Entry: "pandas", Fact: "pandas/built_on",
			Question: tx("What is pandas built on?", "pandas 是基于什么构建的？"),
			Choices:  []content.Text{tx("NumPy", "NumPy"), tx("NumPy and SciPy", "NumPy 和 SciPy")}, Answer: 0,
			Explanation: tx("pandas is built on NumPy.", "pandas 构建在 NumPy 之上。")}},
		{2, quiz.Exported{ID: "bad002b", Kind: quiz.KindFact, Entry: "pandas", Fact: "pandas/built_on",
			Question: tx("What is pandas built on?", "pandas 是基于什么构建的？"),
			Choices:  []content.Text{tx("NumPy", "NumPy"), tx("Matplotlib", "Matplotlib")}, Answer: 0,
			Explanation: tx("pandas is built on NumPy.", "pandas 构建在 NumPy 之上。")}},
		{3, quiz.Exported{ID: "bad003", Kind: quiz.KindFact, Entry: "pandas", Fact: "pandas/creator",
			Question: tx("Who wrote pandas first?", "最早是谁写了 pandas？"),
			Choices:  []content.Text{tx("Wes McKinney", "Wes McKinney"), tx("Travis Oliphant", "Travis Oliphant")}, Answer: 0,
			Explanation: tx("A tabular-data library.", "一个表格数据库。")}},
		{4, quiz.Exported{ID: "bad004", Kind: quiz.KindFact, Entry: "flask", Fact: "flask/created",
			Question: tx("When did Flask appear?", "Flask 是哪年出现的？"),
			Choices:  []content.Text{tx("2010", "2010"), tx("2011", "2011")}, Answer: 0,
			Explanation: tx("Flask appeared in 2010.", "Flask 于 2010 年出现。")}},
		{5, quiz.Exported{ID: "bad005", Kind: quiz.KindFalse, Entry: "mvc", Fact: "mvc/not:async-event-loop",
			Question: tx("True or false: MVC runs on an event loop.", "判断对错：MVC 运行在事件循环上。"),
			Choices:  tf, Answer: 1, Explanation: tx("It is an architecture, not a library.", "它是架构，不是库。")}},
		{6, quiz.Exported{ID: "bad006", Kind: quiz.KindQuestion, Entry: "wsgi", Fact: "wsgi/dup",
			Question: base[0].Question, Choices: []content.Text{tx("Something else", "别的"), tx("Other", "其他")}, Answer: 0,
			Explanation: tx("Something else.", "别的。")}},
		{7, quiz.Exported{ID: "bad007", Kind: quiz.KindTrue, Entry: "aiohttp", Fact: "aiohttp/x",
			Question: tx("True or false: aiohttp runs on asyncio.", "判断对错：aiohttp基于 asyncio。"),
			Choices:  tf, Answer: 0, Explanation: tx("aiohttp runs on asyncio.", "aiohttp 基于 asyncio。")}},
		{8, quiz.Exported{ID: "bad008", Kind: quiz.KindTrue, Entry: "aiohttp", Fact: "aiohttp/y",
			Question: tx("True or false: aiohttp has a client.", "判断对错：aiohttp 有客户端。"),
			Choices:  tf, Answer: 0, Explanation: tx("aiohttp has ClientSession.", "")}},
	} {
		after := counts(append(slices.Clone(base), tt.card))
		if after[tt.rule-1] <= before[tt.rule-1] {
			t.Errorf("rule %d did not count card %s: %d before, %d after", tt.rule, tt.card.ID, before[tt.rule-1], after[tt.rule-1])
		}
	}
}
