package demo

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// field is one key/value of a log line. Lines are built from ordered
// fields rather than maps so that ts, level and msg come first, the way
// real services print them and a person scans them.
type field struct {
	key string
	val any
}

func f(key string, val any) field { return field{key, val} }

// lineFormat is how one service writes its logs. The shop mixes them on
// purpose: the console has to cope with JSON and logfmt side by side.
type lineFormat int

const (
	formatJSON lineFormat = iota
	formatLogfmt
)

func formatLine(format lineFormat, ts time.Time, level, msg string, fields []field) string {
	all := make([]field, 0, len(fields)+3)
	all = append(all, f("ts", ts.UTC().Format("2006-01-02T15:04:05.000000Z")), f("level", level), f("msg", msg))
	all = append(all, fields...)
	if format == formatJSON {
		return jsonLine(all)
	}
	return logfmtLine(all)
}

func jsonLine(fields []field) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, fl := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(fl.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(fl.val)
		if err != nil {
			v, _ = json.Marshal(err.Error())
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

func logfmtLine(fields []field) string {
	var b strings.Builder
	for i, fl := range fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fl.key)
		b.WriteByte('=')
		var s string
		switch v := fl.val.(type) {
		case string:
			s = v
		case float64:
			s = strconv.FormatFloat(v, 'f', -1, 64)
		case int:
			s = strconv.Itoa(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		case bool:
			s = strconv.FormatBool(v)
		default:
			j, _ := json.Marshal(v)
			s = string(j)
		}
		if s == "" || strings.ContainsAny(s, " \"=\t\n\\") {
			s = strconv.Quote(s)
		}
		b.WriteString(s)
	}
	return b.String()
}

// ms rounds a duration to milliseconds with one decimal, the precision
// services usually log latency at.
func ms(d time.Duration) float64 {
	return float64(d.Round(100*time.Microsecond)) / float64(time.Millisecond)
}
