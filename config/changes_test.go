package config

import (
	"strings"
	"testing"
)

func TestChangesConfig(t *testing.T) {
	doc := "contexts:\n  p:\n    prometheus: {url: http://x}\n    changes:\n" +
		"      - name: deploys\n        promql: app_build_info\n" +
		"      - name: rollouts\n        kind: rollout\n        promql: kube_deployment_status_observed_generation\n        service_label: deployment\n" +
		"      - name: config\n        kind: config\n        logs: '\"config reloaded\"'\n"
	f, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	cs := f.Contexts["p"].Changes
	if len(cs) != 3 || cs[2].Logs != `"config reloaded"` || cs[0].KindOr() != DefaultChangeKind || cs[0].LabelOr("service") != "service" ||
		cs[1].KindOr() != "rollout" || cs[1].LabelOr("service") != "deployment" {
		t.Fatalf("changes = %+v", cs)
	}
}

func TestChangesProblems(t *testing.T) {
	doc := "contexts:\n  p:\n    prometheus: {url: http://x}\n    changes:\n" +
		"      - name: d\n" +
		"      - name: d\n        promql: x\n        service_label: 9bad\n" +
		"      - name: e\n        promql: x\n        logs: y\n"
	_, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err == nil {
		t.Fatal("bad change sources accepted")
	}
	for _, want := range []string{"changes[0].promql", "changes[1].name", "changes[1].service_label", "changes[2].logs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no problem at %s in:\n%v", want, err)
		}
	}
}
