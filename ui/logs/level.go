package logs

import (
	"strings"

	"github.com/reltui/reltui/sources"
)

// level is a line's severity, parsed once when the line is buffered.
type level uint8

const (
	levelNone level = iota
	levelDebug
	levelInfo
	levelWarn
	levelError
	levelCount // the number of levels, for tables indexed by level
)

// marker is the one-letter column that carries the level when there is no
// colour (NO_COLOR, ASCII profile).
func (l level) marker() string {
	switch l {
	case levelDebug:
		return "D"
	case levelInfo:
		return "I"
	case levelWarn:
		return "W"
	case levelError:
		return "E"
	}
	return " "
}

func (l level) String() string {
	switch l {
	case levelDebug:
		return "debug"
	case levelInfo:
		return "info"
	case levelWarn:
		return "warn"
	case levelError:
		return "error"
	}
	return "unknown"
}

// levelKeys are the label and metadata names that carry a level, in order
// of preference. detected_level is what Loki 3 adds on its own.
var levelKeys = [...]string{"level", "lvl", "severity", "detected_level"}

// detectLevel looks at labels, then structured metadata, then the line: a
// JSON "level" field or a logfmt level= key.
func detectLevel(e sources.LogEntry) level {
	for _, k := range levelKeys {
		if v, ok := e.Labels[k]; ok {
			if l := parseLevel(v); l != levelNone {
				return l
			}
		}
	}
	for _, k := range levelKeys {
		if v, ok := e.Metadata[k]; ok {
			if l := parseLevel(v); l != levelNone {
				return l
			}
		}
	}
	return lineLevel(e.Line)
}

// levelScan bounds how far into a line the level is looked for: it sits
// near the start in every common format, and a long line must not cost its
// full length.
const levelScan = 512

// lineLevel finds "level":"x" (JSON) or level=x (logfmt) near the start of
// the line, without parsing the whole line.
func lineLevel(s string) level {
	if len(s) > levelScan {
		s = s[:levelScan]
	}
	for _, k := range [...]string{"level", "lvl", "severity"} {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], k)
			if i < 0 {
				break
			}
			i += off
			off = i + len(k)
			// The key must start a token: a quote, space, brace or the line start.
			if i > 0 {
				switch s[i-1] {
				case '"', ' ', '{', ',', '\t':
				default:
					continue
				}
			}
			rest := s[off:]
			rest = strings.TrimPrefix(rest, `"`)
			rest = strings.TrimLeft(rest, " ")
			if rest == "" || (rest[0] != '=' && rest[0] != ':') {
				continue
			}
			rest = strings.TrimLeft(rest[1:], ` "`)
			end := strings.IndexAny(rest, "\" ,}\t")
			if end < 0 {
				end = len(rest)
			}
			if l := parseLevel(rest[:end]); l != levelNone {
				return l
			}
		}
	}
	return levelNone
}

func parseLevel(v string) level {
	if len(v) > 12 {
		return levelNone
	}
	switch strings.ToLower(v) {
	case "error", "err", "eror", "fatal", "crit", "critical", "panic", "emerg", "emergency", "alert", "e", "f":
		return levelError
	case "warn", "warning", "wrn", "w":
		return levelWarn
	case "info", "inf", "information", "notice", "i":
		return levelInfo
	case "debug", "dbg", "trace", "trc", "d", "t":
		return levelDebug
	}
	return levelNone
}
