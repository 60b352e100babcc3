// Package console is the terminal chat: each input line is a message from one local user, and
// replies print as readable text with numbered choices, or as one JSON object per reply for scripts
// and tests. It is the zero-setup way to use Pybrarian and the harness for end-to-end tests.
package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pybrarian/pybrarian/bot"
)

// Handler is the part of the core the console needs.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) []bot.Reply
}

// Platform is the platform name console events carry; progress made in the terminal is stored
// under it.
const Platform = "console"

// Console runs a terminal chat between one user and the core.
type Console struct {
	In      io.Reader
	Out     io.Writer
	Handler Handler
	// JSON prints one object per reply, {"text", "entry", "choices"}, instead of readable text.
	JSON bool
	// UserID identifies the local user; keep it the same across runs to keep progress.
	UserID string
	// Locale is the user's language tag ("en", "zh").
	Locale string
	// Interactive greets the user and prompts for each line; set it when a person is typing (stdin
	// is a terminal), never for scripts.
	Interactive bool
}

// jsonReply is the -json output contract: text is the plain rendering, entry the id of the entry the
// reply presents as the answer ("" otherwise), choices the answer options of a quiz question ([]
// when there are none).
type jsonReply struct {
	Text    string   `json:"text"`
	Entry   string   `json:"entry"`
	Choices []string `json:"choices"`
}

// Run reads lines until EOF or until ctx is cancelled, handling each as a message. It returns nil at
// EOF; an error only when reading or writing fails.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(c.In)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
	}()
	enc := json.NewEncoder(c.Out)
	enc.SetEscapeHTML(false)
	if c.Interactive && !c.JSON {
		greeting := "Pybrarian: ask \"what is flask?\", try /quiz, or /help. Ctrl-D quits.\n"
		if c.Locale == "zh" {
			greeting = "Pybrarian：可以问“flask是什么”，试试 /quiz，或发送 /help。Ctrl-D 退出。\n"
		}
		io.WriteString(c.Out, greeting)
	}
	for {
		if c.Interactive && !c.JSON {
			io.WriteString(c.Out, "> ")
		}
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				select {
				case err := <-readErr:
					return err
				default:
					return nil
				}
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			replies := c.Handler.Handle(ctx, c.event(line))
			if err := c.print(enc, replies); err != nil {
				return fmt.Errorf("console: writing reply: %w", err)
			}
		}
	}
}

func (c *Console) event(line string) bot.Event {
	user := c.UserID
	if user == "" {
		user = "console"
	}
	return bot.Event{
		Platform:  Platform,
		ChatID:    user,
		UserID:    user,
		UserName:  user,
		Locale:    c.Locale,
		Chat:      bot.Private,
		Addressed: true,
		Text:      line,
	}
}

func (c *Console) print(enc *json.Encoder, replies []bot.Reply) error {
	for _, r := range replies {
		if c.JSON {
			out := jsonReply{Text: r.Text.PlainText(), Entry: r.Entry, Choices: []string{}}
			for _, ch := range r.Choices {
				out.Choices = append(out.Choices, ch.Label)
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		var b strings.Builder
		b.WriteString(r.Text.PlainText())
		b.WriteString("\n")
		for i, ch := range r.Choices {
			fmt.Fprintf(&b, "  %d) %s\n", i+1, ch.Label)
		}
		for _, btn := range r.Buttons {
			switch {
			case btn.URL != "":
				fmt.Fprintf(&b, "  → %s: %s\n", btn.Label, btn.URL)
			case btn.Command != "":
				fmt.Fprintf(&b, "  → %s: %s\n", btn.Label, btn.Command)
			}
		}
		b.WriteString("\n")
		if _, err := io.WriteString(c.Out, b.String()); err != nil {
			return err
		}
	}
	return nil
}
