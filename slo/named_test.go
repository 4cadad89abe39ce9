package slo

import "testing"

func TestNamed(t *testing.T) {
	list := []SLO{{Name: "b-latency"}, {Name: "a-availability", Source: SourceFile}, {Name: "a-availability", Source: SourceConfig}}
	got, err := Named(list, "a-availability")
	if err != nil || len(got) != 2 || got[0].Source != SourceFile {
		t.Fatalf("Named = %+v, %v; want both a-availability SLOs in order", got, err)
	}
	if _, err := Named(list, "nope"); err == nil || err.Error() != `no SLO named "nope"; known SLOs: a-availability, a-availability, b-latency` {
		t.Fatalf("unknown name: %v", err)
	}
	if _, err := Named(nil, "x"); err == nil {
		t.Fatal("no SLOs: want an error")
	}
}
