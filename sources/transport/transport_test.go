package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWrapSetsHeadersAndAuth(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()

	cases := []struct {
		name string
		opts Options
		want map[string]string
	}{
		{"tenant default header", Options{Tenant: "team-a"}, map[string]string{"X-Scope-OrgID": "team-a"}},
		{"tenant custom header", Options{Tenant: "1", TenantHeader: "X-Grafana-Org-Id"}, map[string]string{"X-Grafana-Org-Id": "1"}},
		{"basic", Options{Username: "u", Password: "p"}, map[string]string{"Authorization": "Basic dTpw"}},
		{"bearer wins", Options{Username: "u", Password: "p", BearerToken: "tok"}, map[string]string{"Authorization": "Bearer tok"}},
		{"extra", Options{Headers: map[string]string{"X-Team": "sre"}}, map[string]string{"X-Team": "sre"}},
		{"auth header", Options{BearerToken: "tok", AuthHeader: "X-Auth"}, map[string]string{"X-Auth": "Bearer tok", "Authorization": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt, err := c.opts.RoundTripper()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := (&http.Client{Transport: rt}).Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, v := range c.want {
				if got.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, got.Get(k), v)
				}
			}
		})
	}
}

func TestTLSConfigErrors(t *testing.T) {
	if _, err := (Options{CAFile: "/nonexistent/ca.pem"}).TLSConfig(); err == nil {
		t.Fatal("missing CA file accepted")
	}
	if _, err := (Options{CertFile: "/x.pem"}).TLSConfig(); err == nil {
		t.Fatal("cert without key accepted")
	}
	cfg, err := (Options{}).TLSConfig()
	if err != nil || cfg != nil {
		t.Fatalf("empty options: %v %v", cfg, err)
	}
}

func TestParseBaseURL(t *testing.T) {
	if u, err := ParseBaseURL(" https://loki.example.com/prefix "); err != nil || u.Host != "loki.example.com" || u.Path != "/prefix" {
		t.Fatalf("good URL: %v %v", u, err)
	}
	for _, bad := range []string{"", "::", "ftp://x", "http://", "http://x/?q=1", "http://x/#f", "localhost:3100"} {
		if _, err := ParseBaseURL(bad); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted", bad)
		}
	}
	_, err := ParseBaseURL("http://user:hunter2@/x")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error echoes the password or accepts a hostless URL: %v", err)
	}
}

// ProxyURL sends requests through that proxy (here a test server that
// answers for every host); a bad one is refused without repeating it.
func TestProxyURL(t *testing.T) {
	var asked string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.String() // a proxied request carries the absolute URL
		_, _ = w.Write([]byte("via proxy"))
	}))
	defer proxy.Close()
	rt, err := Options{ProxyURL: proxy.URL}.RoundTripper()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: rt}).Get("http://backend.invalid:3100/ready")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if asked != "http://backend.invalid:3100/ready" {
		t.Fatalf("the proxy saw %q", asked)
	}
	for _, bad := range []string{"ftp://u:secret@p:21", "://nope", "http://"} {
		_, err := Options{ProxyURL: bad}.RoundTripper()
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("proxy %q: %v", bad, err)
		}
	}
}
