package slo

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The upstream suite runs every example spec that Sloth, Pyrra and the
// OpenSLO specification ship through ReadSpec and holds each to what
// reading the file says it means. The examples are not copied into this
// repository: point RELTUI_UPSTREAM_SLO_EXAMPLES at a directory holding
// checkouts (or just examples/ and README.md) of github.com/slok/sloth as
// sloth/, github.com/pyrra-dev/pyrra as pyrra/ and github.com/OpenSLO/OpenSLO
// as openslo/; without it the suite looks in shared/slo-examples beside the
// repository and is skipped when neither exists. testdata/upstream/README.md
// lists the commits the table was written against.

// wantSLO is what an accepted example must read as: its name, objective,
// window and the SLI's query templates.
type wantSLO struct {
	name                   string
	objective              float64
	window                 time.Duration
	good, bad, total, raw  string
	threshold              string
	timeSlice, sliceTarget string
}

func describeSLO(s SLO) wantSLO {
	w := wantSLO{name: s.Name, objective: s.Objective, window: s.Window}
	switch sli := s.SLI; {
	case sli.Events != nil:
		w.good, w.bad, w.total = sli.Events.Good, sli.Events.Bad, sli.Events.Total
	case sli.Raw != nil:
		w.raw = sli.Raw.Query
	case sli.Threshold != nil:
		w.threshold = sli.Threshold.Query + " " + sli.Threshold.Op + " " + formatNumber(sli.Threshold.Value)
	}
	if ts := s.TimeSlices; ts != nil {
		w.timeSlice, w.sliceTarget = FormatPromDuration(ts.Slice), formatNumber(ts.Target)
	}
	return w
}

// upstreamCase is one example file: the SLOs it must give, or the reasons
// (substrings of the error) it must be rejected for.
type upstreamCase struct {
	path   string
	slos   []wantSLO
	reject []string
}

func upstreamDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RELTUI_UPSTREAM_SLO_EXAMPLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "slo-examples")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no upstream examples at %s (set RELTUI_UPSTREAM_SLO_EXAMPLES): %v", dir, err)
	}
	return dir
}

// upstreamSpecs lists every example spec file under dir that the table
// must cover, so an example added upstream fails the suite until it has an
// expectation: Sloth's examples (not the generated _gen/ output), every
// Pyrra example manifest of apiVersion pyrra.dev, OpenSLO's examples,
// and the kind: SLO documents of the specification's README.
func upstreamSpecs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"sloth/examples", "pyrra/examples", "openslo/examples"} {
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "_gen" {
				return filepath.SkipDir
			}
			if ext := filepath.Ext(p); d.IsDir() || (ext != ".yaml" && ext != ".yml") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.HasPrefix(root, "pyrra") && !pyrraManifest.Match(b) {
				return nil // deployment manifests, Prometheus and Grafana configs
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = b
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "openslo", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, block := range yamlBlocks.FindAllStringSubmatch(string(readme), -1) {
		if regexp.MustCompile(`(?m)^kind: SLO$`).MatchString(block[1]) {
			out["openslo/README.md#yaml-"+itoa(i+1)] = []byte(block[1])
		}
	}
	return out
}

var pyrraManifest = regexp.MustCompile(`(?m)^apiVersion: pyrra\.dev/`)

var yamlBlocks = regexp.MustCompile("(?s)```yaml\n(.*?)```")

func itoa(i int) string { return formatNumber(float64(i)) }

func TestUpstreamExamples(t *testing.T) {
	dir := upstreamDir(t)
	files := upstreamSpecs(t, dir)
	cases := upstreamCases()
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.path] = true
		t.Run(c.path, func(t *testing.T) {
			data, ok := files[c.path]
			if !ok {
				t.Fatalf("%s is not among the upstream examples", c.path)
			}
			slos, err := ReadSpec(c.path, data)
			if len(c.reject) > 0 {
				if err == nil {
					t.Fatalf("accepted, want rejected for %q", c.reject)
				}
				for _, r := range c.reject {
					if !strings.Contains(err.Error(), r) {
						t.Errorf("error does not say %q:\n%v", r, err)
					}
				}
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.HasPrefix(line, c.path+":") {
						t.Errorf("error line does not name the file: %s", line)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkSLOs(t, slos)
			got := make([]wantSLO, len(slos))
			for i, s := range slos {
				got[i] = describeSLO(s)
			}
			if !slices.Equal(got, c.slos) {
				t.Errorf("read as\n%+v\nwant\n%+v", got, c.slos)
			}
		})
	}
	var missing []string
	for p := range files {
		if !covered[p] {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("upstream examples with no expectation: %v", missing)
	}
}
