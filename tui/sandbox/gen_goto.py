"""Generates the GoTo side of the world: organizers, groups, meetings, Seeit sessions, and
(through `gen_g2t.py`) trainings."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.sandbox import pools
from tui.sandbox.gen_g2t import generate_trainings
from tui.sandbox.model import (
    INT64_HIGH,
    INT64_LOW,
    FileSpec,
    Group,
    Meeting,
    MeetingSession,
    Organizer,
    SeeitSession,
    Training,
)
from tui.sandbox.pools import UniqueInts


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
    world.trainings = generate_trainings(
        list(world.organizers.values()), rng, ints, anchor, recording_bytes
    )
    for training in world.trainings.values():
        for recording in training.recordings:
            world.files[recording.file.file_id] = recording.file
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
            pools.file_size(rng, recording_bytes),
            "mp4",
            f"{pools.slug(meeting.subject)}.mp4",
        )
    world.sessions[session.id] = session
    return session


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
                    pools.file_size(rng, recording_bytes // 4),
                    "zip",
                    f"session-{session.support_key}.zip",
                )
        elif status == "JOINED":
            session.data_status = "PROCESSING"
        world.seeit[session.uuid] = session
