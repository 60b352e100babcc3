package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// Request is what a handler sees: the event, the language to answer in, and for commands the
// command name and its argument text, parsed once by the router.
type Request struct {
	Event
	Lang    content.Lang
	Command string
	Args    string
}

// HandlerFunc handles one request. Errors are turned into a friendly reply in one place
// (replyForError), so handlers return them instead of wording apologies themselves.
type HandlerFunc func(ctx context.Context, req *Request) ([]Reply, error)

// Middleware wraps the whole pipeline, for concerns every event shares (recovery, logging,
// limits): each is added once and sees commands, button presses and plain text alike.
type Middleware func(HandlerFunc) HandlerFunc

// ArgType is how a platform with typed options (Discord) should ask for an argument.
type ArgType int

// Argument types.
const (
	ArgText ArgType = iota
	ArgInt
)

// Completion names where suggestions for an argument come from (Suggest's scopes), so platforms
// that autocomplete (Discord) can offer them.
type Completion int

// Completions.
const (
	CompleteNone Completion = iota
	CompleteEntries
	CompleteQuizScopes
)

// Arg declares one argument of a command, so menus and typed slash options are built from the
// command table instead of being written again per platform.
type Arg struct {
	// Name is the option's name where platforms name them (Discord): lowercase, no spaces.
	Name string
	// Label is how help text shows it ("NAME", "名称").
	Label content.Text
	// Help describes the argument.
	Help     content.Text
	Type     ArgType
	Required bool
	Complete Completion
	// Choices are the only values allowed, where the command takes a fixed set ("en", "zh").
	Choices []string
	// Min and Max bound an ArgInt (0, 0: unbounded).
	Min, Max int
	// Suffix is appended to the value where a platform passes arguments as typed options
	// (Discord), so that the command can tell the argument apart from a number before it that
	// was left out: /challenge reads "30s" as seconds.
	Suffix string
}

// Command is a slash command. Name is what users type after "/", lowercase letters, digits and
// underscores only, so the same table can be registered as Telegram bot commands and Discord slash
// commands.
type Command struct {
	Name string
	Args []Arg
	// Help is the one-line description shown by /help and in platform command menus.
	Help content.Text
	// Hidden commands work but are left out of /help and command menus (/start).
	Hidden bool
	// Native lists the command only on platforms that render quizzes natively (/quizmode).
	Native bool
	// Starts marks commands that start something (a round): they are rate-limited per chat too.
	Starts bool
	// Private commands answer the asking user alone (their progress, their data): every reply
	// is marked Private. Declared here rather than per reply so that platforms which must choose
	// before the answer is ready how it will be shown (a Discord deferred response) can tell.
	Private bool
	Handler HandlerFunc
}

// usage is "/quiz [TOPIC] [N]" in lang.
func (c *Command) usage(lang content.Lang) string {
	u := "/" + c.Name
	for _, a := range c.Args {
		label := a.Label.In(lang)
		if len(a.Choices) > 0 {
			label = strings.Join(a.Choices, "|")
		}
		if !a.Required {
			label = "[" + label + "]"
		}
		u += " " + label
	}
	return u
}

var (
	commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	argName     = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
)

// router dispatches an event: a command by name, a pressed choice by the prefix of its data, and
// plain text to the text handler. It is filled once at start-up and read-only afterwards.
type router struct {
	commands []*Command
	byName   map[string]*Command
	choices  map[string]HandlerFunc // by the data's prefix up to and including ':'
	text     HandlerFunc
}

// register adds commands, failing on the mistakes that would otherwise surface only when a user
// typed the command: bad names, duplicates, missing handlers or help.
func (r *router) register(cmds ...Command) error {
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
		optional := false
		for _, a := range c.Args {
			switch {
			case !argName.MatchString(a.Name):
				return fmt.Errorf("command %q: argument %q must be a lowercase name", c.Name, a.Name)
			case a.Label.EN == "" || a.Label.ZH == "" || a.Help.EN == "" || a.Help.ZH == "":
				return fmt.Errorf("command %q: argument %q needs a label and help in English and Chinese", c.Name, a.Name)
			case a.Required && optional:
				return fmt.Errorf("command %q: required argument %q follows an optional one", c.Name, a.Name)
			}
			optional = optional || !a.Required
		}
		c := c
		r.commands = append(r.commands, &c)
		r.byName[c.Name] = &c
	}
	return nil
}

// handleChoices routes pressed choices whose data starts with prefix (which ends in ':').
func (r *router) handleChoices(prefix string, h HandlerFunc) error {
	if !strings.HasSuffix(prefix, ":") || strings.Count(prefix, ":") != 1 {
		return fmt.Errorf("choice prefix %q must end in its only ':'", prefix)
	}
	if r.choices == nil {
		r.choices = map[string]HandlerFunc{}
	}
	if r.choices[prefix] != nil {
		return fmt.Errorf("choice prefix %q registered twice", prefix)
	}
	r.choices[prefix] = h
	return nil
}

// route is the innermost handler: it picks the handler for the request and runs it.
func (r *router) route(ctx context.Context, req *Request) ([]Reply, error) {
	switch {
	case req.Choice != "":
		prefix, _, ok := strings.Cut(req.Choice, ":")
		h := r.choices[prefix+":"]
		if !ok || h == nil {
			return nil, errBadButton
		}
		return h(ctx, req)
	case req.Command != "":
		cmd := r.byName[req.Command]
		if cmd == nil {
			if !req.addressed() {
				return nil, nil // probably another bot's command
			}
			return nil, invalid(msgUnknownCommand, "/"+clip(req.Command, 32))
		}
		replies, err := cmd.Handler(ctx, req)
		if cmd.Private {
			for i := range replies {
				replies[i].Private = true
			}
		}
		return replies, err
	case req.Args != "":
		if r.text == nil {
			return nil, nil
		}
		return r.text(ctx, req)
	}
	return nil, nil
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
