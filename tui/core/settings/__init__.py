"""Settings: paths, config.toml and the environment, profiles, and the first frame's quick read."""
