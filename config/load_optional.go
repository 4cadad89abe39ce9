package config

// LoadIfPresent is Load for what works with no config at all (the
// incident commands): unless path was named (explicit), a missing file at
// the default path means no config, nil with no error, rather than one
// built from logcli's environment variables.
func LoadIfPresent(path string, explicit bool, env Env) (*File, error) {
	if !explicit {
		path = DefaultPath(env.Getenv)
		if _, err := env.Stat(path); path == "" || err != nil {
			return nil, nil
		}
	}
	return Load(path, explicit, env)
}
