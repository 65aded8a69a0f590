package surveys

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a definition file.
type Problem struct {
	Path    string // field path, e.g. "categories[2].indicators[0].code"
	Line    int    // 1-based YAML line, 0 when unknown
	Message string
}

func (p Problem) String() string {
	loc := p.Path
	switch {
	case p.Line > 0 && p.Path != "":
		loc = fmt.Sprintf("line %d: %s", p.Line, p.Path)
	case p.Line > 0:
		loc = fmt.Sprintf("line %d", p.Line)
	}
	if loc == "" {
		return p.Message
	}
	return loc + ": " + p.Message
}

// Problems is every problem found in a definition. It wraps ErrInvalid.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "survey definition has %d problem(s)", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (ps Problems) Unwrap() error { return ErrInvalid }

// Load reads and parses the definition file at path.
func Load(path string) (*Definition, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read survey definition: %w", err)
	}
	d, err := Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// Parse decodes a YAML definition and validates it. The error, if any, is
// Problems listing every problem found.
func Parse(src []byte) (*Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, Problems{yamlProblem(err.Error())}
	}
	var d Definition
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			ps := make(Problems, 0, len(te.Errors))
			for _, e := range te.Errors {
				ps = append(ps, yamlProblem(e))
			}
			return nil, ps
		}
		return nil, Problems{yamlProblem(err.Error())}
	}
	lines := map[string]int{}
	if len(root.Content) > 0 {
		nodeLines(root.Content[0], "", lines)
	}
	ps := d.emptyEntries()
	if len(ps) == 0 {
		ps = d.validate()
	}
	if len(ps) > 0 {
		for i := range ps {
			ps[i].Line = lineOf(lines, ps[i].Path)
		}
		// Maps (scales, indicators) are checked in random order: report in
		// file order, so runs are reproducible.
		sort.SliceStable(ps, func(a, b int) bool {
			if ps[a].Line != ps[b].Line {
				return ps[a].Line < ps[b].Line
			}
			return ps[a].Path < ps[b].Path
		})
		return nil, ps
	}
	d.expand()
	return &d, nil
}

// emptyEntries lists the empty items of the lists and maps of pointers
// (a "-" or "key:" with nothing after it), which decode to nil and must
// not reach validate (found by FuzzParse).
func (d *Definition) emptyEntries() Problems {
	var ps Problems
	empty := func(format string, args ...any) {
		ps = append(ps, Problem{Path: fmt.Sprintf(format, args...), Message: "empty entry"})
	}
	for k, s := range d.Scales {
		if s == nil {
			empty("scales.%s", k)
		}
	}
	for i, c := range d.Categories {
		if c == nil {
			empty("categories[%d]", i)
			continue
		}
		for j, ind := range c.Indicators {
			if ind == nil {
				empty("categories[%d].indicators[%d]", i, j)
			}
		}
	}
	for i, k := range d.Kano {
		if k == nil {
			empty("kano_items[%d]", i)
		}
	}
	for i, q := range d.Block.Extra {
		if q == nil {
			empty("category_block.extra[%d]", i)
		}
	}
	for i, s := range d.Sections {
		if s == nil {
			empty("sections[%d]", i)
			continue
		}
		for j, q := range s.Questions {
			if q == nil {
				empty("sections[%d].questions[%d]", i, j)
			}
		}
	}
	return ps
}

func yamlProblem(msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Message: m[2]}
	}
	return Problem{Message: msg}
}

// nodeLines records the line of every path in the YAML tree.
func nodeLines(n *yaml.Node, path string, lines map[string]int) {
	lines[path] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			lines[p] = n.Content[i].Line
			nodeLines(n.Content[i+1], p, lines)
			lines[p] = n.Content[i].Line
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			nodeLines(c, fmt.Sprintf("%s[%d]", path, i), lines)
		}
	}
}

// lineOf finds the line of path, or of its nearest ancestor that exists.
func lineOf(lines map[string]int, path string) int {
	for p := path; p != ""; {
		if l, ok := lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}
