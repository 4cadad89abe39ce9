package incidents

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one versioned schema change of a dialect, read from a file
// named NNNN_name.sql. Stores apply each pending one in its own
// transaction together with the row that records it, so a crash leaves a
// migration either applied and recorded or neither.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads the *.sql files of dir in fsys, ordered by version.
// Versions must start at 1 and have no gaps, so two branches that both add
// "migration 3" fail loudly instead of one being skipped.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1, 2, 3...; found %d at position %d", m.Version, i+1)
		}
	}
	return out, nil
}

// CheckSchemaVersion refuses a database written by a newer reltui: its
// schema may mean things this binary would misread.
func CheckSchemaVersion(have int, known []Migration) error {
	if have > len(known) {
		return fmt.Errorf("%w: the incident database is at schema version %d but this reltui knows only up to %d; upgrade reltui", ErrConflict, have, len(known))
	}
	return nil
}
