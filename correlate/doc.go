// Package correlate joins what the backends say about one request.
//
// It finds request, trace and span IDs in log entries (JSON fields, logfmt
// keys, regexes, stream labels and structured metadata, with defaults that
// need no configuration), fans a lookup out to Loki and Jaeger in
// parallel, joins log lines to the spans they were written in, and builds
// the request view: one timeline of spans and logs grouped by service,
// with a summary (first error, slowest span, critical-path services).
//
// The package is pure functions over the sources types plus a fan-out
// that takes consumer-side interfaces (LogSearcher, TraceFinder), which
// the Loki and Jaeger clients satisfy. It imports no UI package.
package correlate
