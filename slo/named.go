package slo

import (
	"fmt"
	"sort"
	"strings"
)

// Named is the SLOs in list called name (a name may come from several
// sources). None is an error listing the known names, sorted, so the
// person can pick one.
func Named(list []SLO, name string) ([]SLO, error) {
	var names []string
	var picked []SLO
	for _, s := range list {
		names = append(names, s.Name)
		if s.Name == name {
			picked = append(picked, s)
		}
	}
	if len(picked) == 0 {
		sort.Strings(names)
		return nil, fmt.Errorf("no SLO named %q; known SLOs: %s", name, strings.Join(names, ", "))
	}
	return picked, nil
}
