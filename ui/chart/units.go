package chart

import (
	"math"
	"strconv"
	"strings"
)

// Unit says how a chart's values read: it formats axis labels and legend
// values.
type Unit int

// The units a chart knows.
const (
	// UnitNone is a plain number with an SI suffix (1.2k, 3.4M).
	UnitNone Unit = iota
	// UnitSeconds formats durations: 850µs, 12.3ms, 1.84s, 2.5m.
	UnitSeconds
	// UnitRatio formats a 0..1 ratio as a percentage.
	UnitRatio
	// UnitPerSecond is a rate: 12.3/s.
	UnitPerSecond
	// UnitBytes uses binary prefixes: 512B, 1.5KiB.
	UnitBytes
)

// Name is the unit as shown next to a chart's title ("" for UnitNone).
func (u Unit) Name() string {
	switch u {
	case UnitSeconds:
		return "seconds"
	case UnitRatio:
		return "%"
	case UnitPerSecond:
		return "per second"
	case UnitBytes:
		return "bytes"
	}
	return ""
}

// Format renders v for an axis label or a legend: at most three
// significant digits and a suffix, so labels stay short.
func (u Unit) Format(v float64) string {
	if !finite(v) {
		return strconv.FormatFloat(v, 'g', -1, 64) // NaN, +Inf, -Inf
	}
	switch u {
	case UnitSeconds:
		return formatSeconds(v)
	case UnitRatio:
		return short(v*100) + "%"
	case UnitPerSecond:
		return si(v) + "/s"
	case UnitBytes:
		return binary(v)
	}
	return si(v)
}

// UnitFor guesses a unit from a metric or query name, following the
// Prometheus naming conventions (base units as suffixes).
func UnitFor(name string) Unit {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "_seconds"), strings.HasSuffix(n, "_duration"), strings.Contains(n, "latency"):
		return UnitSeconds
	case strings.Contains(n, "_ratio"), strings.Contains(n, "utilization"), strings.Contains(n, "_percent"):
		return UnitRatio
	case strings.Contains(n, "_bytes"):
		return UnitBytes
	}
	return UnitNone
}

func formatSeconds(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0s"
	case a < 1e-6:
		return short(v*1e9) + "ns"
	case a < 1e-3:
		return short(v*1e6) + "µs"
	case a < 1:
		return short(v*1e3) + "ms"
	case a < 120:
		return short(v) + "s"
	case a < 7200:
		return short(v/60) + "m"
	}
	return short(v/3600) + "h"
}

var siPrefixes = []struct {
	f float64
	s string
}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}

func si(v float64) string {
	a := math.Abs(v)
	for _, p := range siPrefixes {
		if a >= p.f {
			return short(v/p.f) + p.s
		}
	}
	if a != 0 && a < 0.01 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return short(v)
}

func binary(v float64) string {
	a := math.Abs(v)
	for i, s := range []string{"TiB", "GiB", "MiB", "KiB"} {
		f := math.Pow(1024, float64(4-i))
		if a >= f {
			return short(v/f) + s
		}
	}
	return short(v) + "B"
}

// short prints v with three significant digits and no trailing zeros.
func short(v float64) string {
	a := math.Abs(v)
	prec := 0
	switch {
	case a == 0:
		return "0"
	case a < 1:
		prec = 3
	case a < 10:
		prec = 2
	case a < 100:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
