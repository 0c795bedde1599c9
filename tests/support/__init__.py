"""What the tests share: the sandbox and its control API, Decks on it, the fake Deck,
the app driven by Pilot, what the screen shows, builders of domain models."""
