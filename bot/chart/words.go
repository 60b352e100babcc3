package chart

import (
	"fmt"
	"time"
)

// lang is a language the pictures are written in.
type lang int

const (
	english lang = iota
	chinese
)

// words are the picture's texts in one language.
type words struct {
	statsTitle   string
	empty        string // the whole picture when there is nothing to show yet
	emptyHint    string
	dueTitle     string // %d cards
	dueNone      string
	today        string
	reviewsTitle string // %d reviews
	weekdays     [7]string
	topicsTitle  string
	accuracy     string
	recall       string
	noAnswers    string
	noRecall     string
	boardTitle   string
	boardEmpty   string
	boardHint    string
	points       string    // %d points
	more         [2]string // %d more topics: one, several
	perDay       string    // heading of the heatmap's legend
	answers      [2]string // %d answers: one, several
}

var dictionary = [...]words{
	english: {
		statsTitle:   "Your progress",
		empty:        "Answer a few questions with /quiz to see your progress here.",
		emptyHint:    "As you practise, this picture shows the cards coming due, a calendar of your reviews and your accuracy in each topic.",
		dueTitle:     "Due in the next 30 days: %d",
		dueNone:      "Nothing is due in the next 30 days.",
		today:        "Today",
		reviewsTitle: "Reviews in the last 12 weeks: %d",
		weekdays:     [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
		topicsTitle:  "By topic",
		accuracy:     "Accuracy",
		recall:       "Predicted recall",
		noAnswers:    "no answers yet",
		noRecall:     "not enough reviews yet",
		boardTitle:   "This week's top learners",
		boardEmpty:   "No points yet this week. Be the first: /quiz",
		boardHint:    "Every correct answer in this group scores points; the board starts afresh each Monday.",
		points:       "%d pts",
		more:         [2]string{"and %d more topic", "and %d more topics"},
		perDay:       "per day",
		answers:      [2]string{"%d answer", "%d answers"},
	},
	chinese: {
		statsTitle:   "你的学习进度",
		empty:        "用 /quiz 答几道题，你的学习进度就会显示在这里。",
		emptyHint:    "随着练习，这里会显示即将到期的卡片、你的复习日历和各主题的正确率。",
		dueTitle:     "未来 30 天到期：%d 张",
		dueNone:      "未来 30 天没有到期的卡片。",
		today:        "今天",
		reviewsTitle: "最近 12 周复习：%d 次",
		weekdays:     [7]string{"周一", "周二", "周三", "周四", "周五", "周六", "周日"},
		topicsTitle:  "各主题",
		accuracy:     "正确率",
		recall:       "预计记忆保持率",
		noAnswers:    "还没有答题",
		noRecall:     "复习次数还太少",
		boardTitle:   "本周学习排行榜",
		boardEmpty:   "本周还没有人得分。来当第一名：/quiz",
		boardHint:    "在本群每答对一题都能得分，排行榜每周一重新开始。",
		points:       "%d 分",
		more:         [2]string{"另有 %d 个主题未列出", "另有 %d 个主题未列出"},
		perDay:       "每天",
		answers:      [2]string{"已答 %d 题", "已答 %d 题"},
	},
}

// day formats a date the way the axis labels show it: "Mar 21", "3月21日".
func (l lang) day(t time.Time) string {
	if l == chinese {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return t.Format("Jan 2")
}

// month formats a month for the heatmap's column labels: "Mar", "3月".
func (l lang) month(m time.Month) string {
	if l == chinese {
		return fmt.Sprintf("%d月", m)
	}
	return m.String()[:3]
}

// count formats n with the singular or plural form of a "%d things" text.
func count(forms [2]string, n int) string {
	if n == 1 {
		return fmt.Sprintf(forms[0], n)
	}
	return fmt.Sprintf(forms[1], n)
}
