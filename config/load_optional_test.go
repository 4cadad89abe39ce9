package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadIfPresent(t *testing.T) {
	dir := t.TempDir()
	env := OSEnv()
	env.Getenv = func(k string) string {
		switch k {
		case "XDG_CONFIG_HOME":
			return dir
		case "LOKI_ADDR":
			return "http://127.0.0.1:3100" // would make a config from the environment
		}
		return ""
	}
	f, err := LoadIfPresent("", false, env)
	if f != nil || err != nil {
		t.Fatalf("no file at the default path: %+v, %v; want no config", f, err)
	}
	def := filepath.Join(dir, "reltui", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte("user: carol\ncontexts:\n  dev:\n    prometheus: {url: http://127.0.0.1:1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err = LoadIfPresent("", false, env); err != nil || f == nil || f.User != "carol" || f.Path != def {
		t.Fatalf("the default file: %+v, %v", f, err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	if _, err := LoadIfPresent(missing, true, env); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("a named file that is missing: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("contexts:\n  dev:\n    prometheus: {ur: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIfPresent(bad, true, env); err == nil || !strings.Contains(err.Error(), bad+":3:") {
		t.Fatalf("a named file with a problem: %v", err)
	}
}
