package logs

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
)

// Source is the log backend the pane reads: the part of
// sources.LogBackend it uses. It is declared here, on the consumer side, so
// tests can hand the pane a fake; every sources.LogBackend (Loki,
// VictoriaLogs) and serve's shared source satisfy it.
type Source interface {
	QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error)
	// Tail starts following expr from start and returns at once; the
	// connection is made in the background.
	Tail(ctx context.Context, expr string, start time.Time) sources.LogTail
	// Labels lists the stream label (or field) names over [from, to), so
	// the hints offer a selector that exists in this backend.
	Labels(ctx context.Context, from, to time.Time) ([]string, error)
	// Backend names the backend ("loki", "victorialogs") in evidence;
	// Dialect writes the pane's pivot queries and hints in its language.
	Backend() string
	Dialect() sources.LogDialect
}

var _ Source = sources.LogBackend(nil)

// dialect is the source's query language; without a source, a LogQL-shaped
// stand-in, whose stream selectors LogsQL reads too, keeps the hints whole.
func (m *Model) dialect() sources.LogDialect {
	if m.src != nil {
		return m.src.Dialect()
	}
	return noBackend{}
}

// backendName names the source in evidence, "logs" without one.
func (m *Model) backendName() string {
	if m.src != nil {
		return m.src.Backend()
	}
	return "logs"
}

// noBackend is the dialect of a pane with no log backend: it only ever
// writes hints, since nothing can run.
type noBackend struct{}

func (noBackend) Language() string { return "log" }
func (noBackend) Stream(label, value string) string {
	if value == "" {
		return "{" + label + `=~".+"}`
	}
	return "{" + label + "=" + strconv.Quote(value) + "}"
}
func (noBackend) Contains(q, s string) string { return q + " " + strconv.Quote(s) }
func (noBackend) IDQueries(sel string, _, ids []string) []string {
	return []string{sel + " " + strconv.Quote(strings.Join(ids, " "))}
}
func (noBackend) IsSelector(s string) bool {
	return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")
}
func (d noBackend) Example(label string) string { return d.Stream(label, "") }

// metaTitle names the fields an entry carries beside its line and stream
// labels, in the backend's own words.
func (m *Model) metaTitle() string {
	if m.backendName() == "victorialogs" {
		return "Fields"
	}
	return "Structured metadata"
}
