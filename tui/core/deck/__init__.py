"""The Deck: the one facade the UI and commands use (reads, writes through the gate,
links, details, files)."""
