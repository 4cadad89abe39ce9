package victorialogs

import "testing"

func TestDecodeStatsVector(t *testing.T) {
	body := []byte(`{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"__name__":"hits","level":"error"},"value":[1700000000.5,"3"]},` +
		`{"metric":{"__name__":"hits","level":"info"},"value":[1700000000.5,"7"]}]}}`)
	ss, err := decodeStatsAs(body, "vector")
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[1].Labels["level"] != "info" || len(ss[1].Samples) != 1 || ss[1].Samples[0].Value != 7 ||
		ss[0].Samples[0].Time.UnixMilli() != 1700000000500 {
		t.Fatalf("%+v", ss)
	}
	// A range answer is not an instant one, nor the other way round.
	if _, err := decodeStatsAs([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}`), "vector"); err == nil {
		t.Error("a matrix was read as a vector")
	}
	if _, err := decodeStats(body); err == nil {
		t.Error("a vector was read as a matrix")
	}
}

func FuzzDecodeStatsVector(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1,"2"]}]}}`))
	f.Add([]byte(`{"status":"error","error":"bad"}`))
	f.Add([]byte(`{"data":{"resultType":"vector","result":[{"value":null}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ss, err := decodeStatsAs(body, "vector")
		if err != nil {
			return
		}
		for _, s := range ss {
			if len(s.Samples) > 1 || s.Labels == nil {
				t.Fatalf("vector series %+v", s)
			}
		}
	})
}
