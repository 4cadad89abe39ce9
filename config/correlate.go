package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Correlate says where request and trace IDs live and how the request
// view searches. Everything is optional: the defaults cover the common
// field names with no configuration.
type Correlate struct {
	// Rules add ID extraction rules to the defaults; they are tried first.
	Rules []IDRule `yaml:"rules"`
	// Selectors are the stream selectors (LogQL or LogsQL) searched for an ID; empty
	// means one derived from the stream labels Loki has.
	Selectors []string `yaml:"selectors"`
	// Pad widens the window around a trace (default 5m).
	Pad Duration `yaml:"pad"`
	// TraceTag is the span tag a request id is searched by in Jaeger
	// (default request_id).
	TraceTag string `yaml:"trace_tag"`
}

// IDRule is one place an ID can be found.
type IDRule struct {
	// ID is what the rule finds: request, trace or span.
	ID string `yaml:"id"`
	// From is json, logfmt, regex, label or metadata.
	From string `yaml:"from"`
	// Key is the field, key, label or metadata name (json/logfmt/label/metadata).
	Key string `yaml:"key"`
	// Regex has a named group "id" (regex).
	Regex string `yaml:"regex"`
}

// maxPad bounds correlate.pad: a pad of days would make every trace's
// log search a scan of days.
const maxPad = 24 * time.Hour

func (f *File) validateCorrelate(key string, c *Correlate) []Problem {
	var ps []Problem
	for i, r := range c.Rules {
		k := fmt.Sprintf("%s.rules[%d]", key, i)
		switch r.ID {
		case "request", "trace", "span":
		case "":
			ps = append(ps, f.problem(k+".id", "id is required: request, trace or span"))
		default:
			ps = append(ps, f.problem(k+".id", "id %q must be request, trace or span", r.ID))
		}
		switch r.From {
		case "regex":
			if r.Key != "" {
				ps = append(ps, f.problem(k+".key", "key is not used with from: regex; the regex's (?P<id>...) group is the id"))
			}
			if r.Regex == "" {
				ps = append(ps, f.problem(k+".from", "from: regex needs regex: with a named group (?P<id>...)"))
				break
			}
			re, err := regexp.Compile(r.Regex)
			if err != nil {
				ps = append(ps, f.problem(k+".regex", "invalid regex: %v", err))
			} else if re.SubexpIndex("id") < 0 {
				ps = append(ps, f.problem(k+".regex", "regex has no named group (?P<id>...)"))
			}
		case "json", "logfmt", "label", "metadata":
			if r.Key == "" {
				ps = append(ps, f.problem(k+".from", "from: %s needs key: (the field or label name)", r.From))
			}
			if r.Regex != "" {
				ps = append(ps, f.problem(k+".regex", "regex is only used with from: regex"))
			}
		case "":
			ps = append(ps, f.problem(k+".from", "from is required: json, logfmt, regex, label or metadata"))
		default:
			ps = append(ps, f.problem(k+".from", "from %q must be json, logfmt, regex, label or metadata", r.From))
		}
	}
	for i, s := range c.Selectors {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") || len(s) < 3 {
			ps = append(ps, f.problem(key+".selectors", "selector %d, %q, must be a stream selector like {service=~\".+\"} (LogQL and LogsQL write them alike)", i+1, s))
		}
	}
	if p := c.Pad.Std(); p < 0 || p > maxPad {
		ps = append(ps, f.problem(key+".pad", "pad %s is outside 0..24h", p))
	}
	if strings.ContainsAny(c.TraceTag, " \t\"") {
		ps = append(ps, f.problem(key+".trace_tag", "trace_tag %q must be a span tag name without spaces or quotes", c.TraceTag))
	}
	return ps
}
