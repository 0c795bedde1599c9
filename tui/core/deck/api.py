"""`DeckApi`: the part of the Deck the TUI codes against, as a typed Protocol.

The app, its screens, widgets and command palette type their deck as `DeckApi`; the
real `Deck` and the tests' `FakeDeck` both satisfy it (mypy checks both), so the UI
never probes a deck with getattr/hasattr. A method the UI starts to use is added here
first, then to both.

The UI may not import the store or the providers (tests/foundation/test_layers.py), so
the record types of theirs that the UI names (`ViewQuery`, `Event`, `SearchHit`,
`Capabilities`) are exported from here; every other record is imported from where it
is defined (`tui.core.deck.types`, `tui.core.models`, `tui.core.sync.types`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tui.core.store.views import ALL, Event, SearchHit, ViewQuery

if TYPE_CHECKING:
    from datetime import datetime

    from tui.core.deck.gate import Confirmation
    from tui.core.deck.types import (
        ActionPlan,
        CreatedSession,
        Detail,
        ListView,
        ProviderHealth,
        StartKind,
        UnfinishedNotice,
    )
    from tui.core.deck.write_plans import (
        MeetingPlan,
        MeetingWritten,
        Person,
        Registered,
        RegistrationPlan,
        SettingsPlan,
    )
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import (
        ActionResult,
        Group,
        Meeting,
        MeetingDraft,
        Organizer,
        Provider,
        Recording,
        Registrant,
        StartUrl,
        SupportSession,
    )
    from tui.core.net.apilog import ApiLog, ApiLogEntry
    from tui.core.providers.capabilities import Capabilities, RegistrantAction
    from tui.core.store.views import SearchKind
    from tui.core.sync.types import Scope, ScopeKind, SyncFocus, SyncProgress, SyncReport


__all__ = ["Capabilities", "DeckApi", "Event", "SearchHit", "ViewQuery"]


class DeckApi(Protocol):
    """What the TUI calls on a Deck; see `tui.core.deck.facade.Deck` for each method."""

    # -- the profile ----------------------------------------------------------------

    @property
    def profile_name(self) -> str: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def accent(self) -> str | None: ...

    @property
    def notice(self) -> str | None: ...

    def profiles(self) -> tuple[str, ...]: ...

    def api_log(self) -> ApiLog | None: ...

    def watch_api_calls(self, callback: Callable[[ApiLogEntry], None]) -> Callable[[], None]: ...

    async def connect(self) -> None: ...

    async def demo_sign_in(self) -> None: ...

    async def aclose(self) -> None: ...

    # -- reads from the cache -------------------------------------------------------

    def organizers(self, q: ViewQuery = ALL) -> ListView[Organizer]: ...

    def groups(self, q: ViewQuery = ALL) -> ListView[Group]: ...

    def meetings(self, q: ViewQuery = ALL) -> ListView[Meeting]: ...

    def events(self, q: ViewQuery = ALL) -> ListView[Event]: ...

    def registrants(self, q: ViewQuery = ALL) -> ListView[Registrant]: ...

    def recordings(self, q: ViewQuery = ALL) -> ListView[Recording]: ...

    def interruptible(
        self, stop: Callable[[], bool]
    ) -> AbstractContextManager[Callable[[], None]]: ...

    def support_sessions(self, q: ViewQuery = ALL) -> ListView[SupportSession]: ...

    def detail(
        self,
        kind: SearchKind | str,
        key: str,
        *,
        provider: Provider | None = None,
        event_key: str | None = None,
    ) -> Detail | None: ...

    async def refresh_detail(
        self, kind: SearchKind | str, key: str, *, provider: Provider | None = None
    ) -> Detail | None: ...

    def search(self, text: str, limit: int = 50) -> list[SearchHit]: ...

    def health(self) -> list[ProviderHealth]: ...

    # -- refresh --------------------------------------------------------------------

    async def refresh(
        self, scope: Scope, on_progress: Callable[[SyncProgress], None] | None = None
    ) -> SyncReport: ...

    async def sync_all(
        self,
        on_progress: Callable[[SyncProgress], None] | None = None,
        *,
        kinds: Sequence[ScopeKind] | None = None,
        since: datetime | None = None,
        refetch: bool = False,
        first: SyncFocus | None = None,
    ) -> SyncReport: ...

    # -- actions and links ----------------------------------------------------------

    def capabilities(self, provider: Provider) -> Capabilities | None: ...

    def plan_registrant_action(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> ActionPlan: ...

    async def run_registrant_action(
        self, plan: ActionPlan, confirmation: Confirmation
    ) -> ActionResult: ...

    async def create_support_session(self) -> CreatedSession: ...

    async def unfinished_writes(self) -> list[UnfinishedNotice]: ...

    def plan_registration(self, event: Scope, person: Person) -> RegistrationPlan: ...

    async def register(self, plan: RegistrationPlan, confirmation: Confirmation) -> Registered: ...

    def plan_registration_settings(
        self, training_key: str, *, web_registration: bool, confirmation_email: bool
    ) -> SettingsPlan: ...

    async def update_registration_settings(
        self, plan: SettingsPlan, confirmation: Confirmation
    ) -> ActionResult: ...

    def plan_meeting(
        self,
        action: str,
        provider: Provider | None = None,
        *,
        meeting_key: str | None = None,
        draft: MeetingDraft | None = None,
        organizer: str | None = None,
        timezone: str | None = None,
    ) -> MeetingPlan: ...

    async def write_meeting(
        self, plan: MeetingPlan, confirmation: Confirmation
    ) -> MeetingWritten: ...

    def settle_unfinished(self, notice: UnfinishedNotice) -> None: ...

    async def manage_url(self, event_key: str) -> StartUrl: ...

    async def start_url(
        self, kind: StartKind | str, key: str, *, provider: Provider | None = None
    ) -> StartUrl: ...

    # -- files ----------------------------------------------------------------------

    def download(
        self, recording: Recording, *, directory: Path | None = None
    ) -> asyncio.Task[Path | None]: ...

    def downloads(self) -> list[DownloadProgress]: ...

    def cancel_download(self, key: str) -> bool: ...

    def watch_downloads(
        self, callback: Callable[[DownloadProgress], None]
    ) -> Callable[[], None]: ...

    def export_csv(self, view: ListView[Any], path: Path | None = None) -> Path: ...


__all__ = ["DeckApi"]
