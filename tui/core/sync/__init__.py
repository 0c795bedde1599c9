"""Sync: fetching every scope from the providers into the store, bounded and rate-aware."""
