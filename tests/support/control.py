"""The one client of the sandbox's control API: faults, tokens, state and request log.

The control API lives under `/_sandbox/` on the sandbox's own port; it needs no auth
and is never slowed or failed by the faults it sets.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx

#: HTTP methods that change an account (when they are not sign-ins).
WRITE_METHODS = ("PUT", "POST", "PATCH", "DELETE")


class Control:
    """The sandbox's control API (no auth; loopback), over one client per sandbox."""

    _clients: ClassVar[dict[str, httpx.Client]] = {}

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        client = self._clients.get(base_url)
        if client is None:
            # One client per sandbox: building an httpx client costs tens of milliseconds.
            # A new connection for each call: the sandbox (uvicorn) closes a connection
            # idle for 5 s, and a call sent on one as it closes failed with h11's
            # RemoteProtocolError (seen once in a loaded full run, test_profile_switch);
            # a loopback connect costs a fraction of a millisecond.
            client = self._clients[base_url] = httpx.Client(
                base_url=f"{base_url}/_sandbox/",
                timeout=10,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
        self.http = client

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Any control call (`path` under /_sandbox/); its JSON answer or None."""
        response = self.http.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def fault(self, rule: dict[str, Any] | None = None, **fields: Any) -> int:
        """Add a fault rule (a dict, or keyword fields); its id."""
        response = self.http.post("faults", json={**(rule or {}), **fields})
        assert response.status_code == 201, response.text
        rule_id: int = response.json()["id"]
        return rule_id

    def clear(self) -> None:
        """Remove every fault rule and daily limit; the Zoom plan goes back to the
        configured one."""
        self.http.delete("faults").raise_for_status()
        self.http.delete("limits").raise_for_status()

    def zoom_plan(self, plan: str) -> dict[str, Any]:
        """Switch the sandbox's Zoom plan; its limits as the control API shows them."""
        response = self.http.post("limits", json={"zoom_plan": plan})
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def daily_limit(self, **rule: Any) -> int:
        """Switch a Zoom daily limit on (`category=`, or `path=` and `method=`, and
        `shape=` "documented" or "bare"); its id."""
        response = self.http.post("limits/daily", json=rule)
        assert response.status_code == 201, response.text
        rule_id: int = response.json()["id"]
        return rule_id

    def expire(self) -> None:
        self.http.post("tokens/expire").raise_for_status()

    def revoke(self) -> None:
        self.http.post("tokens/revoke").raise_for_status()

    def goto_oauth(self, **settings: Any) -> dict[str, Any]:
        """GoTo's token replies (`token_shape`, `refresh_rotates`): set those given;
        the settings now in force."""
        response = self.http.post("goto/oauth", json=settings)
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox's clock forward (Zoom page tokens expire after 15 minutes)."""
        self.http.post("clock", json={"advance_s": seconds}).raise_for_status()

    def expire_page_tokens(self, count: int = 1) -> None:
        """Refuse the next `count` Zoom next_page_tokens presented as expired."""
        self.http.post("page_tokens/expire", json={"count": count}).raise_for_status()

    def state(self, **params: str) -> dict[str, Any]:
        found: dict[str, Any] = self.http.get("state", params=params).json()
        return found

    def statuses(self, event_key: str) -> dict[str, str]:
        """The sandbox's registrant statuses of one event, by registrant id."""
        body = self.state(event=event_key)
        if "registrants" in body:
            return dict(body["registrants"])
        compact = body["registrants_compact"]
        legend = compact["legend"]
        return {
            rid: legend[ch] for rid, ch in zip(compact["ids"], compact["statuses"], strict=True)
        }

    def mark(self) -> int:
        """The request log's current position (pass it to `requests_since`)."""
        seq: int = self.http.get("requests", params={"limit": 1}).json()["last_seq"]
        return seq

    def requests_since(self, seq: int, *, control: bool = False) -> list[dict[str, Any]]:
        """The requests logged after `seq`; those to /_sandbox/ only when `control`."""
        found: list[dict[str, Any]] = self.http.get(
            "requests", params={"since": seq, "limit": 5000}
        ).json()["requests"]
        return [r for r in found if control or not r["path"].startswith("/_sandbox")]

    def writes_since(self, seq: int) -> list[str]:
        """The writes logged after `seq`, as "METHOD path" (sign-ins left out)."""
        return [f"{r['method']} {r['path']}" for r in writes(self.requests_since(seq))]


def writes(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests that would change an account (sign-ins excluded)."""
    return [r for r in requests if r["method"] in WRITE_METHODS and "/oauth/" not in r["path"]]
