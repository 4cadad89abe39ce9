package config

// Metrics overrides the Metrics pane's PromQL templates for one context.
// Owned by the metrics pane work; keys and validation live here.
type Metrics struct {
	// ServiceLabel is the label that names a service (default "service").
	ServiceLabel string `yaml:"service_label"`
	// Templates overrides the default golden-signal queries by name.
	Templates map[string]string `yaml:"templates"`
}

func (f *File) validateMetrics(key string, m *Metrics) []Problem { return nil }
