package meter

import (
	"testing"

	"github.com/reltui/reltui/demo/promwrite"
)

func find(t *testing.T, ss []promwrite.TimeSeries, name string, kv ...string) promwrite.TimeSeries {
	t.Helper()
next:
	for _, s := range ss {
		got := map[string]string{}
		for _, l := range s.Labels {
			got[l.Name] = l.Value
		}
		if got["__name__"] != name {
			continue
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if got[kv[i]] != kv[i+1] {
				continue next
			}
		}
		return s
	}
	t.Fatalf("no series %s%v", name, kv)
	return promwrite.TimeSeries{}
}

func TestHistogramCumulativeWithExemplars(t *testing.T) {
	r := New([]float64{0.1, 0.5, 1}, promwrite.Label{Name: "env", Value: "t"})
	ex := func(id string) []promwrite.Label { return []promwrite.Label{{Name: "trace_id", Value: id}} }
	r.Observe("lat", 0.05, 10, ex("a"), "service", "x")
	r.Observe("lat", 0.3, 11, ex("b"), "service", "x")
	r.Observe("lat", 0.4, 12, ex("c"), "service", "x")
	r.Observe("lat", 7, 13, ex("d"), "service", "x")
	r.Observe("lat", 0.1, 14, nil, "service", "x") // le is inclusive

	ss := r.Snapshot(1000)
	want := map[string]float64{"0.1": 2, "0.5": 4, "1": 4, "+Inf": 5}
	for le, v := range want {
		s := find(t, ss, "lat_bucket", "le", le, "env", "t", "service", "x")
		if s.Samples[0].Value != v || s.Samples[0].Timestamp != 1000 {
			t.Errorf("le=%s: %+v, want %v", le, s.Samples, v)
		}
	}
	if s := find(t, ss, "lat_count"); s.Samples[0].Value != 5 {
		t.Errorf("count = %v", s.Samples[0].Value)
	}
	if s := find(t, ss, "lat_sum"); s.Samples[0].Value < 7.849 || s.Samples[0].Value > 7.851 {
		t.Errorf("sum = %v", s.Samples[0].Value)
	}
	// The newest exemplar of each bucket wins; buckets without one have none.
	b05 := find(t, ss, "lat_bucket", "le", "0.5")
	if len(b05.Exemplars) != 1 || b05.Exemplars[0].Labels[0].Value != "c" || b05.Exemplars[0].Timestamp != 12 {
		t.Errorf("le=0.5 exemplars %+v", b05.Exemplars)
	}
	if e := find(t, ss, "lat_bucket", "le", "+Inf").Exemplars; len(e) != 1 || e[0].Value != 7 {
		t.Errorf("+Inf exemplars %+v", e)
	}
	if e := find(t, ss, "lat_bucket", "le", "1").Exemplars; len(e) != 0 {
		t.Errorf("le=1 has exemplars %+v", e)
	}
	// Exemplars are handed over once; values stay cumulative.
	ss = r.Snapshot(2000)
	for _, s := range ss {
		if len(s.Exemplars) != 0 {
			t.Fatalf("exemplar sent twice: %+v", s)
		}
	}
	if s := find(t, ss, "lat_count"); s.Samples[0].Value != 5 {
		t.Errorf("count after second snapshot = %v", s.Samples[0].Value)
	}
}

func TestCountersAndGauges(t *testing.T) {
	r := New(nil, promwrite.Label{Name: "env", Value: "t"})
	r.Add("reqs_total", 0, "code", "500")
	r.Add("reqs_total", 1, "code", "200")
	r.Add("reqs_total", 2, "code", "200")
	r.Set("depth", 5, "service", "a")
	r.Set("depth", 3, "service", "a")
	ss := r.Snapshot(1)
	if len(ss) != 3 {
		t.Fatalf("got %d series, want 3", len(ss))
	}
	if v := find(t, ss, "reqs_total", "code", "200").Samples[0].Value; v != 3 {
		t.Errorf("counter = %v", v)
	}
	if v := find(t, ss, "reqs_total", "code", "500").Samples[0].Value; v != 0 {
		t.Errorf("pre-created counter = %v", v)
	}
	if v := find(t, ss, "depth").Samples[0].Value; v != 3 {
		t.Errorf("gauge = %v", v)
	}
	if r.Get("reqs_total", "code", "200") != 3 {
		t.Errorf("Get = %v", r.Get("reqs_total", "code", "200"))
	}
}
