"""Recording downloads: the queue, resumable streaming, and the files on disk."""
