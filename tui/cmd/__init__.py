"""One module per `meetdeck` subcommand, each with `run(args) -> int`."""
