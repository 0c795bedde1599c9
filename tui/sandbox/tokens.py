"""OAuth codes, access tokens and refresh tokens of the sandbox (GoTo and Zoom)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

CODE_TTL = 120.0
REFRESH_TTL = 30 * 86_400.0


@dataclass(slots=True)
class Grant:
    """What a token or code stands for."""

    kind: str  # "goto" or "zoom"
    client_id: str
    organizer_key: int | None
    expires_at: float
    redirect_uri: str | None = None


class TokenStore:
    """Issues and checks tokens; `expire_all` and `revoke_all` serve session tests."""

    def __init__(self, ttl: int) -> None:
        self.ttl = ttl
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.codes: dict[str, Grant] = {}
        self._key = secrets.token_bytes(32)

    def issue_code(self, client_id: str, organizer_key: int, redirect_uri: str | None) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = Grant(
            "goto", client_id, organizer_key, time.time() + CODE_TTL, redirect_uri
        )
        return code

    def take_code(self, code: str) -> Grant | None:
        """The grant of a code, consuming it (codes are single-use)."""
        grant = self.codes.pop(code, None)
        if grant is None or grant.expires_at < time.time():
            return None
        return grant

    def issue_goto(self, client_id: str, organizer_key: int) -> tuple[str, str]:
        """A new (access token, refresh token) pair."""
        refresh = secrets.token_urlsafe(32)
        grant = Grant("goto", client_id, organizer_key, time.time() + REFRESH_TTL)
        self.refresh[refresh] = grant
        return self.issue_access(client_id, organizer_key), refresh

    def issue_access(self, client_id: str, organizer_key: int) -> str:
        """A new GoTo access token alone (a refresh that keeps its refresh token)."""
        access = secrets.token_urlsafe(32)
        self.access[access] = Grant("goto", client_id, organizer_key, time.time() + self.ttl)
        return access

    def take_refresh(self, token: str, client_id: str, *, consume: bool) -> Grant | None:
        """The grant of a refresh token; `consume` makes it single-use (rotation).

        Without rotation the token stays valid for its 30 days, as both of GoTo's hosts
        document today.
        """
        grant = self.refresh.get(token)
        if grant is None or grant.client_id != client_id or grant.expires_at < time.time():
            return None
        if consume:
            del self.refresh[token]
        return grant

    def issue_zoom(self, client_id: str, account_id: str, issuer: str) -> str:
        """A JWT-shaped Zoom access token (HS256 over the sandbox's own key)."""
        now = int(time.time())
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "aud": "zoom",
            "uid": account_id,
            "ver": 9,
            "iss": issuer,
            "cid": client_id,
            "iat": now,
            "exp": now + self.ttl,
            "jti": secrets.token_hex(8),
        }
        parts = [
            base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in (header, claims)
        ]
        signing = b".".join(parts)
        sig = base64.urlsafe_b64encode(hmac.new(self._key, signing, hashlib.sha256).digest())
        token = (signing + b"." + sig.rstrip(b"=")).decode()
        self.access[token] = Grant("zoom", client_id, None, time.time() + self.ttl)
        return token

    def check(self, token: str, kind: str) -> tuple[Grant | None, str]:
        """The grant of a bearer token and, when refused, why ("invalid"/"expired")."""
        grant = self.access.get(token)
        if grant is None or grant.kind != kind:
            return None, "invalid"
        if grant.expires_at < time.time():
            return None, "expired"
        return grant, ""

    def expire_all(self) -> int:
        """Expire every access token (refresh tokens stay usable)."""
        for grant in self.access.values():
            grant.expires_at = 0.0
        return len(self.access)

    def revoke_all(self) -> int:
        """Forget every token and code, refresh tokens included."""
        count = len(self.access) + len(self.refresh) + len(self.codes)
        self.access.clear()
        self.refresh.clear()
        self.codes.clear()
        return count

    def sign(self, message: str) -> str:
        """An HMAC signature for file URLs."""
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()[:32]
