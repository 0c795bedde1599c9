"""HTTP to the GoTo and Zoom APIs: retries, rate limits, bounds, typed errors, the API log."""
