"""Generates the GoTo side of the world: organizers, groups, meetings, trainings, Seeit."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.sandbox import pools
from tui.sandbox.model import (
    INT64_HIGH,
    INT64_LOW,
    FileSpec,
    G2TRegistrant,
    Group,
    Meeting,
    MeetingSession,
    Organizer,
    SeeitSession,
    Training,
    TrainingRecording,
    TrainingSession,
)


class UniqueInts:
    """Draws distinct random integers from a range."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[int] = set()

    def draw(self, low: int, high: int) -> int:
        while True:
            value = self._rng.randrange(low, high)
            if value not in self._seen:
                self._seen.add(value)
                return value


@dataclass
class GotoWorld:
    account_key: int
    admin_key: int
    organizer_key: int
    organizers: dict[int, Organizer] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    sessions: dict[int, MeetingSession] = field(default_factory=dict)
    trainings: dict[int, Training] = field(default_factory=dict)
    seeit: dict[str, SeeitSession] = field(default_factory=dict)
    files: dict[str, FileSpec] = field(default_factory=dict)
    html_recording_session: int = 0
    large_recording_session: int = 0


def _size(rng: random.Random, typical: int) -> int:
    return max(1024, int(typical * rng.uniform(0.5, 1.5)))


#: Organizers of the demo's account; `SandboxConfig.organizers` adds more above it.
DEMO_ORGANIZERS = 28
#: Group calls of GoTo Meeting serve groups of at most this many organizers.
GROUP_CALL_MAX = 50


def generate_goto(
    seed: int,
    anchor: datetime,
    recording_bytes: int,
    large_bytes: int,
    *,
    organizers: int = DEMO_ORGANIZERS,
) -> GotoWorld:
    """The deterministic GoTo data for a seed, an anchor day and an account size."""
    rng = random.Random(f"{seed}:goto")
    ints = UniqueInts(rng)
    world = GotoWorld(account_key=ints.draw(INT64_LOW, INT64_HIGH), admin_key=0, organizer_key=0)
    _organizers(world, rng, ints, min(organizers, DEMO_ORGANIZERS))
    if organizers > DEMO_ORGANIZERS:
        # Drawn from their own stream, so the demo's first 28 stay as they were.
        _more_organizers(world, random.Random(f"{seed}:goto-more"), ints, organizers)
    _meetings(world, rng, ints, anchor, recording_bytes, large_bytes)
    _trainings(world, rng, ints, anchor, recording_bytes)
    _seeit(world, rng, anchor, recording_bytes)
    return world


def _organizers(world: GotoWorld, rng: random.Random, ints: UniqueInts, count: int) -> None:
    root_key = ints.draw(INT64_LOW, INT64_HIGH)
    # "Identical with the groupkey if this group is not a subgroup" (the spec's parentKey).
    root = Group(root_key, "Acme Corp", root_key)
    world.groups[root.key] = root
    for name in ("Sales", "Support – EMEA", "研究開発", "[red]Red Team", "Engineering"):
        group = Group(ints.draw(INT64_LOW, INT64_HIGH), name, root.key)
        world.groups[group.key] = group
    group_keys = list(world.groups)
    fixed = [
        ("Ada", "Admin"),
        ("Otto", "Organizer"),
        ("Zoë", "Ångström"),
        ("山田", "太郎"),
        pools.HOSTILE_NAMES[1],
        ("محمد", "الأحمد"),
    ]
    for n in range(count):
        first, last = fixed[n] if n < len(fixed) else pools.pick_name(rng, 0.1)
        products = ["G2M"]
        if n < 2 or rng.random() < 0.5:
            products.append("G2T")
        if n < 2 or rng.random() < 0.35:
            products.append("G2ASEEIT")
        if rng.random() < 0.2:
            products.append("G2W")
        status = "suspended" if n in (9, 17) else "active"
        organizer = Organizer(
            key=ints.draw(INT64_LOW, INT64_HIGH),
            email=pools.email_for(first, last, n, "acme.example"),
            first_name=first,
            last_name=last,
            group_key=group_keys[0] if n == 0 else rng.choice(group_keys[1:]),
            status=status,
            products=[] if status == "suspended" else products,
            max_attendees=rng.choice((25, 150, 250, 3000)),
            locale=rng.choice(pools.LOCALES),
            admin=n == 0,
        )
        world.organizers[organizer.key] = organizer
    keys = list(world.organizers)
    world.admin_key, world.organizer_key = keys[0], keys[1]


def _more_organizers(world: GotoWorld, rng: random.Random, ints: UniqueInts, total: int) -> None:
    """Organizers beyond the demo's, in new groups of 20 to 60 under the root group (a
    few over the 50 that group calls serve), half of them with GoTo Training."""
    root = next(iter(world.groups))
    n = len(world.organizers)
    while n < total:
        group = Group(ints.draw(INT64_LOW, INT64_HIGH), f"Team {len(world.groups)}", root)
        world.groups[group.key] = group
        for _ in range(min(rng.randint(20, 60), total - n)):
            first, last = pools.pick_name(rng, 0.05)
            products = ["G2M", "G2T"] if rng.random() < 0.5 else ["G2M"]
            organizer = Organizer(
                key=ints.draw(INT64_LOW, INT64_HIGH),
                email=pools.email_for(first, last, n, "acme.example"),
                first_name=first,
                last_name=last,
                group_key=group.key,
                status="active",
                products=products,
                max_attendees=rng.choice((25, 150, 250, 3000)),
                locale=rng.choice(pools.LOCALES),
            )
            world.organizers[organizer.key] = organizer
            n += 1


def _file(
    world: GotoWorld, file_id: str, size: int, kind: str, name: str, html: bool = False
) -> FileSpec:
    spec = FileSpec(file_id, size, kind, name, html)
    world.files[file_id] = spec
    return spec


def _meetings(
    world: GotoWorld,
    rng: random.Random,
    ints: UniqueInts,
    anchor: datetime,
    recording_bytes: int,
    large_bytes: int,
) -> None:
    g2m = [o for o in world.organizers.values() if "G2M" in o.products]
    for organizer in g2m:
        for _ in range(rng.randint(1, 4)):  # upcoming (some recurring with a past)
            kind = rng.choice(("scheduled", "scheduled", "recurring"))
            start = anchor + timedelta(days=rng.randint(1, 60), hours=rng.randint(7, 18))
            meeting = _meeting(world, rng, ints, organizer, kind, start, anchor)
            meeting.upcoming = True
            if kind == "recurring":
                for week in range(1, rng.randint(2, 8)):
                    past = start - timedelta(weeks=week + (start - anchor).days // 7 + 1)
                    _session(world, rng, ints, meeting, past, recording_bytes)
        for _ in range(rng.randint(3, 18)):  # held one-off meetings
            start = anchor - timedelta(
                days=rng.randint(1, 182),
                hours=rng.randint(0, 12),
                minutes=rng.choice((0, 15, 30, 45)),
            )
            kind = rng.choice(("scheduled", "scheduled", "immediate"))
            meeting = _meeting(world, rng, ints, organizer, kind, start, anchor)
            _session(world, rng, ints, meeting, start, recording_bytes)
    admin = world.organizers[world.admin_key]
    # An ongoing meeting: listed as ACTIVE upcoming, excluded from historical meetings.
    live = _meeting(world, rng, ints, admin, "immediate", anchor - timedelta(hours=2), anchor)
    live.status, live.upcoming = "ACTIVE", True
    live.subject = "Ongoing: all-day war room"
    live.end = anchor + timedelta(hours=22)
    _session(world, rng, ints, live, live.start, recording_bytes).ongoing = True
    # Special recordings: one serving an HTML error page, one larger than 2 GiB.
    special = _meeting(world, rng, ints, admin, "scheduled", anchor - timedelta(days=3), anchor)
    special.subject = "Recording that serves an HTML error page"
    session = _session(world, rng, ints, special, special.start, recording_bytes)
    session.recording = _file(
        world, f"g2m-{session.id}", 48_213, "mp4", "html-error-page.mp4", html=True
    )
    world.html_recording_session = session.id
    big = _meeting(world, rng, ints, admin, "scheduled", anchor - timedelta(days=5), anchor)
    big.subject = "All-day workshop (large recording)"
    session = _session(world, rng, ints, big, big.start, recording_bytes)
    session.recording = _file(
        world, f"g2m-{session.id}", large_bytes, "mp4", "all-day-workshop.mp4"
    )
    world.large_recording_session = session.id


def _meeting(
    world: GotoWorld,
    rng: random.Random,
    ints: UniqueInts,
    organizer: Organizer,
    kind: str,
    start: datetime,
    anchor: datetime,
) -> Meeting:
    minutes = rng.choice((30, 45, 60, 60, 90, 120))
    meeting = Meeting(
        id=ints.draw(100_000_000, 999_999_999),
        organizer_key=organizer.key,
        subject=rng.choice(pools.SUBJECTS),
        meeting_type=kind,
        password_required=rng.random() < 0.3,
        conference_call_info=rng.choice(("Hybrid", "VoIP", "PSTN", "Free", "Private")),
        start=start,
        end=start + timedelta(minutes=minutes),
        create_time=min(start, anchor) - timedelta(days=rng.randint(1, 30)),
        coorganizer_keys=[],
        max_participants=organizer.max_attendees,
    )
    world.meetings[meeting.id] = meeting
    return meeting


def _session(
    world: GotoWorld,
    rng: random.Random,
    ints: UniqueInts,
    meeting: Meeting,
    start: datetime,
    recording_bytes: int,
) -> MeetingSession:
    duration = (meeting.end - meeting.start) + timedelta(minutes=rng.randint(-10, 20))
    session = MeetingSession(
        id=ints.draw(10_000_000, 9_999_999_999),
        meeting_id=meeting.id,
        start=start,
        end=start + max(duration, timedelta(minutes=5)),
        num_attendees=rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35, 60)),
    )
    # meetingInstanceKey: distinct from the sessionId, drawn from its own stream so
    # the rest of the world stays as it was.
    session.instance_key = random.Random(f"g2m-instance:{session.id}").randrange(
        INT64_LOW, INT64_HIGH
    )
    if rng.random() < 0.3:
        session.recording = _file(
            world,
            f"g2m-{session.id}",
            _size(rng, recording_bytes),
            "mp4",
            f"{pools.slug(meeting.subject)}.mp4",
        )
    world.sessions[session.id] = session
    return session


def _trainings(
    world: GotoWorld, rng: random.Random, ints: UniqueInts, anchor: datetime, recording_bytes: int
) -> None:
    trainers = [o for o in world.organizers.values() if "G2T" in o.products]
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
            _training_sessions(world, training, rng, ints, anchor, recording_bytes)
            _withdrawals(training, hostile=not hostile_done)
            hostile_done = True
            world.trainings[training.key] = training


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


G2T_STATUSES = ("WAITING", "APPROVED", "DENIED", "UNREGISTERED", "DELETED")
"""GoTo Training's registrant statuses: UNREGISTERED withdrew, DELETED withdrew and
opted out (the old get-training-registrants page; today's spec lists only the first
three)."""


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
    world: GotoWorld,
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
            spec = _file(
                world,
                f"g2t-{rec_id}",
                _size(rng, recording_bytes),
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


def _seeit(world: GotoWorld, rng: random.Random, anchor: datetime, recording_bytes: int) -> None:
    technicians = [o for o in world.organizers.values() if "G2ASEEIT" in o.products]
    anchor_ms = int(anchor.timestamp() * 1000)
    notes = (
        "Printer on fire",
        "Customer could not share camera",
        "Rebooted router twice",
        "Kunde: WLAN-Passwort vergessen",
        "カメラが起動しない",
        pools.CLICK_QUIT,
        "\x1b[2J cleared?",
        "[bold]urgent[/bold]",
        pools.LONG_NAME,
        None,
    )
    for n in range(80):
        tech = technicians[n % len(technicians)]
        created = anchor_ms - rng.randint(0, 89 * 86_400_000)
        status = "FINISHED"
        if 70 <= n < 76:  # recent enough for their session data to be downloadable
            created = anchor_ms - rng.randint(2, 60) * 3_600_000
        if n >= 76:
            status = ("CREATED", "STARTED", "JOINED", "FINISHED")[n - 76]
            created = anchor_ms - (80 - n) * 600_000
        session = SeeitSession(
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            support_key=f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
            status=status,
            create_ms=created,
            technician_email=tech.email,
            owner_key=tech.key,
            notes=rng.choice(notes),
        )
        if status != "CREATED":
            session.start_ms = created + rng.randint(5_000, 120_000)
        if status in ("JOINED", "FINISHED"):
            session.join_ms = (session.start_ms or created) + rng.randint(5_000, 300_000)
        if status == "FINISHED":
            session.end_ms = (session.join_ms or created) + rng.randint(60_000, 3_600_000)
            session.recorded = rng.random() < 0.5
            session.photo_count = rng.randint(0, 12)
            session.photo_notes_count = rng.randint(0, session.photo_count)
            age_h = (anchor_ms - session.end_ms) / 3_600_000
            if age_h < 72:
                session.data_status = "AVAILABLE"
                session.data_file = _file(
                    world,
                    f"seeit-{session.uuid}",
                    _size(rng, recording_bytes // 4),
                    "zip",
                    f"session-{session.support_key}.zip",
                )
        elif status == "JOINED":
            session.data_status = "PROCESSING"
        world.seeit[session.uuid] = session
