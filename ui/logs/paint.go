package logs

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// paint applies one style to single-line, tab-free text (what
// sanitize.Line leaves) by wrapping it in the escape sequences the style
// produced once, when the pane was built. lipgloss.Style.Render converts
// every colour to the terminal's profile on each call, which was most of a
// frame's cost; the row renderer calls a paint dozens of times per frame.
type paint struct {
	pre, suf string
	style    lipgloss.Style
	exact    bool // pre+text+suf is what Render gives
}

// paintProbe is a text no style changes, used to find the prefix and
// suffix a style wraps around its text.
const paintProbe = "\x00probe\x00"

func newPaint(s lipgloss.Style) paint {
	p := paint{style: s}
	// Underline and strikethrough style spaces one by one, and sizes,
	// paddings and borders reshape the text: those keep using Render.
	if s.GetUnderline() || s.GetStrikethrough() || s.GetWidth() > 0 || s.GetHorizontalFrameSize() > 0 || s.GetTransform() != nil {
		return p
	}
	out := s.Render(paintProbe)
	i := strings.Index(out, paintProbe)
	if i < 0 || strings.Count(out, paintProbe) != 1 {
		return p
	}
	p.pre, p.suf, p.exact = out[:i], out[i+len(paintProbe):], true
	return p
}

// Render styles s, which must hold no newline or tab.
func (p *paint) Render(s string) string {
	if !p.exact {
		return p.style.Render(s)
	}
	return p.pre + s + p.suf
}

// write appends the styled s to b without building the string first.
func (p *paint) write(b *strings.Builder, s string) {
	if !p.exact {
		b.WriteString(p.style.Render(s))
		return
	}
	b.WriteString(p.pre)
	b.WriteString(s)
	b.WriteString(p.suf)
}

// rowPaints are the paints a list row uses, plain and selected.
type rowPaints struct {
	plain, time, labels, context, match, muted paint
	levels                                     [levelCount]paint // the level column's marker
	lines                                      [levelCount]paint // the line's text
}

// painter holds rowPaints for unselected rows and for the selected one.
type painter struct {
	normal, sel rowPaints
}

func newPainter(st *Styles) *painter {
	mk := func(with func(lipgloss.Style) lipgloss.Style) rowPaints {
		rp := rowPaints{
			plain: newPaint(with(st.Plain)), time: newPaint(with(st.Muted)), labels: newPaint(with(st.Labels)),
			context: newPaint(with(st.Context)), match: newPaint(with(st.Match)), muted: newPaint(st.Muted),
		}
		for l := level(0); l < levelCount; l++ {
			rp.levels[l] = newPaint(with(st.level(l)))
			rp.lines[l] = newPaint(with(st.line(l)))
		}
		return rp
	}
	return &painter{
		normal: mk(func(s lipgloss.Style) lipgloss.Style { return s }),
		sel:    mk(func(s lipgloss.Style) lipgloss.Style { return s.Inherit(st.Selected) }),
	}
}
