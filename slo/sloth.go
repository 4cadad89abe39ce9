package slo

import (
	"maps"

	"gopkg.in/yaml.v3"
)

// Sloth's spec formats, as Sloth itself tells them apart.
const (
	// SlothVersion is the version: of Sloth's own prometheus/v1 files.
	SlothVersion = "prometheus/v1"
	// SlothK8sAPIVersion is the apiVersion of Sloth's Kubernetes
	// PrometheusServiceLevel manifests.
	SlothK8sAPIVersion = "sloth.slok.dev/v1"
	// SlothK8sKind is the kind of a Sloth SLO manifest.
	SlothK8sKind = "PrometheusServiceLevel"
)

// slothVocab names the keys of one Sloth format: prometheus/v1 spells
// them in snake_case, the Kubernetes manifest in camelCase. Errors use the
// spelling of the file they are about.
type slothVocab struct {
	errorQuery, totalQuery, rawQuery, sloPlugins string
}

var (
	slothPromVocab = slothVocab{"error_query", "total_query", "error_ratio_query", "slo_plugins"}
	slothK8sVocab  = slothVocab{"errorQuery", "totalQuery", "errorRatioQuery", "sloPlugins"}
)

// ReadSloth reads a file in any format Sloth reads: its prometheus/v1
// spec, the Kubernetes PrometheusServiceLevel manifest (sloth.slok.dev/v1)
// and OpenSLO v1alpha SLOs, one or several YAML documents. Sloth's specs
// have no window, so each SLO gets DefaultWindow, as `sloth generate` does
// without --default-slo-period. SLO labels are the spec's labels overlaid
// with the SLO's own, as Sloth merges them. The alerting section is
// ignored: reltui computes the workbook's alert conditions itself. SLO
// plugins (slo_plugins, plugins) only change the rules Sloth generates and
// are ignored too; an SLI plugin, which writes the SLI's query inside
// Sloth, is an error naming the plugin. Keys reltui does not use are
// ignored, so newer Sloth files still load.
func ReadSloth(file string, data []byte) ([]SLO, error) {
	w := &walker{file: file}
	docs := w.documents(data)
	if len(docs) == 0 && len(w.errs) == 0 {
		w.fail(nil, "version", "the file is empty; expected a %s spec", SlothVersion)
	}
	var set sloSet
	for _, doc := range docs {
		for _, s := range w.slothDocument(doc.node, doc.field) {
			if !set.add(s.Service+"/"+s.Name, s) {
				w.fail(doc.node, join(doc.field, "slos"), "SLO %q of service %q is defined twice", s.Name, s.Service)
			}
		}
	}
	return set.result(w)
}

// slothDocument tells the three formats apart the way Sloth does: by
// version, or by apiVersion and kind.
func (w *walker) slothDocument(doc *yaml.Node, prefix string) []SLO {
	m, ok := w.mapping(doc, prefix, nil)
	if !ok {
		return nil
	}
	if av, present := m["apiVersion"]; present {
		api, ok := w.str(av, join(prefix, "apiVersion"))
		if !ok {
			return nil
		}
		switch api {
		case SlothK8sAPIVersion:
			return w.slothK8s(doc, m, prefix)
		case OpenSLOAlphaVersion:
			return w.slothOpenSLO(doc, m, prefix)
		}
		w.fail(av, join(prefix, "apiVersion"), "Sloth reads %q (kind %s) and %q manifests, got %q", SlothK8sAPIVersion, SlothK8sKind, OpenSLOAlphaVersion, api)
		return nil
	}
	vf := join(prefix, "version")
	v, present := m["version"]
	if !present {
		w.fail(doc, vf, "is required (%q)", SlothVersion)
		return nil
	}
	if s, ok := w.str(v, vf); !ok {
		return nil
	} else if s != SlothVersion {
		w.fail(v, vf, "must be %q, got %q", SlothVersion, s)
		return nil
	}
	return w.slothSpec(doc, m, prefix, slothPromVocab)
}

func (w *walker) slothK8s(doc *yaml.Node, m map[string]*yaml.Node, prefix string) []SLO {
	kf := join(prefix, "kind")
	kn, present := m["kind"]
	if !present {
		w.fail(doc, kf, "is required (%s)", SlothK8sKind)
		return nil
	}
	kind, ok := w.str(kn, kf)
	switch {
	case !ok:
		return nil
	case kind == "AlertWindows":
		w.fail(kn, kf, "AlertWindows sets the alert windows Sloth generates rules with, not an SLO; reltui scales the SRE workbook's windows to each SLO's window instead")
		return nil
	case kind != SlothK8sKind:
		w.fail(kn, kf, "must be %s, got %q", SlothK8sKind, kind)
		return nil
	}
	sf := join(prefix, "spec")
	spec, present := m["spec"]
	if !present {
		w.fail(doc, sf, "is required")
		return nil
	}
	sm, ok := w.mapping(spec, sf, nil)
	if !ok {
		return nil
	}
	return w.slothSpec(spec, sm, sf, slothK8sVocab)
}

// slothSpec reads the part prometheus/v1 files and manifests' spec share.
func (w *walker) slothSpec(doc *yaml.Node, m map[string]*yaml.Node, prefix string, voc slothVocab) []SLO {
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
		if s, ok := w.slothSLO(item, index(join(prefix, "slos"), i), service, labels, voc); ok {
			out = append(out, s)
		}
	}
	return out
}

func (w *walker) slothSLO(n *yaml.Node, field, service string, specLabels map[string]string, voc slothVocab) (SLO, bool) {
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
		s.SLI = w.slothSLI(v, join(field, "sli"), voc)
	} else {
		w.fail(n, join(field, "sli"), "is required (events or raw)")
	}
	return s, len(w.errs) == before
}

func (w *walker) slothSLI(n *yaml.Node, field string, voc slothVocab) SLI {
	m, ok := w.mapping(n, field, nil)
	if !ok {
		return SLI{}
	}
	if p, present := m["plugin"]; present {
		id := scalar(mapChild(p)["id"])
		if id == "" {
			id = "(no id)"
		}
		w.fail(p, join(field, "plugin"), "SLI plugin %q builds its query inside Sloth, and reltui cannot run Sloth plugins; write the SLI as events or raw", id)
		return SLI{}
	}
	ev, hasEvents := m["events"]
	raw, hasRaw := m["raw"]
	switch {
	case hasEvents == hasRaw:
		w.fail(n, field, "needs exactly one of events, raw and plugin")
		return SLI{}
	case hasRaw:
		f := join(field, "raw")
		rm, ok := w.mapping(raw, f, nil)
		if !ok {
			return SLI{}
		}
		q, present := rm[voc.rawQuery]
		if !present {
			w.fail(raw, join(f, voc.rawQuery), "is required")
			return SLI{}
		}
		r := &RawRatioSLI{}
		r.Query, _ = w.windowQuery(q, join(f, voc.rawQuery))
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
	}{{voc.errorQuery, &e.Bad}, {voc.totalQuery, &e.Total}} {
		v, present := em[k.key]
		if !present {
			w.fail(ev, join(f, k.key), "is required")
			continue
		}
		*k.dst, _ = w.windowQuery(v, join(f, k.key))
	}
	return SLI{Kind: KindEventRatio, Events: e}
}
