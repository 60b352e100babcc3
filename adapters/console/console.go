// Package console is the terminal chat: each input line is a message from one local user, and
// replies print as readable text with numbered choices, or as one JSON object per reply for scripts
// and tests. It is the zero-setup way to use Pybrarian and the harness for end-to-end tests.
//
// With Chat set the terminal is a group chat instead, in which several people speak: a line
// "name: text" is a message from the user called name, any other line one from UserID, who
// administers the group. Messages the core posts to the group with buttons (a challenge question)
// are answered by typing a choice's number, as pressing its button would; replies meant for one
// member alone print with "[to name]" in front.
package console

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/bot"
)

// Handler is the part of the core the console needs.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) []bot.Reply
}

// Platform is the platform name console events carry; progress made in the terminal is stored
// under it.
const Platform = "console"

// Console runs a terminal chat between one user and the core. It is also the terminal's
// bot.Sender: what the core sends unprompted (a daily tip) is printed like a reply.
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
	// FileDir is where files replies carry (an exported review log) are written; the reply says
	// where. Empty means the working directory.
	FileDir string
	// ChartDir is where, with JSON output, the pictures replies carry (a /stats chart) are
	// written, named by their content so the same picture is written once. Plain output shows
	// the text alone. Empty means the working directory.
	ChartDir string
	// Chat makes the terminal the group chat with this id, where lines may speak for several users
	// ("name: text"); empty keeps it a private chat with UserID.
	Chat string

	mu  sync.Mutex // one reply printed at a time, from the chat or from Send
	enc *json.Encoder
	// posted counts the messages Post printed; open holds the choices of the newest posted
	// message that still has buttons, which typed numbers press in a group.
	posted int
	open   []bot.Choice
}

var (
	_ bot.Sender = (*Console)(nil)
	_ bot.Poster = (*Console)(nil)
)

// maxLineBytes is how much of one input line the console keeps: enough for the core to see that a
// line is longer than it reads (bot.MaxTextRunes runes of up to 4 bytes each), no more. The rest
// of a longer line is read and dropped, so a line of any length costs bounded memory.
const maxLineBytes = 4*bot.MaxTextRunes + 4

// readLines sends each line of r, cut to maxLineBytes, until EOF or ctx ends.
func readLines(ctx context.Context, r io.Reader, lines chan<- string) error {
	br := bufio.NewReaderSize(r, 64*1024)
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if room := maxLineBytes - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // the line goes on
		}
		if len(line) > 0 || err == nil {
			text := strings.ToValidUTF8(strings.TrimRight(string(line), "\r\n"), "")
			select {
			case lines <- text:
			case <-ctx.Done():
				return nil
			}
		}
		line = line[:0]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// jsonReply is the -json output contract: text is the plain rendering, entry the id of the entry the
// reply presents as the answer ("" otherwise), choices the answer options of a quiz question ([]
// when there are none). In a group chat, message names a message the core posted and may edit
// later, edited marks such an edit, and to names the one member a reply is meant for.
type jsonReply struct {
	Text    string   `json:"text"`
	Entry   string   `json:"entry"`
	Choices []string `json:"choices"`
	// File is the absolute path of the file the reply carries, written under FileDir; only on
	// replies with a file.
	File string `json:"file,omitempty"`
	// Image is the absolute path of the PNG picture the reply carries, written under ChartDir;
	// only on replies with a picture.
	Image   string `json:"image,omitempty"`
	Message string `json:"message,omitempty"`
	Edited  bool   `json:"edited,omitempty"`
	To      string `json:"to,omitempty"`
}

// Run reads lines until EOF or until ctx is cancelled, handling each as a message. It returns nil at
// EOF; an error only when reading or writing fails.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		defer close(lines)
		readErr <- readLines(ctx, c.In, lines)
	}()
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
			ev := c.event(line)
			replies := c.Handler.Handle(ctx, ev)
			if err := c.print(replies, ev.UserID); err != nil {
				return fmt.Errorf("console: writing reply: %w", err)
			}
		}
	}
}

func (c *Console) user() string {
	if c.UserID == "" {
		return "console"
	}
	return c.UserID
}

// speaker is the "name: " a group line may start with: a name of letters, digits, '.', '_' or
// '-', then a colon and a space.
var speaker = regexp.MustCompile(`^([\p{L}\p{N}._-]{1,32}): (.*)$`)

func (c *Console) event(line string) bot.Event {
	user := c.user()
	ev := bot.Event{
		Platform:  Platform,
		ChatID:    user,
		UserID:    user,
		UserName:  user,
		Locale:    c.Locale,
		Chat:      bot.Private,
		Addressed: true,
		Text:      line,
	}
	if c.Chat == "" {
		return ev
	}
	if m := speaker.FindStringSubmatch(line); m != nil {
		ev.UserID, ev.UserName, ev.Text = m[1], m[1], strings.TrimSpace(m[2])
	}
	ev.Chat, ev.ChatID = bot.Group, c.Chat
	admin := ev.UserID == user
	ev.IsAdmin = func(context.Context) (bool, error) { return admin, nil }
	if data, ok := c.pressed(ev.Text); ok {
		ev.Text, ev.Choice = "", data
	}
	return ev
}

// pressed maps a typed choice number to the data of that button of the newest posted message
// that has buttons.
func (c *Console) pressed(text string) (string, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || n < 1 || n > len(c.open) {
		return "", false
	}
	return c.open[n-1].Data, true
}

// Send implements bot.Sender: the terminal has one chat, and what the core sends it unprompted is
// printed like any reply.
func (c *Console) Send(ctx context.Context, to bot.Destination, replies []bot.Reply) error {
	return c.print(replies, "")
}

// Post implements bot.Poster: the message is printed and numbered, and its choices become what
// typed numbers press in a group.
func (c *Console) Post(ctx context.Context, to bot.Destination, r bot.Reply) (bot.MessageRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posted++
	ref := bot.MessageRef(strconv.Itoa(c.posted))
	c.open = r.Choices
	return ref, c.printLocked([]bot.Reply{r}, "", ref, false)
}

// Edit implements bot.Poster: a terminal cannot change what it printed, so the new version is
// printed marked as an edit of the message.
func (c *Console) Edit(ctx context.Context, to bot.Destination, ref bot.MessageRef, r bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if strconv.Itoa(c.posted) == string(ref) {
		c.open = r.Choices
	}
	return c.printLocked([]bot.Reply{r}, "", ref, true)
}

// print prints the replies to user's message ("" for none).
func (c *Console) print(replies []bot.Reply, user string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.printLocked(replies, user, "", false)
}

// printLocked prints replies to user's message; ref and edited say which posted message they
// are, if any.
func (c *Console) printLocked(replies []bot.Reply, user string, ref bot.MessageRef, edited bool) error {
	if c.enc == nil {
		c.enc = json.NewEncoder(c.Out)
		c.enc.SetEscapeHTML(false)
	}
	for _, r := range replies {
		path, err := c.writeFile(r.File)
		if err != nil {
			return err
		}
		to := ""
		if r.Private && c.Chat != "" {
			to = user
		}
		if c.JSON {
			image, err := c.writeImage(r.Image)
			if err != nil {
				return err
			}
			out := jsonReply{Text: r.Text.PlainText(), Entry: r.Entry, Choices: []string{}, File: path, Image: image,
				Message: string(ref), Edited: edited, To: to}
			for _, ch := range r.Choices {
				out.Choices = append(out.Choices, ch.Label)
			}
			if err := c.enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		var b strings.Builder
		switch {
		case edited:
			fmt.Fprintf(&b, "[message %s, edited]\n", ref)
		case to != "":
			fmt.Fprintf(&b, "[to %s] ", to)
		}
		b.WriteString(r.Text.PlainText())
		b.WriteString("\n")
		if path != "" {
			fmt.Fprintf(&b, "  → %s\n", path)
		}
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

// writeImage writes a reply's picture under ChartDir, named by its content, and returns its
// absolute path, "" when there is none.
func (c *Console) writeImage(f *bot.File) (string, error) {
	if f == nil {
		return "", nil
	}
	dir := c.ChartDir
	if dir == "" {
		dir = "."
	}
	sum := sha256.Sum256(f.Data)
	ext := filepath.Ext(f.Name)
	name := strings.TrimSuffix(f.Name, ext) + "-" + hex.EncodeToString(sum[:8]) + ext
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("console: saving %s: %w", f.Name, err)
	}
	// Written aside and renamed, so a reader never sees half a picture.
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return "", fmt.Errorf("console: saving %s: %w", f.Name, err)
	}
	_, err = tmp.Write(f.Data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("console: saving %s: %w", f.Name, err)
	}
	return path, nil
}

// writeFile writes a reply's file under FileDir with a name of its own and returns its absolute
// path, "" when there is none.
func (c *Console) writeFile(f *bot.File) (string, error) {
	if f == nil {
		return "", nil
	}
	dir := c.FileDir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("console: saving %s: %w", f.Name, err)
	}
	ext := filepath.Ext(f.Name)
	name := strings.TrimSuffix(f.Name, ext) + "-" + time.Now().UTC().Format("20060102-150405.000") + ext
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, f.Data, 0o600); err != nil {
		return "", fmt.Errorf("console: saving %s: %w", f.Name, err)
	}
	return path, nil
}
