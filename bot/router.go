package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// Request is what a handler sees: the event, the language to answer in, and for commands the
// command name and its argument text.
type Request struct {
	Event
	Lang    content.Lang
	Command string
	Args    string
}

// HandlerFunc handles one request. Errors are turned into a friendly reply in one place
// (replyForError), so handlers return them instead of wording apologies themselves.
type HandlerFunc func(ctx context.Context, req *Request) ([]Reply, error)

// Middleware wraps a handler, for concerns every command shares (recovery, logging).
type Middleware func(HandlerFunc) HandlerFunc

// Command is a slash command. Name is what users type after "/", lowercase letters, digits and
// underscores only, so the same table can be registered as Telegram bot commands and Discord slash
// commands.
type Command struct {
	Name string
	// Args describes the arguments for help text ("NAME", "[TOPIC] [N]"); empty for none.
	Args content.Text
	// Help is the one-line description shown by /help and in platform command menus.
	Help content.Text
	// Hidden commands work but are left out of /help and command menus (/start).
	Hidden  bool
	Handler HandlerFunc
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// router dispatches commands by name. It is filled once at start-up and read-only afterwards.
type router struct {
	commands []*Command
	byName   map[string]*Command
}

// register adds commands, failing on the mistakes that would otherwise surface only when a user
// typed the command: bad names, duplicates, missing handlers or help.
func (r *router) register(mw []Middleware, cmds ...Command) error {
	if r.byName == nil {
		r.byName = map[string]*Command{}
	}
	for _, c := range cmds {
		switch {
		case !commandName.MatchString(c.Name):
			return fmt.Errorf("command %q: name must be 1-32 lowercase letters, digits or underscores", c.Name)
		case r.byName[c.Name] != nil:
			return fmt.Errorf("command %q registered twice", c.Name)
		case c.Handler == nil:
			return fmt.Errorf("command %q has no handler", c.Name)
		case !c.Hidden && (c.Help.EN == "" || c.Help.ZH == ""):
			return fmt.Errorf("command %q needs help text in English and Chinese", c.Name)
		}
		c := c
		for i := len(mw) - 1; i >= 0; i-- {
			c.Handler = mw[i](c.Handler)
		}
		r.commands = append(r.commands, &c)
		r.byName[c.Name] = &c
	}
	return nil
}

// parseCommand splits "/Name@bot  args" into the lowercase name and trimmed arguments. Full-width
// slashes count, since Chinese keyboards produce them. ok is false when text is not a command.
func parseCommand(text string) (name, args string, ok bool) {
	text = strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(text, "/"):
		text = text[1:]
	case strings.HasPrefix(text, "／"):
		text = text[len("／"):]
	default:
		return "", "", false
	}
	end := strings.IndexFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\u3000' })
	head := text
	if end >= 0 {
		head, args = text[:end], text[end:]
	}
	if at := strings.IndexByte(head, '@'); at >= 0 {
		head = head[:at]
	}
	if head == "" {
		return "", "", false
	}
	return strings.ToLower(head), strings.Join(strings.Fields(strings.ReplaceAll(args, "\u3000", " ")), " "), true
}
