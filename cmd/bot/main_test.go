package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// runBot runs the real program with the given arguments, stdin and environment, and returns its
// exit code, stdout and stderr.
func runBot(t *testing.T, args []string, stdin string, env map[string]string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

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
	code, _, stderr = runBot(t, nil, "", map[string]string{"BOT_CONTENT_DIR": "/nonexistent/dir"})
	if code != 1 || !strings.Contains(stderr, "BOT_CONTENT_DIR") {
		t.Errorf("missing content dir: exit %d, stderr %q", code, stderr)
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
