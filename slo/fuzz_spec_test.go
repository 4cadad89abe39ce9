package slo

import "testing"

// FuzzReadSpec: format detection over any bytes never panics, and what it
// returns is either an error or SLOs that validate.
func FuzzReadSpec(f *testing.F) {
	for _, dir := range []string{"sloth", "openslo", "inline", "pyrra"} {
		seedDir(f, dir)
	}
	for _, s := range []string{
		"", "[]", "- 1", "apiVersion: openslo/v1\n", "slos: 5\n", "version: 1\nslos: []\n",
		"- {name: a, objective: 99, sli: {raw: {error_ratio: 'x{{.window}}'}}}\n",
		"apiVersion: [openslo/v1]\n", "{", "---\n- a\n---\n- b\n",
		"- apiVersion: openslo/v1\n  kind: SLO\n", "- apiVersion: pyrra.dev/v1alpha1\n- 1\n",
		"apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\n", "apiVersion: openslo/v1alpha\nkind: SLO\n", "apiVersion: x/y\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		slos, err := ReadSpec("fuzz.yaml", data)
		checkRead(t, slos, err)
	})
}
