// Package headless renders query results for scripts: text for people,
// json and jsonl for machines. Every string from a backend is sanitized in
// text output; JSON output escapes control characters by construction.
package headless

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Text  Format = "text"
	JSON  Format = "json"
	JSONL Format = "jsonl"
)

// ParseFormat validates --output.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case Text, JSON, JSONL:
		return Format(s), nil
	}
	return "", fmt.Errorf("invalid --output %q: use text, json or jsonl", s)
}

// LogLine is the JSON shape of one log entry.
type LogLine struct {
	Time     time.Time         `json:"time"`
	Labels   map[string]string `json:"labels"`
	Line     string            `json:"line"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// LogWriter streams log entries as they arrive, so a 100k-line query never
// sits in memory whole.
type LogWriter struct {
	w      *bufio.Writer
	format Format
	n      int
	enc    *json.Encoder
}

// NewLogWriter starts a log stream on w.
func NewLogWriter(w io.Writer, f Format) *LogWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(EscapeJSON(bw))
	enc.SetEscapeHTML(false)
	lw := &LogWriter{w: bw, format: f, enc: enc}
	if f == JSON {
		bw.WriteString("[")
	}
	return lw
}

// Write renders one page of entries.
func (lw *LogWriter) Write(entries []sources.LogEntry) error {
	for _, e := range entries {
		switch lw.format {
		case Text:
			lw.w.WriteString(e.Time.UTC().Format(time.RFC3339Nano))
			lw.w.WriteByte(' ')
			lw.w.WriteString(pane.Labels(e.Labels))
			lw.w.WriteByte(' ')
			lw.w.WriteString(sanitize.Line(e.Line))
			lw.w.WriteByte('\n')
		case JSON, JSONL:
			if lw.format == JSON && lw.n > 0 {
				lw.w.WriteByte(',')
			}
			if err := lw.enc.Encode(LogLine{Time: e.Time.UTC(), Labels: e.Labels, Line: e.Line, Metadata: e.Metadata}); err != nil {
				return err
			}
		}
		lw.n++
	}
	return nil
}

// Close finishes the stream and flushes it.
func (lw *LogWriter) Close() error {
	if lw.format == JSON {
		lw.w.WriteString("]\n")
	}
	return lw.w.Flush()
}

// Count is how many entries were written.
func (lw *LogWriter) Count() int { return lw.n }

// SeriesJSON is the JSON shape of one series: samples are
// [unix_seconds, value] pairs, value null for NaN or ±Inf.
type SeriesJSON struct {
	Labels  map[string]string `json:"labels"`
	Samples [][2]any          `json:"samples"`
}

// WriteSeries renders metric series.
func WriteSeries(w io.Writer, f Format, series []sources.Series) error {
	bw := bufio.NewWriter(w)
	switch f {
	case Text:
		if len(series) == 0 {
			bw.WriteString("no data\n")
		}
		for _, s := range series {
			bw.WriteString(pane.Labels(s.Labels) + "\n")
			for _, p := range s.Samples {
				fmt.Fprintf(bw, "  %s  %s\n", p.Time.UTC().Format(time.RFC3339), formatValue(p.Value))
			}
		}
	case JSON, JSONL:
		out := make([]SeriesJSON, len(series))
		for i, s := range series {
			out[i] = SeriesJSON{Labels: s.Labels, Samples: make([][2]any, len(s.Samples))}
			if out[i].Labels == nil {
				out[i].Labels = map[string]string{}
			}
			for j, p := range s.Samples {
				var v any = p.Value
				if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
					v = nil
				}
				out[i].Samples[j] = [2]any{float64(p.Time.UnixMilli()) / 1000, v}
			}
		}
		enc := json.NewEncoder(EscapeJSON(bw))
		enc.SetEscapeHTML(false)
		if f == JSON {
			if err := enc.Encode(out); err != nil {
				return err
			}
		} else {
			for _, s := range out {
				if err := enc.Encode(s); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return fmt.Sprintf("%g", v)
}

// encodeAll writes v as one JSON document, or each element of items as a
// line for jsonl.
func encodeAll[T any](w io.Writer, f Format, items []T) error {
	enc := json.NewEncoder(EscapeJSON(w))
	enc.SetEscapeHTML(false)
	if f == JSONL {
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return err
			}
		}
		return nil
	}
	if items == nil {
		items = []T{}
	}
	enc.SetIndent("", "  ")
	return enc.Encode(items)
}
