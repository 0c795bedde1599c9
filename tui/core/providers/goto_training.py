"""GoTo Training (G2T REST v1): the adapter (wire models: `goto_training_wire`).

Most paths carry the signed-in organizer's key (from the token response or
/admin/rest/v1/me). Approvals have no API: they happen in GoTo's admin site, which
`manage_url()` opens. Recording downloads answer 302 to another host; the redirect
is followed by hand so the GoTo token never goes there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from pydantic import TypeAdapter

from tui.core.downloads.target import DownloadTarget
from tui.core.errors import MeetdeckError, NetworkUnreachable, NotFound
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    Attendee,
    EventKind,
    Organizer,
    Progress,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    StartUrl,
    Training,
    TrainingSession,
    no_progress,
)
from tui.core.net.client import ApiClient
from tui.core.providers.base import ByteStream, Capabilities, Capability
from tui.core.providers.download import open_resolved, resolve_first_hop
from tui.core.providers.goto_training_wire import (
    G2TAttendee,
    G2THostUrl,
    G2TOrganizer,
    G2TRecordings,
    G2TRegistrant,
    G2TRegistrantCreated,
    G2TSession,
    G2TTraining,
    attendee,
    recording,
    registrant,
    session,
    training,
)
from tui.core.providers.wire import (
    iso_z,
    text,
)

P = Provider.GOTO_TRAINING
APPROVALS_REASON = (
    "GoTo Training approvals happen in its admin site: open the training's "
    "manage page to approve or deny registrants."
)


_TRAININGS = TypeAdapter(list[G2TTraining])
_TRAINING = TypeAdapter(G2TTraining)
_ORGANIZERS = TypeAdapter(list[G2TOrganizer])
_REGISTRANTS = TypeAdapter(list[G2TRegistrant])
_REGISTRANT = TypeAdapter(G2TRegistrant)
_CREATED = TypeAdapter(G2TRegistrantCreated)
_SESSIONS = TypeAdapter(list[G2TSession])
_ATTENDEES = TypeAdapter(list[G2TAttendee])
_RECORDINGS = TypeAdapter(G2TRecordings)
_STRING = TypeAdapter(str)
_HOST = TypeAdapter(G2THostUrl)


class GoToTraining:
    """The GoTo Training adapter (implements base.GoToTrainingApi).

    Args:
        api: Client for goto_api_base + "/G2T/rest".
        organizer_key: Returns the signed-in organizer's key (raises if unknown).
        account_key: Returns the account key, if known.
    """

    def __init__(
        self,
        api: ApiClient,
        *,
        organizer_key: Callable[[], str],
        account_key: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.api = api
        self._organizer_key = organizer_key
        self._account_key = account_key
        self.organizers_of: Callable[[str], Sequence[str]] = lambda _training: ()
        """The organizer keys of a training as cached (the Deck sets it): a training
        of another organizer is reached through that organizer's path."""
        self._capabilities = Capabilities(
            provider=P,
            approve=Capability(False, APPROVALS_REASON),
            deny=Capability(False, APPROVALS_REASON),
            cancel=Capability(True),
            register=Capability(True),
            manage_url=Capability(True),
        )

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    def _org(self, organizer_key: str | None) -> str:
        return organizer_key or self._organizer_key()

    def _owner(self, training_key: str, organizer_key: str | None) -> str:
        """The organizer whose path reaches a training: the one given, else the
        signed-in organizer if they organize it (or it is not cached), else its first
        organizer (an admin reaching another organizer's training)."""
        if organizer_key:
            return organizer_key
        me = self._organizer_key()
        keys = self.organizers_of(training_key)
        return me if not keys or me in keys else keys[0]

    def _base(self, training_key: str, organizer_key: str | None) -> str:
        return f"/organizers/{self._owner(training_key, organizer_key)}/trainings/{training_key}"

    async def organizers(self, account_key: str | None = None) -> list[Organizer]:
        key = account_key or self._account_key()
        if not key:
            raise NotFound(
                "GoTo did not tell meetdeck your account key, so the account's "
                "organizers cannot be listed. Sign in again with an admin account.",
                provider=P.value,
            )
        ws = await self.api.fetch(_ORGANIZERS, f"/accounts/{key}/organizers")
        return [
            Organizer(
                provider=P,
                key=w.organizerKey,
                email=w.email,
                first_name=text(w.givenName),
                last_name=text(w.surname),
                account_key=key,
            )
            for w in ws
        ]

    async def trainings(self, *, organizer_key: str | None = None) -> list[Training]:
        ws = await self.api.fetch(_TRAININGS, f"/organizers/{self._org(organizer_key)}/trainings")
        return [training(w) for w in ws]

    async def training(self, training_key: str, *, organizer_key: str | None = None) -> Training:
        return training(await self.api.fetch(_TRAINING, self._base(training_key, organizer_key)))

    async def registrants(
        self, training_key: str, *, organizer_key: str | None = None
    ) -> list[Registrant]:
        path = f"{self._base(training_key, organizer_key)}/registrants"
        return [registrant(w, training_key) for w in await self.api.fetch(_REGISTRANTS, path)]

    async def registrant(
        self, training_key: str, registrant_key: str, *, organizer_key: str | None = None
    ) -> Registrant:
        path = f"{self._base(training_key, organizer_key)}/registrants/{registrant_key}"
        return registrant(await self.api.fetch(_REGISTRANT, path), training_key)

    async def register(
        self,
        training_key: str,
        *,
        email: str,
        given_name: str,
        surname: str,
        organizer_key: str | None = None,
    ) -> Registrant:
        path = f"{self._base(training_key, organizer_key)}/registrants"
        response = await self.api.request(
            "POST", path, json_body={"email": email, "givenName": given_name, "surname": surname}
        )
        created = self.api.validate(_CREATED, self.api.decode(response), f"POST {path}")
        # "Approval is automatic unless payment or approval is required": the status is
        # read back rather than assumed. If that read fails, the person is taken as
        # waiting (the safe side) until the next refresh says otherwise.
        try:
            return await self.registrant(
                training_key, created.registrantKey, organizer_key=organizer_key
            )
        except MeetdeckError:
            return Registrant(
                provider=P,
                key=created.registrantKey,
                event_key=training_key,
                event_kind=EventKind.TRAINING,
                email=email,
                first_name=given_name,
                last_name=surname,
                status=RegistrantStatus.PENDING,
                provider_status="WAITING",
                join_url=created.joinUrl,
            )

    async def cancel_registrants(
        self,
        training_key: str,
        registrant_keys: Sequence[str],
        *,
        organizer_key: str | None = None,
        progress: Progress = no_progress,
    ) -> ActionResult:
        base = f"{self._base(training_key, organizer_key)}/registrants"
        outcomes: list[ActionOutcome] = []
        keys = list(registrant_keys)
        for index, key in enumerate(keys):
            try:
                await self.api.request("DELETE", f"{base}/{key}")
            except NetworkUnreachable as exc:
                done = [
                    ActionOutcome(
                        key,
                        False,
                        f"Unknown: no answer from GoTo ({exc.sentence}) Refresh to check.",
                    )
                ]
                done += [
                    ActionOutcome(k, False, "Not attempted: the network failed.")
                    for k in keys[index + 1 :]
                ]
                outcomes.extend(done)
                progress(done)
                break
            except MeetdeckError as exc:
                done = [ActionOutcome(key, False, exc.sentence)]
            else:
                done = [ActionOutcome(key, True)]
            outcomes.extend(done)
            progress(done)
        return ActionResult(action="cancel", outcomes=tuple(outcomes))

    async def start_url(self, training_key: str, *, organizer_key: str | None = None) -> StartUrl:
        path = f"{self._base(training_key, organizer_key)}/startUrl"
        return StartUrl(url=await self.api.fetch(_STRING, path))

    async def start(self, training_key: str) -> StartUrl:
        w = await self.api.fetch(_HOST, f"/trainings/{training_key}/start")
        return StartUrl(url=w.hostURL)

    async def manage_url(self, training_key: str, *, organizer_key: str | None = None) -> StartUrl:
        path = f"{self._base(training_key, organizer_key)}/manageUrl"
        return StartUrl(
            url=await self.api.fetch(_STRING, path),
            note="GoTo Training admin page for this training",
        )

    async def update_registration_settings(
        self,
        training_key: str,
        *,
        disable_confirmation_email: bool,
        disable_web_registration: bool,
        organizer_key: str | None = None,
    ) -> None:
        await self.api.request(
            "PUT",
            f"{self._base(training_key, organizer_key)}/registrationSettings",
            json_body={
                "disableConfirmationEmail": disable_confirmation_email,
                "disableWebRegistration": disable_web_registration,
            },
        )

    async def sessions(
        self, training_key: str, *, organizer_key: str | None = None
    ) -> list[TrainingSession]:
        owner = self._owner(training_key, organizer_key)
        path = f"/reports/organizers/{owner}/trainings/{training_key}"
        return [session(w, training_key) for w in await self.api.fetch(_SESSIONS, path)]

    async def sessions_between(
        self, since: datetime, until: datetime, *, organizer_key: str | None = None
    ) -> list[TrainingSession]:
        path = f"/reports/organizers/{self._org(organizer_key)}/sessions"
        # A read-only report sent as POST: safe to retry.
        response = await self.api.request(
            "POST",
            path,
            json_body={"startDate": iso_z(since), "endDate": iso_z(until)},
            idempotent=True,
        )
        ws = self.api.validate(_SESSIONS, self.api.decode(response), f"POST {path}")
        return [session(w, None) for w in ws]

    async def attendance(
        self, session_key: str, *, organizer_key: str | None = None
    ) -> list[Attendee]:
        path = f"/reports/organizers/{self._org(organizer_key)}/sessions/{session_key}/attendees"
        return [attendee(w, session_key) for w in await self.api.fetch(_ATTENDEES, path)]

    async def recordings(self, training_key: str) -> list[Recording]:
        w = await self.api.fetch(_RECORDINGS, f"/trainings/{training_key}/recordings")
        return [recording(r, training_key) for r in w.recordingList]

    async def download_target(self, training_key: str, recording_id: str) -> DownloadTarget:
        return await resolve_first_hop(
            self.api, f"/trainings/{training_key}/recordings/{recording_id}"
        )

    def open_recording(
        self, training_key: str, recording_id: str, *, offset: int = 0
    ) -> AbstractAsyncContextManager[ByteStream]:
        return open_resolved(
            self.api, lambda: self.download_target(training_key, recording_id), offset=offset
        )
