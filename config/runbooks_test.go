package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func loadRunbooks(t *testing.T, body string) (*File, string, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte("contexts:\n  dev:\n    prometheus:\n      url: http://127.0.0.1:9090\n    runbooks:\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p, true, OSEnv())
	return f, p, err
}

func TestRunbooksConfig(t *testing.T) {
	f, p, err := loadRunbooks(t, "      dir: runbooks\n      allowed_hosts: [wiki.example.com, \"127.0.0.1:8080\"]\n      max_kib: 64\n      timeout: 3s\n")
	if err != nil {
		t.Fatal(err)
	}
	opt := f.Contexts["dev"].RunbookOptions(p)
	if opt.Dir != filepath.Join(filepath.Dir(p), "runbooks") || len(opt.AllowedHosts) != 2 || opt.MaxBytes != 64<<10 || opt.Timeout != 3*time.Second {
		t.Fatalf("%+v", opt)
	}
	if o := (&Context{}).RunbookOptions(p); o.Dir != "" || len(o.AllowedHosts) != 0 {
		t.Errorf("no runbooks block gave %+v", o)
	}
}

func TestRunbooksConfigProblems(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"      allowed_hosts: [\"https://wiki.example.com/\"]\n", "runbooks.allowed_hosts: \"https://wiki.example.com/\" is not a host"},
		{"      allowed_hosts: [\"*.example.com\"]\n", "not a host"},
		{"      max_kib: 100000\n", "runbooks.max_kib: max_kib 100000 is outside"},
		{"      timeout: 10m\n", "runbooks.timeout"},
		{"      allowed_host: [x]\n", "unknown key"},
	} {
		_, _, err := loadRunbooks(t, tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.body, err, tc.want)
		}
	}
}
