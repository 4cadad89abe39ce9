package config

import (
	"fmt"
	"os/user"
	"strings"

	"github.com/reltui/reltui/sources/sanitize"
)

// MaxAuthor bounds an author's name, in bytes.
const MaxAuthor = 100

// OSUser names the person running reltui as the operating system knows
// them: $USER (through getenv), else the user database, else "unknown".
// A name with control characters is skipped. It reads the user database,
// so it runs at wiring time, never in a bubbletea Update.
func OSUser(getenv func(string) string) string {
	if u := strings.TrimSpace(getenv("USER")); u != "" && sanitize.Line(u) == u {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" && sanitize.Line(u.Username) == u.Username {
		return u.Username
	}
	return "unknown"
}

// Author is the one rule for who incident writes are recorded as, in the
// headless commands, the console and drills alike: as (the --as flag),
// then the file's user: (f may be nil: no config file), then osUser. On
// a shared bastion the OS user is "root" for everyone, so it is only the
// fallback. from says which was used, for the person to read; a name
// that is not a plain line of at most MaxAuthor bytes is an error.
func Author(as string, f *File, osUser string) (name, from string, err error) {
	cfgUser := ""
	if f != nil {
		cfgUser = f.User
	}
	switch {
	case strings.TrimSpace(as) != "":
		name, from = strings.TrimSpace(as), "--as"
	case strings.TrimSpace(cfgUser) != "":
		name, from = strings.TrimSpace(cfgUser), "the config's user:"
	default:
		name, from = osUser, "the OS user; set user: in the config or pass --as"
	}
	if sanitize.Line(name) != name || len(name) > MaxAuthor {
		return "", "", fmt.Errorf("the author %q is not a plain name", sanitize.Line(name))
	}
	return name, from, nil
}
