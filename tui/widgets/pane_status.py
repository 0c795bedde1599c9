"""What a pane says of the rows it shows: its status line, and its table when empty.

The status line reads: the marks first (so a long event name never pushes them out of
sight), the count ("33+", the rows on screen, while a broad filter's count is still
running), what the rows are, the drill-down it is narrowed to, the tab's own mode
("Upcoming, next 30 days"), the filter and the sort ("by Email ▼"). Values from an API
(the scope's name, the filter text) are shown literally.
"""

from __future__ import annotations

from textual.content import Content

from tui.text import labelled

__all__ = ["empty_text", "status_line"]


def status_line(
    count: int,
    *,
    counting: bool,
    marks: int,
    kinds: tuple[str, str],
    scope: str | None,
    mode: str,
    filter_text: str,
    sort: str,
) -> Content:
    """The status line: `kinds` is what the rows are, for many and for one."""
    more = "+" if counting else ""  # a filter's count still under way
    parts: list[str | tuple[str, object]] = []
    if marks:
        parts += [("bold $text-warning", f"\u25cf {marks:,} marked"), " \u00b7 "]
    many, one = kinds
    kind = one if count == 1 and not more else many
    parts.append(f"{count:,}{more} {kind}")
    if scope is not None:
        parts += [" of ", ("bold", scope)]
    if mode:
        parts.append(f" \u00b7 {mode}")
    if filter_text:
        parts += [" \u00b7 filter: ", ("bold", filter_text)]
    if sort:
        parts.append(f" \u00b7 {sort}")
    return labelled(*parts)


def empty_text(filter_text: str, *, syncing: bool, never_fetched: bool) -> str:
    """What the table says when it has no rows."""
    if filter_text:
        return f"No rows match \u201c{filter_text}\u201d. Esc clears the filter."
    if syncing:
        return "Loading\u2026 (syncing)"
    if never_fetched:
        return "Nothing cached yet. Press r to fetch."
    return "No rows."
