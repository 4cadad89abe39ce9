// Package runbook finds an alert's runbook, loads it and reads its steps.
//
// A runbook is found from the alert's runbook_url or runbook annotation,
// else from the context's runbook directory by alert name, then by the
// alert's service label (Locate). Local files are read only from inside
// that directory; a URL is fetched only when its host is on the allowed
// list, and only when the answer is plain Markdown under a size limit
// (Load). Everything read passes sources/sanitize before it is returned.
//
// Parse turns the Markdown into steps (list items and headings), each with
// the fenced query blocks written under it and the language they are in.
package runbook

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/reltui/reltui/sources/sanitize"
)

// Target is the pane a step's query runs in.
type Target string

// The targets of a query block.
const (
	TargetMetrics Target = "metrics"
	TargetLogs    Target = "logs"
	TargetTraces  Target = "traces"
)

// Query is one fenced block of a step whose language names a query
// language reltui can run.
type Query struct {
	// Lang is the block's language as written, lower-cased: promql,
	// logql, logsql, traceql or trace.
	Lang   string
	Target Target
	// Text is the block's body, sanitized, without the final newline.
	Text string
}

// StepKind says what a step was in the Markdown.
type StepKind string

// The step kinds.
const (
	StepHeading StepKind = "heading"
	StepItem    StepKind = "item"
)

// Step is one thing the runbook asks the reader to do or read.
type Step struct {
	// Number counts steps from 1 in document order.
	Number int
	Kind   StepKind
	// Level is the heading level, or the list nesting depth from 1.
	Level int
	// Text is the step's own text on one line (a list item's first
	// paragraph, a heading's text), sanitized.
	Text    string
	Queries []Query
}

// Doc is a parsed runbook.
type Doc struct {
	// Markdown is the whole runbook, sanitized.
	Markdown string
	Steps    []Step
}

// langTargets maps fence languages to the pane that runs them.
var langTargets = map[string]Target{
	"promql": TargetMetrics, "metricsql": TargetMetrics,
	"logql": TargetLogs, "logsql": TargetLogs,
	"traceql": TargetTraces, "trace": TargetTraces, "traces": TargetTraces,
}

var spaces = regexp.MustCompile(`\s+`)

// Parse sanitizes md and reads its steps. It never fails: text that is
// not Markdown is one paragraph with no steps.
func Parse(md string) Doc {
	clean := sanitize.Text(md)
	src := []byte(clean)
	root := goldmark.New().Parser().Parse(text.NewReader(src))
	doc := Doc{Markdown: clean}
	depth := 0
	// owner is the step fenced blocks attach to: the innermost list item
	// being walked, else the last step seen.
	var owners []int
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.List:
			if entering {
				depth++
			} else {
				depth--
			}
		case *ast.Heading:
			if entering {
				// A heading that opens a list item is that item's text.
				if _, inItem := n.Parent().(*ast.ListItem); !inItem {
					doc.add(Step{Kind: StepHeading, Level: n.Level, Text: inlineText(n, src)})
				}
				return ast.WalkSkipChildren, nil
			}
		case *ast.ListItem:
			if !entering {
				owners = owners[:len(owners)-1]
				break
			}
			doc.add(Step{Kind: StepItem, Level: depth, Text: itemText(n, src)})
			owners = append(owners, len(doc.Steps)-1)
		case *ast.FencedCodeBlock:
			if !entering {
				break
			}
			lang := strings.ToLower(string(n.Language(src)))
			target, ok := langTargets[lang]
			if !ok || len(doc.Steps) == 0 {
				break
			}
			owner := len(doc.Steps) - 1
			if len(owners) > 0 {
				owner = owners[len(owners)-1]
			}
			body := strings.TrimRight(blockText(n, src), "\n")
			if strings.TrimSpace(body) != "" {
				doc.Steps[owner].Queries = append(doc.Steps[owner].Queries, Query{Lang: lang, Target: target, Text: body})
			}
		}
		return ast.WalkContinue, nil
	})
	return doc
}

func (d *Doc) add(s Step) {
	if s.Text == "" {
		return
	}
	s.Number = len(d.Steps) + 1
	d.Steps = append(d.Steps, s)
}

// itemText is a list item's own text: its first text block, not the
// nested lists or code under it.
func itemText(n *ast.ListItem, src []byte) string {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			return inlineText(c, src)
		}
	}
	return ""
}

// inlineText flattens a block's inline content to one line.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(spaces.ReplaceAllString(sanitize.Line(b.String()), " "))
}

func blockText(n *ast.FencedCodeBlock, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}
