package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testEnv(vars map[string]string, files map[string]string) Env {
	return Env{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Stat: func(p string) (fs.FileInfo, error) {
			if _, ok := files[p]; ok {
				return fakeInfo{}, nil
			}
			return nil, fs.ErrNotExist
		},
	}
}

const full = `current_context: prod
contexts:
  prod:
    loki:
      url: https://loki.example.com
      tenant: team-a
      basic_auth:
        username: alice
        password: {file: /run/secrets/loki}
      tls:
        ca_file: /etc/ca.pem
        server_name: loki.internal
      headers:
        X-Team: sre
        X-Api-Key: hunter2
      timeout: 45s
    prometheus:
      url: http://prom:9090
      bearer_token: {env: PROM_TOKEN}
    alertmanager:
      url: http://am:9093
    jaeger:
      url: grpc://jaeger:16685
      timeout: 2m
    kafka:
      brokers: [k1:9092, k2:9092]
    grafana:
      url: https://grafana.example.com
      org_id: 1
  staging:
    prometheus:
      url: http://prom-staging:9090
`

func fullEnv() Env {
	return testEnv(map[string]string{"PROM_TOKEN": "tok-secret"}, map[string]string{"/run/secrets/loki": "pw-secret\n", "/etc/ca.pem": "x"})
}

func TestParseFull(t *testing.T) {
	f, err := Parse([]byte(full), "c.yaml", fullEnv())
	if err != nil {
		t.Fatal(err)
	}
	name, c, err := f.Select("")
	if err != nil || name != "prod" {
		t.Fatalf("Select = %q, %v", name, err)
	}
	if c.Loki.Timeout.Std() != 45*time.Second || c.Jaeger.TimeoutOr().Std() != 2*time.Minute || c.Prometheus.TimeoutOr().Std() != DefaultTimeout {
		t.Fatalf("timeouts: %v %v %v", c.Loki.Timeout, c.Jaeger.Timeout, c.Prometheus.Timeout)
	}
	o, err := c.Loki.Transport(fullEnv())
	if err != nil || o.Password != "pw-secret" || o.Username != "alice" || o.Tenant != "team-a" || o.ServerName != "loki.internal" {
		t.Fatalf("transport = %+v, %v", o, err)
	}
	po, err := c.Prometheus.Transport(fullEnv())
	if err != nil || po.BearerToken != "tok-secret" {
		t.Fatalf("prom transport = %+v, %v", po, err)
	}
	host, secure, err := c.Jaeger.GRPCTarget()
	if err != nil || host != "jaeger:16685" || secure {
		t.Fatalf("grpc target = %s %v %v", host, secure, err)
	}
	if _, _, err := f.Select("staging"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Select("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("unknown context: %v", err)
	}
}

func TestRedactedNeverShowsSecrets(t *testing.T) {
	f, err := Parse([]byte(full), "c.yaml", fullEnv())
	if err != nil {
		t.Fatal(err)
	}
	out := f.Redacted(fullEnv())
	for _, secret := range []string{"pw-secret", "tok-secret", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q in output:\n%s", secret, out)
		}
	}
	for _, want := range []string{"incidents: sqlite at the default path", "from file /run/secrets/loki (redacted)", "from env PROM_TOKEN (redacted)", "X-Team: sre", "X-Api-Key: (redacted)"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestProblemsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"unknown key with suggestion", "contexts:\n  p:\n    loki:\n      urll: http://x\n", `c.yaml:4:7: contexts.p.loki.urll: unknown key (did you mean "url"?)`},
		{"inline password", "contexts:\n  p:\n    loki:\n      url: http://x\n      basic_auth:\n        username: a\n        password: hunter2\n", "c.yaml:7:19: contexts.p.loki.basic_auth.password: inline secrets are not accepted"},
		{"password key hint", "contexts:\n  p:\n    loki:\n      url: http://x\n      password: x\n", "inline passwords are not accepted"},
		{"bad url scheme", "contexts:\n  p:\n    loki:\n      url: ftp://x\n", `c.yaml:4:7: contexts.p.loki.url: URL "ftp://x" must start with http:// or https://`},
		{"url without host", "contexts:\n  p:\n    prometheus:\n      url: http://\n", "contexts.p.prometheus.url: URL \"http://\" has no host"},
		{"url creds", "contexts:\n  p:\n    prometheus:\n      url: http://u:p@x\n", "credentials in the URL are not accepted"},
		{"missing url", "contexts:\n  p:\n    prometheus:\n      timeout: 5s\n", "c.yaml:3:5: contexts.p.prometheus.url: url is required"},
		{"type error duration", "contexts:\n  p:\n    loki:\n      url: http://x\n      timeout: soon\n", `c.yaml:5:16: contexts.p.loki.timeout: expected a duration like 30s or 2m, got "soon"`},
		{"type error bool", "contexts:\n  p:\n    loki:\n      url: https://x\n      tls:\n        insecure_skip_verify: maybe\n", "contexts.p.loki.tls.insecure_skip_verify: expected true or false"},
		{"type error list", "contexts:\n  p:\n    loki: [a]\n", "c.yaml:3:11: contexts.p.loki: expected a mapping of keys, got a list"},
		{"missing file", "contexts:\n  p:\n    loki:\n      url: https://x\n      tls:\n        ca_file: /nope.pem\n", "c.yaml:6:9: contexts.p.loki.tls.ca_file: file /nope.pem does not exist"},
		{"unset env", "contexts:\n  p:\n    loki:\n      url: https://x\n      bearer_token: {env: NOT_SET}\n", "contexts.p.loki.bearer_token.env: environment variable NOT_SET is not set"},
		{"bad current context", "current_context: prd\ncontexts:\n  p:\n    loki: {url: http://x}\n", `c.yaml:1:1: current_context: context "prd" is not defined`},
		{"tab indentation", "contexts:\n  p:\n    loki:\n      url: x\n\tbad: 1\n", "c.yaml:5: invalid YAML: a tab is used for indentation"},
		{"unclosed flow", "contexts:\n  p:\n    loki: {url: x\n", "c.yaml:2: invalid YAML: did not find expected ',' or '}'"},
		{"duplicate key", "contexts:\n  p:\n    loki: {url: http://x}\n    loki: {url: http://y}\n", "c.yaml:4:5: contexts.p.loki: duplicate key"},
		{"no contexts", "current_context: x\n", "contexts: no contexts defined"},
		{"int type", "contexts:\n  p:\n    grafana:\n      url: http://g\n      org_id: one\n    loki: {url: http://x}\n", `contexts.p.grafana.org_id: expected a whole number, got "one"`},
		{"bad broker", "contexts:\n  p:\n    loki: {url: http://x}\n    kafka:\n      brokers: [nohostport]\n", `contexts.p.kafka.brokers[0]: broker "nohostport" is not host:port`},
		{"inline authorization header", "contexts:\n  p:\n    loki:\n      url: http://x\n      headers: {Authorization: Bearer x}\n", "Authorization must not be written inline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), "c.yaml", testEnv(nil, nil))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not Problems: %T", err)
			}
		})
	}
}

func TestInlineSecretsNeverEchoed(t *testing.T) {
	for _, doc := range []string{
		"contexts:\n  p:\n    loki:\n      url: http://x\n      basic_auth: {username: a, password: hunter2}\n",
		"contexts:\n  p:\n    loki:\n      url: http://x\n      bearer_token: hunter2\n",
		"contexts:\n  p:\n    loki:\n      url: http://x\n      bearer_token: [hunter2]\n",
	} {
		_, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("secret echoed or accepted: %v", err)
		}
	}
}

func TestAllProblemsReportedInOnePass(t *testing.T) {
	doc := "contexts:\n  p:\n    loki:\n      url: ftp://x\n      timeout: soon\n      bogus: 1\n"
	_, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	if ps[0].Line > ps[1].Line || ps[1].Line > ps[2].Line {
		t.Fatalf("problems not in file order: %v", ps)
	}
}

func TestFromEnvLogcliVariables(t *testing.T) {
	env := testEnv(map[string]string{
		"LOKI_ADDR": "https://logs.example.com", "LOKI_ORG_ID": "t1", "LOKI_USERNAME": "bob", "LOKI_PASSWORD": "s3cret",
		"RELTUI_PROMETHEUS_URL": "http://prom:9090", "RELTUI_JAEGER_URL": "grpc://j:16685",
	}, nil)
	f, err := Load("", false, env)
	if err != nil {
		t.Fatal(err)
	}
	_, c, err := f.Select("")
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Loki.Transport(env)
	if err != nil || o.Username != "bob" || o.Password != "s3cret" || o.Tenant != "t1" {
		t.Fatalf("loki transport %+v %v", o, err)
	}
	if c.Prometheus.URL != "http://prom:9090" || c.Jaeger.URL != "grpc://j:16685" {
		t.Fatalf("context %+v", c)
	}
	if strings.Contains(f.Redacted(env), "s3cret") {
		t.Fatal("password printed")
	}
}

func TestFromEnvErrorsNameTheVariable(t *testing.T) {
	_, err := Load("", false, testEnv(map[string]string{"LOKI_ADDR": "localhost:3100"}, nil))
	if err == nil || !strings.Contains(err.Error(), "LOKI_ADDR") {
		t.Fatalf("err = %v", err)
	}
	_, err = Load("", false, testEnv(nil, nil))
	if err == nil || !strings.Contains(err.Error(), "no configuration") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadExplicitMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), true, OSEnv())
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadRealFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte("contexts:\n  dev:\n    loki: {url: http://127.0.0.1:3100}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p, true, OSEnv())
	if err != nil {
		t.Fatal(err)
	}
	if name, _, err := f.Select(""); err != nil || name != "dev" {
		t.Fatalf("Select = %q %v", name, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("contexts:\n  p:\n    loki: {url: http://x}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("contexts: {p: {loki: {timeout: 1e9999d}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		file, err := Parse(data, "fuzz.yaml", testEnv(nil, nil))
		if err == nil && file == nil {
			t.Fatal("nil file without error")
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}

type fakeInfo struct{ fs.FileInfo }

func (fakeInfo) IsDir() bool  { return false }
func (fakeInfo) Size() int64  { return 10 }
func (fakeInfo) Name() string { return "f" }

func TestIncidentsBlock(t *testing.T) {
	const ctx = "contexts:\n  p:\n    loki: {url: http://x}\n"
	f, err := Parse([]byte(ctx+"incidents:\n  driver: postgres\n  dsn: {env: PG_DSN}\n"), "c.yaml", testEnv(map[string]string{"PG_DSN": "postgres://u:pw@db/incidents"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := f.Incidents.DSN.Value(testEnv(map[string]string{"PG_DSN": "postgres://u:pw@db/incidents"}, nil)); err != nil || v != "postgres://u:pw@db/incidents" || f.Incidents.Driver != "postgres" {
		t.Fatalf("incidents = %+v, dsn %q %v", f.Incidents, v, err)
	}
	f, err = Parse([]byte(ctx+"incidents:\n  path: /var/lib/reltui/incidents.db\n"), "c.yaml", testEnv(nil, nil))
	if err != nil || f.Incidents.Path != "/var/lib/reltui/incidents.db" || f.Incidents.Driver != "" {
		t.Fatalf("sqlite block: %+v %v", f, err)
	}
	if f, err := Parse([]byte(ctx), "c.yaml", testEnv(nil, nil)); err != nil || f.Incidents != nil {
		t.Fatalf("no block: %+v %v", f, err)
	}
	cases := []struct{ doc, want string }{
		{"incidents:\n  driver: mysql\n", `c.yaml:5:3: incidents.driver: driver "mysql" is not sqlite or postgres`},
		{"incidents:\n  driver: postgres\n", "c.yaml:5:3: incidents.dsn: driver postgres needs dsn: {file: PATH} or dsn: {env: VAR}"},
		{"incidents:\n  driver: postgres\n  dsn: {env: NOPE}\n", "c.yaml:6:9: incidents.dsn.env: environment variable NOPE is not set"},
		{"incidents:\n  driver: postgres\n  dsn: {file: /run/pg}\n  path: /x.db\n", "c.yaml:7:3: incidents.path: path is for driver sqlite"},
		{"incidents:\n  path: rel/incidents.db\n", `c.yaml:5:3: incidents.path: path "rel/incidents.db" must be absolute`},
		{"incidents:\n  path: /dir\n", "c.yaml:5:3: incidents.path: /dir is a directory"},
		{"incidents:\n  dsn: {env: PG}\n", "c.yaml:5:3: incidents.dsn: dsn is for driver postgres"},
		{"incidents:\n  dns: {env: PG}\n", `c.yaml:5:3: incidents.dns: unknown key (did you mean "dsn"?)`},
	}
	env := testEnv(map[string]string{"PG": "x"}, map[string]string{"/run/pg": "postgres://db"})
	env.Stat = func(p string) (fs.FileInfo, error) {
		switch p {
		case "/dir":
			return dirInfo{}, nil
		case "/run/pg":
			return fakeInfo{}, nil
		}
		return nil, fs.ErrNotExist
	}
	for _, c := range cases {
		_, err := Parse([]byte(ctx+c.doc), "c.yaml", env)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.doc, err, c.want)
		}
	}
}

type dirInfo struct{ fs.FileInfo }

func (dirInfo) IsDir() bool { return true }

// TestReadmeExampleIsValid keeps the README's full example true: with its
// files and variables present, it parses without a single problem.
func TestReadmeExampleIsValid(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "A full example:")
	if i < 0 {
		t.Fatal("README has no full example")
	}
	j := strings.Index(s[i:], "```yaml\n")
	k := strings.Index(s[i+j+8:], "```")
	if j < 0 || k < 0 {
		t.Fatal("README example is not a yaml block")
	}
	doc := s[i+j+8 : i+j+8+k]
	files := map[string]string{}
	for _, f := range []string{"/run/secrets/reltui-pg-dsn", "/run/secrets/loki-password", "/etc/ssl/internal-ca.pem", "/etc/reltui/client.pem", "/etc/reltui/client-key.pem", "/run/secrets/kafka"} {
		files[f] = "x"
	}
	f, err := Parse([]byte(doc), "README.md", testEnv(map[string]string{"PROM_TOKEN": "t", "VLOGS_TOKEN": "t"}, files))
	if err != nil {
		t.Fatalf("README example does not parse:\n%v", err)
	}
	if len(f.Contexts) < 2 || f.Incidents == nil || f.Serve == nil {
		t.Fatalf("README example lost its contexts, incidents or serve block: %+v", f)
	}
	prod := f.Contexts["prod"]
	if prod == nil || prod.Metrics == nil || prod.SLOs.IsZero() || prod.Lag == nil || prod.Correlate == nil || len(prod.Correlate.Rules) == 0 {
		t.Fatalf("README example lost a block of the prod context: %+v", prod)
	}
	if specs, ok, err := prod.SLOSpecs("README.md"); err != nil || !ok || len(specs) != 1 {
		t.Fatalf("README example's inline SLO does not read: %v %v %d", err, ok, len(specs))
	}
}
