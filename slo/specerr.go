package slo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/timespec"
)

// FieldError is one thing wrong in a spec file, named by file, position and
// field path so that the author can go straight to it, e.g.
// slos.yaml:7:16: slos[0].objective: must be between 0 and 100, got 120.
type FieldError struct {
	File   string
	Line   int
	Column int
	// Field is the dotted path of the offending field, e.g.
	// slos[0].sli.events.error_query. It is empty only for a file that is
	// not YAML at all.
	Field string
	Msg   string
}

// Error formats the problem as file:line:column: field: message.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// SpecErrors is every problem found in one file, in file order. Readers
// collect them all so that a file is fixed in one pass, not one error per run.
type SpecErrors []*FieldError

// Error lists the problems one per line.
func (es SpecErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// walker reads yaml.Nodes by hand, because the formats mix shapes (a label
// value may be a string or a list) and every error must carry its field path.
type walker struct {
	file string
	errs SpecErrors
}

func (w *walker) fail(n *yaml.Node, field, format string, args ...any) {
	if field == "" {
		field = "(top level)" // the document itself, e.g. a file that is just "0"
	}
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	w.errs = append(w.errs, &FieldError{File: w.file, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (w *walker) err() error {
	if len(w.errs) == 0 {
		return nil
	}
	return w.errs
}

// document is one YAML document of a file and the field path that names it
// in errors: "" for a file of one document, documents[i] for a --- stream,
// [i] for an item of a top-level list of documents.
type document struct {
	node  *yaml.Node
	field string
}

// documents splits a (possibly multi-document) YAML stream. A top-level
// list whose first item has an apiVersion is a list of documents, the form
// OpenSLO's own tools read and write. A syntax error ends reading: nothing
// after it can be trusted.
func (w *walker) documents(data []byte) []document {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var roots []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.errs = append(w.errs, syntaxError(w.file, err))
			break
		}
		if len(n.Content) == 0 {
			continue // an empty document between two ---
		}
		roots = append(roots, n.Content[0])
	}
	var docs []document
	for i, root := range roots {
		prefix := ""
		if len(roots) > 1 {
			prefix = fmt.Sprintf("documents[%d]", i)
		}
		if items := documentList(root); items != nil {
			if listItems(root) != nil {
				prefix = join(prefix, "items") // kubectl's kind: List
			}
			for j, item := range items {
				docs = append(docs, document{item, fmt.Sprintf("%s[%d]", prefix, j)})
			}
			continue
		}
		docs = append(docs, document{root, prefix})
	}
	return docs
}

// documentList returns the items of a top-level list of apiVersion'd
// documents, or of a Kubernetes kind: List (what kubectl get -o yaml
// prints for several objects); nil for anything else.
func documentList(n *yaml.Node) []*yaml.Node {
	if items := listItems(n); items != nil {
		n = items
	}
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil
	}
	if _, ok := mapChild(n.Content[0])["apiVersion"]; !ok {
		return nil
	}
	return n.Content
}

// listItems returns the items: of a Kubernetes kind: List, nil otherwise.
func listItems(n *yaml.Node) *yaml.Node {
	m := mapChild(n)
	if scalar(m["kind"]) != "List" || scalar(m["apiVersion"]) != "v1" {
		return nil
	}
	return m["items"]
}

// syntaxError turns yaml.v3's "yaml: line 3: ..." into file:3: invalid YAML.
func syntaxError(file string, err error) *FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	return &FieldError{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// mapping returns the keys of a mapping node in file order. known, when
// not nil, makes unknown keys an error (reltui's own format is strict so
// typos surface; foreign formats are read leniently because they grow
// fields reltui has no use for).
func (w *walker) mapping(n *yaml.Node, field string, known []string) (map[string]*yaml.Node, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		w.fail(n, field, "expected a mapping of keys, got %s", kindName(n))
		return nil, false
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			w.fail(n.Content[i], field, "keys must be plain strings")
			continue
		}
		child := join(field, k.Value)
		if _, dup := out[k.Value]; dup {
			w.fail(k, child, "duplicate key")
			continue
		}
		if known != nil && !contains(known, k.Value) {
			w.fail(k, child, "unknown key (known: %s)", strings.Join(known, ", "))
			continue
		}
		out[k.Value] = v
	}
	return out, true
}

// exact checks that m[key] is the string want, as apiVersion and kind must be.
func (w *walker) exact(m map[string]*yaml.Node, key, field, want string) bool {
	f := join(field, key)
	v, ok := w.str(m[key], f)
	if ok && v != want {
		w.fail(m[key], f, "must be %q, got %q", want, v)
	}
	return ok && v == want
}

// sloSet collects a file's SLOs, each id once.
type sloSet struct {
	out  []SLO
	seen map[string]bool
}

// add keeps s unless its id was seen; false when it was.
func (s *sloSet) add(id string, slo SLO) bool {
	if s.seen[id] {
		return false
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[id] = true
	s.out = append(s.out, slo)
	return true
}

// result is the SLOs, or every problem the walker found.
func (s *sloSet) result(w *walker) ([]SLO, error) {
	if err := w.err(); err != nil {
		return nil, err
	}
	return s.out, nil
}

// optStr reads m[key] as a string when it is there.
func (w *walker) optStr(m map[string]*yaml.Node, key, field string) string {
	v, present := m[key]
	if !present {
		return ""
	}
	s, _ := w.str(v, join(field, key))
	return s
}

// reqStr reads m[key] as a string, reporting it missing at parent.
func (w *walker) reqStr(m map[string]*yaml.Node, parent *yaml.Node, key, field string) string {
	if _, present := m[key]; !present {
		w.fail(parent, join(field, key), "is required")
		return ""
	}
	return w.optStr(m, key, field)
}

func (w *walker) sequence(n *yaml.Node, field string) ([]*yaml.Node, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		w.fail(n, field, "expected a list, got %s", kindName(n))
		return nil, false
	}
	return n.Content, true
}

func (w *walker) str(n *yaml.Node, field string) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		w.fail(n, field, "expected a string, got %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

func (w *walker) number(n *yaml.Node, field string) (float64, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float" && n.Tag != "!!str") {
		w.fail(n, field, "expected a number, got %s", kindName(n))
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || v != v {
		w.fail(n, field, "expected a number, got %q", n.Value)
		return 0, false
	}
	return v, true
}

func (w *walker) boolean(n *yaml.Node, field string) (bool, bool) {
	n = resolve(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	w.fail(n, field, "expected true or false, got %s", kindName(n))
	return false, false
}

func (w *walker) duration(n *yaml.Node, field string) (time.Duration, bool) {
	s, ok := w.str(n, field)
	if !ok {
		return 0, false
	}
	d, err := timespec.ParseDuration(s)
	if err != nil {
		w.fail(n, field, "%v", err)
		return 0, false
	}
	return d, true
}

// window reads a window of reltui's own format and holds it to
// AllowedWindows.
func (w *walker) window(n *yaml.Node, field string) (time.Duration, bool) {
	d, ok := w.duration(n, field)
	if !ok {
		return 0, false
	}
	if !slices.Contains(AllowedWindows(), d) {
		w.fail(n, field, "window must be 7d, 28d or 30d, got %s", resolve(n).Value)
		return 0, false
	}
	return d, true
}

// anyWindow reads a window of a foreign format (Pyrra's 2w, a day count):
// any whole number of days from MinWindow to MaxWindow.
func (w *walker) anyWindow(n *yaml.Node, field string) (time.Duration, bool) {
	d, ok := w.duration(n, field)
	if !ok {
		return 0, false
	}
	if !windowAllowed(d) {
		w.fail(n, field, "window must be a whole number of days from 1d to 366d, got %s", resolve(n).Value)
		return 0, false
	}
	return d, true
}

// labels reads a string map. OpenSLO allows a list of strings as a label
// value; it is joined with commas because reltui's labels are flat.
func (w *walker) labels(n *yaml.Node, field string) map[string]string {
	if isNull(n) {
		return nil
	}
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		v = resolve(v)
		if v != nil && v.Kind == yaml.SequenceNode {
			var parts []string
			for i, item := range v.Content {
				if s, ok := w.str(item, fmt.Sprintf("%s[%d]", join(field, k), i)); ok {
					parts = append(parts, s)
				}
			}
			out[k] = strings.Join(parts, ",")
			continue
		}
		if s, ok := w.str(v, join(field, k)); ok {
			out[k] = s
		}
	}
	return out
}

// query reads a PromQL template and checks it parses.
func (w *walker) query(n *yaml.Node, field string) (string, bool) {
	q, ok := w.str(n, field)
	if !ok {
		return "", false
	}
	if err := checkQuery(q); err != nil {
		w.fail(n, field, "query %v", err)
		return "", false
	}
	return strings.TrimSpace(q), true
}

// percentObjective reads an objective written as a percent (Sloth, inline).
func (w *walker) percentObjective(n *yaml.Node, field string) (float64, bool) {
	v, ok := w.number(n, field)
	if !ok {
		return 0, false
	}
	if !(v > 0 && v < 100) {
		if v == 100 {
			w.fail(n, field, "must be below 100: a 100%% objective leaves no error budget to burn")
		} else {
			w.fail(n, field, "must be between 0 and 100, got %s", formatNumber(v))
		}
		return 0, false
	}
	return math100(v), true
}

// math100 turns a percent into a fraction without 99.9/100 turning into
// 0.9990000000000001.
func math100(p float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(p/100, 'g', 12, 64), 64)
	return f
}

func kindName(n *yaml.Node) string {
	n = resolve(n)
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!null":
		return "nothing"
	default:
		return strconv.Quote(n.Value)
	}
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
