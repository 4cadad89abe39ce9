package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// historyFiles keeps the console's histories under
// $XDG_STATE_HOME/reltui (default ~/.local/state/reltui), one entry a line.
type historyFiles struct{ dir string }

func newHistoryFiles(getenv func(string) string) historyFiles {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return historyFiles{}
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return historyFiles{dir: filepath.Join(dir, "reltui")}
}

// maxHistoryBytes bounds what is read back, so a corrupt file cannot
// balloon the console's memory.
const maxHistoryBytes = 1 << 20

func (h historyFiles) load(name string) []string {
	if h.dir == "" {
		return nil
	}
	f, err := os.Open(filepath.Join(h.dir, name))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(bufio.NewReader(&limited{f: f, n: maxHistoryBytes}))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if len(out) > 200 {
		out = out[len(out)-200:]
	}
	return out
}

// save writes entries atomically with owner-only permissions: queries can
// name customers or hosts.
func (h historyFiles) save(name string, entries []string) error {
	if h.dir == "" || len(entries) == 0 {
		return nil
	}
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		return err
	}
	var b bytes.Buffer
	for _, e := range entries {
		if strings.ContainsAny(e, "\n\r") {
			continue
		}
		b.WriteString(e + "\n")
	}
	tmp, err := os.CreateTemp(h.dir, name+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(h.dir, name))
}

type limited struct {
	f *os.File
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, os.ErrClosed
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.f.Read(p)
	l.n -= int64(n)
	return n, err
}
