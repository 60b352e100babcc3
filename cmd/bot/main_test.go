package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// runBot runs the real program with the given arguments, stdin and environment, and returns its
// exit code, stdout and stderr.
// Unless env sets BOT_DATA_DIR, each run gets a fresh data directory of its own.
func runBot(t *testing.T, args []string, stdin string, env map[string]string) (int, string, string) {
	t.Helper()
	if _, ok := env["BOT_DATA_DIR"]; !ok {
		env = withEnv(env, "BOT_DATA_DIR", t.TempDir())
	}
	var out, errOut bytes.Buffer
	code := runAt(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] }, testNow)
	return code, out.String(), errOut.String()
}

// testNow is the fixed clock of end-to-end runs, so replies that mention times are repeatable.
func testNow() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }

type jsonLine struct {
	Text    string   `json:"text"`
	Entry   string   `json:"entry"`
	Choices []string `json:"choices"`
}

func decodeLines(t *testing.T, out string) []jsonLine {
	t.Helper()
	var lines []jsonLine
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var l jsonLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("stdout is not one JSON object per reply: %v\n%s", err, out)
		}
		if l.Choices == nil {
			t.Errorf("choices must be an array, got null in %+v", l)
		}
		lines = append(lines, l)
	}
	return lines
}

func TestConsoleJSONLookup(t *testing.T) {
	code, out, stderr := runBot(t, []string{"-console", "-json"}, "/lib pandas\nwhat is flask?\npandas是什么\n/lib rails\n", nil)
	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	lines := decodeLines(t, out)
	want := []string{"pandas", "flask", "pandas", ""}
	if len(lines) != len(want) {
		t.Fatalf("got %d replies, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		if lines[i].Entry != w {
			t.Errorf("reply %d: entry %q, want %q", i, lines[i].Entry, w)
		}
		if strings.Contains(lines[i].Text, "<b>") || strings.Contains(lines[i].Text, "**") {
			t.Errorf("reply %d: text carries markup: %q", i, lines[i].Text)
		}
	}
	if !strings.Contains(lines[2].Text, "数据") {
		t.Errorf("a Chinese question should get a Chinese answer, got %q", lines[2].Text)
	}
}

func TestConsolePlainText(t *testing.T) {
	code, out, _ := runBot(t, nil, "/lib flask\n", nil)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	for _, want := range []string{"Flask", "Key features", "pip install Flask", "Docs: https://flask.palletsprojects.com/"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain output lacks %q:\n%s", want, out)
		}
	}
}

func TestConsoleLocaleFlag(t *testing.T) {
	_, out, _ := runBot(t, []string{"-json", "-locale", "zh"}, "/help\n", nil)
	if lines := decodeLines(t, out); len(lines) != 1 || !strings.Contains(lines[0].Text, "命令") {
		t.Errorf("-locale zh /help = %s, want Chinese help", out)
	}
}

func TestBadConfigIsReported(t *testing.T) {
	code, _, stderr := runBot(t, []string{"-locale", "fr"}, "", nil)
	if code != 2 || !strings.Contains(stderr, "BOT_LOCALE / -locale") {
		t.Errorf("bad locale: exit %d, stderr %q; want 2 and a message naming the setting", code, stderr)
	}
	// Every problem at once, each naming its setting.
	code, _, stderr = runBot(t, []string{"-locale", "fr"}, "", map[string]string{"BOT_CONTENT_DIR": "/nonexistent/dir"})
	if code != 2 || !strings.Contains(stderr, "BOT_CONTENT_DIR / -content-dir") || !strings.Contains(stderr, "BOT_LOCALE") {
		t.Errorf("missing content dir and a bad locale: exit %d, stderr %q", code, stderr)
	}
}

func TestLintSubcommand(t *testing.T) {
	code, out, stderr := runBot(t, []string{"lint"}, "", nil)
	if code != 0 {
		t.Fatalf("lint of the shipped content: exit %d\n%s%s", code, out, stderr)
	}
	dir := t.TempDir()
	mustWrite(t, dir+"/entries/broken.yaml", "id: broken\nname: Broken\nkind: library\nsumary: oops\n")
	code, out, _ = runBot(t, []string{"lint", dir}, "", nil)
	if code != 1 {
		t.Errorf("lint of a broken entry: exit %d, want 1", code)
	}
	if !strings.Contains(out, dir+"/entries/broken.yaml:4: unknown field \"sumary\"") {
		t.Errorf("lint output lacks the file:line problem:\n%s", out)
	}
}

// TestConsoleQuizRound is the quiz issue's acceptance check: /quiz frameworks in the terminal, each
// question answered by number until the round ends, then /stats; a second process on the same data
// directory shows the same /stats.
func TestConsoleQuizRound(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	env := map[string]string{"BOT_DATA_DIR": dir}

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int)
	go func() {
		var errOut bytes.Buffer
		done <- runAt(context.Background(), []string{"-console", "-json"}, inR, outW, &errOut, func(k string) string { return env[k] }, now)
		outW.Close()
	}()
	dec := json.NewDecoder(outR)
	read := func() jsonLine {
		t.Helper()
		var l jsonLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("reading a reply: %v", err)
		}
		return l
	}
	say := func(line string) {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}

	say("/quiz frameworks")
	q := read()
	if len(q.Choices) < 3 || !strings.Contains(q.Text, "Question 1 of 5") {
		t.Fatalf("first question: %+v", q)
	}
	answers := 0
	var summary jsonLine
	for {
		say("1") // always the first choice: some right, some wrong
		answers++
		fb := read()
		if len(fb.Choices) != 0 || !(strings.Contains(fb.Text, "Right!") || strings.Contains(fb.Text, "Not quite")) {
			t.Fatalf("feedback %d: %+v", answers, fb)
		}
		next := read()
		if len(next.Choices) == 0 {
			summary = next
			break
		}
		if answers > 10 {
			t.Fatal("the round never ends")
		}
	}
	if answers < 5 || !strings.Contains(summary.Text, "Round complete!") || !strings.Contains(summary.Text, "Score:") {
		t.Fatalf("after %d answers the summary is %+v", answers, summary)
	}
	say("/stats")
	stats := read()
	if !strings.Contains(stats.Text, fmt.Sprintf("Answers: %d", answers)) {
		t.Errorf("/stats after the round:\n%s", stats.Text)
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d", code)
	}

	var out, errOut bytes.Buffer
	code := runAt(context.Background(), []string{"-console", "-json"}, strings.NewReader("/stats\n"), &out, &errOut, func(k string) string { return env[k] }, now)
	if code != 0 {
		t.Fatalf("second process: exit %d: %s", code, errOut.String())
	}
	if again := decodeLines(t, out.String()); len(again) != 1 || again[0].Text != stats.Text {
		t.Errorf("/stats in a new process differs:\n%s\nwant:\n%s", out.String(), stats.Text)
	}
}

func TestEvaluateSubcommand(t *testing.T) {
	code, out, stderr := runBot(t, []string{"evaluate", "../../quiz/replay/testdata/review_logs_josh_1711744352250_to_1728234780857.csv"}, "", nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"scored 5329", "FSRS-6 (default parameters)  0.4586", "SM-2", "AVG (constant)", "RMSE(bins)"} {
		if !strings.Contains(out, want) {
			t.Errorf("evaluate output lacks %q:\n%s", want, out)
		}
	}
	if code, _, stderr := runBot(t, []string{"evaluate"}, "", nil); code != 2 || !strings.Contains(stderr, "usage") {
		t.Errorf("evaluate without a file: exit %d, %q", code, stderr)
	}
}

func TestReportsSubcommand(t *testing.T) {
	env := map[string]string{"BOT_DATA_DIR": t.TempDir()}
	runBot(t, []string{"-json"}, "/quiz flask 1\n1\n/report the wording is odd\n", env)
	code, out, stderr := runBot(t, []string{"reports"}, "", env)
	if code != 0 || !strings.Contains(out, "flask") || !strings.Contains(out, "the wording is odd") || !strings.Contains(out, "console") {
		t.Errorf("bot reports: exit %d\n%s%s", code, out, stderr)
	}
}

func TestSecondProcessOnSameDataDir(t *testing.T) {
	env := map[string]string{"BOT_DATA_DIR": t.TempDir()}
	inR, inW := io.Pipe()
	defer inW.Close()
	first := make(chan struct{})
	outR, outW := io.Pipe()
	go func() {
		runAt(context.Background(), []string{"-json"}, inR, outW, io.Discard, func(k string) string { return env[k] }, time.Now)
		outW.Close()
	}()
	go func() {
		io.WriteString(inW, "/help\n")
		close(first)
	}()
	<-first
	var l jsonLine
	if err := json.NewDecoder(outR).Decode(&l); err != nil { // the first process is up and holds the store
		t.Fatal(err)
	}
	code, _, stderr := runBot(t, nil, "", env)
	if code != 1 || !strings.Contains(stderr, "in use by another Pybrarian process") {
		t.Errorf("second process: exit %d, stderr %q; want a clear error", code, stderr)
	}
}
