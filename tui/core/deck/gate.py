"""The one path every write takes: read-only check, confirmation, audit, call, audit.

The Deck builds a `Confirmation` from what the person was shown (the dialog in the TUI,
the prompt in the CLI) and hands it to `WriteGate.run` together with the call to make.
The gate refuses a read-only profile before anything is sent, refuses a confirmation
that does not match the targets, writes the audit intent (and refuses to proceed if the
audit log cannot be written), runs the call, and writes the per-target result. It also
refuses targets that belong to another event than the one the write is for. The call
reports each part of a batch as it returns (`Progress`), and each part is recorded at
once, so a process killed mid-batch leaves a trace of what went out. A call that fails
part way reports only what the service confirmed as done. Once anything may have been
sent, a failure to record is said as such (the change was sent; its result is not in
the audit log), never as "nothing was sent".
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass

from tui.core.audit import AuditLog, AuditTarget
from tui.core.errors import MeetdeckError, ReadOnlyMode, StorageError
from tui.core.models import ActionOutcome, ActionResult, Progress

# Above this many targets the person must type the count to confirm.
TYPED_CONFIRMATION_ABOVE = 10


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the person agreed to: this action, on exactly these targets, in this profile."""

    profile: str
    action: str
    target_keys: frozenset[str]
    event_key: str | None = None
    typed_count: int | None = None
    typed_text: str | None = None  # what was typed where a name must be (a delete)

    @classmethod
    def of(
        cls,
        profile: str,
        action: str,
        target_keys: Sequence[str],
        *,
        event_key: str | None = None,
        typed_count: int | None = None,
        typed_text: str | None = None,
    ) -> Confirmation:
        return cls(profile, action, frozenset(target_keys), event_key, typed_count, typed_text)

    @staticmethod
    def needs_typed_count(count: int) -> bool:
        return count > TYPED_CONFIRMATION_ABOVE


class ConfirmationMismatch(MeetdeckError):
    title = "Not confirmed"


class WrongEvent(MeetdeckError):
    title = "Not sent: another event's people"


class WriteGate:
    """Read-only check, confirmation check and audit around every write."""

    def __init__(self, *, profile: str, read_only: bool, audit: AuditLog) -> None:
        self.profile = profile
        self.read_only = read_only
        self.audit = audit

    def check_writable(self) -> None:
        """Raise ReadOnlyMode when this profile may not write."""
        if self.read_only:
            raise ReadOnlyMode(
                f"Profile {self.profile!r} is read-only, so nothing was sent. Writes are "
                "allowed when read_only is off for the profile and --read-only is not given."
            )

    async def run(
        self,
        *,
        provider: str,
        action: str,
        targets: Sequence[AuditTarget],
        confirmation: Confirmation,
        call: Callable[[Progress], Awaitable[ActionResult]],
        event_key: str | None = None,
        typed_answers: Collection[str] = (),
    ) -> ActionResult:
        """Run one confirmed write and return the per-target outcome.

        With `typed_answers` (a delete: the subject or the id), the confirmation must
        carry one of them as typed (`typed_text`), or nothing is sent.

        `call` gets a `Progress` to report each part of a batch as it returns. A typed
        error raised by `call` becomes a failed outcome for every target that the
        service did not confirm; it is recorded in the audit log, not re-raised. If the
        result cannot be recorded, the result's note says so.

        Raises:
            StorageError: The intent cannot be recorded (nothing was sent).
        """
        self.check_writable()
        self._check_event(targets, event_key)
        self._check_confirmation(action, targets, confirmation, event_key)
        self._check_typed(confirmation, typed_answers)
        entry = self.audit.intent(
            profile=self.profile, provider=provider, action=action, targets=targets, event=event_key
        )
        # Every later line of this write names the same profile, provider, action, event.
        record_progress = functools.partial(
            self.audit.progress,
            entry,
            profile=self.profile,
            provider=provider,
            action=action,
            event=event_key,
        )
        record_result = functools.partial(
            self.audit.result,
            entry,
            profile=self.profile,
            provider=provider,
            action=action,
            event=event_key,
        )
        lost: list[StorageError] = []
        confirmed: dict[str, ActionOutcome] = {}

        def progress(outcomes: Sequence[ActionOutcome]) -> None:
            confirmed.update((o.target_key, o) for o in outcomes)
            if lost or not outcomes:
                return  # the log already failed once: the note says so
            try:
                record_progress(outcomes=outcomes)
            except StorageError as exc:
                lost.append(exc)

        note = ""
        try:
            result = await call(progress)
        except MeetdeckError as exc:
            note = f"{exc.title}: {exc.sentence}"
            result = ActionResult(
                action, tuple(ActionOutcome(t.key, False, exc.sentence) for t in targets)
            )
        except BaseException:
            # Cancelled or crashed mid-call: record what the parts that returned confirmed
            # and that the rest is unknown, then go on unwinding (a full disk must not
            # hide why).
            with contextlib.suppress(StorageError):
                record_result(
                    interrupted=True,
                    note="interrupted; outcome unknown",
                    outcomes=[
                        confirmed.get(t.key) or ActionOutcome(t.key, False, "Unknown: interrupted")
                        for t in targets
                    ],
                )
            raise
        try:
            record_result(outcomes=result.outcomes, note=note)
        except StorageError as exc:
            lost.append(exc)
        if lost:
            result = ActionResult(
                result.action, result.outcomes, join_notes(result.note, lost[0].sentence)
            )
        return result

    @staticmethod
    def _check_event(targets: Sequence[AuditTarget], event_key: str | None) -> None:
        """Refuse a write for one event that names people of another."""
        strangers = [t for t in targets if t.event is not None and t.event != event_key]
        if strangers:
            raise WrongEvent(
                f"Nothing was sent: {len(strangers)} of the {len(targets)} people are not "
                f"registered for event {event_key}. Act on the registrants of the event "
                "on screen only."
            )

    @staticmethod
    def _check_typed(confirmation: Confirmation, answers: Collection[str]) -> None:
        if answers and not _typed_matches(confirmation.typed_text, answers):
            raise ConfirmationMismatch(
                "Nothing was sent: what was typed is not the name or the ID of what is "
                "to be deleted. Type it exactly to confirm."
            )

    def _check_confirmation(
        self,
        action: str,
        targets: Sequence[AuditTarget],
        confirmation: Confirmation,
        event_key: str | None,
    ) -> None:
        keys = frozenset(t.key for t in targets)
        problems = []
        if confirmation.profile != self.profile:
            problems.append(f"it was given for profile {confirmation.profile!r}")
        if confirmation.action != action:
            problems.append(f"it was given for {confirmation.action!r}")
        if confirmation.target_keys != keys:
            problems.append("the selection changed since it was given")
        if confirmation.event_key != event_key:
            problems.append("it was given for another event")
        if Confirmation.needs_typed_count(len(keys)) and confirmation.typed_count != len(keys):
            problems.append(f"acting on {len(keys)} people needs the count typed")
        if problems:
            raise ConfirmationMismatch(
                "Nothing was sent: the confirmation does not match ("
                + "; ".join(problems)
                + "). Select again and confirm."
            )


def _typed_matches(typed: str | None, answers: Collection[str]) -> bool:
    """Whether `typed` is one of `answers` (surrounding spaces ignored)."""
    return typed is not None and typed.strip() in {a.strip() for a in answers if a.strip()}


def join_notes(*notes: str) -> str:
    """Notes of one action, in order, each a sentence; empty ones left out."""
    return " ".join(n.strip() for n in notes if n.strip())
