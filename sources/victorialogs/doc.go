// Package victorialogs reads logs from VictoriaLogs through its HTTP query
// API (/select/logsql/...) and implements sources.LogBackend.
//
// Paging. /select/logsql/query has no per-query entry limit, and without a
// sort its answer comes in no particular order. Each page is therefore the
// query with `| sort by (_time desc) limit N` (or `(_time)` going forward)
// appended, which VictoriaLogs answers with the N newest (oldest) entries
// of the window; the next page ends where the previous one did. The entries
// that share the timestamp at a page's edge may have been cut anywhere, so
// that one nanosecond is read on its own, in a stable order and paged with
// offset, before the walk moves past it. No entry is read twice and none is
// skipped, however many share a timestamp. Every page is evaluated at the
// query's end (the time argument), so a relative filter such as _time:5m
// in the query selects the same window on every page. Windows are
// half-open, [start, end), as VictoriaLogs reads them since v1.36.0, the
// oldest version this package supports.
//
// Live tail. /select/logsql/tail runs behind now by an offset (see
// TailConfig) and sends nothing while no line matches; the engine in
// sources/logtail reconnects and catches up with paged queries. Lines from
// before the tail's start, which the endpoint's first pass reaches back
// to, are dropped.
//
// Entries. Every row is a JSON object of strings. _time becomes Time, _msg
// Line, the fields of _stream (`{app="api",env="prod"}`) Labels, and every
// other field except _stream_id becomes Metadata. VictoriaLogs repeats the
// stream fields as ordinary fields; they are left out of Metadata.
//
// Tenants. VictoriaLogs selects a tenant by the AccountID and ProjectID
// headers. transport.Options.Tenant "12:34" sends AccountID 12 and
// ProjectID 34, and "12" sends AccountID 12 and ProjectID 0. When
// TenantHeader is set, Tenant goes verbatim in that header instead, for a
// gateway that maps tenants itself. AccountID and ProjectID may also be set
// through Headers; Tenant wins over them.
//
// Every error is a *sources.Error and every call runs under a
// resilience.Guard. Server texts are sanitized; credentials never reach an
// error message.
package victorialogs
