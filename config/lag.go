package config

// Lag overrides how consumer lag is read from Prometheus.
type Lag struct {
	// Queries overrides the kafka_exporter series names by role.
	Queries map[string]string `yaml:"queries"`
}

func (f *File) validateLag(key string, l *Lag) []Problem { return nil }
