// Package logtail is the live-tail engine shared by the log backends.
//
// A backend gives it a Dialer: a way to open one live connection and a way
// to read a window of history forward. On top of that the engine keeps a
// tail going across lost connections and server restarts: it reconnects
// with jittered backoff, catches up from the newest timestamp it had
// delivered, and drops what it had already delivered at that point and the
// overlap between catch-up and the live stream, so nothing repeats and
// nothing written while disconnected is lost. Every queue it keeps is
// bounded: the batch channel, the set of recently delivered entries, and
// the catch-up.
//
// Hub shares one upstream tail per query among many readers, as serve
// needs when many sessions watch the same stream.
//
// The package knows nothing of any backend's wire format or query
// language; sources/loki and sources/victorialogs implement Dialer.
package logtail
