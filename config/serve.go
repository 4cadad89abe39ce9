package config

// Serve configures `reltui serve`, the SSH console for a team.
type Serve struct {
	Listen         string   `yaml:"listen"`
	HostKey        string   `yaml:"host_key"`
	AuthorizedKeys string   `yaml:"authorized_keys"`
	IdleTimeout    Duration `yaml:"idle_timeout"`
	MaxSessions    int      `yaml:"max_sessions"`
}

func (f *File) validateServe(key string, s *Serve) []Problem { return nil }
