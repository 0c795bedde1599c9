"""The header line: which account this is, whether writes are off, how the APIs are
doing and how old the shown data is.

The profile name sits on the profile's accent colour so that production is never
mistaken for a test account. Ages come from the app's injected clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from textual.color import Color, ColorParseError
from textual.content import Content
from textual.widgets import Static

from tui.text import clean
from tui.widgets.columns import short_provider
from tui.widgets.formatting import age

# Accents for profiles that set none: stable per name, never the demo's green.
_AUTO_ACCENTS = ("#1f6feb", "#8957e5", "#bf8700", "#d1242f", "#0a7ea4", "#6e7781")


def accent_colour(profile: str, accent: str | None) -> str:
    """The profile's accent as a hex colour: its own if valid, else one from its name."""
    if accent:
        try:
            return Color.parse(accent).hex
        except ColorParseError:
            pass
    digest = hashlib.sha256(profile.encode("utf-8", "surrogatepass")).digest()
    return _AUTO_ACCENTS[digest[0] % len(_AUTO_ACCENTS)]


def _readable_on(background: str) -> str:
    colour = Color.parse(background)
    return "#000000" if colour.brightness > 0.55 else "#ffffff"


def profile_badge(profile: str, accent: str | None) -> tuple[str, str]:
    """A profile name on its accent colour, as a ``(text, style)`` part for `labelled`."""
    colour = accent_colour(profile, accent)
    return (f" {clean(profile)} ", f"bold {_readable_on(colour)} on {colour}")


class DeckHeader(Static):
    """One line: profile, READ-ONLY, provider health, data age, time zone."""

    DEFAULT_CSS = """
    DeckHeader {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.profile = ""
        self.accent: str | None = None
        self.read_only = False
        self.health: Sequence[Any] = ()
        self.fetched_at: datetime | None = None
        self.zone_label = "local"
        self.syncing = False
        self.now: datetime | None = None
        self._shown: Content | None = None

    def set_state(self, **changes: Any) -> None:
        """Change some of the header's facts and redraw it."""
        if self._same_age(changes):
            # Each view loaded (every `/` keystroke, every tab shown: a drill-down) says
            # when its data was synced: the same age needs no header built again (~0.2
            # ms a keystroke; three builds, ~0.5 ms, of a drill-down on a wide header).
            self.now = changes["now"]
            self.fetched_at = changes.get("fetched_at", self.fetched_at)
            return
        for name, value in changes.items():
            setattr(self, name, value)
        content = self.build()
        if content != self._shown:
            # One line, always: no layout pass needed.
            self._shown = content
            self.update(content, layout=False)

    def _same_age(self, changes: dict[str, Any]) -> bool:
        """Whether `changes` are only a new `now` (and perhaps `fetched_at`: another
        view's) that the header says the same age at (the line shows `fetched_at` only
        as that age)."""
        if set(changes) - {"fetched_at", "now"} or self.now is None or "now" not in changes:
            return False
        fetched_at = changes.get("fetched_at", self.fetched_at)
        return age(fetched_at, changes["now"]) == age(self.fetched_at, self.now)

    def unreachable(self, provider: object) -> bool:
        """True when the header shows `provider` as not reachable (an answer ends it)."""
        return any(h.provider == provider and h.offline for h in self.health)

    @property
    def offline(self) -> bool:
        """True when a configured provider could not be reached on its last try."""
        return any(h.offline for h in self.health if h.configured)

    def build(self) -> Content:
        """The header, compacted step by step until it fits the width."""
        width = self.size.width or 200
        content = self._build(notes=True, labels=True, zone=True)
        for notes, labels, zone in (
            (False, True, True),
            (False, True, False),
            (False, False, False),
        ):
            if content.cell_length <= width:
                break
            content = self._build(notes=notes, labels=labels, zone=zone)
        return content

    def on_resize(self) -> None:
        self._shown = self.build()
        self.update(self._shown, layout=False)

    def _build(self, *, notes: bool, labels: bool, zone: bool) -> Content:
        parts: list[str | tuple[str, str]] = [profile_badge(self.profile, self.accent), " "]
        if self.read_only:
            parts += [(" READ-ONLY ", "bold $text-warning on $warning-muted"), " "]
        if self.offline:
            parts += [(" OFFLINE: showing cache ", "bold $text-error on $error-muted"), " "]
        for health in self.health:
            if not health.configured:
                continue
            label = short_provider(health.provider)
            label = label if labels else label[0]
            if health.last_error is not None:
                mark, style = "\u2717", "$text-error"
                note = f" {clean(health.last_error.title)}"
            elif not health.signed_in:
                mark, style, note = "\u25cb", "$text-warning", " signed out"
            elif health.skipped:
                mark, style, note = "!", "$text-warning", " users skipped"
            elif health.own_only:
                mark, style, note = "\u2713", "$text-success", " yours only"
            elif health.limited:
                # A plain organizer: their own data syncs; the account's lists do not.
                mark, style, note = "\u2713", "$text-success", " organizer view"
            else:
                mark, style, note = "\u2713", "$text-success", ""
            parts += [(f"{label} {mark}{note if notes else ''}", style), "  " if labels else " "]
        if self.now is not None:
            parts.append(("data " + age(self.fetched_at, self.now), "$text-muted"))
        if self.syncing:
            parts.append((" \u00b7 syncing\u2026", "$text-accent"))
        if zone:
            parts.append((f" \u00b7 {self.zone_label}", "$text-muted"))
        return Content.assemble(*parts)
