package promwrite

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/golang/snappy"
	"google.golang.org/protobuf/encoding/protowire"
)

// decode is an independent reader of the wire format, written against the
// .proto field numbers rather than our constants.
func decode(t *testing.T, b []byte) []TimeSeries {
	t.Helper()
	var out []TimeSeries
	each(t, b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
		if num != 1 || typ != protowire.BytesType {
			t.Fatalf("WriteRequest: unexpected field %d type %d", num, typ)
		}
		var ts TimeSeries
		each(t, v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
			switch num {
			case 1:
				ts.Labels = append(ts.Labels, decodeLabel(t, v))
			case 2:
				var s Sample
				each(t, v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) {
					switch {
					case num == 1 && typ == protowire.Fixed64Type:
						s.Value = math.Float64frombits(x)
					case num == 2 && typ == protowire.VarintType:
						s.Timestamp = int64(x)
					default:
						t.Fatalf("Sample: unexpected field %d type %d", num, typ)
					}
				})
				ts.Samples = append(ts.Samples, s)
			case 3:
				var e Exemplar
				each(t, v, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) {
					switch {
					case num == 1 && typ == protowire.BytesType:
						e.Labels = append(e.Labels, decodeLabel(t, v))
					case num == 2 && typ == protowire.Fixed64Type:
						e.Value = math.Float64frombits(x)
					case num == 3 && typ == protowire.VarintType:
						e.Timestamp = int64(x)
					default:
						t.Fatalf("Exemplar: unexpected field %d type %d", num, typ)
					}
				})
				ts.Exemplars = append(ts.Exemplars, e)
			default:
				t.Fatalf("TimeSeries: unexpected field %d", num)
			}
		})
		out = append(out, ts)
	})
	return out
}

func decodeLabel(t *testing.T, b []byte) Label {
	var l Label
	each(t, b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
		if typ != protowire.BytesType {
			t.Fatalf("Label: field %d has type %d", num, typ)
		}
		switch num {
		case 1:
			l.Name = string(v)
		case 2:
			l.Value = string(v)
		default:
			t.Fatalf("Label: unexpected field %d", num)
		}
	})
	return l
}

func each(t *testing.T, b []byte, f func(protowire.Number, protowire.Type, []byte, uint64)) {
	t.Helper()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("bad bytes: %v", protowire.ParseError(n))
			}
			f(num, typ, v, 0)
			b = b[n:]
		case protowire.VarintType:
			x, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatalf("bad varint: %v", protowire.ParseError(n))
			}
			f(num, typ, nil, x)
			b = b[n:]
		case protowire.Fixed64Type:
			x, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				t.Fatalf("bad fixed64: %v", protowire.ParseError(n))
			}
			f(num, typ, nil, x)
			b = b[n:]
		default:
			t.Fatalf("unexpected wire type %d", typ)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	in := []TimeSeries{
		{
			// Deliberately unsorted: Marshal must sort.
			Labels:  []Label{{"service", "payments"}, {"__name__", "http_request_duration_seconds_bucket"}, {"le", "0.25"}, {"env", "demo"}},
			Samples: []Sample{{Value: 42, Timestamp: 1_700_000_000_123}, {Value: 43.5, Timestamp: 1_700_000_015_123}},
			Exemplars: []Exemplar{{
				Labels:    []Label{{"trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"}, {"span_id", "00f067aa0ba902b7"}},
				Value:     0.1834,
				Timestamp: 1_700_000_014_000,
			}},
		},
		{
			Labels:  []Label{{"__name__", "kafka_consumergroup_lag"}, {"partition", "2"}},
			Samples: []Sample{{Value: -1, Timestamp: -5}}, // negative values survive varint/fixed64
		},
	}
	got := decode(t, Marshal(in))
	want := []TimeSeries{
		{
			Labels:  []Label{{"__name__", "http_request_duration_seconds_bucket"}, {"env", "demo"}, {"le", "0.25"}, {"service", "payments"}},
			Samples: in[0].Samples,
			Exemplars: []Exemplar{{
				Labels:    []Label{{"span_id", "00f067aa0ba902b7"}, {"trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"}},
				Value:     0.1834,
				Timestamp: 1_700_000_014_000,
			}},
		},
		in[1],
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if in[0].Labels[0].Name != "service" {
		t.Fatal("Marshal reordered the caller's labels")
	}
}

func TestMarshalEmpty(t *testing.T) {
	if b := Marshal(nil); len(b) != 0 {
		t.Fatalf("empty request encoded to %d bytes", len(b))
	}
}

func TestPushHeadersAndBody(t *testing.T) {
	var got []TimeSeries
	var hdr http.Header
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr, path = r.Header, r.URL.Path
		body, _ := io.ReadAll(r.Body)
		raw, err := snappy.Decode(nil, body)
		if err != nil {
			t.Errorf("body is not snappy block format: %v", err)
		}
		got = decode(t, raw)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL+"/", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	series := []TimeSeries{{Labels: []Label{{"__name__", "up"}}, Samples: []Sample{{1, 1000}}}}
	if err := c.Push(context.Background(), series); err != nil {
		t.Fatal(err)
	}
	if path != "/api/v1/write" {
		t.Errorf("path %q", path)
	}
	for k, v := range map[string]string{
		"Content-Encoding":                  "snappy",
		"Content-Type":                      "application/x-protobuf",
		"X-Prometheus-Remote-Write-Version": "0.1.0",
	} {
		if hdr.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, hdr.Get(k), v)
		}
	}
	if !reflect.DeepEqual(got, series) {
		t.Errorf("server decoded %+v", got)
	}
}

func TestPushErrorKinds(t *testing.T) {
	status := http.StatusBadRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "out of order sample", status)
	}))
	defer srv.Close()
	c, _ := NewClient(srv.URL, srv.Client())
	err := c.Push(context.Background(), nil)
	e, ok := err.(*Error)
	if !ok || e.Status != 400 || e.Retryable() {
		t.Fatalf("400: got %v", err)
	}
	status = http.StatusServiceUnavailable
	err = c.Push(context.Background(), nil)
	if e, ok := err.(*Error); !ok || !e.Retryable() {
		t.Fatalf("503: got %v", err)
	}
}
