// Package histfile keeps the console's histories (palette commands, log
// queries) across runs: one file per history under
// $XDG_STATE_HOME/reltui (default ~/.local/state/reltui), one entry a
// line, written atomically and readable by the owner only, as queries can
// name customers or hosts.
package histfile

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxBytes bounds what Load reads back, so a corrupt or huge file cannot
// balloon the console's memory.
const MaxBytes = 1 << 20

// MaxEntries is how many entries Load keeps: the newest.
const MaxEntries = 200

// Files are the history files of one user; the zero value keeps nothing.
type Files struct{ dir string }

// New finds the directory from XDG_STATE_HOME, else HOME, through
// getenv; with neither, the histories are not kept.
func New(getenv func(string) string) Files {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return Files{}
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return Files{dir: filepath.Join(dir, "reltui")}
}

// Dir is where the files live; "" when histories are not kept.
func (h Files) Dir() string { return h.dir }

// Load reads history name: its non-blank lines, trimmed, the newest
// MaxEntries of what fits in MaxBytes. A missing or unreadable file is
// an empty history.
func (h Files) Load(name string) []string {
	if h.dir == "" {
		return nil
	}
	f, err := os.Open(filepath.Join(h.dir, name))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(io.LimitReader(f, MaxBytes))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if len(out) > MaxEntries {
		out = out[len(out)-MaxEntries:]
	}
	return out
}

// Save replaces history name with entries, leaving out any entry with a
// line break; nothing is written for no entries. The file is written
// beside the old one and renamed over it, so a crash never leaves half a
// history, and created with mode 0600 in a 0700 directory.
func (h Files) Save(name string, entries []string) error {
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
