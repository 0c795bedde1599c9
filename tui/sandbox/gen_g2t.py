"""Generates GoTo Training's side: trainings, their registrants (some of whom withdrew),
the sessions held so far and their recordings."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tui.sandbox import pools
from tui.sandbox.model import (
    INT64_HIGH,
    INT64_LOW,
    FileSpec,
    G2TRegistrant,
    Organizer,
    Training,
    TrainingRecording,
    TrainingSession,
)
from tui.sandbox.pools import UniqueInts

G2T_STATUSES = ("WAITING", "APPROVED", "DENIED", "UNREGISTERED", "DELETED")
"""GoTo Training's registrant statuses: UNREGISTERED withdrew, DELETED withdrew and
opted out (the old get-training-registrants page; today's spec lists only the first
three)."""


def generate_trainings(
    organizers: list[Organizer],
    rng: random.Random,
    ints: UniqueInts,
    anchor: datetime,
    recording_bytes: int,
) -> dict[int, Training]:
    """One to three trainings per organizer with GoTo Training, by key; the first holds
    the hostile names. Their recordings' files are for the caller to serve."""
    trainers = [o for o in organizers if "G2T" in o.products]
    found: dict[int, Training] = {}
    hostile_done = False
    for organizer in trainers:
        for _ in range(rng.randint(1, 3)):
            first_day = anchor + timedelta(days=rng.randint(-120, 60), hours=rng.randint(8, 15))
            times = [
                (
                    first_day + timedelta(days=7 * i),
                    first_day + timedelta(days=7 * i, hours=rng.choice((1, 2, 3))),
                )
                for i in range(rng.randint(1, 3))
            ]
            digits = [rng.randint(100, 999) for _ in range(3)]
            training = Training(
                key=ints.draw(INT64_LOW, INT64_HIGH),
                training_id="-".join(map(str, digits)),
                name=rng.choice(pools.TRAINING_NAMES),
                description=rng.choice(
                    (
                        "",
                        "Bring a laptop.",
                        "Kamera an, bitte 🙂",
                        "[dim]optional[/dim] reading",
                        "参加必須",
                    )
                ),
                time_zone=rng.choice(pools.TIME_ZONES),
                times=times,
                organizer_keys=[organizer.key],
                disable_confirmation_email=rng.random() < 0.2,
                disable_web_registration=rng.random() < 0.1,
            )
            if rng.random() < 0.2 and len(trainers) > 1:
                other = rng.choice(trainers).key
                if other != organizer.key:
                    training.organizer_keys.append(other)
            _training_registrants(training, rng, ints, anchor, hostile=not hostile_done)
            _training_sessions(training, rng, ints, anchor, recording_bytes)
            _withdrawals(training, hostile=not hostile_done)
            hostile_done = True
            found[training.key] = training
    return found


def _training_registrants(
    training: Training, rng: random.Random, ints: UniqueInts, anchor: datetime, hostile: bool
) -> None:
    count = rng.randint(3, 40)
    names = list(pools.HOSTILE_NAMES) if hostile else []
    for n in range(count + len(names)):
        first, last = names[n] if n < len(names) else pools.pick_name(rng)
        status = rng.choices(("APPROVED", "WAITING", "DENIED"), (70, 20, 10))[0]
        registrant = G2TRegistrant(
            key=ints.draw(INT64_LOW, INT64_HIGH),
            email=pools.email_for(first, last, n, "learners.example"),
            given_name=first,
            surname=last,
            status=status,
            registration_date=anchor
            - timedelta(days=rng.randint(1, 150), minutes=rng.randint(0, 1439)),
        )
        training.registrants[registrant.key] = registrant


def _withdrawals(training: Training, hostile: bool) -> None:
    """About one registrant in twelve withdrew (some after attending); in the training of
    the hostile names, the first withdrew (UNREGISTERED) and the second opted out too
    (DELETED), so every demo shows both. Decided by the key, after the sessions were
    drawn, so the rest of the generated data does not move."""
    for n, person in enumerate(training.registrants.values()):
        if hostile and n < 2:
            person.status = ("UNREGISTERED", "DELETED")[n]
        elif person.key % 100 < 5:
            person.status = "UNREGISTERED"
        elif person.key % 100 < 8:
            person.status = "DELETED"


def _training_sessions(
    training: Training,
    rng: random.Random,
    ints: UniqueInts,
    anchor: datetime,
    recording_bytes: int,
) -> None:
    approved = [r.key for r in training.registrants.values() if r.status == "APPROVED"]
    for start, end in training.times:
        if end >= anchor:
            continue
        attendees = rng.sample(approved, k=rng.randint(0, len(approved))) if approved else []
        training.sessions.append(
            TrainingSession(ints.draw(INT64_LOW, INT64_HIGH), start, end, attendees)
        )
        if rng.random() < 0.6:
            rec_id = ints.draw(1_000_000, 99_999_999)
            spec = FileSpec(
                f"g2t-{rec_id}",
                pools.file_size(rng, recording_bytes),
                "mp4",
                f"{pools.slug(training.name)}.mp4",
            )
            training.recordings.append(
                TrainingRecording(
                    rec_id,
                    f"{training.name} – {start:%Y-%m-%d}",
                    "Session recording",
                    start,
                    end,
                    spec,
                )
            )
