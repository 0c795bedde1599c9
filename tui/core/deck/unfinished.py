"""The start-up notice of writes whose result was never recorded.

A write's audit intent is on disk before its request; when the process stopped before
the result was recorded, nobody knows what the service did. At start-up the Deck lists
this profile's such writes (not yet settled) with the event each was for, so the
person can refresh that event and see; settling one records in the same audit log that
they were told, and the notice stops.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui.core.deck.types import UnfinishedNotice
from tui.core.models import EventKind, Provider
from tui.core.sync.types import Scope

if TYPE_CHECKING:
    from tui.core.audit import AuditLog, UnfinishedWrite
    from tui.core.store.db import Store


class UnfinishedWrites:
    """A profile's unfinished writes, as notices naming their event, and settling them.

    Args:
        store: The cache (the title and scope of each write's event).
        audit: The audit log the write gate writes.
        profile_name: Whose writes.
    """

    def __init__(self, store: Store, audit: AuditLog, *, profile_name: str) -> None:
        self._store = store
        self._audit = audit
        self._profile_name = profile_name

    async def notices(self) -> list[UnfinishedNotice]:
        """This profile's writes whose result was never recorded (the process stopped
        mid-write), oldest first, not yet settled: what the start-up notice lists. The
        audit log is read in a thread.

        Raises:
            Nothing: an unreadable audit log has none.
        """
        # The whole log is read: off the event loop, so a long one never delays a frame.
        try:
            writes = await asyncio.to_thread(self._audit.unfinished, profile=self._profile_name)
        except OSError:
            return []  # unreadable: `meetdeck audit` says why, start-up goes on
        return [self._notice(write) for write in writes if not write.reviewed]

    def _notice(self, write: UnfinishedWrite) -> UnfinishedNotice:
        try:
            provider = Provider(write.provider)
        except ValueError:
            return UnfinishedNotice(write, "", None)
        if not write.event:
            return UnfinishedNotice(write, "", None)
        event = self._store.event(write.event, provider)
        if event is not None:
            return UnfinishedNotice(
                write, event.title, Scope.registrants(provider, event.kind, write.event)
            )
        meeting = self._store.meeting(write.event, provider)
        if meeting is not None:
            return UnfinishedNotice(
                write, meeting.subject, Scope.registrants(provider, EventKind.MEETING, write.event)
            )
        return UnfinishedNotice(write, "", None)

    def settle(self, notice: UnfinishedNotice) -> None:
        """Record in the audit log that the person was told about an unfinished write
        (after refreshing `notice.scope`, its event), so the start-up notice stops.

        Raises:
            StorageError: The audit log cannot be written (the notice may show again).
        """
        self._audit.reviewed(
            notice.write,
            note=(
                "outcome unknown; the person was told at start-up"
                + (" and the event was refreshed" if notice.scope is not None else "")
            ),
        )


__all__ = ["UnfinishedWrites"]
