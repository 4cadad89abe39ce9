// Package loki reads logs from Loki.
//
// The HTTP query calls go through logcli's client package
// (github.com/grafana/loki/v3/pkg/logcli/client), kept behind this package's
// own lokiAPI interface so that the dependency can be swapped and faked.
// logcli's client is a command-line tool's client: it takes no context, logs
// through the standard logger, retries every non-2xx answer (400 included)
// and replaces the server's error text with "run out of attempts". This
// package therefore gives it a per-call round tripper that binds the
// caller's context, answers logcli with a body that ends the decode at once
// when the request failed, and keeps the real, typed error aside. The
// live-tail websocket and /ready are dialled here directly; see api.go for why.
//
// On top of that the package pages past Loki's per-query entry limit,
// splits windows longer than the server's maximum query length, removes the
// duplicates both of those produce at page boundaries, and keeps a tail going
// across server restarts without gaps or repeats at the resume point.
//
// Every error is a *sources.Error and every call runs under a
// resilience.Guard.
package loki
