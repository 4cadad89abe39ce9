package config

import (
	"strings"
	"testing"
	"time"
)

func TestCorrelateBlock(t *testing.T) {
	doc := `contexts:
  p:
    loki: {url: http://x}
    correlate:
      pad: 2m
      trace_tag: http.request_id
      selectors: ['{app=~".+"}', '{job="edge"}']
      rules:
        - {id: request, from: regex, regex: 'rid:(?P<id>\S+)'}
        - {id: trace, from: metadata, key: otel_trace}
        - {id: span, from: json, key: sid}
`
	f, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Contexts["p"].Correlate
	if c.Pad.Std() != 2*time.Minute || c.TraceTag != "http.request_id" || len(c.Selectors) != 2 || len(c.Rules) != 3 {
		t.Fatalf("parsed %+v", c)
	}
	if c.Rules[1].Key != "otel_trace" || c.Rules[0].Regex != `rid:(?P<id>\S+)` {
		t.Errorf("rules parsed as %+v", c.Rules)
	}
}

func TestCorrelateProblems(t *testing.T) {
	head := "contexts:\n  p:\n    loki: {url: http://x}\n    correlate:\n"
	cases := []struct{ name, body, want string }{
		{"bad id", "      rules:\n        - id: user\n          from: json\n          key: u\n", `c.yaml:6:11: contexts.p.correlate.rules[0].id: id "user" must be request, trace or span`},
		{"bad from", "      rules:\n        - {id: trace, from: xml, key: t}\n", `contexts.p.correlate.rules[0].from: from "xml" must be json, logfmt, regex, label or metadata`},
		{"regex without group", "      rules:\n        - {id: trace, from: regex, regex: 'trace=(\\w+)'}\n", "rules[0].regex: regex has no named group (?P<id>...)"},
		{"regex invalid", "      rules:\n        - {id: trace, from: regex, regex: '('}\n", "rules[0].regex: invalid regex"},
		{"key missing", "      rules:\n        - {id: trace, from: label}\n", "rules[0].from: from: label needs key:"},
		{"regex with key", "      rules:\n        - {id: trace, from: json, key: t, regex: x}\n", "rules[0].regex: regex is only used with from: regex"},
		{"unknown rule key", "      rules:\n        - {id: trace, from: json, field: t}\n", `rules[0].field: unknown key`},
		{"selector", "      selectors: ['service=\"x\"']\n", `contexts.p.correlate.selectors: selector 1, "service=\"x\"", must be a stream selector like`},
		{"pad too long", "      pad: 3d\n", "c.yaml:5:7: contexts.p.correlate.pad: pad 72h0m0s is outside 0..24h"},
		{"trace tag", "      trace_tag: 'a b'\n", `trace_tag "a b" must be a span tag name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(head+c.body), "c.yaml", testEnv(nil, nil))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}
