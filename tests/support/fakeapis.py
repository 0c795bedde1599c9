"""Provider APIs in memory, as the sync engine and the Deck see them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.support.builders import organizer, registrant, training, webinar
from tui.core.models import Meeting, Organizer, Recording, Registrant, Training, Webinar


@dataclass
class FakeZoom:
    """Zoom as the engine sees it; `fail` names methods that raise."""

    webinars_by_user: dict[str, list[Webinar]] = field(default_factory=dict)
    registrants_by_webinar: dict[str, list[Registrant]] = field(default_factory=dict)
    fail: dict[str, Exception] = field(default_factory=dict)
    gate: asyncio.Event | None = None
    calls: list[str] = field(default_factory=list)

    def _check(self, name: str) -> None:
        self.calls.append(name)
        if name in self.fail:
            raise self.fail[name]

    async def users(self) -> list[Organizer]:
        self._check("users")
        return [organizer(key) for key in self.webinars_by_user]

    async def webinars(self, user_id: str = "me") -> list[Webinar]:
        self._check(f"webinars:{user_id}")
        return self.webinars_by_user.get(user_id, [])

    async def meetings(self, user_id: str = "me") -> list[Meeting]:
        self._check(f"meetings:{user_id}")
        return []

    async def recordings(
        self, user_id: str = "me", *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Recording]:
        self._check(f"recordings:{user_id}")
        return []

    async def webinar_registrant_pages(
        self, webinar_id: str, page_size: int = 300, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        self._check(f"registrants:{webinar_id}")
        people = self.registrants_by_webinar.get(webinar_id, [])
        for start in range(0, len(people), 2):
            if self.gate is not None:
                await self.gate.wait()
            yield people[start : start + 2]
            if f"registrants-page2:{webinar_id}" in self.fail and start >= 2:
                raise self.fail[f"registrants-page2:{webinar_id}"]


@dataclass
class FakeTraining:
    trainings_list: list[Training] = field(default_factory=list)
    error: Exception | None = None

    async def trainings(self, *, organizer_key: str | None = None) -> list[Training]:
        if self.error is not None:
            raise self.error
        return self.trainings_list

    async def registrants(
        self, training_key: str, *, organizer_key: str | None = None
    ) -> list[Registrant]:
        return [registrant(1, training_key, provider=training().provider)]

    async def recordings(self, training_key: str) -> list[Recording]:
        return []


@dataclass
class Apis:
    zoom: Any = None
    goto_training: Any = None
    goto_meeting: Any = None
    goto_assist: Any = None


def zoom_with_two_webinars() -> FakeZoom:
    return FakeZoom(
        webinars_by_user={"u1": [webinar("w1", "Alpha")], "u2": [webinar("w2", "Beta")]},
        registrants_by_webinar={
            "w1": [registrant(i, "w1") for i in range(5)],
            "w2": [registrant(i, "w2") for i in range(3)],
        },
    )
