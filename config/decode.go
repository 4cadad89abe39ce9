package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/timespec"
)

// Problem is one thing wrong with a configuration file.
type Problem struct {
	File   string
	Line   int
	Column int
	Key    string // dotted path, e.g. contexts.prod.loki.url
	Msg    string
}

func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	if p.Key != "" {
		b.WriteString(": " + p.Key)
	}
	b.WriteString(": " + p.Msg)
	return b.String()
}

// Problems is every problem found in one file, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// positions maps a dotted key path to where it was written.
type positions map[string][2]int

func (p positions) at(key string) (int, int) {
	if v, ok := p[key]; ok {
		return v[0], v[1]
	}
	return 0, 0
}

type decoder struct {
	file     string
	pos      positions
	problems Problems
}

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Column: col, Key: key, Msg: fmt.Sprintf(format, args...)})
}

var (
	durationType = reflect.TypeOf(Duration(0))
	secretType   = reflect.TypeOf(Secret{})
	rawType      = reflect.TypeOf(RawYAML{})
)

// decode fills v from n, strictly. Problems are collected rather than
// returned at the first one, so a user fixes a file in one pass.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, key string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value leaves the zero value
	}
	if v.Kind() == reflect.Pointer {
		if v.Type().Elem() == secretType && n.Kind != yaml.MappingNode {
			// Leave it nil so validation does not report it a second time.
			d.fail(n, key, "inline secrets are not accepted; write {file: PATH} or {env: VAR}")
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), key)
		return
	}
	switch {
	case v.Type() == rawType:
		v.Set(reflect.ValueOf(RawYAML{Node: n}))
	case v.Type() == secretType && n.Kind != yaml.MappingNode:
		// Never echo the value: it is the secret the user just pasted.
		d.fail(n, key, "inline secrets are not accepted; write {file: PATH} or {env: VAR}")
	case v.Type() == durationType:
		d.scalarDuration(n, v, key)
	case v.Kind() == reflect.Struct:
		d.structure(n, v, key)
	case v.Kind() == reflect.Map:
		d.mapping(n, v, key)
	case v.Kind() == reflect.Slice:
		d.sequence(n, v, key)
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, key, "expected a string, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case v.Kind() == reflect.Bool:
		b, ok := scalarBool(n)
		if !ok {
			d.fail(n, key, "expected true or false, got %s", shown(n))
			return
		}
		v.SetBool(b)
	case v.Kind() == reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.fail(n, key, "expected a whole number, got %s", shown(n))
			return
		}
		v.SetInt(int64(i))
	default:
		d.fail(n, key, "internal: unsupported type %s", v.Type())
	}
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "expected a mapping of keys, got %s", kindName(n))
		return
	}
	fields := map[string]int{}
	var names []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = i
		names = append(names, tag)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		child := join(key, kn.Value)
		if seen[kn.Value] {
			d.fail(kn, child, "duplicate key")
			continue
		}
		seen[kn.Value] = true
		idx, ok := fields[kn.Value]
		if !ok {
			d.fail(kn, child, "unknown key%s", unknownHint(kn.Value, names))
			continue
		}
		d.pos[child] = [2]int{kn.Line, kn.Column}
		d.decode(vn, v.Field(idx), child)
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "expected a mapping, got %s", kindName(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		child := join(key, kn.Value)
		if kn.Kind != yaml.ScalarNode || kn.Value == "" {
			d.fail(kn, key, "keys must be non-empty strings")
			continue
		}
		if v.MapIndex(reflect.ValueOf(kn.Value)).IsValid() {
			d.fail(kn, child, "duplicate key")
			continue
		}
		d.pos[child] = [2]int{kn.Line, kn.Column}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(vn, elem, child)
		v.SetMapIndex(reflect.ValueOf(kn.Value), elem)
	}
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, key, "expected a list, got %s", kindName(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.decode(c, out.Index(i), fmt.Sprintf("%s[%d]", key, i))
	}
	v.Set(out)
}

func (d *decoder) scalarDuration(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, key, "expected a duration like 30s, got %s", kindName(n))
		return
	}
	dur, err := ParseDuration(n.Value)
	if err != nil {
		d.fail(n, key, "expected a duration like 30s or 2m, got %q", n.Value)
		return
	}
	v.SetInt(int64(dur))
}

// ParseDuration accepts Go durations plus d (days) and w (weeks).
func ParseDuration(s string) (time.Duration, error) { return timespec.ParseDuration(s) }

func scalarBool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch n.Value {
	case "true", "True", "TRUE", "yes", "on":
		return true, true
	case "false", "False", "FALSE", "no", "off":
		return false, true
	}
	return false, false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return shown(n)
	}
	return "something else"
}

func shown(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	return strconv.Quote(n.Value)
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// inlineSecretKeys are keys people reach for that would put a secret in
// the file; they get a specific hint instead of a bare "unknown key".
var inlineSecretKeys = map[string]string{
	"password":      "inline passwords are not accepted; use password: {file: PATH} or password: {env: VAR}",
	"token":         "inline tokens are not accepted; use bearer_token: {file: PATH} or bearer_token: {env: VAR}",
	"bearer":        "use bearer_token: {file: PATH} or bearer_token: {env: VAR}",
	"api_key":       "use bearer_token: {file: PATH} or bearer_token: {env: VAR}",
	"password_env":  "write password: {env: VAR}",
	"password_file": "write password: {file: PATH}",
}

func unknownHint(k string, known []string) string {
	if h, ok := inlineSecretKeys[k]; ok && !contains(known, k) {
		return " (" + h + ")"
	}
	best, bestD := "", 4
	for _, cand := range known {
		if dd := editDistance(k, cand); dd < bestD {
			best, bestD = cand, dd
		}
	}
	sort.Strings(known)
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
