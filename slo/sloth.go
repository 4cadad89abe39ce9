package slo

import (
	"fmt"
	"maps"

	"gopkg.in/yaml.v3"
)

// SlothVersion is the only Sloth spec version reltui reads.
const SlothVersion = "prometheus/v1"

// ReadSloth reads a Sloth prometheus/v1 spec file (one or several YAML
// documents) into SLOs. Sloth's spec has no window, so each SLO gets
// DefaultWindow, as `sloth generate` does without --default-slo-period.
// SLO labels are the spec's labels overlaid with the SLO's own, as Sloth
// merges them. The alerting section is ignored: reltui computes the
// workbook's alert conditions itself. Keys reltui does not use are ignored
// too, so newer Sloth files still load.
func ReadSloth(file string, data []byte) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	if len(docs) == 0 && len(w.errs) == 0 {
		w.fail(nil, "version", "the file is empty; expected a %s spec", SlothVersion)
	}
	var out []SLO
	seen := map[string]bool{}
	for i, doc := range docs {
		prefix := ""
		if len(docs) > 1 {
			prefix = fmt.Sprintf("documents[%d]", i)
		}
		for _, s := range w.slothSpec(doc, prefix) {
			id := s.Service + "/" + s.Name
			if seen[id] {
				w.fail(doc, join(prefix, "slos"), "SLO %q of service %q is defined twice", s.Name, s.Service)
				continue
			}
			seen[id] = true
			out = append(out, s)
		}
	}
	if err := w.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (w *walker) slothSpec(doc *yaml.Node, prefix string) []SLO {
	m, ok := w.mapping(doc, prefix, nil)
	if !ok {
		return nil
	}
	vf := join(prefix, "version")
	if v, present := m["version"]; !present {
		if _, k8s := m["apiVersion"]; k8s {
			w.fail(doc, vf, "is missing; this looks like a Kubernetes manifest, and reltui reads Sloth's %s files", SlothVersion)
		} else {
			w.fail(doc, vf, "is required (%q)", SlothVersion)
		}
		return nil
	} else if s, ok := w.str(v, vf); ok && s != SlothVersion {
		w.fail(v, vf, "must be %q, got %q", SlothVersion, s)
		return nil
	} else if !ok {
		return nil
	}
	var service string
	if v, present := m["service"]; present {
		service, _ = w.str(v, join(prefix, "service"))
	} else {
		w.fail(doc, join(prefix, "service"), "is required")
	}
	labels := w.labels(m["labels"], join(prefix, "labels"))
	list, present := m["slos"]
	if !present {
		w.fail(doc, join(prefix, "slos"), "is required: a list of SLOs")
		return nil
	}
	items, ok := w.sequence(list, join(prefix, "slos"))
	if !ok {
		return nil
	}
	if len(items) == 0 {
		w.fail(list, join(prefix, "slos"), "is empty")
	}
	var out []SLO
	for i, item := range items {
		if s, ok := w.slothSLO(item, index(join(prefix, "slos"), i), service, labels); ok {
			out = append(out, s)
		}
	}
	return out
}

func (w *walker) slothSLO(n *yaml.Node, field, service string, specLabels map[string]string) (SLO, bool) {
	before := len(w.errs)
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return SLO{}, false
	}
	s := SLO{Service: service, Window: DefaultWindow}
	if v, present := m["name"]; present {
		s.Name, _ = w.str(v, join(field, "name"))
	} else {
		w.fail(n, join(field, "name"), "is required")
	}
	if v, present := m["description"]; present {
		s.Description, _ = w.str(v, join(field, "description"))
	}
	if v, present := m["objective"]; present {
		s.Objective, _ = w.percentObjective(v, join(field, "objective"))
	} else {
		w.fail(n, join(field, "objective"), "is required (a percent such as 99.9)")
	}
	own := w.labels(m["labels"], join(field, "labels"))
	if len(specLabels)+len(own) > 0 {
		s.Labels = maps.Clone(specLabels)
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		maps.Copy(s.Labels, own)
	}
	if v, present := m["sli"]; present {
		s.SLI = w.slothSLI(v, join(field, "sli"))
	} else {
		w.fail(n, join(field, "sli"), "is required (events or raw)")
	}
	return s, len(w.errs) == before
}

func (w *walker) slothSLI(n *yaml.Node, field string) SLI {
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return SLI{}
	}
	if p, present := m["plugin"]; present {
		w.fail(p, join(field, "plugin"), "Sloth SLI plugins generate their query inside Sloth; write the SLI as events or raw for reltui")
		return SLI{}
	}
	ev, hasEvents := m["events"]
	raw, hasRaw := m["raw"]
	switch {
	case hasEvents == hasRaw:
		w.fail(n, field, "needs exactly one of events and raw")
		return SLI{}
	case hasRaw:
		f := join(field, "raw")
		rm, ok := w.mapping(raw, f, nil)
		if !ok {
			return SLI{}
		}
		q, present := rm["error_ratio_query"]
		if !present {
			w.fail(raw, join(f, "error_ratio_query"), "is required")
			return SLI{}
		}
		r := &RawRatioSLI{}
		r.Query, _ = w.windowQuery(q, join(f, "error_ratio_query"))
		return SLI{Kind: KindRawRatio, Raw: r}
	}
	f := join(field, "events")
	em, ok := w.mapping(ev, f, nil)
	if !ok {
		return SLI{}
	}
	e := &EventRatioSLI{}
	for _, k := range []struct {
		key string
		dst *string
	}{{"error_query", &e.Bad}, {"total_query", &e.Total}} {
		v, present := em[k.key]
		if !present {
			w.fail(ev, join(f, k.key), "is required")
			continue
		}
		*k.dst, _ = w.windowQuery(v, join(f, k.key))
	}
	return SLI{Kind: KindEventRatio, Events: e}
}
