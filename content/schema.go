package content

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shape describes which keys a YAML mapping may hold, so that a misspelt field ("sumary") is reported
// at its line instead of being silently ignored.
type shape struct {
	keys map[string]*shape // nil for a scalar or a list of scalars
	list *shape            // the shape of each item, for a list of mappings
}

func fields(kv map[string]*shape) *shape { return &shape{keys: kv} }
func listOf(item *shape) *shape          { return &shape{list: item} }

var (
	textShape  = fields(map[string]*shape{"en": nil, "zh": nil})
	topicShape = fields(map[string]*shape{"id": nil, "name": textShape, "aliases": nil, "seed": nil})
	// An atom is a string or {en, zh, notable}; a fact is a list of atoms or a single one.
	atomShape        = fields(map[string]*shape{"en": nil, "zh": nil, "notable": nil})
	factShape        = listOf(atomShape)
	sharedTraitShape = fields(map[string]*shape{"key": nil, "en": nil, "zh": nil, "contrasts": nil})
	entryShape       = fields(map[string]*shape{
		"id": nil, "name": nil, "name_zh": nil, "kind": nil, "aliases": nil, "topics": nil,
		"status": nil, "superseded_by": nil, "status_note": textShape,
		"links":   fields(map[string]*shape{"docs": nil, "pypi": nil, "source": nil}),
		"related": nil, "summary": textShape, "details": textShape, "correction": textShape,
		"uses": textShape, "features": textShape, "pick_when": textShape,
		"tips": listOf(textShape),
		"quiz": fields(map[string]*shape{
			"clue":    fields(map[string]*shape{"en": nil, "zh": nil, "why": textShape}),
			"purpose": textShape, "origin": textShape, "internals": textShape,
			"facts": fields(map[string]*shape{
				"creator": factShape, "organisation": factShape, "year": nil,
				"built_on": factShape, "written_in": factShape, "uses": factShape,
			}),
			"traits": listOf(fields(map[string]*shape{
				"key": nil, "en": nil, "zh": nil, "why": textShape, "contrasts": nil, "about": nil, "name_ok": nil,
			})),
			"partly": nil,
			"myths":  listOf(fields(map[string]*shape{"key": nil, "en": nil, "zh": nil, "truth": textShape, "about": nil})),
			"questions": listOf(fields(map[string]*shape{
				"key": nil, "q": textShape, "answer": textShape, "wrong": listOf(textShape), "explain": textShape,
				"about": nil, "name_ok": nil,
			})),
		}),
	})
)

// checkKeys reports keys of n that sh does not allow, recursively.
func checkKeys(n *yaml.Node, sh *shape, at string) []Problem {
	if sh == nil || n == nil {
		return nil
	}
	var ps []Problem
	switch {
	case sh.list != nil && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content {
			ps = append(ps, checkKeys(item, sh.list, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case sh.list != nil:
		ps = append(ps, checkKeys(n, sh.list, at)...) // a single item written without the list
	case sh.keys != nil && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub, ok := sh.keys[k.Value]
			if !ok {
				ps = append(ps, Problem{Line: k.Line, Msg: fmt.Sprintf("unknown field %q", join(at, k.Value))})
				continue
			}
			ps = append(ps, checkKeys(v, sub, join(at, k.Value))...)
		}
	}
	return ps
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// lineOf returns the line of the node at the dotted path below n ("quiz.traits.1.en"), or of the
// deepest existing ancestor when part of the path is missing, so a "missing field" problem points at
// the mapping that should contain it.
func lineOf(n *yaml.Node, path string) int {
	if n == nil {
		return 0
	}
	line := n.Line
	if path == "" {
		return line
	}
	for _, part := range strings.Split(path, ".") {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					next = n.Content[i+1]
					if next.Kind == yaml.ScalarNode {
						next = &yaml.Node{Line: n.Content[i].Line, Kind: yaml.ScalarNode}
					}
					break
				}
			}
		case yaml.SequenceNode:
			var idx int
			if _, err := fmt.Sscanf(part, "%d", &idx); err == nil && idx >= 0 && idx < len(n.Content) {
				next = n.Content[idx]
			}
		}
		if next == nil {
			return line
		}
		n, line = next, next.Line
	}
	return line
}
