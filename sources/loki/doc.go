// Package loki reads logs from Loki through Loki's documented HTTP API
// (query_range, query, labels, label values, series, ready) and its tail
// websocket, with its own client: net/http, encoding/json and gorilla's
// websocket, nothing of Loki's own code. Answers are asked for with
// X-Loki-Response-Encoding-Flags: categorize-labels, so structured metadata
// and parsed labels come back apart from the stream labels; the plain form
// of older servers is read too.
//
// On top of the API the package pages past Loki's per-query entry limit,
// splits windows longer than the server's maximum query length, and
// removes the duplicates both of those produce at page boundaries. Its live
// tail runs on sources/logtail, which keeps a tail going across server
// restarts without gaps or repeats at the resume point. Dialect writes
// LogQL for callers that must not.
//
// Every error is a *sources.Error whose Kind says what to do about it, and
// whose message is the server's own text, sanitized and bounded; every
// answer and websocket message is read under a size limit, and every call
// runs under a resilience.Guard.
package loki
