"""Generates the Zoom side: users, webinars (one big), meetings, registrants, recordings."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.sandbox import pools
from tui.sandbox.model import (
    FileSpec,
    RegistrantTable,
    ZoomEvent,
    ZoomRecording,
    ZoomRecordingFile,
    ZoomUser,
)
from tui.sandbox.pools import UniqueInts

PENDING, APPROVED, DENIED, CANCELLED = 0, 1, 2, 3


@dataclass
class ZoomWorld:
    owner_id: str
    users: dict[str, ZoomUser] = field(default_factory=dict)
    webinars: dict[int, ZoomEvent] = field(default_factory=dict)
    meetings: dict[int, ZoomEvent] = field(default_factory=dict)
    files: dict[str, FileSpec] = field(default_factory=dict)
    big_webinar_id: int = 0
    html_file_id: str = ""
    large_file_id: str = ""
    processing_file_id: str = ""


def zoom_id(rng: random.Random) -> str:
    """A 22-character URL-safe id like Zoom's user and registrant ids."""
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def zoom_uuid(rng: random.Random) -> str:
    """A meeting UUID in Zoom's form (standard base64, may hold '+', '/' and '==')."""
    return base64.b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()


def generate_zoom(
    seed: int, anchor: datetime, big_registrants: int, recording_bytes: int, large_bytes: int
) -> ZoomWorld:
    """The deterministic Zoom data for a seed, an anchor day and a big-webinar size."""
    rng = random.Random(f"{seed}:zoom")
    ints = UniqueInts(rng)
    world = ZoomWorld(owner_id="")
    _users(world, rng, anchor)
    hosts = [u for u in world.users.values() if u.type == 2 and u.status == "active"]
    _webinars(world, rng, ints, anchor, hosts, big_registrants)
    _meetings(world, rng, ints, anchor, hosts, recording_bytes, large_bytes)
    return world


def _users(world: ZoomWorld, rng: random.Random, anchor: datetime) -> None:
    fixed = [
        ("Ada", "Owner"),
        ("Zoë", "Ångström"),
        ("太郎", "山田"),
        ("שרה", "כהן"),
        ("[bold]Eve[/bold]", "[red]Mallory"),
    ]
    for n in range(16):
        first, last = fixed[n] if n < len(fixed) else pools.pick_name(rng, 0.1)
        status = "pending" if n == 14 else "inactive" if n == 15 else "active"
        user = ZoomUser(
            id=zoom_id(rng),
            email=pools.email_for(first, last, n, "zoom-demo.example"),
            first_name=first[:64],
            last_name=last[:64],
            type=1 if n % 4 == 3 else 2,
            status=status,
            pmi=rng.randrange(1_000_000_000, 9_999_999_999),
            timezone=rng.choice(pools.TIME_ZONES),
            dept=rng.choice(("Sales", "Support", "R&D", "Marketing", "営業")),
            created_at=anchor - timedelta(days=rng.randint(30, 2000)),
            last_login=anchor - timedelta(hours=rng.randint(1, 900)),
            role_id="0" if n == 0 else "2",
            job_title=rng.choice(pools.JOB_TITLES),
            company="Acme Corp",
            # One Basic user without the webinar feature: its webinar list answers 3161.
            webinar=n != 7,
        )
        world.users[user.id] = user
    world.owner_id = next(iter(world.users))


def _event(
    rng: random.Random,
    ints: UniqueInts,
    host: ZoomUser,
    start: datetime,
    webinar: bool,
    anchor: datetime,
) -> ZoomEvent:
    return ZoomEvent(
        id=ints.draw(81_000_000_000, 99_999_999_999),
        uuid=zoom_uuid(rng),
        host_id=host.id,
        topic=rng.choice(pools.SUBJECTS)[:200],
        agenda=rng.choice(("", "Agenda: intro, demo, Q&A", "Tagesordnung folgt", "議題未定")),
        type=5 if webinar else rng.choice((2, 2, 2, 8)),
        start=start,
        duration=rng.choice((30, 45, 60, 90)),
        timezone=host.timezone,
        created_at=min(start, anchor) - timedelta(days=rng.randint(1, 40)),
        password=f"{rng.randrange(100000, 999999)}",
        webinar=webinar,
    )


def _fill(
    table: RegistrantTable,
    rng: random.Random,
    count: int,
    anchor: datetime,
    weights: tuple[int, int, int],
    hostile: bool,
) -> None:
    """Add `count` registrants (the hostile names first, pending) to a table."""
    base = int((anchor - timedelta(days=60)).timestamp())
    firsts, lasts = pools.FIRST_NAMES, pools.LAST_NAMES
    names = pools.HOSTILE_NAMES if hostile else ()
    statuses = rng.choices((PENDING, APPROVED, DENIED), weights, k=count)
    getrandbits, randrange, random_ = rng.getrandbits, rng.randrange, rng.random
    encode = base64.urlsafe_b64encode
    for n in range(count):
        if n < len(names):
            first, last = names[n]
            status = PENDING
        else:
            if random_() < 0.002:
                first, last = names[n % len(names)] if names else pools.HOSTILE_NAMES[0]
            else:
                first, last = firsts[randrange(len(firsts))], lasts[randrange(len(lasts))]
            status = statuses[n]
        rid = encode(getrandbits(128).to_bytes(16, "big")).decode()[:22]
        email = f"{pools.slug(first + ' ' + last)}.{table.event_id % 10000}.{n}@attendees.example"
        table.add(rid, first[:64], last[:64], email, base + randrange(0, 59 * 86_400), status)


def _webinars(
    world: ZoomWorld,
    rng: random.Random,
    ints: UniqueInts,
    anchor: datetime,
    hosts: list[ZoomUser],
    big_registrants: int,
) -> None:
    owner = world.users[world.owner_id]
    big = _event(rng, ints, owner, anchor + timedelta(days=14, hours=16), True, anchor)
    big.topic, big.approval_type = "Annual customer summit 2025 – keynote & Q&A 🎤", 1
    big.registrants = RegistrantTable(big.id)
    _fill(big.registrants, rng, big_registrants, anchor, (30, 60, 10), hostile=True)
    world.webinars[big.id] = big
    world.big_webinar_id = big.id
    for n in range(8):
        host = hosts[n % len(hosts)]
        start = anchor + timedelta(days=rng.randint(-60, 45), hours=rng.randint(8, 18))
        event = _event(rng, ints, host, start, True, anchor)
        event.approval_type = rng.choice((0, 1, 1))
        event.registrants = RegistrantTable(event.id)
        weights = (0, 100, 0) if event.approval_type == 0 else (35, 50, 15)
        _fill(event.registrants, rng, rng.randint(3, 60), anchor, weights, hostile=n == 0)
        world.webinars[event.id] = event


def _meetings(
    world: ZoomWorld,
    rng: random.Random,
    ints: UniqueInts,
    anchor: datetime,
    hosts: list[ZoomUser],
    recording_bytes: int,
    large_bytes: int,
) -> None:
    for n in range(44):
        host = hosts[n % len(hosts)]
        if n < 22:
            start = anchor - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 10))
        else:
            start = anchor + timedelta(days=rng.randint(1, 50), hours=rng.randint(8, 18))
        event = _event(rng, ints, host, start, False, anchor)
        if n % 5 == 1:
            event.approval_type = rng.choice((0, 1))
            event.registrants = RegistrantTable(event.id)
            weights = (0, 100, 0) if event.approval_type == 0 else (40, 45, 15)
            _fill(event.registrants, rng, rng.randint(2, 40), anchor, weights, hostile=n == 1)
        if n < 22 and rng.random() < 0.6:
            event.recording = _recording(world, rng, event, recording_bytes)
        world.meetings[event.id] = event
    owner = world.users[world.owner_id]
    live = _event(rng, ints, owner, anchor - timedelta(minutes=30), False, anchor)
    live.topic, live.status = "Live now: on-call bridge", "started"
    # A scheduled meeting in progress: the list API never returns instant (type 1) ones.
    live.type, live.duration = 2, 1440
    world.meetings[live.id] = live
    special = _event(rng, ints, owner, anchor - timedelta(days=2), False, anchor)
    special.topic = "Recordings: HTML error page and a large file"
    recording = _recording(world, rng, special, recording_bytes)
    html_file, big_file = recording.files[0], recording.files[1]
    html_file.file.html, html_file.file.size = True, 48_213
    big_file.file.size = large_bytes
    world.html_file_id, world.large_file_id = html_file.id, big_file.id
    special.recording = recording
    world.meetings[special.id] = special
    just = _just_ended(world, rng, ints, anchor, owner)
    world.meetings[just.id] = just


def _just_ended(
    world: ZoomWorld, rng: random.Random, ints: UniqueInts, anchor: datetime, owner: ZoomUser
) -> ZoomEvent:
    """A meeting that ended an hour before the anchor, all its files but the last still
    being processed (listed, with a download URL, but nothing to download yet)."""
    event = _event(rng, ints, owner, anchor - timedelta(hours=2), False, anchor)
    event.topic, event.duration = "Just ended: recording still processing", 60
    recording = _recording(world, rng, event, 1024)
    for file in recording.files[:-1]:  # the video first; the last file is done
        file.processing = True
        del world.files[file.file.file_id]
    event.recording = recording
    world.processing_file_id = recording.files[0].id
    return event


FILE_KINDS = (
    ("MP4", "MP4", "shared_screen_with_speaker_view", "mp4"),
    ("M4A", "M4A", "audio_only", "m4a"),
    ("TRANSCRIPT", "VTT", "audio_transcript", "vtt"),
    ("CHAT", "TXT", "chat_file", "txt"),
    ("SUMMARY", "JSON", "summary", "json"),
)


def _recording(
    world: ZoomWorld, rng: random.Random, event: ZoomEvent, recording_bytes: int
) -> ZoomRecording:
    end = event.start + timedelta(minutes=event.duration)
    files = []
    for file_type, ext, rec_type, kind in FILE_KINDS[: rng.randint(2, 5)]:
        fid = zoom_id(rng).replace("_", "x").replace("-", "y")
        if kind in ("mp4", "m4a"):
            share = 1 if kind == "mp4" else 8
            size = max(1024, int(recording_bytes * rng.uniform(0.5, 1.5) / share))
        else:
            size = rng.randint(2_000, 60_000)
        spec = FileSpec(f"zoom-{fid}", size, kind, f"{pools.slug(event.topic)}.{kind}")
        world.files[spec.file_id] = spec
        files.append(ZoomRecordingFile(fid, file_type, ext, rec_type, event.start, end, spec))
    return ZoomRecording(
        event.uuid, event.id, event.start, event.duration, f"{rng.randrange(10**7, 10**8)}", files
    )
