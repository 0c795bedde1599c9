"""`ChainedView`: two views read as one (an upcoming view's live meetings, then the
rest)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from tui.core.store.query import TableView
from tui.core.store.views import ViewQuery

T = TypeVar("T")


class ChainedView(Generic[T]):
    """Two views read as one: every row of `first`, then every row of `then` (an
    upcoming view's live meetings, then the rest). Each part keeps its own order; a
    row must not be in both."""

    def __init__(self, query: ViewQuery, first: TableView[T], then: TableView[T]) -> None:
        self._query = query
        self._first = first
        self._then = then

    @property
    def query(self) -> ViewQuery:
        """The question this view answers."""
        return self._query

    @property
    def fetched_at(self) -> datetime | None:
        return self._first.fetched_at

    @property
    def sort_columns(self) -> tuple[str, ...]:
        return self._first.sort_columns

    @property
    def sort(self) -> str:
        """The sort in effect (both parts sort the same way)."""
        return self._first.sort

    @property
    def quick_to_count(self) -> bool:
        return self._first.quick_to_count and self._then.quick_to_count

    def count(self) -> int:
        return self._first.count() + self._then.count()

    def head(self, limit: int) -> list[T]:
        found = self._first.head(limit)
        return found + self._then.head(limit - len(found)) if len(found) < limit else found

    def rows(self, offset: int, limit: int) -> list[T]:
        if limit <= 0:
            return []
        offset = max(offset, 0)
        split = self._first.count()
        found = self._first.rows(offset, limit) if offset < split else []
        rest = limit - len(found)
        if rest > 0:
            found += self._then.rows(max(offset - split, 0), rest)
        return found

    def index_of(self, key: str) -> int | None:
        at = self._first.index_of(key)
        if at is not None:
            return at
        at = self._then.index_of(key)
        return None if at is None else self._first.count() + at
