"""Which links meetdeck may hand to a browser: the provider's own HTTPS hosts only.

A start link comes from the API, so it is data like any name: a link that begins with
``--renderer-cmd-prefix=`` or points anywhere but the provider's own site must not be
opened. `LinkPolicy.refusal` says, in a sentence, why a link is not opened (None when
it may be); the Deck vets every start link with the policy of the provider that sent
it (`vetted`), and the UI opens only links whose `StartUrl.refusal` is None.

The hosts are each provider's own domains (a link's host must be one of them or under
one, on the default HTTPS port). Only the demo profile, whose clouds are the sandbox on
this machine, also allows the exact origins of its API base URLs (plain http on
loopback): the allowance comes from that profile's configuration, never from a global
exception for loopback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.core.models import Provider, StartUrl

if TYPE_CHECKING:
    from tui.core.settings.config import ProfileSettings

_GOTO = ("goto.com", "logmeininc.com", "logmein.com", "getgo.com")
#: Each provider's own domains: where its start and admin links lead.
PROVIDER_HOSTS: dict[Provider, tuple[str, ...]] = {
    Provider.GOTO_MEETING: ("gotomeeting.com", "gotomeet.me", *_GOTO),
    Provider.GOTO_TRAINING: ("gototraining.com", *_GOTO),
    Provider.GOTO_ASSIST: ("gotoassist.com", "gotoassist.me", "fastsupport.com", *_GOTO),
    Provider.ZOOM: ("zoom.us", "zoom.com", "zoomgov.com"),
}
_MAX_LENGTH = 8192


def origin_of(url: str) -> str:
    """``scheme://host:port`` of `url` (the port always written), "" if it has no host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    if not parts.hostname or parts.scheme not in ("http", "https"):
        return ""
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{parts.hostname}:{port or default}"


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """The hosts (and, for the demo, exact origins) a browser may be sent to."""

    provider: Provider
    hosts: tuple[str, ...]
    origins: tuple[str, ...] = ()

    def refusal(self, url: str) -> str | None:
        """Why `url` must not be opened in a browser; None when it may be."""
        label = self.provider.label
        if not url:
            return f"{label} sent an empty link."
        if len(url) > _MAX_LENGTH:
            return f"{label} sent a link of {len(url):,} characters; that is no start link."
        if not url.isascii() or not url.isprintable() or any(c.isspace() for c in url):
            return (
                f"{label} sent a link with spaces, control characters or non-ASCII "
                "characters; a browser could read it differently from what is shown."
            )
        if "\\" in url:
            return (
                f"{label} sent a link with a backslash, which browsers read as a "
                "slash; it could lead elsewhere than it seems."
            )
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return f"{label} sent something that is not a valid link."
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            return f"{label} sent a link with a user name in it (user@host)."
        host = (parts.hostname or "").rstrip(".")
        if origin_of(url) in self.origins:
            return None
        if parts.scheme != "https":
            return f"{label} sent a link that is not https:// (it starts with {url[:12]!r})."
        if port not in (None, 443):
            return f"{label} sent a link to port {port}, not the web port."
        if not any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts):
            return (
                f"{label} sent a link to {host or 'no host'}, which is not one of "
                f"{label}'s own sites ({', '.join(self.hosts)})."
            )
        return None


def link_policy(provider: Provider, profile: ProfileSettings, *, demo: bool) -> LinkPolicy:
    """The policy for links `provider` sends to `profile` (demo: its sandbox too)."""
    origins: Iterable[str] = ()
    if demo:
        bases = (
            (profile.zoom_api_base, profile.zoom_auth_base)
            if provider is Provider.ZOOM
            else (profile.goto_api_base, profile.goto_auth_base)
        )
        origins = (origin for origin in map(origin_of, bases) if origin)
    return LinkPolicy(provider, PROVIDER_HOSTS[provider], tuple(dict.fromkeys(origins)))


def vetted(start: StartUrl, policy: LinkPolicy) -> StartUrl:
    """`start` with the policy's verdict in `refusal` (None: a browser may open it)."""
    return replace(start, refusal=policy.refusal(start.url))


__all__ = ["PROVIDER_HOSTS", "LinkPolicy", "link_policy", "origin_of", "vetted"]
