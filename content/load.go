package content

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed data
var embedded embed.FS

// Source is a directory of content files: `entries/*.yaml` and an optional `topics.yaml`. Name is how
// problems refer to it (a path relative to where the operator runs the bot).
type Source struct {
	Name string
	FS   fs.FS
}

// Embedded is the knowledge base compiled into the binary.
func Embedded() Source {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the embed directive guarantees the directory exists
	}
	return Source{Name: "content/data", FS: sub}
}

// Dir is a content directory on disk, such as BOT_CONTENT_DIR.
func Dir(dir string) Source {
	return Source{Name: dir, FS: os.DirFS(dir)}
}

// Problem is one thing wrong with the content, located by file and line so an editor can jump to it.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is every problem found while loading, in file and line order. It is returned as an error
// so that a knowledge base with any problem is never served half-valid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads, validates and indexes the sources in order; an entry or topic in a later source replaces
// one with the same id from an earlier source, so an operator's directory can override embedded
// entries. Any problem fails the whole load with a Problems error.
func Load(sources ...Source) (*KB, error) {
	var l loader
	for _, src := range sources {
		l.readSource(src)
	}
	if len(l.topics) == 0 && len(l.problems) == 0 {
		l.problems = append(l.problems, Problem{File: "topics.yaml", Msg: "no topics defined"})
	}
	l.validate()
	if len(l.problems) > 0 {
		ps := l.problems
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].File != ps[j].File {
				return ps[i].File < ps[j].File
			}
			return ps[i].Line < ps[j].Line
		})
		return nil, ps
	}
	return newKB(l.topics, l.entries), nil
}

// Lint loads the sources and returns their problems; an empty result means the content is valid.
func Lint(sources ...Source) Problems {
	_, err := Load(sources...)
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	if err != nil {
		return Problems{{File: "content", Msg: err.Error()}}
	}
	return nil
}

type loadedEntry struct {
	*Entry
	file string
	node *yaml.Node // the document's mapping node, for line numbers
}

type loadedTopic struct {
	*Topic
	file string
	line int
}

type loader struct {
	topics   []loadedTopic
	shared   []loadedTrait
	entries  []loadedEntry
	problems Problems
}

// loadedTrait is a trait declared once in traits.yaml for the entries that share it.
type loadedTrait struct {
	Trait
	file string
	line int
}

func (l *loader) addf(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) readSource(src Source) {
	if b, err := fs.ReadFile(src.FS, "topics.yaml"); err == nil {
		l.readTopics(path.Join(src.Name, "topics.yaml"), b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.addf(src.Name, 0, "reading topics.yaml: %v", err)
	}
	if b, err := fs.ReadFile(src.FS, "traits.yaml"); err == nil {
		l.readTraits(path.Join(src.Name, "traits.yaml"), b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.addf(src.Name, 0, "reading traits.yaml: %v", err)
	}
	files, err := fs.Glob(src.FS, "entries/*.yaml")
	if err != nil {
		l.addf(src.Name, 0, "listing entries: %v", err)
		return
	}
	if len(files) == 0 {
		if _, statErr := fs.Stat(src.FS, "."); statErr != nil {
			l.addf(src.Name, 0, "cannot read content directory: %v", statErr)
		}
	}
	parsed := l.parseEntries(src, files)
	seen := map[string]string{}
	for i, f := range files {
		name := path.Join(src.Name, f)
		p := parsed[i]
		l.problems = append(l.problems, p.problems...)
		e := p.entry
		if e == nil {
			continue
		}
		if prev, dup := seen[e.ID]; dup {
			l.addf(name, lineOf(e.node, "id"), "duplicate id %q (also in %s)", e.ID, prev)
			continue
		}
		seen[e.ID] = name
		if want := strings.TrimSuffix(path.Base(f), ".yaml"); e.ID != want {
			l.addf(name, lineOf(e.node, "id"), "id %q does not match the file name (want %q)", e.ID, want)
		}
		l.replaceOrAdd(*e)
	}
}

type parsedEntry struct {
	entry    *loadedEntry
	problems Problems
}

// parseEntries reads and decodes the files on all CPUs (YAML decoding is most of start-up time);
// results keep the order of files so that problems and overrides stay deterministic.
func (l *loader) parseEntries(src Source, files []string) []parsedEntry {
	out := make([]parsedEntry, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var pl loader // collects this file's problems without sharing l
				name := path.Join(src.Name, files[i])
				if b, err := fs.ReadFile(src.FS, files[i]); err != nil {
					pl.addf(name, 0, "%v", err)
				} else {
					out[i].entry = pl.readEntry(name, b)
				}
				out[i].problems = pl.problems
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (l *loader) replaceOrAdd(e loadedEntry) {
	for i := range l.entries {
		if l.entries[i].ID == e.ID {
			l.entries[i] = e
			return
		}
	}
	l.entries = append(l.entries, e)
}

func (l *loader) readTopics(file string, b []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		l.addf(file, yamlErrLine(err), "%s", yamlErrMsg(err))
		return
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		l.addf(file, 1, "topics.yaml must be a list of topics")
		return
	}
	for _, n := range doc.Content[0].Content {
		for _, p := range checkKeys(n, topicShape, "") {
			l.addf(file, p.Line, "%s", p.Msg)
		}
		var t Topic
		if err := n.Decode(&t); err != nil {
			l.addf(file, n.Line, "%s", yamlErrMsg(err))
			continue
		}
		lt := loadedTopic{Topic: &t, file: file, line: n.Line}
		replaced := false
		for i := range l.topics {
			if l.topics[i].ID == t.ID {
				if l.topics[i].file == file {
					l.addf(file, n.Line, "duplicate topic id %q", t.ID)
				}
				l.topics[i], replaced = lt, true
			}
		}
		if !replaced {
			l.topics = append(l.topics, lt)
		}
	}
}

// readTraits reads the shared traits of one source; a later source replaces a trait with the same key.
func (l *loader) readTraits(file string, b []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		l.addf(file, yamlErrLine(err), "%s", yamlErrMsg(err))
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	if doc.Content[0].Kind != yaml.SequenceNode {
		l.addf(file, 1, "traits.yaml must be a list of traits")
		return
	}
	seen := map[string]bool{}
	for _, n := range doc.Content[0].Content {
		for _, p := range checkKeys(n, sharedTraitShape, "") {
			l.addf(file, p.Line, "%s", p.Msg)
		}
		var t Trait
		if err := n.Decode(&t); err != nil {
			l.addf(file, n.Line, "%s", yamlErrMsg(err))
			continue
		}
		if seen[t.Key] {
			l.addf(file, n.Line, "duplicate shared trait %q", t.Key)
		}
		seen[t.Key] = true
		t.Shared = true
		lt := loadedTrait{Trait: t, file: file, line: n.Line}
		if i := slices.IndexFunc(l.shared, func(o loadedTrait) bool { return o.Key == t.Key }); i >= 0 {
			l.shared[i] = lt
		} else {
			l.shared = append(l.shared, lt)
		}
	}
}

func (l *loader) readEntry(file string, b []byte) *loadedEntry {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		l.addf(file, yamlErrLine(err), "%s", yamlErrMsg(err))
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		l.addf(file, 1, "an entry must be a YAML mapping")
		return nil
	}
	root := doc.Content[0]
	for _, p := range checkKeys(root, entryShape, "") {
		l.addf(file, p.Line, "%s", p.Msg)
	}
	e := &Entry{Source: file}
	if err := root.Decode(e); err != nil {
		l.addf(file, yamlErrLine(err), "%s", yamlErrMsg(err))
		return nil
	}
	return &loadedEntry{Entry: e, file: file, node: root}
}

// yamlErrLine and yamlErrMsg split the yaml package's "yaml: line N: msg" errors so that problems
// print in the file:line: form.
func yamlErrLine(err error) int {
	var n int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &n)
	}
	return n
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if i := strings.Index(msg, "line "); i == 0 {
		if j := strings.Index(msg, ": "); j > 0 {
			msg = msg[j+2:]
		}
	}
	return msg
}
