package loki

import (
	"strings"

	"github.com/reltui/reltui/sources"
)

var _ sources.LogMetrics = (*Client)(nil)

// IsMetricQuery reports whether expr is a LogQL metric query: one whose
// outermost expression is not a stream selector with its pipeline. A log
// query always begins with its selector's "{"; a metric query begins with
// a function or aggregation name, a parenthesis or a number. Leading "#"
// comments and space are skipped; an empty query is neither.
func (c *Client) IsMetricQuery(expr string) bool { return IsMetricQuery(expr) }

// IsMetricQuery is Client.IsMetricQuery without a client.
func IsMetricQuery(expr string) bool {
	s := expr
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if !strings.HasPrefix(s, "#") {
			break
		}
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return false
		}
		s = s[nl+1:]
	}
	return s != "" && s[0] != '{'
}
