"""A tiny in-memory ListView for widget tests that do not need the Deck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class FakeRow:
    """A row with a key, a name and an email, like a registrant."""

    key: str
    name: str
    email: str


class FakeListView:
    """Implements the Deck's ListView protocol over generated rows, counting queries."""

    def __init__(self, total: int, *, names: dict[int, str] | None = None) -> None:
        self.total = total
        self.names = names or {}
        self.fetched_at: datetime | None = datetime(2025, 1, 1, tzinfo=UTC)
        self.row_calls: list[tuple[int, int]] = []
        self.removed: set[int] = set()

    def _row(self, number: int) -> FakeRow:
        name = self.names.get(number, f"Person {number:06d}")
        return FakeRow(key=f"k{number}", name=name, email=f"p{number}@example.test")

    def _numbers(self) -> list[int]:
        return [n for n in range(self.total) if n not in self.removed]

    def count(self) -> int:
        return self.total - len(self.removed)

    def rows(self, offset: int, limit: int) -> list[FakeRow]:
        self.row_calls.append((offset, limit))
        if not self.removed:
            end = min(self.total, offset + limit)
            return [self._row(n) for n in range(offset, end)]
        return [self._row(n) for n in self._numbers()[offset : offset + limit]]

    def index_of(self, key: str) -> int | None:
        number = int(key[1:])
        if number in self.removed or not 0 <= number < self.total:
            return None
        return number - sum(1 for r in self.removed if r < number)
