package correlate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reltui/reltui/sources"
)

// IDKind is what an ID identifies.
type IDKind uint8

// The kinds of ID the package finds.
const (
	IDNone IDKind = iota
	IDRequest
	IDTrace
	IDSpan
	// idLevel is not an ID; the same scan picks up the log level.
	idLevel
	// idTraceparent is a W3C traceparent header value: trace and span.
	idTraceparent
)

// idKindNames are the kinds as configuration writes them.
var idKindNames = [...]string{IDNone: "none", IDRequest: "request", IDTrace: "trace", IDSpan: "span"}

// String names the kind as configuration writes it.
func (k IDKind) String() string {
	if int(k) < len(idKindNames) {
		return idKindNames[k]
	}
	return "none"
}

// From says where in a log entry an ID was found.
type From uint8

// The places an ID can live.
const (
	FromNone From = iota
	FromJSON
	FromLogfmt
	FromRegex
	FromLabel
	FromMetadata
)

// fromNames are the places as configuration writes them.
var fromNames = [...]string{FromNone: "none", FromJSON: "json", FromLogfmt: "logfmt", FromRegex: "regex", FromLabel: "label", FromMetadata: "metadata"}

// String names the place as configuration writes it.
func (f From) String() string {
	if int(f) < len(fromNames) {
		return fromNames[f]
	}
	return "none"
}

// Fields is what extraction found in one log entry. Empty strings are
// IDs that were not found; every ID is validated (trace ids are 32 hex
// digits, span ids 16, both lower-cased and not all zero).
type Fields struct {
	RequestID string
	TraceID   string
	SpanID    string
	// Level is the log level as written (level, lvl, severity), from the
	// line, a label or metadata.
	Level string
	// TraceFrom and RequestFrom say where the ids were found.
	TraceFrom   From
	RequestFrom From
}

// RuleSpec is one extraction rule as configuration writes it.
type RuleSpec struct {
	// ID is request, trace or span.
	ID string
	// From is json, logfmt, regex, label or metadata.
	From string
	// Key is the field, key, label or metadata name.
	Key string
	// Regex has a named group "id" (From regex only).
	Regex string
}

// rule is a compiled RuleSpec.
type rule struct {
	id   IDKind
	from From
	key  string
	re   *regexp.Regexp
	grp  int
}

// Extractor finds IDs in log entries. Configured rules are tried first, in
// order; the defaults always apply after them. It is safe for concurrent
// use.
type Extractor struct {
	rules []rule
	// lineKeys are configured json/logfmt keys, matched exactly.
	jsonKeys   map[string]IDKind
	logfmtKeys map[string]IDKind
	// regexes run over the line.
	regexes []rule
	// labelKeys and metaKeys are configured label and metadata names.
	labelKeys []rule
	metaKeys  []rule
}

// DefaultExtractor has the defaults only: request_id, x_request_id,
// X-Request-ID, requestId; trace_id, traceID, traceId, trace-id;
// span_id, spanID; traceparent; in JSON, logfmt, labels and metadata.
func DefaultExtractor() *Extractor {
	x, _ := NewExtractor(nil)
	return x
}

// NewExtractor compiles rules on top of the defaults.
func NewExtractor(specs []RuleSpec) (*Extractor, error) {
	x := &Extractor{jsonKeys: map[string]IDKind{}, logfmtKeys: map[string]IDKind{}}
	for i, s := range specs {
		r, err := compileRule(s)
		if err != nil {
			return nil, fmt.Errorf("rule %d: %w", i+1, err)
		}
		x.rules = append(x.rules, r)
		switch r.from {
		case FromJSON:
			x.jsonKeys[r.key] = r.id
		case FromLogfmt:
			x.logfmtKeys[r.key] = r.id
		case FromRegex:
			x.regexes = append(x.regexes, r)
		case FromLabel:
			x.labelKeys = append(x.labelKeys, r)
		case FromMetadata:
			x.metaKeys = append(x.metaKeys, r)
		}
	}
	return x, nil
}

// ParseIDKind reads request, trace or span.
func ParseIDKind(s string) (IDKind, error) {
	if i := slices.Index(idKindNames[1:], s); i >= 0 {
		return IDKind(i + 1), nil
	}
	return IDNone, fmt.Errorf("id %q must be request, trace or span", s)
}

// ParseFrom reads json, logfmt, regex, label or metadata.
func ParseFrom(s string) (From, error) {
	if i := slices.Index(fromNames[1:], s); i >= 0 {
		return From(i + 1), nil
	}
	return FromNone, fmt.Errorf("from %q must be json, logfmt, regex, label or metadata", s)
}

func compileRule(s RuleSpec) (rule, error) {
	id, err := ParseIDKind(s.ID)
	if err != nil {
		return rule{}, err
	}
	from, err := ParseFrom(s.From)
	if err != nil {
		return rule{}, err
	}
	r := rule{id: id, from: from, key: s.Key}
	if from == FromRegex {
		if s.Regex == "" {
			return rule{}, fmt.Errorf("from regex needs a regex with a named group (?P<id>...)")
		}
		re, err := regexp.Compile(s.Regex)
		if err != nil {
			return rule{}, fmt.Errorf("regex: %v", err)
		}
		r.re, r.grp = re, re.SubexpIndex("id")
		if r.grp < 0 {
			return rule{}, fmt.Errorf("regex has no named group (?P<id>...)")
		}
		return r, nil
	}
	if s.Key == "" {
		return rule{}, fmt.Errorf("from %s needs a key", s.From)
	}
	if s.Regex != "" {
		return rule{}, fmt.Errorf("regex is only used with from: regex")
	}
	return r, nil
}

// MetadataKeys returns the label and structured-metadata names that can
// hold an ID of kind k and that LogQL can filter on: the configured ones
// first, then the defaults. The defaults are trace and span ids only,
// which is what OpenTelemetry pipelines put in structured metadata; a
// request id is searched there only when a rule says it lives there, since
// a metadata filter costs Loki a second scan of the window.
func (x *Extractor) MetadataKeys(k IDKind) []string {
	var out []string
	seen := map[string]bool{}
	add := func(key string) {
		if !seen[key] && validLabelName(key) {
			seen[key] = true
			out = append(out, key)
		}
	}
	for _, rs := range [][]rule{x.metaKeys, x.labelKeys} {
		for _, r := range rs {
			if r.id == k {
				add(r.key)
			}
		}
	}
	switch k {
	case IDTrace:
		for _, key := range []string{"trace_id", "traceID", "traceId"} {
			add(key)
		}
	case IDSpan:
		add("span_id")
	}
	return out
}

func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// Extract finds the IDs and the level of one entry. Configured rules win
// over the defaults; within the defaults structured metadata wins over
// labels, and labels over the line (so a trace id that is only in
// metadata, or only in a label, is found).
func (x *Extractor) Extract(e sources.LogEntry) Fields {
	var f Fields
	for _, r := range x.metaKeys {
		if v, ok := e.Metadata[r.key]; ok {
			f.set(r.id, v, FromMetadata)
		}
	}
	for _, r := range x.labelKeys {
		if v, ok := e.Labels[r.key]; ok {
			f.set(r.id, v, FromLabel)
		}
	}
	for _, r := range x.regexes {
		if m := r.re.FindStringSubmatch(e.Line); m != nil {
			f.set(r.id, m[r.grp], FromRegex)
		}
	}
	if len(e.Metadata) > 0 {
		for _, k := range defaultLabelKeys {
			if v, ok := e.Metadata[k]; ok {
				f.set(defaultKind(k), v, FromMetadata)
			}
		}
	}
	for _, k := range defaultLabelKeys {
		if v, ok := e.Labels[k]; ok {
			f.set(defaultKind(k), v, FromLabel)
		}
	}
	x.scanLine(&f, e.Line)
	return f
}

// defaultLabelKeys are the label and metadata names the defaults look up,
// in order. Label names cannot hold '-' or '.', so a fixed list covers the
// spellings in use, and looking them up keeps the answer deterministic
// (ranging over the map would not be).
var defaultLabelKeys = [...]string{
	"trace_id", "traceID", "traceId", "traceid", "TraceId",
	"span_id", "spanID", "spanId", "spanid", "SpanId",
	"request_id", "requestId", "requestID", "x_request_id", "correlation_id",
	"traceparent",
	"level", "detected_level", "severity", "lvl",
}

// set records v as the id of kind k unless one was found already or v is
// not a valid id of that kind.
func (f *Fields) set(k IDKind, v string, from From) {
	switch k {
	case IDRequest:
		if f.RequestID == "" {
			if id, ok := NormalizeRequestID(v); ok {
				f.RequestID, f.RequestFrom = id, from
			}
		}
	case IDTrace:
		if f.TraceID == "" {
			if id, ok := NormalizeTraceID(v); ok {
				f.TraceID, f.TraceFrom = id, from
			}
		}
	case IDSpan:
		if f.SpanID == "" {
			if id, ok := NormalizeSpanID(v); ok {
				f.SpanID = id
			}
		}
	case idLevel:
		if f.Level == "" && len(v) <= 16 {
			f.Level = v
		}
	case idTraceparent:
		// version-traceid-spanid-flags
		if len(v) == 55 && v[2] == '-' && v[35] == '-' && v[52] == '-' {
			f.set(IDTrace, v[3:35], from)
			if f.TraceID == strings.ToLower(v[3:35]) {
				f.set(IDSpan, v[36:52], from)
			}
		}
	}
}

// defaultKind classifies a field name the way the defaults do: case,
// '-', '_' and '.' are ignored, so trace_id, traceID, traceId, trace-id
// and TRACE.ID are all trace ids. It does not allocate.
func defaultKind(key string) IDKind {
	if len(key) > 24 {
		return IDNone
	}
	var buf [24]byte
	n := 0
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '_' || c == '-' || c == '.':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	switch string(buf[:n]) {
	case "requestid", "xrequestid", "reqid", "correlationid", "xcorrelationid":
		return IDRequest
	case "traceid":
		return IDTrace
	case "spanid":
		return IDSpan
	case "level", "lvl", "severity", "loglevel", "detectedlevel":
		return idLevel
	case "traceparent":
		return idTraceparent
	}
	return IDNone
}

// scanLine finds key/value pairs in a JSON object or a logfmt line.
func (x *Extractor) scanLine(f *Fields, line string) {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i < len(line) && line[i] == '{' {
		scanJSON(line[i:], func(k, v string) {
			if id, ok := x.jsonKeys[k]; ok {
				f.set(id, v, FromJSON)
			}
			f.set(defaultKind(k), v, FromJSON)
		})
		return
	}
	scanLogfmt(line, func(k, v string) {
		if id, ok := x.logfmtKeys[k]; ok {
			f.set(id, v, FromLogfmt)
		}
		f.set(defaultKind(k), v, FromLogfmt)
	})
}

// scanJSON calls fn for every key whose value is a string or a scalar, at
// any depth. It is a tolerant scanner, not a validator: a line cut short
// or not quite JSON still gives up the pairs before the damage.
func scanJSON(s string, fn func(k, v string)) {
	i := 0
	for i < len(s) {
		if s[i] != '"' {
			i++
			continue
		}
		str, next, ok := jsonString(s, i)
		if !ok {
			return
		}
		i = next
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != ':' {
			continue // a string value, not a key
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return
		}
		switch c := s[i]; {
		case c == '"':
			v, next, ok := jsonString(s, i)
			if !ok {
				return
			}
			fn(str, v)
			i = next
		case c == '{' || c == '[':
			// Nested: its keys are found as the scan goes on.
		default:
			j := i
			for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ']' && !isSpace(s[j]) {
				j++
			}
			fn(str, s[i:j])
			i = j
		}
	}
}

// quoted finds the closing quote of the string opening at s[i]: it
// returns the index of that quote and whether the string has escapes, or
// ok false when the string is not closed.
func quoted(s string, i int) (end int, esc, ok bool) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j, esc, true
		}
	}
	return len(s), esc, false
}

// jsonString reads the string starting at the quote s[i]. Strings without
// escapes are returned as substrings, without allocating.
func jsonString(s string, i int) (string, int, bool) {
	j, esc, ok := quoted(s, i)
	if !ok {
		return "", len(s), false
	}
	if !esc {
		return s[i+1 : j], j + 1, true
	}
	var out string
	if err := json.Unmarshal([]byte(s[i:j+1]), &out); err != nil {
		return "", j + 1, true // keep scanning past a bad escape
	}
	return out, j + 1, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scanLogfmt calls fn for every key=value pair. Values may be quoted; a
// quoted value's content is never read as pairs.
func scanLogfmt(s string, fn func(k, v string)) {
	i := 0
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		k0 := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) && s[i] != '"' {
			i++
		}
		if i >= len(s) {
			return
		}
		if s[i] == '"' {
			// A quoted word that is not a value: skip it whole.
			_, next := logfmtQuoted(s, i)
			i = next
			continue
		}
		if s[i] != '=' {
			continue
		}
		key := s[k0:i]
		i++
		if i < len(s) && s[i] == '"' {
			v, next := logfmtQuoted(s, i)
			if key != "" {
				fn(key, v)
			}
			i = next
			continue
		}
		v0 := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		if key != "" {
			fn(key, s[v0:i])
		}
	}
}

// logfmtQuoted reads a Go-style quoted string starting at s[i].
func logfmtQuoted(s string, i int) (string, int) {
	j, esc, ok := quoted(s, i)
	if !ok {
		return s[min(i+1, len(s)):], len(s)
	}
	if esc {
		if v, err := strconv.Unquote(s[i : j+1]); err == nil {
			return v, j + 1
		}
	}
	return s[i+1 : j], j + 1
}

// NormalizeTraceID validates a W3C trace id (32 hex digits, not all zero)
// and returns it lower-cased.
func NormalizeTraceID(s string) (string, bool) {
	return normalizeHex(s, 32)
}

// NormalizeSpanID validates a span id (16 hex digits, not all zero).
func NormalizeSpanID(s string) (string, bool) {
	return normalizeHex(s, 16)
}

func normalizeHex(s string, n int) (string, bool) {
	if len(s) != n {
		return "", false
	}
	upper, zero := false, true
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return "", false
		}
		if c != '0' {
			zero = false
		}
	}
	if zero {
		return "", false
	}
	if upper {
		s = strings.ToLower(s)
	}
	return s, true
}

// maxRequestIDLen bounds what is taken for a request id; anything longer
// is a message, not an id.
const maxRequestIDLen = 128

// NormalizeRequestID accepts 1–128 printable ASCII characters without
// spaces or quotes.
func NormalizeRequestID(s string) (string, bool) {
	if s == "" || len(s) > maxRequestIDLen {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '`' {
			return "", false
		}
	}
	return s, true
}

// ClassifyInput says whether an ID someone typed is a trace id (16 or 32
// hex digits) or a request id, and returns it normalized.
func ClassifyInput(s string) (string, IDKind, bool) {
	s = strings.TrimSpace(s)
	if id, ok := NormalizeTraceID(s); ok {
		return id, IDTrace, true
	}
	if id, ok := normalizeHex(s, 16); ok {
		return id, IDTrace, true
	}
	if id, ok := NormalizeRequestID(s); ok {
		return id, IDRequest, true
	}
	return "", IDNone, false
}

// serviceLabels are the stream labels that name a service, most specific
// first.
var serviceLabels = [...]string{"service_name", "service", "app", "application", "job", "container", "component"}

// ServiceOf returns the service an entry's stream belongs to and the label
// that said so.
func ServiceOf(labels map[string]string) (string, string) {
	for _, l := range serviceLabels {
		if v := labels[l]; v != "" {
			return v, l
		}
	}
	return "", ""
}
