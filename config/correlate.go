package config

// Correlate says where request and trace IDs live and how the request
// view searches. Everything is optional: the defaults cover the common
// field names with no configuration.
type Correlate struct {
	// Rules add ID extraction rules to the defaults.
	Rules []IDRule `yaml:"rules"`
	// Selectors are the LogQL stream selectors searched for an ID.
	Selectors []string `yaml:"selectors"`
	// Pad widens the window around a trace (default 5m).
	Pad Duration `yaml:"pad"`
}

// IDRule is one place an ID can be found.
type IDRule struct {
	// ID is what the rule finds: request, trace or span.
	ID string `yaml:"id"`
	// From is json, logfmt, regex, label or metadata.
	From string `yaml:"from"`
	// Key is the field, key, label or metadata name (json/logfmt/label/metadata).
	Key string `yaml:"key"`
	// Regex has a named group "id" (regex).
	Regex string `yaml:"regex"`
}

func (f *File) validateCorrelate(key string, c *Correlate) []Problem { return nil }
