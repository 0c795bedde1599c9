"""Read what a running test app shows, as plain text lines."""

from __future__ import annotations

from typing import Any


def screen_lines(app: Any) -> list[str]:
    """The current screen (including modals on top) as one string per terminal row."""
    strips = app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def screen_text(app: Any) -> str:
    """The current screen as one string."""
    return "\n".join(screen_lines(app))


def toasts(app: Any) -> list[str]:
    """Every notification still shown, as "title: message"."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def said(app: Any) -> list[str]:
    """Every notification of this session, as "title: message", oldest first: also the
    ones whose toast has timed out (a slow step on a loaded machine outlasts a toast)."""
    return [f"{n.title}: {n.message}" for n in app.notices]


def current(app: Any) -> Any:
    """The screen on top now. A call, not `app.screen`: mypy keeps a type that an earlier
    `isinstance` assert narrowed `app.screen` to, though a key press has changed it."""
    return app.screen
