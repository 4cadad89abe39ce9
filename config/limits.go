package config

import "strings"

// MaxLimitMiB is the largest size limit a backend key accepts: a limit
// is there to protect the process, and 4 GiB of one answer already
// defeats it.
const MaxLimitMiB = 4096

// limitsApply says which size keys mean something for a backend, by the
// last segment of its config key. Prometheus and Alertmanager answer
// whole JSON documents (no stream of messages); Jaeger answers a stream
// of gRPC messages (no single HTTP body).
var limitsApply = map[string]struct{ response, message bool }{
	LogBackendLoki:         {response: true, message: true},
	LogBackendVictoriaLogs: {response: true, message: true},
	"prometheus":           {response: true},
	"alertmanager":         {response: true},
	"jaeger":               {message: true},
}

// checkLimits validates max_response_mib and max_message_mib for the
// backend named by key's last segment.
func (f *File) checkLimits(key string, b *Backend) []Problem {
	name := key[strings.LastIndexByte(key, '.')+1:]
	apply, known := limitsApply[name]
	var ps []Problem
	check := func(field string, v int, applies bool, other string) {
		switch {
		case v == 0:
		case known && !applies:
			ps = append(ps, f.problem(key+"."+field, "%s does not apply to %s; use %s", field, name, other))
		case v < 0 || v > MaxLimitMiB:
			ps = append(ps, f.problem(key+"."+field, "%s %d is outside 1..%d (MiB); 0 keeps the default", field, v, MaxLimitMiB))
		}
	}
	check("max_response_mib", b.MaxResponseMiB, apply.response, "max_message_mib")
	check("max_message_mib", b.MaxMessageMiB, apply.message, "max_response_mib")
	return ps
}

// MaxResponseBytes is max_response_mib in bytes (0: the client's default).
func (b *Backend) MaxResponseBytes() int64 { return int64(b.MaxResponseMiB) << 20 }

// MaxMessageBytes is max_message_mib in bytes (0: the client's default).
func (b *Backend) MaxMessageBytes() int64 { return int64(b.MaxMessageMiB) << 20 }
