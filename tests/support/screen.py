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


def notices(app: Any) -> list[str]:
    """Every notification of the session, as "title: message", oldest first: unlike
    `toasts`, one that timed out (a slow step on a loaded machine) is still here."""
    return [f"{n.title}: {n.message}" for n in app.notice_log.notices]


def current(app: Any) -> Any:
    """The screen on top now. A call, not `app.screen`: mypy keeps a type that an earlier
    `isinstance` assert narrowed `app.screen` to, though a key press has changed it."""
    return app.screen


def tab_matches(monkeypatch: Any) -> list[str | None]:
    """From now on, the id of each tab of a tab bar that Textual matches against the
    stylesheet, once per rule checked (a tab restyled from rules kept adds nothing)."""
    from textual.css.stylesheet import Stylesheet
    from textual.widgets._tabbed_content import ContentTab

    matched: list[str | None] = []
    original = Stylesheet._check_rule

    def checking(sheet: Stylesheet, rule: Any, nodes: list[Any]) -> Any:
        if isinstance(nodes[-1], ContentTab):
            matched.append(nodes[-1].id)
        return original(rule, nodes)

    monkeypatch.setattr(Stylesheet, "_check_rule", checking)
    return matched
