"""Scrolling a page of text by keys (the help and notifications screens: `j` `k` `g`
`G`, page keys).

Textual scrolls after the next refresh, and a relative scroll counts from where the
view is when the key is handled: two `j` handled before that refresh both counted from
the same line and moved one line, not two (a held key, or keys typed ahead). Here each
scroll is worked out when it lands, after the refresh, in the order the keys came.
"""

from __future__ import annotations

from textual.widget import Widget


def scroll_lines(scroll: Widget, lines: int) -> None:
    """Move `lines` down (up when negative), from where the scroll before landed."""
    scroll.call_after_refresh(scroll.scroll_relative, y=lines, animate=False, immediate=True)


def scroll_pages(scroll: Widget, pages: int) -> None:
    """Move `pages` screens down (up when negative), keeping two lines of the last."""
    scroll.call_after_refresh(_scroll_pages, scroll, pages)


def scroll_to_end(scroll: Widget, *, bottom: bool) -> None:
    """Go to the top, or to the bottom as the text is laid out when it lands."""
    if bottom:
        scroll.call_after_refresh(scroll.scroll_end, animate=False, immediate=True)
    else:
        scroll.call_after_refresh(scroll.scroll_home, animate=False, immediate=True)


def _scroll_pages(scroll: Widget, pages: int) -> None:
    step = pages * max(scroll.size.height - 2, 1)
    scroll.scroll_relative(y=step, animate=False, immediate=True)
