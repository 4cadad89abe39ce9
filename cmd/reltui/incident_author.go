package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
)

// incidentConfig loads the config file when one was named or the default
// one exists; nil means "no file", which incidents must work without.
func incidentConfig(g *globals) (*config.File, error) {
	f, err := config.LoadIfPresent(g.configPath, g.configSet, config.OSEnv())
	if err != nil {
		return nil, &exitError{code: 1, msg: "invalid configuration: " + err.Error()}
	}
	return f, nil
}

// asUsage is the help of every --as flag (incident, drill, the console).
const asUsage = "record writes as this person (default: the config's user:, else the OS user)"

// author resolves the write's author; said reports it after the write.
func (o *incidentOpts) author(g *globals) (string, error) {
	var f *config.File
	if strings.TrimSpace(o.as) == "" {
		var err error
		if f, err = incidentConfig(g); err != nil {
			return "", err
		}
	}
	name, from, err := whoWrites(o.as, f)
	if err != nil {
		return "", err
	}
	o.authorMsg = fmt.Sprintf("reltui: recorded as %s (from %s)", name, from)
	return name, nil
}

// whoWrites is who incident writes are recorded as, by config.Author's
// one rule: --as, then the config's user: (f may be nil), then the OS
// user. A name that is not plain is a usage error.
func whoWrites(as string, f *config.File) (name, from string, err error) {
	name, from, err = config.Author(as, f, config.OSUser(os.Getenv))
	if err != nil {
		return "", "", usage("%v", err)
	}
	return name, from, nil
}

// said tells the person, once the write succeeded, whom it was recorded
// as; a failed write prints only its one-line reason.
func (o *incidentOpts) said(g *globals, err error) error {
	if err == nil && o.authorMsg != "" {
		fmt.Fprintln(g.stderr, o.authorMsg)
	}
	return err
}

// checkCategory validates a root-cause category against the config's
// list, or the default one.
func checkCategory(g *globals, c string) (string, error) {
	var allowed []string
	f, err := incidentConfig(g)
	if err != nil {
		return "", err
	}
	if f != nil && f.Incidents != nil {
		allowed = f.Incidents.Categories
	}
	out, err := incidents.CheckCategory(c, allowed)
	if err != nil {
		return "", usage("--category: %v", err)
	}
	return out, nil
}
