"""Subscribers to what the Deck reports as it happens: API calls, download progress."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from tui.core.net.apilog import ApiLog, ApiLogEntry

T = TypeVar("T")


class Watchers(Generic[T]):
    """Callbacks that each get every item from now on, until they unsubscribe.

    Args:
        shielded: A callback that raises is skipped (a broken viewer must not break
            what it watches); otherwise its error reaches the caller.
    """

    def __init__(self, *, shielded: bool = False) -> None:
        self._callbacks: list[Callable[[T], None]] = []
        self._shielded = shielded

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Call `callback` with every item from now on; returns an unsubscribe."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def __call__(self, item: T) -> None:
        for callback in list(self._callbacks):
            if self._shielded:
                with contextlib.suppress(Exception):
                    callback(item)
            else:
                callback(item)


class ApiCalls(Watchers["ApiLogEntry"]):
    """The API calls of the providers' log, for watchers that may come before it does.

    A cache-only Deck has no log until it connects; watchers subscribe at once and get
    every call from the log `follow` is given, after `first` (the Deck's health) has.
    A broken watcher is skipped: it must not break a call.
    """

    def __init__(self, first: Callable[[ApiLogEntry], None]) -> None:
        super().__init__(shielded=True)
        self._first = first
        self._log: ApiLog | None = None

    def follow(self, log: ApiLog | None) -> None:
        """Relay the calls of `log` from now on (once per log)."""
        if log is not None and log is not self._log:
            self._log = log
            log.subscribe(self._called)

    def _called(self, entry: ApiLogEntry) -> None:
        self._first(entry)
        self(entry)


__all__ = ["ApiCalls", "Watchers"]
