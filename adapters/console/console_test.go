package console

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/bolt"
)

func newCore(t *testing.T, configure ...func(*bot.Config)) *bot.Bot {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.Config{Content: kb, Quiz: e, Now: func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }}
	for _, f := range configure {
		f(&cfg)
	}
	b, err := bot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPlainOutputNumbersChoices(t *testing.T) {
	var out bytes.Buffer
	c := &Console{In: strings.NewReader("/quiz flask 1\n\n"), Out: &out, Handler: newCore(t), UserID: "u1"}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"Question 1 of 1", "  1) ", "  2) ", ") I don't know\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "> ") {
		t.Errorf("a non-interactive run must not print prompts:\n%s", got)
	}
}

func TestJSONOutputOneObjectPerReply(t *testing.T) {
	var out bytes.Buffer
	c := &Console{In: strings.NewReader("/quiz flask 1\n1\n/lib flask\n"), Out: &out, Handler: newCore(t), JSON: true, Interactive: true}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var objs []jsonReply
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r jsonReply
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("not JSON lines: %v", err)
		}
		objs = append(objs, r)
	}
	// question; feedback + (next question or summary); entry
	if len(objs) != 4 {
		t.Fatalf("got %d objects, want 4: %+v", len(objs), objs)
	}
	if len(objs[0].Choices) < 2 || objs[0].Entry != "" {
		t.Errorf("question object = %+v", objs[0])
	}
	if len(objs[1].Choices) != 0 || !strings.Contains(objs[1].Text, "Flask") || objs[3].Entry != "flask" {
		t.Errorf("feedback and entry objects = %+v", objs[1:])
	}
}

func TestInteractivePrompts(t *testing.T) {
	var out bytes.Buffer
	c := &Console{In: strings.NewReader("/help\n"), Out: &out, Handler: newCore(t), Interactive: true, Locale: "zh"}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "Pybrarian：") || strings.Count(got, "> ") != 2 {
		t.Errorf("interactive output:\n%s", got)
	}
}

func TestCancelStopsReading(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Console{In: blockingReader{}, Out: &bytes.Buffer{}, Handler: newCore(t)}
	if err := c.Run(ctx); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
}

// blockingReader never delivers input, like a terminal nobody types into.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }

func TestJSONRepliesNameTheirPicture(t *testing.T) {
	dir := t.TempDir()
	withCharts := func(c *bot.Config) { c.Charts = chart.NewRenderer("", nil) }
	var out bytes.Buffer
	c := &Console{In: strings.NewReader("/stats\n/quiz flask 1\n1\n/stats\n/stats\n"), Out: &out, Handler: newCore(t, withCharts),
		JSON: true, ChartDir: filepath.Join(dir, "charts")}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("not JSON lines: %v", err)
		}
		objs = append(objs, r)
	}
	first, last := objs[0], objs[len(objs)-1]
	if _, ok := first["image"]; ok {
		t.Errorf("/stats before any answer = %v; want the text saying how to start, no picture", first)
	}
	path, _ := last["image"].(string)
	if !strings.Contains(last["text"].(string), "Answers: 1") || !filepath.IsAbs(path) || filepath.Dir(path) != filepath.Join(dir, "charts") {
		t.Fatalf("/stats after an answer = %v; want its text and the absolute path of a picture under charts/", last)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() < 1000 {
		t.Errorf("%s is not a PNG at least 1,000 px wide: %v", path, err)
	}
	// Asked again with nothing changed, the same picture is named, not a new file written.
	if again := objs[len(objs)-2]["image"]; again != path {
		t.Errorf("second /stats names %v, want %s", again, path)
	}
	if files, _ := os.ReadDir(filepath.Join(dir, "charts")); len(files) != 1 {
		t.Errorf("charts/ holds %d files, want 1", len(files))
	}
}

// recorder is a Handler that keeps the events it was given and answers each with a notice for
// the sender alone.
type recorder struct {
	mu      sync.Mutex
	events  []bot.Event
	handled chan struct{} // receives once per event
}

func (r *recorder) Handle(ctx context.Context, ev bot.Event) []bot.Reply {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
	r.handled <- struct{}{}
	return []bot.Reply{{Text: bot.Text("noted"), Private: true}}
}

// TestGroupChatSpeakersAndPosts: with Chat set, "name: text" lines speak for that user in the
// group, other lines for UserID, who alone administers it; a posted message's choices are
// pressed by typing their number until an edit takes the buttons away; private replies name
// their reader.
func TestGroupChatSpeakersAndPosts(t *testing.T) {
	var out bytes.Buffer
	pr, pw := io.Pipe()
	h := &recorder{handled: make(chan struct{}, 16)}
	c := &Console{In: pr, Out: &out, Handler: h, UserID: "ada", Chat: "room", JSON: true}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	to := bot.Destination{Platform: Platform, ChatID: "room", Chat: bot.Group}
	ref, err := c.Post(context.Background(), to, bot.Reply{Text: bot.Text("Q?"), Choices: []bot.Choice{{Label: "A", Data: "c:x.0.0"}, {Label: "B", Data: "c:x.0.1"}}})
	if err != nil || ref != "1" {
		t.Fatalf("Post = %q, %v; want 1", ref, err)
	}
	io.WriteString(pw, "bob: 2\nhello\nli: note: not a name\n9\n")
	for range 4 {
		<-h.handled
	}
	if err := c.Edit(context.Background(), to, ref, bot.Reply{Text: bot.Text("Closed")}); err != nil {
		t.Fatal(err)
	}
	io.WriteString(pw, "bob: 1\n")
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	type got struct {
		user, name, text, choice string
		admin                    bool
	}
	var events []got
	for _, ev := range h.events {
		if ev.Chat != bot.Group || ev.ChatID != "room" {
			t.Errorf("event %+v is not in the group", ev)
		}
		admin, _ := ev.IsAdmin(context.Background())
		events = append(events, got{ev.UserID, ev.UserName, ev.Text, ev.Choice, admin})
	}
	want := []got{
		{"bob", "bob", "", "c:x.0.1", false},
		{"ada", "ada", "hello", "", true},
		{"li", "li", "note: not a name", "", false},
		{"ada", "ada", "9", "", true},
		{"bob", "bob", "1", "", false},
	}
	if diff := cmp.Diff(want, events, cmp.AllowUnexported(got{})); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var lines []jsonReply
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r jsonReply
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r)
	}
	var posts, edits, notices int
	for _, l := range lines {
		switch {
		case l.Edited:
			edits++
			if l.Message != "1" || l.Text != "Closed" || len(l.Choices) != 0 {
				t.Errorf("edit = %+v", l)
			}
		case l.Message != "":
			posts++
			if l.Message != "1" || len(l.Choices) != 2 {
				t.Errorf("post = %+v", l)
			}
		case l.To != "":
			notices++
		}
	}
	if posts != 1 || edits != 1 || notices != 5 || lines[1].To != "bob" {
		t.Errorf("output = %+v; want a post, bob's notice, four more and an edit", lines)
	}
}
