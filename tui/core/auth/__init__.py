"""Sign-in: OAuth for GoTo (authorization code) and Zoom (server-to-server), and the token store."""
