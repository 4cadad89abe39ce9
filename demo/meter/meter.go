// Package meter keeps the workload's metrics as cumulative values in
// memory and turns them into remote-write series on demand. It plays the
// part a client library's registry plays for a scraped service, except that
// the samples are pushed, so the workload needs no listening port.
package meter

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/demo/shop"
)

// Registry holds every series of one process. It is safe for concurrent use.
type Registry struct {
	mu      sync.Mutex
	common  []promwrite.Label
	buckets []float64
	series  map[string]*entry
}

type kind int

const (
	counterKind kind = iota
	gaugeKind
	histogramKind
)

type entry struct {
	kind   kind
	name   string
	labels []promwrite.Label
	value  float64 // counter or gauge

	// histogram state: per-bucket counts (not cumulative), count and sum,
	// and the newest exemplar per bucket since the last snapshot.
	counts    []uint64
	count     uint64
	sum       float64
	exemplars []*promwrite.Exemplar
}

// New returns a registry whose series all carry common (env, for one) and
// whose histograms use the upper bounds in buckets (without +Inf).
func New(buckets []float64, common ...promwrite.Label) *Registry {
	return &Registry{
		common:  slices.Clone(common),
		buckets: slices.Clone(buckets),
		series:  map[string]*entry{},
	}
}

func pairs(kv []string) []promwrite.Label {
	ls := make([]promwrite.Label, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		ls = append(ls, promwrite.Label{Name: kv[i], Value: kv[i+1]})
	}
	return ls
}

// key is a series' identity in the registry, and its sorted labels.
func (r *Registry) key(name string, kv []string) (string, []promwrite.Label) {
	ls := append(pairs(kv), r.common...)
	slices.SortFunc(ls, func(a, b promwrite.Label) int { return strings.Compare(a.Name, b.Name) })
	var key strings.Builder
	key.WriteString(name)
	for _, l := range ls {
		key.WriteByte(0)
		key.WriteString(l.Name)
		key.WriteByte(0)
		key.WriteString(l.Value)
	}
	return key.String(), ls
}

func (r *Registry) get(k kind, name string, kv []string) *entry {
	key, ls := r.key(name, kv)
	e, ok := r.series[key]
	if !ok {
		e = &entry{kind: k, name: name, labels: ls}
		if k == histogramKind {
			e.counts = make([]uint64, len(r.buckets)+1)
			e.exemplars = make([]*promwrite.Exemplar, len(r.buckets)+1)
		}
		r.series[key] = e
	}
	return e
}

// Add increases a counter, creating it at zero first; pass v == 0 to make
// a series exist before its first event, so rate() sees the first increase.
func (r *Registry) Add(name string, v float64, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(counterKind, name, kv).value += v
}

// Set sets a gauge.
func (r *Registry) Set(name string, v float64, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(gaugeKind, name, kv).value = v
}

// Delete forgets a series, so it is no longer pushed: an info series
// whose label changed (a new version) must stop, as a scraped target's
// old series would.
func (r *Registry) Delete(name string, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key, _ := r.key(name, kv)
	delete(r.series, key)
}

// Observe records one value in the histogram called name. When exemplar is
// non-empty it becomes the bucket's exemplar, replacing an older one not yet
// pushed: Prometheus keeps few exemplars per series, and the newest is the
// one a person investigating now wants.
func (r *Registry) Observe(name string, v float64, tsMillis int64, exemplar []promwrite.Label, kv ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.get(histogramKind, name, kv)
	b, _ := slices.BinarySearch(r.buckets, v)
	e.counts[b]++
	e.count++
	e.sum += v
	if len(exemplar) > 0 {
		e.exemplars[b] = &promwrite.Exemplar{Labels: slices.Clone(exemplar), Value: v, Timestamp: tsMillis}
	}
}

// Get returns a counter's or gauge's current value, for status and tests.
func (r *Registry) Get(name string, kv ...string) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.get(counterKind, name, kv).value
}

// Snapshot returns every series with one sample at tsMillis, and hands over
// the exemplars gathered since the previous snapshot.
func (r *Registry) Snapshot(tsMillis int64) []promwrite.TimeSeries {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.series))
	for k := range r.series {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []promwrite.TimeSeries
	one := func(name string, ls []promwrite.Label, v float64, ex []promwrite.Exemplar) {
		all := make([]promwrite.Label, 0, len(ls)+1)
		all = append(all, promwrite.Label{Name: "__name__", Value: name})
		all = append(all, ls...)
		out = append(out, promwrite.TimeSeries{
			Labels:    all,
			Samples:   []promwrite.Sample{{Value: v, Timestamp: tsMillis}},
			Exemplars: ex,
		})
	}
	for _, k := range keys {
		e := r.series[k]
		if e.kind != histogramKind {
			one(e.name, e.labels, e.value, nil)
			continue
		}
		var cum uint64
		for i, c := range e.counts {
			cum += c
			le := math.Inf(1)
			if i < len(r.buckets) {
				le = r.buckets[i]
			}
			ls := append(slices.Clone(e.labels), promwrite.Label{Name: "le", Value: shop.FormatLe(le)})
			var ex []promwrite.Exemplar
			if e.exemplars[i] != nil {
				ex = []promwrite.Exemplar{*e.exemplars[i]}
				e.exemplars[i] = nil
			}
			one(e.name+"_bucket", ls, float64(cum), ex)
		}
		one(e.name+"_count", e.labels, float64(e.count), nil)
		one(e.name+"_sum", e.labels, e.sum, nil)
	}
	return out
}
