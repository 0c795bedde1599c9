"""Zoom wire objects, shaped as the zoom.openapi.yml excerpt says."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.sandbox import pools
from tui.sandbox.model import ZOOM_STATUSES, RegistrantTable, ZoomEvent, ZoomRecording, ZoomUser
from tui.sandbox.web import iso

EMPLOYEES = (
    "",
    "1-20",
    "21-50",
    "51-100",
    "101-250",
    "251-500",
    "501-1,000",
    "1,001-5,000",
    "5,001-10,000",
    "More than 10,000",
)
TIME_FRAMES = (
    "",
    "Within a month",
    "1-3 months",
    "4-6 months",
    "More than 6 months",
    "No timeframe",
)
ROLES = ("", "Decision Maker", "Evaluator/Recommender", "Influencer", "Not involved")
INDUSTRIES = ("Software", "Finance", "Healthcare", "Education", "Manufacturing", "")


def user_json(user: ZoomUser, full: bool = False) -> dict[str, Any]:
    """A user; a pending one has no `id` ("The API does not return this value for users
    with the `pending` status")."""
    out: dict[str, Any] = {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": f"{user.first_name} {user.last_name}"[:128],
        "type": user.type,
        "status": user.status,
        "pmi": user.pmi,
        "timezone": user.timezone,
        "dept": user.dept,
        "created_at": iso(user.created_at),
        "user_created_at": iso(user.created_at),
        "last_login_time": iso(user.last_login),
        "last_client_version": "5.17.11.34827(mac)",
        "role_id": user.role_id,
        "verified": 1,
        "language": user.language,
        "group_ids": [],
        "im_group_ids": [],
    }
    if user.status == "pending":
        del out["id"]
    if full:
        out.update(
            {
                "role_name": "Owner" if user.role_id == "0" else "Member",
                "use_pmi": False,
                "account_id": "demo-account",
                "account_number": 10_000_001,
                "job_title": user.job_title,
                "company": user.company,
                "cms_user_id": "",
                "personal_meeting_url": f"https://zoom.example/j/{user.pmi}",
                "phone_number": "",
                "pic_url": "",
                "location": "",
                "login_types": [100],
                "cluster": "us05",
                "jid": f"{user.id.lower()}@xmpp.zoom.example",
            }
        )
    return out


def event_item_json(base: str, e: ZoomEvent) -> dict[str, Any]:
    """A list item of GET /users/{id}/webinars or /meetings."""
    out: dict[str, Any] = {
        "uuid": e.uuid,
        "id": e.id,
        "host_id": e.host_id,
        "topic": e.topic,
        "type": e.type,
        "start_time": iso(e.start),
        "duration": e.duration,
        "timezone": e.timezone,
        "created_at": iso(e.created_at),
        "join_url": join_url(base, e),
        "agenda": e.agenda,
    }
    if e.webinar:
        out["is_simulive"] = False
    return out


def join_url(base: str, e: ZoomEvent) -> str:
    return f"{base}/zoom/{'w' if e.webinar else 'j'}/{e.id}?pwd={e.password}"


#: Zoom: a regular user's start URL is valid for about two hours; then GET the meeting
#: or webinar again (`start_url` in the spec; docs/real-clouds.md). The sandbox has no
#: custCreate users (90 days).
START_URL_LIFETIME = timedelta(hours=2)


def start_zak(host_id: str, expires: datetime) -> str:
    """The sandbox's stand-in for a ZAK: the host and when it expires (epoch seconds)."""
    return f"sandbox-{host_id}.{int(expires.timestamp())}"


def zak_expiry(zak: str) -> tuple[str, datetime] | None:
    """The host and expiry a `start_zak` holds; None for anything else."""
    host, dot, stamp = zak.removeprefix("sandbox-").rpartition(".")
    if not zak.startswith("sandbox-") or not dot or not host or not stamp.isdigit():
        return None
    try:
        return host, datetime.fromtimestamp(int(stamp), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def event_json(base: str, e: ZoomEvent, host: ZoomUser, now: datetime) -> dict[str, Any]:
    """GET /webinars/{id} or GET /meetings/{id}, with start_url and join_url; the start
    URL expires `START_URL_LIFETIME` after `now` (the sandbox's clock)."""
    out = event_item_json(base, e)
    zak = start_zak(e.host_id, now + START_URL_LIFETIME)
    out.update(
        {
            "host_email": host.email,
            "password": e.password,
            "start_url": f"{base}/zoom/s/{e.id}?zak={zak}",
            "settings": {
                "approval_type": e.approval_type,
                "registration_type": 1,
                "audio": "both",
                "auto_recording": "cloud" if e.recording else "none",
                "host_video": True,
                "close_registration": False,
                "contact_email": host.email,
                "contact_name": f"{host.first_name} {host.last_name}",
                "registrants_confirmation_email": True,
                "registrants_email_notification": True,
                "enforce_login": False,
                "alternative_hosts": "",
                "global_dial_in_countries": ["US"],
            },
        }
    )
    if e.webinar:
        out["settings"].update(
            {
                "panelists_video": True,
                "practice_session": False,
                "hd_video": False,
                "on_demand": False,
                "post_webinar_survey": False,
            }
        )
    else:
        out.update(
            {
                "status": e.status,
                "pre_schedule": False,
                "pmi": str(host.pmi),
                "h323_password": e.password,
                "encrypted_password": f"enc{e.password}",
            }
        )
        out["settings"].update(
            {
                "join_before_host": False,
                "mute_upon_entry": True,
                "waiting_room": e.approval_type == 2,
                "use_pmi": False,
                "participant_video": False,
                "jbh_time": 0,
            }
        )
    return out


def registrant_json(
    base: str, table: RegistrantTable, index: int, meeting: bool, full: bool = False
) -> dict[str, Any]:
    rid = table.ids[index]
    h = zlib.crc32(rid.encode())
    city, state, country = pools.CITIES[h % len(pools.CITIES)]
    out: dict[str, Any] = {
        "id": rid,
        "email": table.emails[index],
        "first_name": table.firsts[index],
        "last_name": table.lasts[index],
        "address": f"{h % 200 + 1} Hauptstraße",
        "city": city,
        "state": state,
        "zip": f"{h % 90000 + 10000}",
        "country": country,
        "phone": f"+1 555 {h % 10000:04d}",
        "industry": INDUSTRIES[h % len(INDUSTRIES)],
        "org": pools.COMPANIES[h % len(pools.COMPANIES)],
        "job_title": pools.JOB_TITLES[h % len(pools.JOB_TITLES)],
        "purchasing_time_frame": TIME_FRAMES[h % len(TIME_FRAMES)],
        "role_in_purchase_process": ROLES[h % len(ROLES)],
        "no_of_employees": EMPLOYEES[h % len(EMPLOYEES)],
        "comments": ("", "Looking forward!", "Need captions 🙏", "[bold]hi[/bold]")[h % 4],
        "custom_questions": [
            {
                "title": "What do you hope to learn?",
                "value": ("Everything", "Pricing", "Roadmap", "")[h % 4],
            }
        ],
        "status": ZOOM_STATUSES[table.status[index]],
        "create_time": _iso_epoch(table.created[index]),
        "join_url": f"{base}/zoom/{'j' if meeting else 'w'}/{table.event_id}?tk={rid}",
    }
    if meeting:
        out["participant_pin_code"] = h % 900000 + 100000
    if full:
        out["language"] = "en-US"
    return out


def _iso_epoch(seconds: int) -> str:
    return iso(datetime.fromtimestamp(seconds, UTC))


def recording_json(base: str, r: ZoomRecording, e: ZoomEvent, full: bool = False) -> dict[str, Any]:
    files = []
    for f in r.files:
        # A file still processing: no end, type, extension or size yet, but already a
        # download URL (ZoomNet issue 99).
        busy = f.processing
        files.append(
            {
                "id": f.id,
                "meeting_id": r.uuid,
                "recording_start": iso(f.start),
                "recording_end": "" if busy else iso(f.end),
                "file_type": "" if busy else f.file_type,
                "file_extension": "" if busy else f.file_extension,
                "file_size": 0 if busy else f.file.size,
                "play_url": f"{base}/zoom/rec/play/{f.id}",
                "download_url": f"{base}/zoom/rec/download/{f.id}",
                "status": "processing" if busy else "completed",
                "recording_type": f.recording_type,
            }
        )
    out: dict[str, Any] = {
        "uuid": r.uuid,
        "id": e.id,
        "account_id": "demo-account",
        "host_id": e.host_id,
        "topic": e.topic,
        "type": str(e.type),
        "start_time": iso(r.start),
        "duration": r.duration,
        "total_size": sum(f.file.size for f in r.files if not f.processing),
        "recording_count": len(files),
        "recording_play_passcode": r.passcode,
        "recording_files": files,
    }
    if full:
        out["password"] = e.password
    return out
